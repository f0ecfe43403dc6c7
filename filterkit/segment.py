"""Input → paragraphs: turn plain text into a `Document`.

The segmenter never rewrites text: every paragraph is a slice of the input (line
terminators aside), so the cleaner can only keep or drop what it was given.
"""
from __future__ import annotations

import re
from statistics import median

from .document import Document, Paragraph
from .errors import InputError

SEGMENT_MODES = ("auto", "line", "block")
# One or more blank (empty or whitespace-only) lines; `[^\S\n]` is whitespace but a newline.
_BLANK_LINE = re.compile(r"\n(?:[^\S\n]*\n)+")
_EDGE_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+|(?:\n[^\S\n]*)+\Z")
# A block of several lines this short on average looks hard-wrapped (e-mail, plain-text
# dumps): its lines belong to one paragraph. Scraped text keeps a paragraph per line.
_WRAPPED_LINE_CHARS = 100


def segment_text(text: str, mode: str = "auto") -> Document:
    """Split plain text into paragraphs.

    `line`: each non-empty line is a paragraph (scraper output).
    `block`: blank-line separated blocks are paragraphs; their inner newlines are kept.
    `auto`: `block` when the text looks hard-wrapped, otherwise `line`.
    """
    if mode not in SEGMENT_MODES:
        raise ValueError(f"unknown segmentation mode {mode!r}; expected one of {SEGMENT_MODES}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if mode == "auto":
        mode = "block" if _looks_hard_wrapped(text) else "line"
    pieces = _blocks(text) if mode == "block" else text.split("\n")
    kept = [p for p in pieces if p.strip()]
    return Document(tuple(Paragraph(t, i) for i, t in enumerate(kept)), source_format="text")


def _blocks(text: str) -> list[str]:
    return [_EDGE_BLANK_LINES.sub("", b) for b in _BLANK_LINE.split(text)]


def _looks_hard_wrapped(text: str) -> bool:
    blocks = [b for b in _blocks(text) if b.strip()]
    multi_line = [b for b in blocks if "\n" in b]
    if len(blocks) < 2 or len(multi_line) * 3 < len(blocks):
        return False
    line_lengths = [len(line) for b in multi_line for line in b.split("\n") if line.strip()]
    return median(line_lengths) < _WRAPPED_LINE_CHARS


INPUT_FORMATS = ("auto", "text", "html")


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (or UTF-16/32 with a byte-order mark); refuse anything else."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                       (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _decode(data, codec)
    return _decode(data, "utf-8")


def _decode(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input is not valid {codec.upper()} (byte {exc.start}: {data[exc.start:exc.start + 4]!r}); "
            "decode it first or pass HTML, whose charset is read from the page"
        ) from exc


def to_document(source, format: str = "auto") -> Document:
    """Any supported input (text, HTML, bytes of either, a Document) as a Document."""
    if isinstance(source, Document):
        return source
    if format not in INPUT_FORMATS:
        raise ValueError(f"unknown input format {format!r}; expected one of {INPUT_FORMATS}")
    from .html import html_document, looks_like_html

    if isinstance(source, (bytes, bytearray)):
        source = bytes(source)
        if format == "html" or (format == "auto" and looks_like_html(source[:2000].decode("latin-1"))):
            return html_document(source)
        source = decode(source)
    if not isinstance(source, str):
        raise TypeError(f"expected text, HTML, bytes or a Document, not {type(source).__name__}")
    if format == "html" or (format == "auto" and looks_like_html(source)):
        return html_document(source)
    return segment_text(source)
