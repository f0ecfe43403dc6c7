"""The one decision rule: where a model's scores are cut, and what a document keeps."""
import dataclasses
import json
import shutil

import numpy as np
import pytest

from filterkit import Filter, ModelError
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


# A page with no article: its newsletter line the best of a low lot.
NO_BODY = Document.from_texts(["Home", "Sign up for our newsletter and never miss a story!",
                               "Stoneware mugs and bowls, made in Devon", "Privacy policy"])
NO_BODY_SCORES = np.array([0.01, 0.19, 0.17, 0.01])


def test_on_a_page_with_no_sure_body_a_line_the_lexicons_name_as_junk_is_not_kept():
    point = OperatingPoint(0.5, relative=0.5)
    assert kept(point, NO_BODY_SCORES, NO_BODY) == [False, False, True, False]
    for threshold, mask in zip([0.15, 0.18, 0.5], point.kept_at(NO_BODY, NO_BODY_SCORES, [0.15, 0.18, 0.5])):
        assert mask.tolist() == kept(dataclasses.replace(point, threshold=threshold), NO_BODY_SCORES, NO_BODY)
    # Where a paragraph reaches the threshold, the cue line is judged by its score alone.
    assert kept(point.at(0.18), NO_BODY_SCORES, NO_BODY) == [False, True, False, False]
    assert kept(point.at(0.15), np.array([0.01, 0.19, 0.6, 0.01]), NO_BODY) == [False, True, True, False]


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


# --- presets: named operating points on the card ---------------------------------------------

PRESET_CARD = {"name": "tiny", "threshold": 0.35, "relative_threshold": 0.5,
               "smoothing": {"weight": 0.3, "window": 1, "certainty": 0.3},
               "presets": {"precision": {"threshold": 0.8, "relative_threshold": 0.0, "smoothing": {"weight": 0.0}},
                           "recall": {"threshold": 0.1, "relative_threshold": 0.3,
                                      "smoothing": {"weight": 0.5, "window": 1, "certainty": 0.45}}}}


def test_a_preset_is_read_from_the_cards_presets():
    assert OperatingPoint.from_card(PRESET_CARD, preset="precision") == OperatingPoint(0.8, 0.0, Smoother(weight=0.0))
    assert OperatingPoint.from_card(PRESET_CARD, preset="recall") == \
        OperatingPoint(0.1, 0.3, Smoother(weight=0.5, certainty=0.45))
    assert OperatingPoint.from_card(PRESET_CARD, preset="recall", smoothing=False).smoother.weight == 0.0


def test_a_card_without_presets_says_how_to_add_them():
    card = {key: value for key, value in PRESET_CARD.items() if key != "presets"}
    with pytest.raises(ModelError, match=r"tiny has no 'precision' preset.*filterkit\.training\.presets"):
        OperatingPoint.from_card(card, preset="precision")


def test_a_preset_and_a_threshold_or_an_unknown_preset_are_refused():
    with pytest.raises(ValueError, match="not both"):
        OperatingPoint.from_card(PRESET_CARD, preset="precision", threshold=0.4)
    with pytest.raises(ValueError, match="unknown preset 'f1'"):
        OperatingPoint.from_card(PRESET_CARD, preset="f1")


@pytest.fixture
def model_with_presets(tmp_path, shipped_model):
    """The shipped text model, copied beside a card of its own that holds presets."""
    model = tmp_path / "with-presets.joblib"
    shutil.copyfile(shipped_model, model)
    card = json.loads(shipped_model.with_suffix(".json").read_text(encoding="utf-8"))
    card["presets"] = PRESET_CARD["presets"]
    model.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    return model


ARTICLE = ("Council approves new cycle lanes\nThe city council voted on Tuesday to build twelve kilometres "
           "of protected cycle lanes through the centre, after a two-year consultation.\nWork will start in "
           "the spring and take eighteen months, the council said.\nRead more: Tram line extended\n"
           "Share on Facebook\nLeave a comment")


def test_a_filter_cuts_at_the_preset_its_card_names(model_with_presets):
    precision = Filter(model_with_presets, trusted=True, precision=True)
    recall = Filter(model_with_presets, trusted=True, recall=True)
    assert precision.point_for(precision.model) == OperatingPoint(0.8, 0.0, Smoother(weight=0.0))
    assert recall.threshold == 0.1
    default = Filter(model_with_presets, trusted=True)
    kept = [sum(d.is_content for d in f.classify(ARTICLE).decisions) for f in (precision, default, recall)]
    assert kept[0] < kept[1] < kept[2]


def test_a_filter_refuses_two_operating_points_and_a_card_without_the_preset(shipped_model, tmp_path):
    with pytest.raises(ValueError, match="threshold and precision are different operating points"):
        Filter(threshold=0.4, precision=True)
    with pytest.raises(ValueError, match="precision and recall"):
        Filter(precision=True, recall=True)
    model = tmp_path / "old.joblib"
    shutil.copyfile(shipped_model, model)
    card = json.loads(shipped_model.with_suffix(".json").read_text(encoding="utf-8"))
    card.pop("presets", None)
    model.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="no 'recall' preset"):
        Filter(load_model(model, trusted=True), recall=True)


def test_the_shipped_models_cut_at_their_presets(shipped_model):
    from filterkit.model.store import HTML_MODEL

    for name in (None, HTML_MODEL):
        presets = load_model(None, **({"name": name} if name else {})).card["presets"]
        assert presets["precision"]["threshold"] > presets["recall"]["threshold"]
        for preset in presets.values():
            figures = preset["cross_validated"]["all"]
            assert 0 < figures["word_precision"] <= 1 and 0 < figures["word_recall"] <= 1
