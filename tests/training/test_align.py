"""align: label scraped paragraphs body / not body against the true article text."""
from __future__ import annotations

import pytest

from filterkit.training.align import align, words

# The true article body, one paragraph or subheading per line (as in WCXB main_content).
REFERENCE = """\
Tram line to reach new hospital by 2027
The city council voted on Tuesday to extend the tram line to the new hospital, a project that will cost 48 million euros and take about eighteen months.
Home owners on Station Road say they welcome the plan, although some fear the noise of construction.
Timeline
Work will start in the spring, once the contracts for the track and the overhead wires have been signed.
Residents along the route will be consulted in two public meetings in March.
Opponents say the money would be better spent on buses, which have lost a third of their routes since 2019."""

TEASER = "The city council voted on Tuesday to extend the tram line to the new hospital."

# The page as a scraper renders it: navigation, a teaser repeating the first sentence,
# the article, a share bar, related links and a footer.
PAGE = [
    "Home",
    "News",
    "Station Road",
    TEASER,
    "Tram line to reach new hospital by 2027",
    "Share on Facebook Share on X Email this article",
    REFERENCE.splitlines()[1],
    REFERENCE.splitlines()[2],
    "Timeline",
    REFERENCE.splitlines()[4],
    REFERENCE.splitlines()[5],
    REFERENCE.splitlines()[6],
    "Share on Facebook Share on X Email this article",
    "Related: Hospital car park fees to rise in April",
    "Copyright 2025 Riverside Gazette. All rights reserved. Privacy Terms",
]
BODY = {4, 6, 7, 8, 9, 10, 11}


def body_indices(paragraphs, reference=REFERENCE) -> set[int]:
    return {i for i, body in enumerate(align(paragraphs, reference).labels()) if body}


def test_page_labels_exactly_the_article_paragraphs():
    assert body_indices(PAGE) == BODY


def test_coverage_is_one_value_per_paragraph_between_0_and_1():
    coverage = align(PAGE, REFERENCE).coverage
    assert len(coverage) == len(PAGE)
    assert all(0.0 <= c <= 1.0 for c in coverage)
    assert coverage[6] == 1.0 and coverage[0] == 0.0


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_repeated_teaser_is_labelled_body_only_once(where):
    article = REFERENCE.splitlines()
    teaser_box = [TEASER, "Read more"]
    paragraphs = teaser_box + article if where == "before" else article + teaser_box
    labels = align(paragraphs, REFERENCE).labels()
    full = paragraphs.index(article[1])
    teaser = paragraphs.index(TEASER)
    assert labels[full] and not labels[teaser]
    assert sum(labels) == len(article)


def test_an_exactly_repeated_paragraph_counts_once():
    paragraph = REFERENCE.splitlines()[5]
    labels = align([paragraph, "Advertisement", paragraph], REFERENCE).labels()
    assert sum(labels) == 1


def test_a_short_subheading_that_is_a_whole_reference_line_is_body():
    labels = align(["Timeline", REFERENCE.splitlines()[4]], REFERENCE).labels()
    assert labels == [True, True]
    assert len(words("Timeline")) < 3  # below the chance-run length: kept as a whole line


def test_a_nav_word_inside_a_reference_sentence_is_not_body():
    # "Home" and "Station Road" occur in the reference, but inside a sentence. Here the
    # scraper lost that sentence and has menu items in its place, so nothing else
    # claims those reference words: a chance match must still not make them body.
    assert "Home owners on Station Road" in REFERENCE
    lines = REFERENCE.splitlines()
    paragraphs = lines[:2] + ["Home", "Station Road"] + lines[3:]
    labels = align(paragraphs, REFERENCE).labels()
    assert labels == [True, True, False, False] + [True] * len(lines[3:])
    assert align(lines[:2] + ["Home"], REFERENCE).labels() == [True, True, False]


def test_share_bars_footers_and_related_links_are_not_body():
    junk = [PAGE[5], PAGE[12], PAGE[13], PAGE[14]]
    assert not any(align(junk + REFERENCE.splitlines(), REFERENCE).labels()[: len(junk)])


def test_case_and_punctuation_do_not_matter():
    scraped = REFERENCE.splitlines()[6].upper().replace(",", " ;")
    assert align([scraped], REFERENCE).labels() == [True]


def test_paragraph_without_words_and_empty_reference():
    assert align(["\u2014", "* * *"], REFERENCE).coverage == (0.0, 0.0)
    assert align(PAGE, "").labels() == [False] * len(PAGE)
    assert align([], REFERENCE).coverage == ()


def test_a_paragraph_split_in_two_by_the_scraper_is_body_in_both_parts():
    sentence = REFERENCE.splitlines()[2]
    head, tail = sentence[:45], sentence[45:]
    assert align([head, tail], REFERENCE).labels() == [True, True]


def test_min_coverage_threshold():
    half = "Residents along the route will be consulted. Subscribe now for unlimited access today."
    alignment = align([half], REFERENCE)
    assert 0.3 < alignment.coverage[0] < 0.6
    assert alignment.labels(min_coverage=0.3) == [True]
    assert alignment.labels(min_coverage=0.9) == [False]


def test_a_reference_line_the_page_split_in_two_is_body():
    reference = "Specs\nWeight: 2 oz\nColor: Dark Blue\nThe jacket is light and warm enough for spring hikes."
    paragraphs = ["Specs", "Weight", "2 oz", "Color", "Dark Blue",
                  "The jacket is light and warm enough for spring hikes.", "Home"]
    assert align(paragraphs, reference).labels() == [True] * 6 + [False]
