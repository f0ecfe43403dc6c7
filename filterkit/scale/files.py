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
import itertools
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


def numbered_lines(path: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[int, Line]]:
    """Each line of `path` ('-': stdin) with its number from 1, read as it is needed.

    A line longer than `limits.max_record_bytes` (its line end aside) comes as an
    `InputTooLargeError` in its place, its rest skipped unread. Once a compressed file
    has expanded past `limits.max_decompressed_bytes`, the line that crossed the limit
    comes as an `InputTooLargeError` naming the file, and nothing more is read."""
    longest = limits.max_record_bytes
    budget = limits.max_decompressed_bytes if path.endswith(COMPRESSED_SUFFIXES) else float("inf")
    size = 0
    with open_input(path) as stream:
        for number in itertools.count(1):
            line = stream.readline(longest + 1)
            if not line:
                return
            size += len(line)
            if len(line) > longest and not line.endswith(b"\n"):
                rest, end = _skip_line(stream, budget - size)
                size += rest + end
                found = f"the line is {len(line) + rest:,} bytes"
                line = InputTooLargeError("max_record_bytes", longest, found, "the record is not read")
            if size > budget:
                yield number, InputTooLargeError(
                    "max_decompressed_bytes", limits.max_decompressed_bytes,
                    f"{source_name(path)} expands to more than {limits.max_decompressed_bytes:,} bytes",
                    f"the records of its first {number - 1:,} lines are kept and the rest is not read")
                return
            yield number, line


def _skip_line(stream: IO[bytes], budget: float) -> tuple[int, int]:
    """Read to the end of the current line, or past `budget` bytes: how many bytes of the
    line were read, and of its line end (0 or 1)."""
    skipped = 0
    while skipped <= budget:
        piece = stream.readline(MiB)
        if piece.endswith(b"\n"):
            return skipped + len(piece) - 1, 1
        if not piece:
            break
        skipped += len(piece)
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
    (lone surrogates from JSON escapes) is written as its \\u escape."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(target)
    try:
        with open(temporary, "wb") as raw:
            with _compressed(raw, target.name) as binary, io.TextIOWrapper(
                    binary, encoding="utf-8", errors="backslashreplace", newline="\n") as text:
                yield text
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


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

