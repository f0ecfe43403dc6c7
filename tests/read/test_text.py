"""segment_text: plain text → paragraphs, never rewriting the text."""
from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filterkit.errors import InputTooLargeError
from filterkit.limits import Limits
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


# --- hard-wrapped text: a column limit the long lines reach -----------------------------

ARTICLE = [
    "Council approves tram line to the new hospital",
    "The city council voted on Tuesday night to extend the tram line to the new hospital, "
    "ending a debate that has divided residents for two years. The plan replaces two lanes "
    "of traffic on the ring road with separated tracks.",
    "Construction is expected to start in the spring and to take about eighteen months, "
    "according to the transport department, which will publish the timetable of the works "
    "on its website next week.",
    "Related: Bus fares to rise by 4% in April",
    "Opponents of the plan say the money would be better spent on the existing bus network, "
    "which has lost a third of its routes since 2019, and have promised to keep campaigning.",
]


def wrapped(paragraphs: list[str], width: int, separator: str = "\n") -> str:
    return separator.join(textwrap.fill(p, width) for p in paragraphs)


@pytest.mark.parametrize("width", [60, 72, 80])
def test_hard_wrapped_paragraphs_are_rejoined_from_their_original_lines(width):
    text = wrapped(ARTICLE, width, "\n\n")
    assert segment_text(text).texts == [textwrap.fill(p, width) for p in ARTICLE]


def _original_paragraph_of(wrapped_paragraphs: list[str], paragraph: str) -> int:
    return next(i for i, original in enumerate(wrapped_paragraphs) if paragraph in original)


@pytest.mark.parametrize("width", [60, 72, 80])
def test_paragraphs_parted_by_a_single_newline_are_told_apart(width):
    # Where a paragraph's last line reaches the limit too, a sentence's end before a
    # capital ends a paragraph: a paragraph may be read in parts, never two as one.
    originals = [textwrap.fill(p, width) for p in ARTICLE]
    paragraphs = segment_text(wrapped(ARTICLE, width, "\n")).texts
    assert "\n".join(paragraphs) == "\n".join(originals)
    assert [_original_paragraph_of(originals, p) for p in paragraphs] == sorted(
        _original_paragraph_of(originals, p) for p in paragraphs)
    assert len(paragraphs) < len("\n".join(originals).splitlines())


def test_lines_folded_with_their_trailing_space_and_counted_in_bytes_are_rejoined():
    # `fold -s -w 72` keeps the space it breaks at and counts UTF-8 bytes, not characters.
    paragraph = ("Der Gemeinderat hat am Dienstag beschlossen, die Straßenbahn bis zum neuen "
                 "Krankenhaus zu verlängern. Die Bauarbeiten sollen im Frühjahr beginnen und "
                 "etwa achtzehn Monate dauern, teilte das Verkehrsamt mit. Gegner des Plans "
                 "würden das Geld lieber in das bestehende Busnetz stecken.")
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len((line + word).encode()) > 72:
            lines.append(line)
            line = ""
        line += word + " "
    folded = "\n".join([*lines, line.rstrip()])
    text = f"Straßenbahn kommt zum Krankenhaus\n\n{folded}\n\nMehr zum Thema"
    assert segment_text(text).texts == ["Straßenbahn kommt zum Krankenhaus", folded, "Mehr zum Thema"]


def test_scraped_lines_of_any_length_stay_one_paragraph_each():
    for text in (SCRAPED_LINES, SCRAPED_BLANK_SEPARATED, "\n".join(ARTICLE)):
        assert segment_text(text).texts == nonempty_lines(text)


def test_a_headline_as_long_as_the_limit_is_not_joined_to_the_paragraph_after_it():
    headline = "U.S. Ends Gaza Ceasefire Talks, Citing Hamas Lack of Desire for Peace"
    body = textwrap.fill(ARTICLE[1], 72)
    paragraphs = segment_text(f"{headline}\n{body}\n{textwrap.fill(ARTICLE[2], 72)}").texts
    assert paragraphs[0] == headline
    assert paragraphs[1].startswith(body.splitlines()[0] + "\n")


def test_a_list_item_starts_a_paragraph_of_its_own():
    items = ["- the old canal towpath between the bus depot and the river, which floods in",
             "- Station Road"]
    text = wrapped(ARTICLE[1:3], 78) + "\n" + "\n".join(items)
    assert segment_text(text).texts[-2:] == items


def test_wrapped_paragraphs_are_counted_against_the_limit():
    text = wrapped(ARTICLE, 72, "\n\n")
    assert segment_text(text, limits=Limits(max_paragraphs=5)).texts == [textwrap.fill(p, 72) for p in ARTICLE]
    with pytest.raises(InputTooLargeError, match="6 paragraphs"):
        segment_text(text + "\n\nShare this article", limits=Limits(max_paragraphs=5))


# A German forum thread as a scraper gives it: chrome lines, and a post hard-wrapped at 72.
FORUM_THREAD = """\
Forum > Technik > Heizung
Thema: Wärmepumpe im Altbau – Erfahrungen?

Beitrag von heizungsbauer_77 » Mo 12. Feb 2024, 18:04

Hallo zusammen, wir haben im letzten Herbst in unserem Haus von 1962 eine
Luft-Wasser-Wärmepumpe einbauen lassen und möchten hier kurz berichten, wie
der erste Winter gelaufen ist. Das Haus hat 140 Quadratmeter Wohnfläche und
wurde vor zehn Jahren neu gedämmt, die alten Heizkörper haben wir behalten.
Der Installateur hat vorher eine Heizlastberechnung gemacht und zwei der
Heizkörper gegen größere getauscht, damit die Vorlauftemperatur niedrig
bleiben kann. Im Januar lag sie bei minus zehn Grad draußen bei etwa
fünfzig Grad, und es war im ganzen Haus warm. Der Stromverbrauch lag im
ganzen Winter bei rund 4.200 Kilowattstunden, was bei unserem Tarif etwa
1.300 Euro entspricht, also deutlich weniger als die Gasrechnung vorher.
Laut ist das Außengerät nur beim Abtauen, und auch dann hört man es im Haus
nicht. Wer überlegt, im Altbau umzusteigen, sollte sich nicht von den
Geschichten abschrecken lassen, sondern eine ordentliche Berechnung machen
lassen und die Heizkörper prüfen. Bei Fragen gerne hier im Thema melden,
ich antworte, sobald ich Zeit habe.

Nach oben
Antworten | Zitieren | Melden
Du musst angemeldet sein, um zu antworten.
"""


def test_cleaning_output_reads_back_as_the_same_paragraphs_on_a_forum_thread():
    post = FORUM_THREAD.split("\n\n")[2]
    paragraphs = segment_text(FORUM_THREAD).texts
    assert post in paragraphs  # one paragraph, its lines as they came
    assert segment_text(post).texts == [post]


@pytest.mark.usefixtures("shipped_model")
def test_cleaning_a_forum_thread_twice_changes_nothing():
    import filterkit

    body = filterkit.clean(FORUM_THREAD)
    assert "Hallo zusammen" in body and filterkit.clean(body) == body


_PROSE_WORDS = (
    "the council voted on tuesday to build new cycle lanes through centre residents said "
    "plan would cost million euros Mayor Opponents warned parking spaces small businesses "
    "storm power homes engineers restored supplies Museum reopened galleries visitors free "
    "entry captain scored goal season club coach players tournament région Straße café "
    "naïve über año 市議会 город"
).split()


@st.composite
def _prose_paragraph(draw) -> str:
    sentences = []
    for _ in range(draw(st.integers(1, 5))):
        words = draw(st.lists(st.sampled_from(_PROSE_WORDS), min_size=1, max_size=50))
        sentences.append(" ".join([words[0].capitalize(), *words[1:]])
                         + draw(st.sampled_from([".", ".", "!", "?", ":", "", "\u2026"])))
    return " ".join(sentences)


@st.composite
def _text_with_wrapped_blocks(draw) -> str:
    """Scraped lines and hard-wrapped paragraphs (any width, some not wrapped), separated
    by single newlines or blank lines."""
    pieces = []
    for paragraph in draw(st.lists(_prose_paragraph() | st.sampled_from(_PIECES[4:]), min_size=1, max_size=12)):
        width = draw(st.sampled_from([None, 30, 45, 60, 72, 76, 80, 100, 140]))
        pieces.append(textwrap.fill(paragraph, width) if width and paragraph.strip() else paragraph)
        pieces.append(draw(st.sampled_from(["\n", "\n", "\n\n", " \n \n"])))
    return "".join(pieces)


@settings(max_examples=400, deadline=None)
@given(text=_text_with_wrapped_blocks(), data=st.data())
def test_any_kept_paragraphs_joined_by_a_blank_line_read_back_as_themselves(text, data):
    # What cleaning outputs (kept paragraphs, a blank line between) must segment into the
    # same paragraphs, whichever the model keeps: then clean(clean(x)) == clean(x).
    paragraphs = segment_text(text).texts
    kept = [p for p in paragraphs if data.draw(st.booleans())]
    assert segment_text("\n\n".join(kept)).texts == kept
