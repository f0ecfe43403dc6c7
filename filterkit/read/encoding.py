"""Bytes → str for plain text: UTF-8, or UTF-16/32 with a byte-order mark; nothing guessed."""
from __future__ import annotations

from ..errors import InputError

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
    read with the page's own charset instead (`filterkit.html.parse_html`). So is UTF-16
    without a byte-order mark, which Latin-script text makes valid UTF-8 with a NUL
    between every two letters.
    """
    codec = byte_order_mark_codec(data)
    if codec is None:
        _refuse_utf16_without_mark(data)
    return _decode(data, codec or "utf-8")


# Looked at for UTF-16 without a byte-order mark: the start of the input.
_SAMPLE_BYTES = 4096


def _refuse_utf16_without_mark(data: bytes) -> None:
    """Refuse text that looks like UTF-16 without a byte-order mark: NUL bytes at most odd
    offsets (little-endian; even offsets for big-endian) and hardly any at the others, as
    Latin-script text is. It is often valid UTF-8 too, and would be cleaned as text
    with a NUL between every two letters."""
    sample = data[:_SAMPLE_BYTES]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    for name, nuls, others in (("UTF-16LE", odd, even), ("UTF-16BE", even, odd)):
        if nuls >= 4 and nuls * 2 >= pairs and others * 8 <= nuls:
            raise InputError(
                f"input looks like {name} without a byte-order mark (a NUL byte in every other "
                f"position, {nuls:,} of the first {pairs:,} characters): convert it to UTF-8 first "
                f"(on the command line: iconv -f {name} -t UTF-8 FILE; in Python: "
                f"data.decode('{name.lower()}')), or give it a byte-order mark"
            )


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
            f"{problem}. Plain text in another encoding is not guessed: convert it to UTF-8 "
            "first (Windows-1252 or Latin-1 on the command line: iconv -f CP1252 -t UTF-8 FILE; "
            "in Python: data.decode('cp1252'), and pass the str), or pass HTML, whose charset "
            "is read from the page"
        ) from exc


def encode_utf8(text: str) -> bytes:
    """`text` as UTF-8; `InputError` for a lone surrogate, which no UTF-8 file can hold."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"the text is not valid Unicode: character {exc.start:,} is {text[exc.start]!r}, half of "
            "a UTF-16 surrogate pair (was it cut mid-character or decoded with surrogateescape?)"
        ) from exc

