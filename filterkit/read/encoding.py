"""Bytes → str for plain text: UTF-8, or UTF-16/32 with a byte-order mark; otherwise,
unless asked to be strict, a damaged UTF-8 text with its bad bytes replaced, or a text in
a legacy encoding (Windows-1252, Shift-JIS, GB2312, KOI8-R...) read in the encoding a
detector guesses, the guess said (`Decoded`). UTF-16 without a byte-order mark and binary
data are refused whatever is asked."""
from __future__ import annotations

import codecs
import contextvars
from dataclasses import dataclass, replace

from ..document import Document
from ..errors import InputError

BYTE_ORDER_MARKS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                    (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def byte_order_mark_codec(data: bytes) -> str | None:
    """The codec a leading byte-order mark names, or None."""
    return next((codec for bom, codec in BYTE_ORDER_MARKS if data.startswith(bom)), None)


@dataclass(frozen=True)
class Decoded:
    """Text bytes as read: the text, the codec that read them, whether that codec was
    guessed (no byte-order mark named it and the bytes are not UTF-8), and how many bytes
    could not be read (each run of them is one U+FFFD in `text`)."""

    text: str
    encoding: str
    guessed: bool = False
    replaced: int = 0

    def noted(self, document: Document) -> Document:
        """`document` with how it was decoded in its metadata: `encoding`, and
        `encoding_guessed` and `replaced_bytes` when they apply."""
        notes = {"encoding": self.encoding}
        if self.guessed:
            notes["encoding_guessed"] = True
        if self.replaced:
            notes["replaced_bytes"] = self.replaced
        return replace(document, metadata={**document.metadata, **notes})


def decode_text(data: bytes, *, strict: bool = False) -> Decoded:
    """Decode text bytes. UTF-8, or the codec a byte-order mark names, when they read
    without error; `strict`: anything else is refused as `decode` refuses it. Otherwise:
    UTF-8 with its bad bytes replaced when it holds more well-formed UTF-8 characters
    than runs of bad bytes (a damaged UTF-8 file, or one cut mid-character), else the
    encoding charset-normalizer detects (Windows-1252 preferred among equally good
    guesses: detectors rank Windows-1250 first on French). UTF-16 without a byte-order
    mark, and binary data, are refused."""
    codec = byte_order_mark_codec(data)
    if codec is None:
        _refuse_utf16_without_mark(data)
    try:
        return Decoded(_decode(data, codec or "utf-8"), codec or "utf-8")
    except InputError:
        if strict:
            raise
    if codec is None:
        _refuse_binary(data)
    text, runs = decoded_with_replacement(data, codec or "utf-8")
    if codec is not None or _mostly_utf8(text, runs, len(data)):
        return Decoded(text, codec or "utf-8", replaced=sum(end - start for start, end in runs))
    guess = detected_encoding(data)
    text, runs = decoded_with_replacement(data, guess)
    return Decoded(text, guess, guessed=True, replaced=sum(end - start for start, end in runs))


def _mostly_utf8(text: str, runs: list[tuple[int, int]], size: int) -> bool:
    """Whether UTF-8 with `runs` of bad bytes is UTF-8 damaged, not another encoding: more
    well-formed non-ASCII characters than bad runs, or bad bytes only at the very end."""
    well_formed = len(text) - len(text.encode("ascii", "ignore")) - len(runs)
    return well_formed >= len(runs) or (len(runs) == 1 and runs[0][1] == size)


_RUNS: contextvars.ContextVar[list] = contextvars.ContextVar("filterkit_replaced_runs")


def _replace_and_count(error: UnicodeDecodeError) -> tuple[str, int]:
    _RUNS.get().append((error.start, error.end))
    return "\ufffd", error.end


codecs.register_error("filterkit-replace-and-count", _replace_and_count)


def decoded_with_replacement(data: bytes, codec: str) -> tuple[str, list[tuple[int, int]]]:
    """`data` decoded as `errors="replace"` decodes it, and the (start, end) byte offsets
    of each run of bytes replaced."""
    runs: list[tuple[int, int]] = []
    token = _RUNS.set(runs)
    try:
        return data.decode(codec, "filterkit-replace-and-count"), runs
    finally:
        _RUNS.reset(token)


# Bytes no text holds, in any ASCII-compatible encoding (tab, line feed, vertical tab, form
# feed, carriage return and escape are text); above this share of the start, data is binary.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
MAX_CONTROL_SHARE = 0.01


def _refuse_binary(data: bytes) -> None:
    sample = data[:_SAMPLE_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls >= 2 and controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError(f"input is binary data, not text: it is not valid UTF-8, and {controls:,} of its "
                         f"first {len(sample):,} bytes are control characters no text holds")


# Among guesses the detector finds equally good, the web's most common legacy encoding.
PREFERRED_GUESS = "cp1252"


def detected_encoding(data: bytes) -> str:
    """The encoding charset-normalizer finds for bytes that are not UTF-8 (Windows-1252
    among equally good guesses); `InputError` when none reads them as text."""
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise InputError("input is not text: it is not valid UTF-8, and no other encoding reads it as text")
    if best.encoding.startswith(("utf_16", "utf_32")):
        raise InputError(f"input is not valid UTF-8, and it reads only as {best.encoding.upper()} without a "
                         "byte-order mark, which is not guessed: convert it to UTF-8 first, or give it a "
                         "byte-order mark")
    ties = [r.encoding for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    return PREFERRED_GUESS if PREFERRED_GUESS in ties else best.encoding


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (or UTF-16/32 with a byte-order mark); refuse anything else:
    `decode_text(data, strict=True)`, as text.

    Plain text carries no charset, and guessing one can be wrong: charset detectors
    read Windows-1252 French as Windows-1250 ('naïve' becomes 'naďve') and UTF-8 cut
    mid-character as Shift-JIS. So strictly, text in another encoding is refused with an
    `InputError` that says how to decode it; HTML bytes are read with the page's own
    charset instead (`filterkit.html.parse_html`). So is UTF-16 without a byte-order
    mark, which Latin-script text makes valid UTF-8 with a NUL between every two letters.
    """
    return decode_text(data, strict=True).text


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
            f"{problem}. With strict encoding, plain text in another encoding is not guessed: "
            "convert it to UTF-8 first (Windows-1252 or Latin-1 on the command line: iconv -f CP1252 -t UTF-8 FILE; "
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

