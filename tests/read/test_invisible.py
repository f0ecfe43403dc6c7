"""Characters a browser draws as nothing leave the text, in HTML and in plain text alike."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filterkit.read.html import page_blocks, parse_html
from filterkit.read.invisible import without_invisible_characters
from filterkit.read.text import segment_text

PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # mi-khaham: ZWNJ keeps the prefix apart
HINDI = "\u0915\u094d\u200d\u0937"  # ka + virama + ZWJ + ssa: the half form of ka
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # one emoji, three people
HEART_ON_FIRE = "\u2764\ufe0f\u200d\U0001F525"
WOMAN_TECHNOLOGIST = "\U0001F469\U0001F3FD\u200d\U0001F4BB"


@pytest.mark.parametrize("shown, read", [
    ("ap\u00adproved", "approved"),  # soft hyphen
    ("zero\u200bwidth", "zerowidth"),  # zero-width space
    ("word\u2060joiner", "wordjoiner"),  # word joiner
    ("no\ufeffbreak", "nobreak"),  # U+FEFF inside text: a zero-width no-break space
    ("\ufeffThe council", "The council"),  # a byte-order mark decoded as text
    ("Auf\u200clage", "Auflage"),  # ZWNJ between Latin letters only stops a ligature
    ("well\u200d done", "well done"),  # a joiner next to a space joins nothing
    ("end.\u200d", "end."),
])
def test_characters_drawn_as_nothing_are_removed(shown, read):
    assert without_invisible_characters(shown) == read


@pytest.mark.parametrize("text", [PERSIAN, HINDI, FAMILY, HEART_ON_FIRE, WOMAN_TECHNOLOGIST,
                                  f"Sie schrieb {PERSIAN} und {FAMILY}."])
def test_joiners_that_change_how_their_neighbours_are_drawn_stay(text):
    assert without_invisible_characters(text) == text


def test_text_input_is_read_as_shown():
    text = ("The council ap\u00adproved the plan on Tues\u00adday.\n"
            "\u200b\n"  # a line holding nothing visible is no paragraph
            f"Residents wrote {PERSIAN} on the banners {FAMILY}.\n")
    assert segment_text(text).texts == ["The council approved the plan on Tuesday.",
                                        f"Residents wrote {PERSIAN} on the banners {FAMILY}."]


def test_html_is_read_as_shown():
    page = ("<html><head><title>Plan ap&shy;proved</title></head><body><p>The council "
            "ap&shy;proved the plan&#8203; on Tues\u00adday.</p><p>&#8203;</p>"
            f"<p>{PERSIAN} {HINDI} {FAMILY}</p></body></html>")
    assert page_blocks(parse_html(page)) == ["The council approved the plan on Tuesday.",
                                             f"{PERSIAN} {HINDI} {FAMILY}"]


def test_the_title_is_read_as_shown_too():
    from filterkit.read.html import html_document

    page = "<html><head><title>Plan ap&shy;proved</title></head><body><p>Body text.</p></body></html>"
    assert html_document(page).title == "Plan approved"


_INVISIBLE_MIX = st.text(alphabet=st.sampled_from(
    ["a", "b", " ", ".", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u0645", "\u062e",
     "\u0915", "\u094d", "\U0001F468", "\ufe0f", "\U0001F3FD"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(text=_INVISIBLE_MIX)
def test_removing_twice_changes_nothing_more(text):
    once = without_invisible_characters(text)
    assert without_invisible_characters(once) == once
    assert not any(c in once for c in "\u00ad\u200b\u2060\ufeff")
