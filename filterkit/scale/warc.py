"""WARC files as a record source: each HTML page of a crawl is one record, read as it is
needed, and goes through the same batch path as a line of JSON Lines
(`filterkit.scale.batch`, `filterkit.scale.records.entry_item`).

Each WARC record (of a `.warc`, `.warc.gz` or `.warc.zst` file, or any file read as WARC)
comes as one of:
- a `WarcPage`: a `response` record whose HTTP status is 2xx and whose content type is
  HTML (text/html, application/xhtml+xml). It becomes an output record with `url`
  (WARC-Target-URI), `warc_date` and `warc_record_id` beside the cleaned fields. Its
  payload is read after HTTP chunking and compression are undone, within
  `max_record_bytes`; a larger one, or one that cannot be decoded, carries an `error`.
  The HTTP charset reaches the HTML decoder when the page declares none.
- a `Skipped`: any other record (warcinfo, request, metadata, revisit, resource, a
  response that is not HTML, not HTTP or not 2xx), with the reason it is skipped.
- an `InputError`, last, where the file cannot be read on (truncated or corrupt, or a
  compressed file expanding past `max_decompressed_bytes`): the records before it are
  kept.

The WARC reader is warcio (imported when a file is read): the same one datatrove's
`WarcReader` uses.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import IO, Iterator

import zstandard

from ..errors import InputError, InputTooLargeError
from ..limits import DEFAULT_LIMITS, Limits
from .files import COMPRESSED_SUFFIXES, open_input, source_name, strip_compression

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# How much of a payload is looked at for NUL bytes: text/html that holds an image, say.
_BINARY_PROBE = 1024
_DRAIN_SIZE = 64 * 1024


def is_warc(path: str) -> bool:
    """True for a name that says WARC: `.warc`, `.warc.gz`, `.warc.zst`."""
    return strip_compression(path).endswith(".warc")


@dataclass(frozen=True)
class WarcPage:
    """An HTML response of a WARC file: where it came from, its payload (bytes as served)
    and HTTP charset, or why it cannot be read."""

    url: str | None
    date: str | None
    record_id: str | None
    payload: bytes = b""
    charset: str | None = None
    error: str | None = None

    @property
    def fields(self) -> dict:
        """What the output record says of the WARC record."""
        return {"url": self.url, "warc_date": self.date, "warc_record_id": self.record_id}

    def markup(self) -> str | bytes:
        """The payload for the HTML reader: decoded with the HTTP charset when the page
        declares none, else as it is."""
        from ..read.html import with_transport_charset

        return with_transport_charset(self.payload, self.charset)


@dataclass(frozen=True)
class Skipped:
    """A WARC record that is not an HTML page, and why (e.g. "request", "not HTML")."""

    reason: str


WarcEntry = WarcPage | Skipped | InputError


def warc_entries(path: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[int, WarcEntry]]:
    """Each record of the WARC file `path` ('-': stdin) with its number from 1, read as it
    is needed; see the module's docstring. A file that breaks ends with an `InputError`
    numbered as the record where it broke."""
    from warcio.archiveiterator import ArchiveIterator

    budget = limits.max_decompressed_bytes if path.endswith(COMPRESSED_SUFFIXES) else None
    done = 0
    with open_input(path) as stream:
        try:
            counted = _Counted(stream, budget)
            records = ArchiveIterator(counted)
            for record in records:
                yield done + 1, _entry(record, limits)
                done += 1
            # warcio ends quietly where the file ends inside a record's headers.
            if records.offset < counted.read_bytes:
                raise _Broken("the file ends inside a record")
        except _ExpandedPast:
            most = limits.max_decompressed_bytes
            yield done + 1, InputTooLargeError(
                "max_decompressed_bytes", most, f"{source_name(path)} expands to more than {most:,} bytes",
                f"the {done:,} records before are kept and the rest is not read")
        except MemoryError:
            raise
        except Exception as exc:  # warcio's errors on a damaged file are many, and untyped
            yield done + 1, InputError(f"{source_name(path)} cannot be read on from its WARC record {done + 1:,} "
                                       f"(damaged or cut short: {_reason(exc)}); the {done:,} records "
                                       "before it are kept")


def _reason(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    if isinstance(exc, _Broken):
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _entry(record, limits: Limits) -> WarcEntry:
    """The page, or why it is skipped; the record is read to its end either way."""
    if record.format != "warc":  # warcio reads any line of five words as an ARC header
        raise _Broken(f"it does not start as a WARC record does (WARC/1.0): {record.format.upper()} files are not read")
    reason = _skip_reason(record)
    if reason is not None:
        _drain(record)
        return Skipped(reason)
    payload, error = _payload(record, limits)
    _drain(record)
    headers = record.rec_headers
    charset = _CHARSET.search(record.http_headers.get_header("content-type") or "")
    return WarcPage(headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
                    headers.get_header("WARC-Record-ID"), payload, charset.group(1) if charset else None, error)


def _skip_reason(record) -> str | None:
    """Why `record` is not an HTML page to clean, or None when it is one."""
    if record.rec_type != "response":
        return record.rec_type or "no WARC-Type"
    http = record.http_headers
    if http is None or not http.protocol.upper().startswith("HTTP/"):
        return "not HTTP"
    status = http.get_statuscode()
    if not (status.isdigit() and 200 <= int(status) < 300):
        return "HTTP status not 2xx"
    content_type = http.get_header("content-type") or record.rec_headers.get_header("WARC-Identified-Payload-Type")
    if not content_type:
        return "no content type"
    if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return "not HTML"
    return None


def _payload(record, limits: Limits) -> tuple[bytes, str | None]:
    """The HTTP payload (chunking and Content-Encoding undone), or why it is not read."""
    from ..read.encoding import byte_order_mark_codec  # here: `filterkit.read` imports lxml

    most = limits.max_record_bytes
    try:
        payload = record.content_stream().read(most + 1)
    except (_Broken, _ExpandedPast, MemoryError):
        raise
    except Exception as exc:  # a payload's own damage (its gzip, its chunks) spoils it alone
        return b"", f"the payload cannot be decoded: {_reason(exc)}"
    if len(payload) > most:
        return b"", str(InputTooLargeError("max_record_bytes", most, f"the page is more than {most:,} bytes",
                                           "the record is not read"))
    if b"\x00" in payload[:_BINARY_PROBE] and byte_order_mark_codec(payload) is None:
        return b"", "the payload is binary, not the HTML its Content-Type says"
    return payload, None


def _drain(record) -> None:
    """Read `record` to its end; `_Broken` when the file ends before it does, or its
    header was cut short (a WARC record always has a Content-Length)."""
    if record.rec_headers.get_header("Content-Length") is None:
        raise _Broken("a record without a Content-Length (its header is cut short or damaged)")
    stream = record.raw_stream
    while stream.read(_DRAIN_SIZE):
        pass
    missing = getattr(stream, "limit", 0)
    if missing > 0:
        raise _Broken(f"the file ends {missing:,} bytes before the end of the record")


class _Broken(Exception):
    """The file cannot be read on from here."""


class _ExpandedPast(Exception):
    """The file expanded past `max_decompressed_bytes`."""


# What reading the decompressed bytes of a file can raise: a truncated or corrupt file.
_STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


class _Counted:
    """The decompressed bytes of a file, counted against `budget` (None: unbounded).
    Its errors are `_Broken`, never the EOFError by which warcio would take a truncated
    file for a finished one."""

    def __init__(self, stream: IO[bytes], budget: int | None):
        # read1: what one read of the file gives, so that the records of the pieces read
        # before a truncated gzip member reach warcio before its EOFError does.
        self._read = getattr(stream, "read1", stream.read)
        self.budget = budget
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._read(size)
        except _STREAM_ERRORS as exc:
            raise _Broken(_reason(exc)) from exc
        self.read_bytes += len(data)
        if self.budget is not None and self.read_bytes > self.budget:
            raise _ExpandedPast
        return data
