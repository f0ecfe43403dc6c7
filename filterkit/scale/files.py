"""Files in and out: plain, gzip (`.gz`) or Zstandard (`.zst`) by name, and atomic output.

Compression follows the file name, for reading and for writing. Output is written to a
temporary file beside the target, `.NAME.PID.tmp`, which replaces the target only when
everything was written: a target that exists is complete. Compressed output is
reproducible (no time stamp or file name in the gzip header), so the same records give
the same bytes.

Reading is bounded (see `filterkit.limits`): JSON Lines are read a line at a time, a
line at most `max_record_bytes` long; a compressed file is read until it has expanded
to `max_decompressed_bytes`; a whole document at most `max_document_bytes`.
"""
from __future__ import annotations

import gzip
import io
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import zstandard

from ..errors import InputTooLargeError
from ..limits import DEFAULT_LIMITS, Limits, MiB

STDIN = "-"
STDIN_NAME = "<stdin>"
COMPRESSED_SUFFIXES = (".gz", ".zst")
# What reading a file can raise besides InputError: a missing or unreadable file, and a
# truncated or corrupt compressed one.
READ_ERRORS = (OSError, EOFError, zstandard.ZstdError)


def source_name(path: str) -> str:
    """How messages name `path`."""
    return STDIN_NAME if path == STDIN else path


def strip_compression(name: str) -> str:
    """`a.jsonl.gz` → `a.jsonl`; other names unchanged."""
    for suffix in COMPRESSED_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@contextmanager
def open_input(path: str) -> Iterator[IO[bytes]]:
    """A binary stream of `path` ('-': stdin), decompressed when it ends in .gz or .zst."""
    if path == STDIN:
        yield sys.stdin.buffer
        return
    with open(path, "rb") as raw:
        if path.endswith(".gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                yield stream
        elif path.endswith(".zst"):
            # read_across_frames: files written in several frames (pzstd, appends) are read whole.
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=False)
            with io.BufferedReader(reader) as stream:
                yield stream
        else:
            yield raw


Line = bytes | InputTooLargeError
READ_SIZE = MiB
# What `bytes.strip()` strips: a line of these alone is blank.
_BLANK = frozenset(b" \t\n\r\x0b\x0c")


def numbered_lines(path: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[int, Line]]:
    """Each non-blank line of `path` ('-': stdin) with its number from 1, read as it is
    needed. Blank lines (whitespace alone) are skipped in bulk, a megabyte at a time
    without a step per line, yet counted: in the line numbers and in the bytes read.

    A line longer than `limits.max_record_bytes` (its line end aside) comes as an
    `InputTooLargeError` in its place, its rest skipped unread. Once a compressed file
    has expanded past `limits.max_decompressed_bytes`, whatever its bytes (blank lines
    too), the line where it crossed the limit comes as an `InputTooLargeError` naming
    the file, and nothing more is read."""
    longest = limits.max_record_bytes
    budget = limits.max_decompressed_bytes if path.endswith(COMPRESSED_SUFFIXES) else float("inf")
    with open_input(path) as stream:
        lines = _Lines(stream)
        number = 0
        while True:
            skipped, started = lines.skip_blank(budget, longest)
            number += skipped + 1
            if lines.read > budget:
                yield number, _expanded_past(path, limits, number)
                return
            line = b"" if started else lines.readline(longest + 1)
            if started or (len(line) > longest and not line.endswith(b"\n")):
                rest, _ = lines.skip_line(budget)
                found = f"the line is {started + len(line) + rest:,} bytes"
                line = InputTooLargeError("max_record_bytes", longest, found, "the record is not read")
            elif not line:
                return
            if lines.read > budget:
                yield number, _expanded_past(path, limits, number)
                return
            if isinstance(line, InputTooLargeError) or line.strip():
                yield number, line


def _expanded_past(path: str, limits: Limits, number: int) -> InputTooLargeError:
    most = limits.max_decompressed_bytes
    return InputTooLargeError("max_decompressed_bytes", most, f"{source_name(path)} expands to more than {most:,} bytes",
                              f"the records of its first {number - 1:,} lines are kept and the rest is not read")


class _Lines:
    """Lines of a binary stream, read `READ_SIZE` bytes at a time. `read`: the bytes
    taken so far (read past, skipped or returned)."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.buffer = b""
        self.at = 0
        self.read = 0
        # read1: what is there, up to READ_SIZE, so that a pipe's records are cleaned as they come.
        self._read = getattr(stream, "read1", stream.read)

    def _fill(self) -> bool:
        """Read on, keeping what is left of the buffer; False at the end of the stream."""
        more = self._read(READ_SIZE)
        if not more:
            return False
        self.buffer = self.buffer[self.at:] + more if self.at < len(self.buffer) else more
        self.at = 0
        return True

    def _take(self, end: int) -> None:
        self.read += end - self.at
        self.at = end

    def skip_blank(self, budget: float, longest: int) -> tuple[int, int]:
        """Skip the blank lines from here, whatever their length, or until `budget` bytes
        are read: how many, and how many bytes of the next line were skipped (0 unless its
        whitespace start alone is longer than `longest`: such a line has text too, or the
        budget ran out)."""
        if self.at < len(self.buffer) and self.buffer[self.at] not in _BLANK:
            return 0, 0  # a line with text: the usual case, at once
        skipped = started = 0
        while self.read <= budget:
            if self.at == len(self.buffer) and not self._fill():
                return skipped, 0  # the end: a last line without its line end was blank
            blank_to = self._blank_to()
            text = blank_to < len(self.buffer)
            if blank_to - self.at > budget - self.read:  # the line where the budget runs out is next
                blank_to, text = self.at + int(budget - self.read), True
            end = self.buffer.rfind(b"\n", self.at, blank_to) + 1
            if end:
                skipped += self.buffer.count(b"\n", self.at, end)
                started = 0
                self._take(end)
            if text:
                break
            # Whitespace up to what is read: the line goes on, blank so far. Kept while it
            # may yet be a record; past `longest` it is too long to be one.
            if started or len(self.buffer) - self.at > longest:
                started += len(self.buffer) - self.at
                self._take(len(self.buffer))
            elif not self._fill():
                self._take(len(self.buffer))
                return skipped, 0
        return skipped, started

    def _blank_to(self) -> int:
        """Where the whitespace from here ends in what is read: looked at in growing pieces
        (`bytes.lstrip` has no start), so that a line with text costs a few bytes' copy."""
        at, size = self.at, 64
        while at < len(self.buffer):
            piece = self.buffer[at:at + size]
            text = piece.lstrip()
            if text:
                return at + len(piece) - len(text)
            at += len(piece)
            size *= 16
        return len(self.buffer)

    def readline(self, most: int) -> bytes:
        """The next line, its line end included, or its first `most` bytes."""
        newline = self.buffer.find(b"\n", self.at, self.at + most)
        if newline >= 0:  # the usual case: the whole line is in what is read
            line = self.buffer[self.at:newline + 1]
            self._take(newline + 1)
            return line
        parts, size = [], 0
        while size < most and (self.at < len(self.buffer) or self._fill()):
            stop = min(len(self.buffer), self.at + most - size)
            newline = self.buffer.find(b"\n", self.at, stop)
            end = newline + 1 if newline >= 0 else stop
            parts.append(self.buffer[self.at:end])
            size += end - self.at
            self._take(end)
            if newline >= 0:
                break
        return b"".join(parts)

    def skip_line(self, budget: float) -> tuple[int, int]:
        """Read to the end of the current line, or past `budget` bytes: how many bytes of
        the line were read, and of its line end (0 or 1)."""
        skipped = 0
        while self.read <= budget and (self.at < len(self.buffer) or self._fill()):
            newline = self.buffer.find(b"\n", self.at)
            if newline >= 0:
                skipped += newline - self.at
                self._take(newline + 1)
                return skipped, 1
            skipped += len(self.buffer) - self.at
            self._take(len(self.buffer))
        return skipped, 0


def read_whole(path: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """All of `path` ('-': stdin), decompressed; `InputTooLargeError` past
    `limits.max_document_bytes`, reading no further (a compressed file may expand to
    far more than memory holds)."""
    most = limits.max_document_bytes
    with open_input(path) as stream:
        data = stream.read(most + 1)
    limits.check("max_document_bytes", len(data), f"{source_name(path)} is more than {most:,} bytes")
    return data


def temporary_path(target: Path) -> Path:
    """Where this process writes `target` before it is complete."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def remove_temporaries(target: Path) -> list[Path]:
    """Delete the temporary files any run left for `target` (a run that was killed)."""
    stale = sorted(target.parent.glob(f".{target.name}.*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[IO[str]]:
    """A UTF-8 text stream that replaces `path` only when the block finishes without an
    exception; compressed when the name ends in .gz or .zst. Text the encoder cannot take
    (lone surrogates from JSON escapes) is written as its \\u escape. An error writing it
    (a full disk) is an OSError that names `path`, not the temporary file."""
    target = Path(path)
    with _naming(target):
        target.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(target)
    try:
        with io.BufferedWriter(_OutputFile(temporary, target)) as raw:
            with _compressed(raw, target.name) as binary, io.TextIOWrapper(
                    binary, encoding="utf-8", errors="backslashreplace", newline="\n") as text:
                yield text
        with _naming(target):
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


class _OutputFile(io.FileIO):
    """The temporary file an output is written to; its errors name the output."""

    def __init__(self, temporary: Path, target: Path):
        self.target = target
        with _naming(target):
            super().__init__(temporary, "w")

    def write(self, data) -> int:
        with _naming(self.target):
            return super().write(data)


@contextmanager
def _naming(target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise OSError(exc.errno, f"cannot be written: {exc.strerror}", str(target)) from None


@contextmanager
def _compressed(raw: IO[bytes], name: str) -> Iterator[IO[bytes]]:
    if name.endswith(".gz"):
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as stream:
            yield stream
    elif name.endswith(".zst"):
        with zstandard.ZstdCompressor().stream_writer(raw, closefd=False) as stream:
            yield stream
    else:
        yield raw

