"""How large one document may be, so that no single input can take a run's time or memory.

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
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from .errors import InputTooLargeError

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The most one document may hold; `Filter(limits=Limits(max_paragraphs=200_000))`."""

    max_document_bytes: int = 16 * MiB
    max_paragraphs: int = 50_000
    max_html_elements: int = 100_000
    max_html_depth: int = 512

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{field.name} must be a positive integer, got {value!r}")

    def check(self, limit: str, value: int, found: str) -> None:
        """Raise `InputTooLargeError` when `value` is over the limit named `limit`;
        `found` says what was found, in words."""
        maximum = getattr(self, limit)
        if value > maximum:
            raise InputTooLargeError(limit, maximum, found)


DEFAULT_LIMITS = Limits()
