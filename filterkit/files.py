"""Files in and out: plain, gzip (`.gz`) or Zstandard (`.zst`) by name, and atomic output.

Compression follows the file name, for reading and for writing. Output is written to a
temporary file beside the target, `.NAME.PID.tmp`, which replaces the target only when
everything was written: a target that exists is complete. Compressed output is
reproducible (no time stamp or file name in the gzip header), so the same records give
the same bytes.
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

STDIN = "-"
COMPRESSED_SUFFIXES = (".gz", ".zst")
# What reading a file can raise besides InputError: a missing or unreadable file, and a
# truncated or corrupt compressed one.
READ_ERRORS = (OSError, EOFError, zstandard.ZstdError)


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

