"""Input → paragraphs: turn plain text into a `Document`.

The segmenter never rewrites text: every paragraph is a slice of the input once line
terminators are `\\n` and the characters no reader sees are gone (`invisible`), so the
cleaner can only keep or drop what it was given. A hard-wrapped paragraph is the slice
of its lines, inner newlines and all: its lines come out as they came in, never rewrapped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterator, NamedTuple

from ..document import Document, Paragraph
from ..limits import Limits
from .invisible import without_invisible_characters

SEGMENT_MODES = ("auto", "line", "block")
# A line with text: a line holding a non-whitespace character (`[^\S\n]` is whitespace
# but a newline). Lines are found without splitting the text, so that millions of empty
# lines cost no memory: text.split("\n") and a regex over runs of blank lines took
# gigabytes for 16 MB of newlines.
_LINE_WITH_TEXT = re.compile(r"^[^\S\n]*\S.*", re.M)

# Hard-wrapped text (e-mail, plain-text dumps, `fold`) breaks a line where its next word
# would pass a column limit. A line *reaches* a limit of W columns, the next line coming
# right after it, when both are no longer than W, it is longer than W/2, and the next
# line's first word would not have fit on it after a space. Where a paragraph ends, a
# line need not reach the limit: after a heading (a line most of whose words are
# capitalised) or a sentence's end before a capital, and before a list item. Text is
# hard-wrapped at a limit W between these bounds ...
MIN_COLUMNS = 40
MAX_COLUMNS = 150
# ... when at least MIN_WRAPPED_LINES lines reach W and they are most of the lines that
# count against it (longer than W, or than W/2 where no paragraph ends) ...
WRAPPED_SHARE = 0.7
MIN_WRAPPED_LINES = 3
# ... or when every line followed by another reaches W or ends a paragraph within it,
# and one that does not end a sentence reaches W: the output of cleaning a wrapped text
# may hold a single paragraph of two lines, and it must read back as that paragraph.
HEADING_CAPITALS = 2 / 3
# Columns are counted in characters, or in UTF-8 bytes as `fold` counts them.
MEASURES = ("chars", "bytes")
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u2019\u201d\u00bb)\]]*$")
_STARTS_SENTENCE = re.compile(r"[\"'\u2018\u201c\u00ab(\[]*([^\W\d_])")
_STARTS_LIST_ITEM = re.compile(r"(?:[-*\u2022\u2013]|\d{1,3}[.)])\s")
_WORD_INITIAL = re.compile(r"(?<!\S)[^\w\s]*([^\W\d_])")


class _Line(NamedTuple):
    start: int
    end: int
    chars: int  # its length without trailing whitespace
    bytes: int  # the same in UTF-8
    first_word: int  # the length of its first word, in characters
    first_word_bytes: int
    follows: bool  # whether it comes right after the line before, no blank line between
    ends_sentence: bool
    starts_sentence: bool  # with a capital letter
    starts_list_item: bool
    heading: bool


class _Wrapping(NamedTuple):
    measure: str  # one of MEASURES
    limit: int
    # Whether a sentence's end before a capital ends a paragraph: only where some do not
    # reach the limit, paragraphs separated by a single newline.
    sentences_end_paragraphs: bool


@dataclass(frozen=True)
class _Layout:
    lines: int
    blocks: int
    wrapping: _Wrapping | None  # where the text is hard-wrapped; None: it is not


def segment_text(text: str, mode: str = "auto", limits: Limits | None = None) -> Document:
    """Split plain text into paragraphs.

    `line`: each non-empty line is a paragraph (scraper output).
    `block`: blank-line separated blocks are paragraphs; their inner newlines are kept.
    `auto`: each line is a paragraph, unless the text is hard-wrapped at a column limit
    (`_layout`): then a paragraph is a run of lines that each reach the limit, and the
    line that ends it, its inner newlines kept.
    `limits`: refuse a text of more than `limits.max_paragraphs` paragraphs, counted
    before any paragraph is made. NUL and other control characters are text like any
    other: they are kept.
    """
    if mode not in SEGMENT_MODES:
        raise ValueError(f"unknown segmentation mode {mode!r}; expected one of {SEGMENT_MODES}")
    text = without_invisible_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
    layout = _layout(text) if mode == "auto" or limits is not None else None
    if mode == "auto":
        mode = "line" if layout.wrapping is None else "wrapped"
    if limits is not None:
        count = _paragraph_count(text, mode, layout)
        limits.check("max_paragraphs", count, f"the document has {count:,} paragraphs")
    if mode == "line":
        kept = _LINE_WITH_TEXT.findall(text)
    else:
        kept = [text[start:end] for start, end in _spans(text, mode, layout)]
    return Document(tuple(Paragraph(t, i) for i, t in enumerate(kept)), source_format="text")


def _spans(text: str, mode: str, layout: _Layout | None) -> Iterator[tuple[int, int]]:
    """Where each paragraph is, in `block` or (hard-)`wrapped` mode."""
    return _wrapped_paragraphs(text, layout.wrapping) if mode == "wrapped" else _blocks(text)


def _paragraph_count(text: str, mode: str, layout: _Layout) -> int:
    if mode == "wrapped":
        return sum(1 for _ in _spans(text, mode, layout))
    return layout.blocks if mode == "block" else layout.lines


def _lines(text: str) -> Iterator[_Line]:
    end = -2
    for match in _LINE_WITH_TEXT.finditer(text):
        line = match.group().rstrip()
        words = line.lstrip()
        first_word = words.split(None, 1)[0]
        ends_sentence = bool(_ENDS_SENTENCE.search(line))
        yield _Line(match.start(), match.end(), len(line), _utf8_length(line), len(first_word),
                    _utf8_length(first_word), match.start() == end + 1, ends_sentence,
                    _starts_sentence(words), bool(_STARTS_LIST_ITEM.match(words)),
                    not ends_sentence and _mostly_capitalised(words))
        end = match.end()


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _starts_sentence(words: str) -> bool:
    """Whether the first letter, past opening quotes and brackets, is a capital."""
    first = _STARTS_SENTENCE.match(words)
    return first is not None and first.group(1).isupper()


def _mostly_capitalised(words: str) -> bool:
    initials = _WORD_INITIAL.findall(words)
    return len(initials) > 1 and sum(map(str.isupper, initials)) >= HEADING_CAPITALS * len(initials)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Where each block is: a run of lines with text, between blank lines."""
    start = end = -1
    for line in _lines(text):
        if not line.follows and end >= 0:
            yield start, end
            start = -1
        start = line.start if start < 0 else start
        end = line.end
    if end >= 0:
        yield start, end


def _wrapped_paragraphs(text: str, wrapping: _Wrapping) -> Iterator[tuple[int, int]]:
    """Where each paragraph of hard-wrapped text is: a run of lines that reach the limit,
    and the line after the last of them. A run whose every line ends a sentence is lines
    of their own: lines of sentences as long as the limit are no sign of wrapping."""
    run: list[_Line] = []
    wrapped = False
    for line in _lines(text):
        if run and _continues(run[-1], line, wrapping):
            wrapped = wrapped or not _ends_sentence_before(run[-1], line)
        else:
            yield from _paragraphs_of(run, wrapped)
            run, wrapped = [], False
        run.append(line)
    yield from _paragraphs_of(run, wrapped)


def _paragraphs_of(run: list[_Line], wrapped: bool) -> Iterator[tuple[int, int]]:
    if wrapped:
        yield run[0].start, run[-1].end
    else:
        yield from ((line.start, line.end) for line in run)


def _continues(line: _Line, following: _Line, wrapping: _Wrapping) -> bool:
    """Whether `following` is the next line of `line`'s paragraph."""
    if _breaks(line, following) or (wrapping.sentences_end_paragraphs and _ends_sentence_before(line, following)):
        return False
    reach = _reach(line, following, wrapping.measure)
    return reach is not None and reach[0] <= wrapping.limit <= reach[1]


def _breaks(line: _Line, following: _Line) -> bool:
    """Whether a paragraph ends between the two lines whatever the limit: a blank line,
    a heading before a capital, a list item next."""
    heading = line.heading and following.starts_sentence
    return not following.follows or heading or following.starts_list_item


def _ends_sentence_before(line: _Line, following: _Line) -> bool:
    return line.ends_sentence and following.starts_sentence


def _reach(line: _Line, following: _Line, measure: str) -> tuple[int, int] | None:
    """The column limits (lowest, highest) that `line` reaches, `following` after it,
    counted in `measure`; None when it reaches none."""
    length, next_length = (line.chars, following.chars) if measure == "chars" else (line.bytes, following.bytes)
    next_word = following.first_word if measure == "chars" else following.first_word_bytes
    # `fold -s` leaves the space it broke at on the line, so its wrapped lines end a
    # column short of the limit that the next line, ending its paragraph, may reach.
    lowest = max(length, next_length - 1, MIN_COLUMNS)
    highest = min(length + next_word, 2 * length - 1, MAX_COLUMNS)
    return (lowest, highest) if lowest <= highest else None


def _layout(text: str) -> _Layout:
    """Lines with text, blocks, and where the text is hard-wrapped, if it is."""
    lines = blocks = 0
    counts = {measure: _LimitCounts(measure) for measure in MEASURES}
    previous = None
    for line in _lines(text):
        lines += 1
        blocks += not line.follows
        if previous is not None and line.follows:
            for counted in counts.values():
                counted.add(previous, line)
        previous = line
    # The measure more lines reach their limit in; on a tie, characters (MEASURES' order).
    found = [counted.wrapping() for counted in counts.values()]
    wrappings = [(hits, wrapping) for hits, wrapping in found if wrapping is not None]
    return _Layout(lines, blocks, max(wrappings, key=lambda found: found[0])[1] if wrappings else None)


class _LimitCounts:
    """For each column limit, in one measure, how many lines followed by another reach
    it, count against it, or end a paragraph within it. Each line adds to a range of
    limits, kept as where the range starts and ends: one pass, no text kept."""

    def __init__(self, measure: str) -> None:
        self.measure = measure
        size = MAX_COLUMNS + 2
        self.reaching = [0] * size
        self.sentence_ends_reaching = [0] * size
        self.against = [0] * size
        self.ends_within = [0] * size  # paragraph ends no longer than the limit
        self.followed = 0
        self.sentence_ends = 0

    def add(self, line: _Line, following: _Line) -> None:
        """Count `line`, which `following` comes right after."""
        self.followed += 1
        length = line.chars if self.measure == "chars" else line.bytes
        ends_sentence = _ends_sentence_before(line, following)
        breaks = _breaks(line, following)
        reach = None if breaks else _reach(line, following, self.measure)
        if breaks or ends_sentence:
            # A paragraph's end counts against the limits it passes, and no others.
            _count_range(self.against, MIN_COLUMNS, min(length - 1, MAX_COLUMNS))
            _count_range(self.ends_within, max(length, MIN_COLUMNS), MAX_COLUMNS)
        else:
            _count_range(self.against, MIN_COLUMNS, min(2 * length - 1, MAX_COLUMNS))
            if reach is not None:
                _count_range(self.against, *reach, step=-1)
        if reach is not None:
            _count_range(self.reaching, *reach)
        if ends_sentence:
            self.sentence_ends += 1
            if reach is not None:
                _count_range(self.sentence_ends_reaching, *reach)

    def wrapping(self) -> tuple[int, _Wrapping | None]:
        """How many lines reach the limit most lines reach (the widest of equals), and
        where the text is wrapped, if it is wrapped at that limit."""
        reaching = list(accumulate(self.reaching))
        limit = max(range(MIN_COLUMNS, MAX_COLUMNS + 1), key=lambda w: (reaching[w], w))
        hits, against, ends_within, sentence_ends_reaching = (
            _count_at(counts, limit)
            for counts in (self.reaching, self.against, self.ends_within, self.sentence_ends_reaching))
        # Lines that end a sentence and reach the limit say little: scraped sentences do.
        wrapped_lines = hits - sentence_ends_reaching
        most = wrapped_lines >= MIN_WRAPPED_LINES and wrapped_lines >= WRAPPED_SHARE * (wrapped_lines + against)
        every = wrapped_lines and hits + ends_within - sentence_ends_reaching == self.followed
        if not hits or not (most or every):
            return hits, None
        return hits, _Wrapping(self.measure, limit, sentence_ends_reaching < self.sentence_ends)


def _count_range(starts_and_ends: list[int], lowest: int, highest: int, step: int = 1) -> None:
    if lowest <= highest:
        starts_and_ends[lowest] += step
        starts_and_ends[highest + 1] -= step


def _count_at(starts_and_ends: list[int], limit: int) -> int:
    return sum(starts_and_ends[:limit + 1])
