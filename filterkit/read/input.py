"""Any input → a `Document`: text, HTML, bytes of either, or a Document as it is."""
from __future__ import annotations

from ..document import Document
from ..limits import DEFAULT_LIMITS, Limits
from .encoding import decode_text, encode_utf8
from .html import html_document, looks_like_html, opening_text
from .text import segment_text

INPUT_FORMATS = ("auto", "text", "html")


def to_document(source, format: str = "auto", limits: Limits = DEFAULT_LIMITS, *,
                metadata: bool = True, strict_encoding: bool = False) -> Document:
    """Any supported input (text, HTML, bytes of either, a Document) as a Document.
    `metadata=False`: of an HTML page's metadata, read only the title (`html_document`).

    An input over one of `limits` raises `InputTooLargeError`; its size is checked
    before any decoding or parsing. A Document is returned as it is. Text bytes that are
    not UTF-8 are read in a guessed encoding, or with their bad bytes replaced, and the
    document's metadata says so (`encoding.decode_text`); `strict_encoding`: refused.
    """
    if isinstance(source, Document):
        return source
    if format not in INPUT_FORMATS:
        raise ValueError(f"unknown input format {format!r}; expected one of {INPUT_FORMATS}")
    if isinstance(source, (bytes, bytearray)):
        source = bytes(source)
        limits.check("max_document_bytes", len(source), f"the input is {len(source):,} bytes")
        if format == "html" or (format == "auto" and looks_like_html(opening_text(source))):
            return html_document(source, limits, metadata=metadata)
        decoded = decode_text(source, strict=strict_encoding)
        return decoded.noted(_text_document(decoded.text, format, limits, metadata))
    if not isinstance(source, str):
        raise TypeError(f"expected text, HTML, bytes or a Document, not {type(source).__name__}")
    _check_text(source, limits)
    return _text_document(source, format, limits, metadata)


def _text_document(source: str, format: str, limits: Limits, metadata: bool) -> Document:
    if format == "html" or (format == "auto" and looks_like_html(source)):
        return html_document(source, limits, metadata=metadata)
    return segment_text(source, limits=limits)


def _check_text(text: str, limits: Limits) -> None:
    """Refuse text over `max_document_bytes` (in UTF-8) or that no UTF-8 file could hold."""
    # Each character is at least one byte: a text with too many is refused unencoded.
    limits.check("max_document_bytes", len(text), f"the input is {len(text):,} characters (at least as many bytes)")
    size = len(encode_utf8(text))
    limits.check("max_document_bytes", size, f"the input is {size:,} bytes as UTF-8")

