"""Input → paragraphs: turn plain text into a `Document`.

The segmenter never rewrites text: every paragraph is a slice of the input (line
terminators aside), so the cleaner can only keep or drop what it was given.
"""
from __future__ import annotations

import re
from typing import Iterator

from .document import Document, Paragraph
from .errors import InputError
from .limits import DEFAULT_LIMITS, Limits

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


INPUT_FORMATS = ("auto", "text", "html")


BYTE_ORDER_MARKS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                    (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def byte_order_mark_codec(data: bytes) -> str | None:
    """The codec a leading byte-order mark names, or None."""
    return next((codec for bom, codec in BYTE_ORDER_MARKS if data.startswith(bom)), None)


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (or UTF-16/32 with a byte-order mark); refuse anything else.

    Plain text carries no charset, and guessing one is often wrong: charset detectors
    read Windows-1252 French as Windows-1250 ('naïve' becomes 'naďve') and UTF-8 cut
    mid-character as Shift-JIS. So text in another encoding is refused with an
    `InputError` that says how to decode it, never turned into mojibake; HTML bytes are
    read with the page's own charset instead (`filterkit.html.parse_html`).
    """
    return _decode(data, byte_order_mark_codec(data) or "utf-8")


def _decode(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        name = codec.upper().removesuffix("-SIG")
        if exc.end == len(data) and exc.reason in ("unexpected end of data", "truncated data"):
            problem = f"input ends in the middle of a {name} character (byte {exc.start:,}): it was cut short"
        else:
            problem = f"input is not valid {name} (byte {exc.start:,}: {data[exc.start:exc.start + 4]!r})"
        raise InputError(
            f"{problem}. Plain text in another encoding is not guessed: decode it first "
            "(Windows-1252 or Latin-1: data.decode('cp1252')) and pass the str, or pass "
            "HTML, whose charset is read from the page"
        ) from exc


def to_document(source, format: str = "auto", limits: Limits = DEFAULT_LIMITS, *,
                metadata: bool = True) -> Document:
    """Any supported input (text, HTML, bytes of either, a Document) as a Document.
    `metadata=False`: of an HTML page's metadata, read only the title (`html_document`).

    An input over one of `limits` raises `InputTooLargeError`; its size is checked
    before any decoding or parsing. A Document is returned as it is.
    """
    if isinstance(source, Document):
        return source
    if format not in INPUT_FORMATS:
        raise ValueError(f"unknown input format {format!r}; expected one of {INPUT_FORMATS}")
    from .html import html_document, looks_like_html

    if isinstance(source, (bytes, bytearray)):
        source = bytes(source)
        limits.check("max_document_bytes", len(source), f"the input is {len(source):,} bytes")
        if format == "html" or (format == "auto" and looks_like_html(source[:2000].decode("latin-1"))):
            return html_document(source, limits, metadata=metadata)
        source = decode(source)
    elif isinstance(source, str):
        _check_text(source, limits)
    else:
        raise TypeError(f"expected text, HTML, bytes or a Document, not {type(source).__name__}")
    if format == "html" or (format == "auto" and looks_like_html(source)):
        return html_document(source, limits, metadata=metadata)
    return segment_text(source, limits=limits)


def _check_text(text: str, limits: Limits) -> None:
    """Refuse text over `max_document_bytes` (in UTF-8) or that no UTF-8 file could hold."""
    # Each character is at least one byte: a text with too many is refused unencoded.
    limits.check("max_document_bytes", len(text), f"the input is {len(text):,} characters (at least as many bytes)")
    size = len(encode_utf8(text))
    limits.check("max_document_bytes", size, f"the input is {size:,} bytes as UTF-8")


def encode_utf8(text: str) -> bytes:
    """`text` as UTF-8; `InputError` for a lone surrogate, which no UTF-8 file can hold."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"the text is not valid Unicode: character {exc.start:,} is {text[exc.start]!r}, half of "
            "a UTF-16 surrogate pair (was it cut mid-character or decoded with surrogateescape?)"
        ) from exc
