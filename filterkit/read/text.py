"""Input → paragraphs: turn plain text into a `Document`.

The segmenter never rewrites text: every paragraph is a slice of the input (line
terminators aside), so the cleaner can only keep or drop what it was given.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..document import Document, Paragraph
from ..limits import Limits

SEGMENT_MODES = ("auto", "line", "block")
# A line with text: a line holding a non-whitespace character (`[^\S\n]` is whitespace
# but a newline). Lines are found without splitting the text, so that millions of empty
# lines cost no memory: text.split("\n") and a regex over runs of blank lines took
# gigabytes for 16 MB of newlines.
_LINE_WITH_TEXT = re.compile(r"^[^\S\n]*\S.*", re.M)
# A block of several lines this short on average looks hard-wrapped (e-mail, plain-text
# dumps): its lines belong to one paragraph. Scraped text keeps a paragraph per line.
_WRAPPED_LINE_CHARS = 100


def segment_text(text: str, mode: str = "auto", limits: Limits | None = None) -> Document:
    """Split plain text into paragraphs.

    `line`: each non-empty line is a paragraph (scraper output).
    `block`: blank-line separated blocks are paragraphs; their inner newlines are kept.
    `auto`: `block` when the text looks hard-wrapped, otherwise `line`.
    `limits`: refuse a text of more than `limits.max_paragraphs` paragraphs, counted
    before any paragraph is made. NUL and other control characters are text like any
    other: they are kept.
    """
    if mode not in SEGMENT_MODES:
        raise ValueError(f"unknown segmentation mode {mode!r}; expected one of {SEGMENT_MODES}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if mode == "auto" or limits is not None:
        lines, blocks, hard_wrapped = _layout(text)
        if mode == "auto":
            mode = "block" if hard_wrapped else "line"
        if limits is not None:
            count = blocks if mode == "block" else lines
            limits.check("max_paragraphs", count, f"the document has {count:,} paragraphs")
    if mode == "block":
        kept = [text[start:end] for start, end in _blocks(text)]
    else:
        kept = _LINE_WITH_TEXT.findall(text)
    return Document(tuple(Paragraph(t, i) for i, t in enumerate(kept)), source_format="text")


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Where each block is: a run of lines with text, between blank lines."""
    start = end = -2
    for line in _LINE_WITH_TEXT.finditer(text):
        if line.start() != end + 1:  # not the next line: a blank line came between
            if end >= 0:
                yield start, end
            start = line.start()
        end = line.end()
    if end >= 0:
        yield start, end


def _layout(text: str) -> tuple[int, int, bool]:
    """Lines with text, blocks, and whether the text looks hard-wrapped (two blocks or
    more, a third of them of several lines, whose lines have a median length under
    `_WRAPPED_LINE_CHARS`), in one pass that copies no text."""
    lines = blocks = multi_line = run = first_length = 0
    end = -2
    # How many lines of multi-line blocks have each length, capped at twice the bound:
    # capping leaves the median on the same side of the bound.
    lengths = [0] * (2 * _WRAPPED_LINE_CHARS + 1)
    for line in _LINE_WITH_TEXT.finditer(text):
        length = min(line.end() - line.start(), 2 * _WRAPPED_LINE_CHARS)
        if line.start() != end + 1:
            blocks += 1
            run = 0
        run += 1
        if run == 1:
            first_length = length
        else:
            if run == 2:
                multi_line += 1
                lengths[first_length] += 1
            lengths[length] += 1
        lines += 1
        end = line.end()
    hard_wrapped = blocks >= 2 and multi_line * 3 >= blocks and _median(lengths) < _WRAPPED_LINE_CHARS
    return lines, blocks, hard_wrapped


def _median(counts: list[int]) -> float:
    """The median of values given as how many times each occurs (`counts[value]`)."""
    def value_at(rank: int) -> int:
        for value, count in enumerate(counts):
            rank -= count
            if rank < 0:
                return value
        raise ValueError("rank beyond the counts")

    total = sum(counts)
    return (value_at((total - 1) // 2) + value_at(total // 2)) / 2


