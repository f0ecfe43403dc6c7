"""The one decision rule: where a model's scores are cut, and what a document keeps."""
import dataclasses

import numpy as np
import pytest

from filterkit import Filter
from filterkit.decide.operating_point import MIN_PAGE_THRESHOLD, OperatingPoint, page_threshold
from filterkit.decide.smooth import Smoother
from filterkit.document import Document
from filterkit.model.store import load_model

# A product page: the description scores 0.28 and 0.22, its chrome under 0.05.
UNSURE_PAGE = np.array([0.02, 0.28, 0.22, 0.04, 0.01])
PRODUCT = Document.from_texts(["Menu", "Blue ceramic mug, 350 ml", "A stoneware mug glazed by hand.",
                               "Add to cart", "Share on Facebook"])


def kept(point: OperatingPoint, scores, document: Document = PRODUCT) -> list[bool]:
    return point.read(document, scores).kept.tolist()


def test_a_page_the_model_is_unsure_of_keeps_its_best_paragraphs():
    assert page_threshold(UNSURE_PAGE, 0.30) == 0.30
    assert kept(OperatingPoint(0.30), UNSURE_PAGE) == [False] * 5
    assert page_threshold(UNSURE_PAGE, 0.30, relative=0.7) == pytest.approx(0.196)
    assert kept(OperatingPoint(0.30, relative=0.7), UNSURE_PAGE) == [False, True, True, False, False]


def test_a_reading_reports_the_smoothed_scores_and_the_threshold_it_held_them_to():
    point = OperatingPoint(0.30, relative=0.7, smoother=Smoother(weight=0.5, certainty=0.45))
    reading = point.read(PRODUCT, UNSURE_PAGE)
    assert reading.scores.tolist() == point.smoother.smooth(UNSURE_PAGE).tolist()
    assert reading.threshold == pytest.approx(max(MIN_PAGE_THRESHOLD, 0.7 * reading.scores.max()))
    assert reading.kept.tolist() == (reading.scores >= reading.threshold).tolist()


def test_a_line_repeating_the_known_title_is_never_kept_however_high_it_scores():
    page = Document.from_texts(["Storm closes coastal roads", "Heavy rain closed three roads on Tuesday."],
                               title="Storm Closes Coastal Roads")
    assert kept(OperatingPoint(0.5), np.array([0.99, 0.9]), page) == [False, True]
    assert kept(OperatingPoint(0.5), np.array([0.99, 0.9]), dataclasses.replace(page, title=None)) == [True, True]


def test_what_is_kept_at_each_candidate_threshold_is_what_a_point_at_that_threshold_keeps():
    point = OperatingPoint(0.5, relative=0.5, smoother=Smoother(weight=0.3, certainty=0.3))
    thresholds = (0.05, 0.2, 0.35, 0.5, 0.8)
    masks = point.kept_at(PRODUCT, UNSURE_PAGE, thresholds)
    assert masks.shape == (5, 5)
    for threshold, mask in zip(thresholds, masks):
        assert mask.tolist() == kept(dataclasses.replace(point, threshold=threshold), UNSURE_PAGE)


def test_the_cards_point_and_a_users_threshold():
    card = {"threshold": 0.35, "relative_threshold": 0.5, "smoothing": {"weight": 0.3, "window": 1, "certainty": 0.3}}
    assert OperatingPoint.from_card(card) == OperatingPoint(0.35, 0.5, Smoother(weight=0.3, certainty=0.3))
    # a user's threshold holds on every document: no relative cut, the card's smoothing
    assert OperatingPoint.from_card(card, threshold=0.6) == OperatingPoint(0.6, 0.0, Smoother(weight=0.3, certainty=0.3))
    assert OperatingPoint.from_card(card, smoothing=False).smoother.weight == 0.0
    assert OperatingPoint.from_card({}) == OperatingPoint(0.5, 0.0, Smoother(weight=0.0))
    assert OperatingPoint.from_card(card).at(0.2) == OperatingPoint(0.2, 0.0, Smoother(weight=0.3, certainty=0.3))


@pytest.mark.parametrize("threshold, relative", [(1.5, 0.0), (-0.1, 0.0), (0.5, 1.0), (0.5, -0.2)])
def test_an_impossible_point_is_refused(threshold, relative):
    with pytest.raises(ValueError, match="must lie in"):
        OperatingPoint(threshold, relative)


def test_a_page_the_model_is_sure_of_keeps_the_threshold():
    sure = np.array([0.9, 0.95, 0.2, 0.01])
    assert page_threshold(sure, 0.30, relative=0.5) == 0.30


def test_a_page_with_no_likely_body_stays_empty():
    cookie_wall = np.array([0.03, 0.01, 0.04])
    assert page_threshold(cookie_wall, 0.30, relative=0.7) == MIN_PAGE_THRESHOLD
    assert not any(kept(OperatingPoint(0.30, relative=0.7), cookie_wall, Document.from_texts(["a", "b", "c"])))


def test_the_relative_cut_never_raises_a_low_threshold():
    assert page_threshold(UNSURE_PAGE, 0.01, relative=0.9) == 0.01
    assert page_threshold(np.zeros(0), 0.30, relative=0.5) == 0.30


def _with_card(model, **changes):
    return dataclasses.replace(model, card={**model.card, **changes})


def test_filter_applies_the_cards_relative_threshold_unless_a_threshold_is_asked_for():
    model = load_model()
    text = "\n".join([
        "Menu", "Shop all", "Blue ceramic mug, 350 ml",
        "A stoneware mug glazed by hand; each one differs a little in colour.",
        "Dishwasher safe.", "Add to cart", "Share on Facebook"])
    scores = [d.score for d in Filter(_with_card(model, relative_threshold=0.0)).classify(text).decisions]
    top = max(scores)
    above_every_score = (top + 1) / 2  # as if the model were unsure of the whole page
    unsure = Filter(_with_card(model, threshold=above_every_score, relative_threshold=0.5))
    kept = [p.text for p in unsure.classify(text).body_paragraphs()]
    cut = max(MIN_PAGE_THRESHOLD, 0.5 * top)
    assert kept == [t for t, s in zip(text.splitlines(), scores) if s >= cut]
    assert len(kept) >= 1
    asked = Filter(_with_card(model, relative_threshold=0.5), threshold=above_every_score)
    assert asked.classify(text).body == ""


def test_a_model_card_with_an_impossible_relative_threshold_is_refused():
    with pytest.raises(ValueError, match="relative_threshold must lie in"):
        Filter(_with_card(load_model(), relative_threshold=1.5)).classify("Some text of an article.")
