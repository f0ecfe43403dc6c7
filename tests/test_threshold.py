"""The per-document cut: a page the model is unsure of all through keeps its best paragraphs."""
import dataclasses

import numpy as np
import pytest

from filterkit import Filter
from filterkit.evaluate import kept_paragraphs
from filterkit.modelstore import load_model
from filterkit.smooth import Smoother
from filterkit.threshold import MIN_PAGE_THRESHOLD, page_threshold

# A product page: the description scores 0.28 and 0.22, its chrome under 0.05.
UNSURE_PAGE = np.array([0.02, 0.28, 0.22, 0.04, 0.01])


def test_a_page_the_model_is_unsure_of_keeps_its_best_paragraphs():
    assert page_threshold(UNSURE_PAGE, 0.30) == 0.30
    assert kept_paragraphs(UNSURE_PAGE, 0.30, Smoother(weight=0.0)).tolist() == [False] * 5
    assert page_threshold(UNSURE_PAGE, 0.30, relative=0.7) == pytest.approx(0.196)
    assert kept_paragraphs(UNSURE_PAGE, 0.30, Smoother(weight=0.0), 0.7).tolist() == [
        False, True, True, False, False]


def test_a_page_the_model_is_sure_of_keeps_the_threshold():
    sure = np.array([0.9, 0.95, 0.2, 0.01])
    assert page_threshold(sure, 0.30, relative=0.5) == 0.30


def test_a_page_with_no_likely_body_stays_empty():
    cookie_wall = np.array([0.03, 0.01, 0.04])
    assert page_threshold(cookie_wall, 0.30, relative=0.7) == MIN_PAGE_THRESHOLD
    assert not kept_paragraphs(cookie_wall, 0.30, Smoother(weight=0.0), 0.7).any()


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
