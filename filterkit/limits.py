"""How large one document (and one input file) may be, and how long one document may
take, so that no single input can take a run's time or memory.

An input over a limit is refused whole with `InputTooLargeError`, which names the limit
and how to raise it; it is never cut short (the rest of a run goes on: the batch and
JSONL paths turn the error into an error record). The defaults are far above real
pages and were measured on this code (see tests/test_robustness.py):

- `max_document_bytes` (16 MiB, counted in UTF-8 for text): 16 times Common Crawl's
  1 MiB record cap and three times the largest page of WCXB's development split
  (5.3 MB). It is checked before anything is parsed, so a 50 MB line is refused at once.
- `max_paragraphs` (50,000): the model holds a row of features per paragraph; a
  document of a million one-word lines would take over a gigabyte and minutes. Articles
  have hundreds of paragraphs.
- `max_html_elements` (100,000) and `max_html_depth` (512): trafilatura's extraction
  takes 40-250 microseconds per element and grows with depth times elements (4 chains of
  2,000 nested divs take 6 s), so these bound an HTML page's time. WCXB's pages have at
  most 15,793 elements and 55 levels; Chromium's HTML parser stops nesting at 512.
  libxml2 cannot parse deeper than 2,048 levels whatever the limit: such a page is
  refused with an `InputError`.

No limit is set on a paragraph's length: featurising is linear (about 0.2 s for a
million characters), so `max_document_bytes` already bounds it.

Reading JSON Lines (`filterkit.files.numbered_lines`: `clean --jsonl`, the batch engine):

- `max_record_bytes` (64 MiB): one line, read at most this far; a longer line becomes
  an error record, its rest skipped unread, so memory stays bounded. It leaves room for
  a 16 MiB document and other fields, even escaped as `json.dumps` does by default
  (`\\uXXXX` makes Cyrillic text three times as long).
- `max_decompressed_bytes` (16 GiB): what a `.gz` or `.zst` input may expand to. It is
  a decompression-bomb guard (gzip reaches 1,000 to 1 and Zstandard far more): since
  records are streamed, what a bomb would take is the disk and the hours to write
  billions of records. It is 16 times the largest input of `benchmarks/batch.py`.
  Past it, the records already read are kept and the rest of the file becomes one
  error record that names the file and the limit.

Time (`max_seconds`, 60 s): where records are cleaned (`clean --jsonl` and its worker
processes, `filterkit.batch`, the Ray and datatrove adapters), a document whose reading,
or whose scoring, takes longer is abandoned and becomes an error record. Of the 1,497
pages of WCXB's development split the slowest took 12 s to read and 3.5 s to score (on
two busy cores): 60 s is five times that. A page within every size limit can still
take long (95,000 divs nested 500 deep: 18 s to read): this limit bounds it. A document
is interrupted with a timer signal, so only in a process's main thread (each
worker's is); a direct `Filter.classify` call is never interrupted: it runs in its
caller's thread, and the caller's signals are its own.
"""
from __future__ import annotations

import signal
import threading
from dataclasses import dataclass, fields
from typing import Callable, TypeVar

from .errors import InputTooLargeError

MiB = 1024 * 1024
GiB = 1024 * MiB
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """The most one document may hold; `Filter(limits=Limits(max_paragraphs=200_000))`."""

    max_document_bytes: int = 16 * MiB
    max_paragraphs: int = 50_000
    max_html_elements: int = 100_000
    max_html_depth: int = 512
    max_record_bytes: int = 64 * MiB
    max_decompressed_bytes: int = 16 * GiB
    max_seconds: float = 60.0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            kinds = (int, float) if isinstance(field.default, float) else int
            valid = isinstance(value, kinds) and not isinstance(value, bool) and 0 < value < float("inf")
            if not valid:
                raise ValueError(f"{field.name} must be a positive {'integer' if kinds is int else 'number'}"
                                 f", got {value!r}")

    def check(self, limit: str, value: int, found: str) -> None:
        """Raise `InputTooLargeError` when `value` is over the limit named `limit`;
        `found` says what was found, in words."""
        maximum = getattr(self, limit)
        if value > maximum:
            raise InputTooLargeError(limit, maximum, found)


DEFAULT_LIMITS = Limits()


class _Expired(BaseException):
    # Not an Exception: the `except Exception` of a parser must not swallow it.
    pass


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def within(seconds: float | None, found: str, function: Callable[..., T], *args) -> T:
    """`function(*args)`, abandoned with `InputTooLargeError` (limit `max_seconds`) once it
    has run `seconds`; `found` says what took too long. Interrupted by a timer signal,
    so only in the main thread: elsewhere, where there are no timer signals, when the
    caller's own timer is running (it is left alone), or when `seconds` is None, it runs
    unbounded. Only Python code is interrupted: a call into C finishes first."""
    if not _can_time() or seconds is None or signal.getitimer(signal.ITIMER_REAL)[0]:
        return function(*args)
    expired = False

    def expire(signum, frame):
        nonlocal expired
        expired = True
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        # Repeats every 0.1 s until stopped, in case one of its exceptions is swallowed.
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
        try:
            result = function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        # The timer's exception can be swallowed on its way out: raised inside a `__del__`
        # or a garbage-collector callback, Python only reports it as unraisable.
        if expired:
            raise _Expired
        return result
    except _Expired:  # also when the signal came just as the timer was being stopped
        raise InputTooLargeError("max_seconds", seconds, f"{found} took longer than {seconds:g} s",
                                 "it was abandoned") from None
    finally:
        signal.signal(signal.SIGALRM, previous)
