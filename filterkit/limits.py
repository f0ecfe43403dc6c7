"""How large one document (and one input file) may be, and how long one document may
take, so that no single input can take a run's time or memory.

An input over a limit is refused whole with `InputTooLargeError`, which names the limit
and how to raise it; it is never cut short. `within` bounds a document's time where
records are cleaned; a direct `Filter.classify` call is never interrupted. Why each
default is what it is: docs/limits.md.
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
    running = True

    def expire(signum, frame):
        nonlocal expired
        expired = True
        # Only while `function` runs: raised in the clean-up below, it would skip stopping
        # the timer, whose next signal, once the previous handler is back, ends the process.
        if running:
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        try:
            # Repeats every 0.1 s until stopped, in case one of its exceptions is swallowed.
            # Started inside the try: a short time can be up before setitimer returns.
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
            result = function(*args)
        finally:
            running = False  # first: no signal handler runs before this line
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
