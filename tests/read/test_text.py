"""segment_text: plain text → paragraphs, never rewriting the text."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filterkit.read.text import SEGMENT_MODES, segment_text

# Scraper output: one paragraph per line, no blank lines (like seeds 000-002).
SCRAPED_LINES = """\
Hamas says talks are pointless as Israel plans to expand Gaza operation
Published 6 May 2025 | Updated 7 May 2025
A senior Hamas official has declared an end to negotiations over a Gaza ceasefire and hostage release, following Israel's approval of an expanded military campaign.
Bassem Naim, speaking to the BBC, said there was "no point" in engaging with new proposals while Israel continued what he described as a "starvation war".
Share this article
Related: Troops to stay in Gaza, Lebanon, Syria indefinitely, says Israeli minister
"""

# Scraper output with a blank line after every line (like seeds 003-004): long
# paragraphs and short chrome lines alike, each its own paragraph.
SCRAPED_BLANK_SEPARATED = """\
Trump: Israel to Hunt Down Hamas as Ceasefire Talks Stall

Israel has to "get rid" of Hamas - Trump - RT World News

Ceasefire negotiations between Israel and Hamas have reached another impasse, with U.S. President Donald Trump accusing Palestinian militants of resisting peace efforts and vowing Israel would escalate military action. Speaking to reporters on Friday before traveling to Scotland, Trump asserted Hamas "didn't really want to make a deal".

U.S. Special Envoy Steve Witkoff echoed Trump's criticism, alleging Hamas displayed "a lack of desire to reach a ceasefire" and hinting at alternative strategies to secure the release of Israeli hostages.

You can share this story on social media:

Follow RT on Telegram

Back to Top
"""

# Hard-wrapped plain text (an e-mail newsletter): each blank-line block is a paragraph.
HARD_WRAPPED = """\
Dear readers,

This week the city council voted to extend the tram line to the new
hospital. Construction is expected to start in the spring and to take
about eighteen months, according to the transport department.

Residents along the route will be consulted in two public meetings in
March. Details of both meetings, and of the temporary bus diversions,
are on the council's website.

Opponents of the plan say the money would be better spent on the
existing bus network, which has lost a third of its routes since 2019.
"""


def nonempty_lines(text: str) -> list[str]:
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def test_line_mode_one_paragraph_per_nonempty_line():
    doc = segment_text(SCRAPED_LINES, mode="line")
    assert doc.texts == nonempty_lines(SCRAPED_LINES)
    assert len(doc.paragraphs) == 6
    assert doc.texts[4] == "Share this article"


def test_auto_keeps_scraped_lines_apart():
    assert segment_text(SCRAPED_LINES).texts == nonempty_lines(SCRAPED_LINES)


def test_blank_line_separated_scraper_output_is_one_paragraph_per_line():
    lines = nonempty_lines(SCRAPED_BLANK_SEPARATED)
    assert segment_text(SCRAPED_BLANK_SEPARATED).texts == lines
    assert segment_text(SCRAPED_BLANK_SEPARATED, mode="line").texts == lines
    assert "Back to Top" in lines and len(lines) == 7


def test_hard_wrapped_blocks_keep_their_inner_newlines():
    doc = segment_text(HARD_WRAPPED)  # auto
    assert doc.texts == [
        "Dear readers,",
        "This week the city council voted to extend the tram line to the new\n"
        "hospital. Construction is expected to start in the spring and to take\n"
        "about eighteen months, according to the transport department.",
        "Residents along the route will be consulted in two public meetings in\n"
        "March. Details of both meetings, and of the temporary bus diversions,\n"
        "are on the council's website.",
        "Opponents of the plan say the money would be better spent on the\n"
        "existing bus network, which has lost a third of its routes since 2019.",
    ]
    assert segment_text(HARD_WRAPPED, mode="block").texts == doc.texts


def test_line_mode_splits_hard_wrapped_text_by_line():
    assert segment_text(HARD_WRAPPED, mode="line").texts == nonempty_lines(HARD_WRAPPED)


@pytest.mark.parametrize("text", [SCRAPED_LINES, SCRAPED_BLANK_SEPARATED, HARD_WRAPPED])
@pytest.mark.parametrize("mode", SEGMENT_MODES)
def test_crlf_input_gives_the_same_paragraphs(text, mode):
    crlf = segment_text(text.replace("\n", "\r\n"), mode=mode)
    assert crlf.texts == segment_text(text, mode=mode).texts
    assert not any("\r" in t for t in crlf.texts)


def test_whitespace_only_lines_are_dropped():
    text = "First paragraph.\n   \n\t\n\u00a0\nSecond paragraph.\n \t \n"
    assert segment_text(text, mode="line").texts == ["First paragraph.", "Second paragraph."]


def test_block_mode_drops_whitespace_only_lines_at_block_edges():
    text = (
        "  \nThe first block starts after a line of spaces and\nwraps here.\n"
        " \n\t\n\u00a0\nThe second block follows several blank lines\nthat hold whitespace.\n  "
    )
    assert segment_text(text, mode="block").texts == [
        "The first block starts after a line of spaces and\nwraps here.",
        "The second block follows several blank lines\nthat hold whitespace.",
    ]


def test_lines_keep_their_own_spacing():
    text = "  Indented line stays indented\nTrailing spaces stay   \n"
    assert segment_text(text, mode="line").texts == [
        "  Indented line stays indented", "Trailing spaces stay   "]


@pytest.mark.parametrize("mode", SEGMENT_MODES)
def test_empty_input_gives_no_paragraphs(mode):
    assert segment_text("", mode=mode).paragraphs == ()
    assert segment_text(" \n\n\t\r\n", mode=mode).paragraphs == ()


def test_indices_are_positions():
    doc = segment_text(SCRAPED_BLANK_SEPARATED)
    assert [p.index for p in doc.paragraphs] == list(range(len(doc.paragraphs)))
    assert doc.source_format == "text"


def test_unknown_mode_raises():
    with pytest.raises(ValueError, match="paragraph"):
        segment_text(SCRAPED_LINES, mode="paragraph")


_PIECES = ["a", "b", "word ", "caf\u00e9", "\u201cq\u201d", ".", " ", "\t", "\u00a0", "\x0c",
           "\n", "\n\n", "\r", "\r\n", "\r\n\r\n", "a long line of prose " * 8]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, mode=st.sampled_from(SEGMENT_MODES))
def test_text_is_never_rewritten(text, mode):
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = segment_text(text, mode=mode)
    for i, paragraph in enumerate(doc.paragraphs):
        assert paragraph.index == i
        lines = paragraph.text.split("\n")
        assert lines[0].strip() and lines[-1].strip(), "a paragraph edged by a blank line"
        assert paragraph.text in normalised
        if "\n" not in paragraph.text:
            assert paragraph.text in text
    if mode == "line":
        assert doc.texts == nonempty_lines(normalised)
    # Nothing but whitespace is lost, and nothing is reordered.
    assert "".join("".join(doc.texts).split()) == "".join(normalised.split())


@pytest.mark.requires_shared
def test_seed_files_one_paragraph_per_line_matching_the_hand_labels(seeds_dir):
    records = [json.loads(line) for line in (seeds_dir / "labels.jsonl").read_text("utf-8").splitlines()]
    assert len(records) == 5
    for record in records:
        text = (seeds_dir / record["file"]).read_text(encoding="utf-8")
        labelled = [p["text"] for p in record["paragraphs"]]
        for mode in ("auto", "line"):
            doc = segment_text(text, mode=mode)
            assert doc.texts == nonempty_lines(text), (record["file"], mode)
            assert doc.texts == labelled, (record["file"], mode)
