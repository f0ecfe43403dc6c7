"""Coverage-guided fuzzing of filterkit's input stage with atheris (libFuzzer for Python).

Not part of the test suite (pytest collects test_*.py only) and not run in CI: run it by
hand for a few minutes after changing segment.py, html.py or limits.py, and turn what it
finds into regression tests in tests/test_robustness.py.

    pip install atheris
    python tests/fuzz/fuzz_segmenters.py -max_total_time=600 -dict=tests/fuzz/html.dict
    FILTERKIT_FUZZ_INSTRUMENT=filterkit,trafilatura python tests/fuzz/fuzz_segmenters.py ...
    python tests/fuzz/fuzz_segmenters.py crash-1a2b...                 # replay one finding

The first byte of each input picks a target: `decode`, `segment_text`, `to_document` on
bytes or on text (auto, text or HTML), or `parse_html` + `page_blocks`. A target may
raise `InputError` (a defined refusal); any other exception, a broken invariant (text
rewritten, a NUL from HTML), a run over -timeout seconds or over -rss_limit_mb is a
finding. Small limits keep each run fast and exercise the refusals. Seed inputs are
written to the corpus directory (default: $TMPDIR/filterkit-fuzz) on the first run;
other libFuzzer options pass through (-runs=N, -jobs=N, -dict=FILE, ...).
"""
from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

import atheris

# Coverage is measured in these packages; adding trafilatura (FILTERKIT_FUZZ_INSTRUMENT=
# filterkit,trafilatura) steers inputs into its extraction, at a quarter of the speed.
INSTRUMENTED = os.environ.get("FILTERKIT_FUZZ_INSTRUMENT", "filterkit").split(",")

with atheris.instrument_imports(include=INSTRUMENTED):
    for package in INSTRUMENTED:  # trafilatura is otherwise imported on first use, uninstrumented
        importlib.import_module(package)
    from filterkit.errors import InputError
    from filterkit.limits import Limits
    from filterkit.read import INPUT_FORMATS, to_document
    from filterkit.read.encoding import decode
    from filterkit.read.html import looks_like_html, page_blocks, parse_html
    from filterkit.read.text import SEGMENT_MODES, segment_text

LIMITS = Limits(max_document_bytes=256 * 1024, max_paragraphs=2_000, max_html_elements=5_000,
                max_html_depth=100)
TARGETS = ("decode", "segment_text", "to_document bytes", "to_document str", "parse_html bytes",
           "parse_html str")
MAX_LEN = 64 * 1024


def check_segments(text: str, paragraphs) -> None:
    """The segmenter's promise: paragraphs are slices of the input, in order, and nothing
    but whitespace is dropped (tests/test_segment.py states the same as a property)."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for i, paragraph in enumerate(paragraphs):
        assert paragraph.index == i, (paragraph, i)
        assert paragraph.text in normalised, paragraph
        lines = paragraph.text.split("\n")
        assert lines[0].strip() and lines[-1].strip(), paragraph
    assert "".join("".join(p.text for p in paragraphs).split()) == "".join(normalised.split())


def check_blocks(blocks: list[str]) -> None:
    for block in blocks:
        assert block and block == block.strip() and "\x00" not in block, block


def as_text(payload: bytes, exotic: bool) -> str:
    """UTF-8 text (invalid bytes as lone surrogates), or any code points at all."""
    if exotic:
        return atheris.FuzzedDataProvider(payload).ConsumeUnicode(len(payload))
    return payload.decode("utf-8", "surrogateescape")


def one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    # Byte 0: the target; byte 1: the mode or format, and how text is made of the rest.
    target = TARGETS[data[0] % len(TARGETS)]
    choice, exotic = data[1] % 3, bool(data[1] & 0x80)
    payload = data[2:]
    try:
        if target == "decode":
            decode(payload)
        elif target == "segment_text":
            text = as_text(payload, exotic)
            check_segments(text, segment_text(text, SEGMENT_MODES[choice]).paragraphs)
        elif target == "to_document bytes":
            to_document(payload, INPUT_FORMATS[choice], LIMITS)
        elif target == "to_document str":
            text = as_text(payload, exotic)
            document = to_document(text, INPUT_FORMATS[choice], LIMITS)
            if document.source_format == "text":
                check_segments(text, document.paragraphs)
            else:
                assert INPUT_FORMATS[choice] == "html" or looks_like_html(text)
                assert not any("\x00" in p.text for p in document.paragraphs)
        else:
            markup = payload if target.endswith("bytes") else as_text(payload, exotic)
            check_blocks(page_blocks(parse_html(markup)))
    except InputError:
        pass


SEEDS = {
    "text": "Headline\nBy Jane Doe | 3 May 2025\nThe council voted on Tuesday.\n\nLeave a Reply\n",
    "wrapped": "Dear readers,\n\nThis week the council voted to extend the\ntram line to the new hospital.\n\n"
               "Residents will be consulted\nin two meetings.\n",
    "crlf": "One\r\nTwo\r\n\r\n  \r\nThree\rFour",
    "page": "<!DOCTYPE html><html><head><meta charset='utf-8'><title>T</title><style>p{}</style>"
            "</head><body><nav><a href='/'>Home</a></nav><article><h1>Head</h1><p>Body <b>text</b>."
            "</p><ul><li>one</li></ul></article><div hidden>x</div><footer>(c) 2025</footer></body></html>",
    "nested": "<div>" * 120 + "<p>deep</p>" + "</div>" * 120,
    "script": "<script>var a = '<p>not text</p>';</script><style>p { color: red }</style>",
    "nul": "<p>a\x00b</p>\x00<div>c</div>",
    "charset": "<html><head><meta charset='windows-1252'></head><body><p>Caf\u00e9</p></body></html>",
}


def write_seeds(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for name, text in SEEDS.items():
        utf8 = text.encode("utf-8")
        for target, choice, encoded in ((0, 0, text.encode("cp1252", "replace")), (1, 0, utf8), (1, 2, utf8),
                                        (2, 0, utf8), (2, 0, b"\xff\xfe" + text.encode("utf-16-le")),
                                        (3, 0, utf8), (3, 1, utf8), (4, 0, text.encode("cp1252", "replace")),
                                        (5, 0, utf8)):
            (corpus / f"{name}-{target}-{choice}-{len(encoded)}").write_bytes(bytes([target, choice]) + encoded)


def main() -> None:
    args = sys.argv[1:]
    if not any(not a.startswith("-") for a in args):  # no corpus dir or crash file given
        corpus = Path(os.environ.get("FILTERKIT_FUZZ_CORPUS", Path(tempfile.gettempdir()) / "filterkit-fuzz"))
        write_seeds(corpus)
        args.append(str(corpus))
    defaults = [f"-max_len={MAX_LEN}", "-timeout=20", "-rss_limit_mb=2048"]
    given = {a.split("=")[0] for a in args}
    atheris.Setup([sys.argv[0], *[d for d in defaults if d.split("=")[0] not in given], *args], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
