"""The page's structure around each HTML block: article region, card runs, link targets."""
import pickle

import numpy as np
import pytest

from filterkit.features.dom import BlockFeatures
from filterkit.features.structure import STRUCTURE_FEATURES, structure_features
from filterkit.features.text import paragraph_rows
from filterkit.read.blocks import link_target, site_of
from filterkit.read.html import html_document

ARTICLE = [
    "Farmers along the lower valley began the grape harvest two weeks earlier than usual this year, "
    "after a dry and unusually warm August pushed the sugar levels of the fruit up quickly.",
    "The regional growers' association said yields were down by about a tenth, but that the quality "
    "of the early pickings was the best it had recorded since the record vintage of 2018.",
    "Several estates have hired extra pickers from neighbouring towns, and one cooperative has moved "
    "its night shifts forward so that the grapes reach the press before the afternoon heat.",
    "Wine makers warned, however, that a wet September could still spoil the later varieties, which "
    "hang on the vines for another month and are more exposed to rot after heavy rain.",
]
# Other stories of the site after the article: each a headline link, a one-sentence lede
# and an air date, as teaser grids and video lists show them.
TEASERS = [
    ("/video/ferry-strike", "Ferry strike enters its third day",
     "Unions and the operator met again on Monday without reaching an agreement on pay."),
    ("/video/museum-roof", "Museum roof to be replaced",
     "The city has approved the repairs after a storm damaged the glass roof in the spring."),
    ("/video/school-meals", "Free school meals extended",
     "Every primary pupil in the district will get a free lunch from the autumn term onwards."),
    ("/video/bridge-works", "Bridge works delay commuters",
     "Drivers should expect long queues on the north bridge until the end of the month."),
]


def page() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    cards = "".join(
        f"<div class='teaser-card'><a href='{href}'><h3>{headline}</h3></a><p>{lede}</p>"
        f"<span class='air-date'>Aired 12 September</span></div>" for href, headline, lede in TEASERS)
    return (
        "<html><head><title>Harvest starts early</title>"
        "<link rel='canonical' href='https://www.valleynews.example.com/harvest-starts-early'></head><body>"
        "<nav><ul><li><a href='https://valleynews.example.com/'>Home</a></li>"
        "<li><a href='/weather'>Weather</a></li></ul></nav>"
        f"<main><article class='story'><h1>Harvest starts early</h1><div class='story-body'>{paragraphs}</div>"
        "<p class='credit'>Photo: <a href='https://photos.example.org/grapes'>Agency</a></p></article>"
        f"<section class='more-videos'><h2>More videos</h2>{cards}</section></main></body></html>")


@pytest.fixture(scope="module")
def document():
    return html_document(page())


def features(document) -> dict[str, np.ndarray]:
    facts = [p.dom for p in document.paragraphs]
    words = np.array([len(t.split()) for t in document.texts], dtype=float)
    matrix = structure_features(facts, document.texts, words)
    return {name: matrix[:, k] for k, name in enumerate(STRUCTURE_FEATURES)}


def rows_of(document, *starts: str) -> list[int]:
    return [i for i, text in enumerate(document.texts) if text.startswith(starts)]


def test_blocks_know_the_elements_they_sit_in_and_the_shape_of_each(document):
    ledes = rows_of(document, *(lede for _, _, lede in TEASERS))
    facts = [document.paragraphs[i].dom for i in ledes]
    # Each lede sits in its own card, and the cards share one shape.
    assert len({f.containers[-2] for f in facts}) == len(TEASERS)
    assert len({f.shapes[-2] for f in facts}) == 1
    assert all(f.containers == tuple(sorted(f.containers)) for f in facts)  # numbered in document order


def test_links_are_read_as_going_to_the_site_another_site_or_the_page(document):
    headline = document.paragraphs[rows_of(document, "Ferry strike")[0]].dom
    # the link around the headline (<a><h3>...</h3></a>) is not inside the block: `links` says 0
    assert (headline.links, headline.site_links, headline.external_links) == (0, 1, 0)
    credit = document.paragraphs[rows_of(document, "Photo:")[0]].dom
    assert (credit.site_links, credit.external_links) == (0, 1)
    home = document.paragraphs[rows_of(document, "Home")[0]].dom
    assert home.site_links == 1  # an absolute link to the canonical URL's site


def test_link_targets_and_sites():
    assert site_of("www.bbc.co.uk") == "bbc.co.uk" and site_of("news.example.com") == "example.com"
    assert link_target("/sport/football", "example.com") == "site"
    assert link_target("https://cdn.example.com/a", "example.com") == "site"
    assert link_target("https://other.org/a", "example.com") == "external"
    assert link_target("#comments", "example.com") == ""
    assert link_target("javascript:void(0)", "example.com") == ""
    assert link_target("mailto:desk@example.com", "example.com") == ""
    assert link_target("https://other.org/a", "") == "external"  # no site known: every host is another


def test_the_article_region_holds_the_article_and_teasers_come_after_it(document):
    f = features(document)
    article = rows_of(document, *(p[:30] for p in ARTICLE))
    ledes = rows_of(document, *(lede for _, _, lede in TEASERS))
    assert f["region_inside"][article].tolist() == [1.0] * len(ARTICLE)
    assert f["region_inside"][ledes].tolist() == [0.0] * len(TEASERS)
    assert f["region_after"][ledes].tolist() == [1.0] * len(TEASERS)
    assert f["region_before"][rows_of(document, "Home")].tolist() == [1.0]
    assert (f["region_log_block_distance"][ledes] > 0).all()
    assert (f["region_steps_down"][ledes] >= 1).all()


def test_an_article_split_into_sections_around_an_ad_is_one_region():
    sections = (f"<section class='part-one'>{''.join(f'<p>{p}</p>' for p in ARTICLE[:2])}</section>"
                "<div class='ad-slot'><p>Advertisement</p></div>"
                f"<section class='part-two'><h2>A wet September</h2>{''.join(f'<p>{p}</p>' for p in ARTICLE[2:])}"
                "</section>")
    document = html_document(f"<html><body><article><h1>Early harvest</h1>{sections}</article>"
                             "<footer><p>Contact the newsroom</p></footer></body></html>")
    region = features(document)
    assert all(region["region_inside"][i] == 1 for i in rows_of(document, *(p[:30] for p in ARTICLE)))
    assert region["region_inside"][rows_of(document, "A wet September")[0]] == 1
    assert region["region_inside"][rows_of(document, "Advertisement")[0]] == 0
    assert region["region_after"][rows_of(document, "Contact the newsroom")[0]] == 1


def test_teasers_are_read_as_a_run_of_same_shaped_cards_linking_to_the_site(document):
    f = features(document)
    ledes = rows_of(document, *(lede for _, _, lede in TEASERS))
    headlines = rows_of(document, *(headline for _, headline, _ in TEASERS))
    assert np.allclose(f["card_log_run"][ledes], np.log1p(len(TEASERS)))
    assert np.allclose(f["card_log_blocks"][ledes], np.log1p(3))  # headline, lede, air date
    assert (f["card_linked_share"][ledes] == 1.0).all()
    assert (f["card_site_link_share"][ledes] == 1.0).all()
    assert (f["card_first_block"][headlines] == 1.0).all() and (f["card_first_block"][ledes] == 0.0).all()
    article = rows_of(document, *(p[:30] for p in ARTICLE))
    assert (f["card_log_run"][article] == -1.0).all()  # the article is no card of a run
    assert (f["own_run_log_length"][article] == np.log1p(len(ARTICLE))).all()
    assert (f["own_run_link_share"][article] == 0.0).all()


def test_a_page_read_without_structure_facts_gets_minus_one():
    document = html_document(page())
    from dataclasses import replace

    facts = [replace(p.dom, containers=(), shapes=()) for p in document.paragraphs]
    words = np.ones(len(facts))
    assert (structure_features(facts, document.texts, words) == -1.0).all()


def test_the_html_features_read_structure_unless_told_not_to(document):
    rows = paragraph_rows([document] * 6)
    labels = [int(i in rows_of(document, *(p[:30] for p in ARTICLE))) for _, i in rows]
    plain = BlockFeatures(markup_folds=2, structure=False)
    with_structure = BlockFeatures(markup_folds=2)
    a, b = plain.fit_transform(rows, labels), with_structure.fit_transform(rows, labels)
    assert b.shape[1] == a.shape[1] + len(STRUCTURE_FEATURES)
    assert list(with_structure.get_feature_names_out()[-len(STRUCTURE_FEATURES):]) == list(STRUCTURE_FEATURES)
    assert np.allclose(b[:, :a.shape[1]], a)


def test_a_model_saved_before_the_structure_parameter_reads_no_structure():
    features = BlockFeatures()
    state = features.__getstate__()
    del state["structure"]
    old = BlockFeatures.__new__(BlockFeatures)
    old.__setstate__(state)
    assert old.structure is False and old.get_params()["structure"] is False
    assert pickle.loads(pickle.dumps(old)).structure is False


COMMENTS = [
    ("Margaret H.", "We picked our rows last Saturday and the fruit was already sweeter than last year's."),
    ("Tom", "Hope the rain holds off, the later varieties are the ones our village depends on."),
    ("valley_reader", "Good to see the cooperative looking after its pickers in this heat."),
]


def comment_page() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    thread = "".join(
        f"<li class='comment'><div class='comment-author'>{author}</div><p>{text}</p>"
        f"<a href='#reply'>Reply</a></li>" for author, text in COMMENTS)
    return (
        "<html><head><title>Harvest starts early</title></head><body>"
        f"<article><h1>Harvest starts early</h1><div class='entry'>{paragraphs}</div></article>"
        "<section id='comments'><p class='policy'>Comments are moderated. Please keep the discussion "
        "civil and on topic; we remove personal attacks and spam.</p>"
        f"<ol class='comment-list'>{thread}</ol></section></body></html>")


def test_a_comment_thread_in_prose_is_a_run_of_cards_after_the_article_linking_nowhere():
    document = html_document(comment_page())
    f = features(document)
    replies = rows_of(document, *(text[:20] for _, text in COMMENTS))
    policy = rows_of(document, "Comments are moderated")
    assert f["region_after"][replies + policy].tolist() == [1.0] * (len(COMMENTS) + 1)
    assert np.allclose(f["card_log_run"][replies], np.log1p(len(COMMENTS)))
    assert (f["card_site_link_share"][replies] == 0.0).all()  # "Reply" goes to this page
    assert (f["region_inside"][rows_of(document, *(p[:30] for p in ARTICLE))] == 1.0).all()
