"""Training documents made from a corpus's own pages: cleaned bodies, and junk lines moved
in between body paragraphs (as "Also Read | ..." lines sit inside scraped news articles)."""
import pytest

from filterkit.lexicons import ALL_LANGUAGES, load_lexicon
from filterkit.read.blocks import DomFacts
from filterkit.training.augment import (
    CLEANED_RENDERING,
    CUED_RENDERING,
    INTERLEAVED_RENDERING,
    augmentation_kinds,
    augmented_corpus,
    augmented_documents,
    describe,
)
from filterkit.training.corpus import LabelledDocument

BODY = [
    "The council approved the new tram line on Tuesday after a two-year debate.",
    "Construction starts in spring and is expected to take three years.",
    "Opponents had argued that the money would be better spent on buses.",
    "The mayor said the line would carry 40,000 passengers a day.",
]


def _page(page_id: str, domain: str = "news.example") -> list[LabelledDocument]:
    recall = LabelledDocument(
        ["Home", *BODY[:2], "Share this article", *BODY[2:], "Leave a Reply"],
        ["junk", "content", "content", "chrome", "content", "content", "comment"],
        id=page_id, domain=domain, rendering="trafilatura-recall", title="Tram line approved")
    page = LabelledDocument(
        ["Skip to content", "Also Read", "City budget passes after long night", *BODY,
         "A long comment from a reader who thinks the tram is a waste of money and says so at length "
         "in more than fifteen words"],
        ["chrome", "related", "related", "content", "content", "content", "content", "comment"],
        id=page_id, domain=domain, rendering="page", title="Tram line approved")
    return [recall, page]


def test_each_page_gives_a_cleaned_body_and_a_body_with_junk_inside():
    made = augmented_documents(_page("0001") + _page("0002", "other.example"))
    assert sorted((d.id, d.rendering) for d in made) == [
        ("0001", CLEANED_RENDERING), ("0001", INTERLEAVED_RENDERING),
        ("0002", CLEANED_RENDERING), ("0002", INTERLEAVED_RENDERING)]
    cleaned = next(d for d in made if d.rendering == CLEANED_RENDERING)
    assert cleaned.texts == BODY and set(cleaned.labels) == {"content"}
    assert (cleaned.domain, cleaned.title) == ("news.example", "Tram line approved")


def test_junk_moved_into_the_body_is_the_pages_own_short_junk_between_two_body_paragraphs():
    page = _page("0001")
    short_junk = {"Home": "junk", "Share this article": "chrome", "Leave a Reply": "comment",
                  "Skip to content": "chrome", "Also Read": "related",
                  "City budget passes after long night": "related"}
    for seed in range(20):
        made = next(d for d in augmented_documents(page, seed) if d.rendering == INTERLEAVED_RENDERING)
        body_at = [i for i, label in enumerate(made.labels) if label == "content"]
        assert [made.texts[i] for i in body_at] == BODY
        moved = [i for i in range(body_at[0], body_at[-1]) if made.labels[i] != "content"]
        original_inside = [i for i in moved if made.texts[i] == "Share this article"][:1]
        added = [i for i in moved if i not in original_inside]
        assert 1 <= len(added) and all(short_junk[made.texts[i]] == made.labels[i] for i in added)
        assert made.texts[:1] == ["Home"] and made.texts[-1] == "Leave a Reply"


def test_augmenting_is_deterministic_and_the_seed_changes_it():
    page = _page("0001")
    first = [d.texts for d in augmented_documents(page, seed=1)]
    assert first == [d.texts for d in augmented_documents(page, seed=1)]
    assert any([d.texts for d in augmented_documents(page, seed=s)] != first for s in range(2, 12))


BODY_FACTS = DomFacts("p", ("main", "article"), "entry content", 6, 0, 0, ((14, 80, 0, 1), (60, 320, 0, 4)))
MENU_FACTS = DomFacts("li", ("header", "nav"), "menu item", 5, 4, 1, ((1, 4, 4, 1), (5, 30, 30, 5)))
RELATED_FACTS = DomFacts("li", ("aside",), "related posts", 5, 35, 1, ((6, 35, 35, 1), (12, 70, 70, 2)))


def _html_page(page_id: str = "0005") -> LabelledDocument:
    texts = ["Home", "News", "Sport", "Weather", "Contact", *BODY, "City budget passes after long night",
             "Bus fares to rise", "Privacy", "Terms", "Cookies", "Careers"]
    labels = ["chrome"] * 5 + ["content"] * 4 + ["related"] * 2 + ["chrome"] * 4
    doms = [MENU_FACTS] * 5 + [BODY_FACTS] * 4 + [RELATED_FACTS] * 2 + [MENU_FACTS] * 4
    return LabelledDocument(texts, labels, id=page_id, domain="news.example", rendering="html", doms=doms)


def test_an_html_page_gets_its_short_junk_blocks_inside_the_body_in_the_bodys_markup():
    page = _html_page()
    for seed in range(10):
        [made] = augmented_documents([page], seed)
        assert made.rendering == INTERLEAVED_RENDERING and len(made.doms) == len(made.texts)
        body_at = [i for i, label in enumerate(made.labels) if label == "content"]
        assert [made.texts[i] for i in body_at] == BODY
        # The body's stretch and three blocks on each side: the first menu items are left out.
        assert made.texts[:3] == ["Sport", "Weather", "Contact"]
        assert made.texts[-3:] == ["City budget passes after long night", "Bus fares to rise", "Privacy"]
        moved = range(body_at[0] + 1, body_at[-1])
        assert any(made.labels[i] != "content" for i in moved)
        for i in moved:
            if made.labels[i] == "content":
                continue
            facts = made.doms[i]
            assert (facts.tag, facts.ancestors, facts.tokens, facts.depth) == (
                "p", ("main", "article"), "entry content", 6)
            original = RELATED_FACTS if made.labels[i] == "related" else MENU_FACTS
            assert (facts.link_chars, facts.links, facts.subtrees[0]) == (
                original.link_chars, original.links, original.subtrees[0])
            assert facts.subtrees[1:] == BODY_FACTS.subtrees[1:]


def test_pages_with_under_two_body_paragraphs_are_not_augmented():
    one_block = LabelledDocument(["Menu", BODY[0]], ["chrome", "content"], id="0003", rendering="html",
                                 doms=[MENU_FACTS, BODY_FACTS])
    short = LabelledDocument(["Menu", BODY[0]], ["chrome", "content"], id="0004", rendering="page")
    assert augmented_documents([one_block, short]) == []


def test_a_training_corpus_holds_each_pages_made_documents_right_after_the_page():
    # The word and markup scores are learned out of fold over consecutive rows: a page's
    # copy elsewhere would let them see the page's own labels.
    text_one, text_two = _page("0001"), _page("0002", "other.example")
    html_one, html_two = _html_page("0005"), _html_page("0006")
    corpus = augmented_corpus([*text_one, html_one, *text_two, html_two])
    assert [(d.id, d.rendering) for d in corpus] == [
        ("0001", "trafilatura-recall"), ("0001", "page"), ("0001", CLEANED_RENDERING), ("0001", INTERLEAVED_RENDERING),
        ("0005", "html"), ("0005", INTERLEAVED_RENDERING),
        ("0002", "trafilatura-recall"), ("0002", "page"), ("0002", CLEANED_RENDERING), ("0002", INTERLEAVED_RENDERING),
        ("0006", "html"), ("0006", INTERLEAVED_RENDERING)]


def test_documents_without_an_id_are_pages_of_their_own():
    mine = [LabelledDocument(["Menu", *BODY, "Footer links"], ["chrome", *["content"] * 4, "chrome"])
            for _ in range(2)]
    assert [d.rendering for d in augmented_documents(mine)] == [
        CLEANED_RENDERING, INTERLEAVED_RENDERING, CLEANED_RENDERING, INTERLEAVED_RENDERING]


def _cued(seed: int) -> list[LabelledDocument]:
    """The page's rendering, and its body and title alone, each with cue lines inside."""
    made = augmented_documents(_page("0001"), seed, kinds=("cues",))
    assert [d.rendering for d in made] == [CUED_RENDERING] * 2
    assert [t for t, label in zip(made[1].texts, made[1].labels) if label not in ("content", "related", "promo",
            "comment", "chrome", "meta")] == []
    return made


def test_cue_lines_of_the_lexicons_go_between_body_paragraphs_labelled_with_their_junk_type():
    lexicon = load_lexicon(ALL_LANGUAGES)
    headlines = {"City budget passes after long night"}  # the page's own junk line of 3+ words
    seen_types, with_headline = set(), 0
    for made in (d for seed in range(30) for d in _cued(seed)):
        body_at = [i for i, label in enumerate(made.labels) if label == "content"]
        assert [made.texts[i] for i in body_at] == BODY
        inserted = [i for i in range(body_at[0], body_at[-1]) if made.labels[i] != "content"
                    and made.texts[i] != "Share this article"]
        assert 1 <= len(inserted) <= 8
        for i in inserted:
            text, label = made.texts[i], made.labels[i]
            cue = lexicon.match(text)
            # a line is a cue of its type, or a lone related cue's headline right after it
            assert (cue is not None and cue.junk_type == label) or (
                text in headlines and label == "related" and lexicon.match(made.texts[i - 1]).junk_type == "related")
            seen_types.add(label)
            with_headline += any(h in text for h in headlines)
    assert seen_types == {"related", "promo", "comment", "chrome", "meta"}
    assert with_headline >= 5


def test_cue_lines_are_written_as_sites_write_them():
    lines = {t for seed in range(400) for d in _cued(seed) for t, label in zip(d.texts, d.labels)
             if label == "related"}
    assert any(t.isupper() for t in lines) and any(t[:1].isupper() and not t.isupper() for t in lines)
    assert any(" | " in t for t in lines) and any(": " in t for t in lines)
    assert any(t.startswith("[") for t in lines)


def test_augmentation_kinds_are_named_and_the_card_says_which():
    assert augmentation_kinds(True) == ("cleaned", "interleaved")
    assert augmentation_kinds(False) == augmentation_kinds(None) == ()
    assert augmentation_kinds("cues,cleaned") == ("cleaned", "cues")
    with pytest.raises(ValueError, match="unknown augmentation 'shuffled'"):
        augmentation_kinds("cues,shuffled")
    assert describe(()) == "none"
    assert "cue lines of the lexicons" in describe(("cues",)) and "all content" not in describe(("cues",))
