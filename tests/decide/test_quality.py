"""The document-level quality: how sure filterkit is that a body is right."""
import numpy as np
import pytest

import filterkit
from filterkit import Document
from filterkit.decide.quality import UNCERTAIN_BAND, certain_share, document_quality, expected_f1, is_unsure
from filterkit.scale.records import Item, clean_record

LENGTHS = [400, 300, 30, 20]
THRESHOLDS = [0.5] * 4


def quality(scores, kept, lengths=LENGTHS, thresholds=THRESHOLDS) -> float:
    return document_quality(lengths, np.array(scores), thresholds, np.array(kept))


def test_a_clear_decision_scores_near_one_and_a_doubtful_one_lower():
    clear = quality([0.99, 0.97, 0.02, 0.01], [True, True, False, False])
    near_threshold = quality([0.6, 0.55, 0.4, 0.01], [True, True, False, False])
    assert clear > 0.95
    assert near_threshold < 0.2 < clear  # most characters sit within the band of 0.5


def test_body_of_middling_score_left_out_lowers_the_quality():
    kept_all = quality([0.95, 0.9, 0.05, 0.05], [True, True, False, False])
    long_doubt_dropped = quality([0.95, 0.25, 0.05, 0.05], [True, False, False, False])
    assert long_doubt_dropped < kept_all


def test_nothing_kept_is_zero_and_no_paragraphs_is_none():
    assert quality([0.1, 0.05, 0.02, 0.01], [False] * 4) == 0.0
    assert document_quality([], np.zeros(0), [], np.zeros(0, bool)) is None


def test_the_two_parts_by_characters():
    weights, scores = np.array([100.0, 100.0]), np.array([0.8, 0.2])
    # one paragraph kept: expected precision 0.8, expected recall 0.8 / 1.0
    assert expected_f1(weights, scores, [True, False]) == pytest.approx(0.8)
    assert certain_share(weights, np.array([0.5 + UNCERTAIN_BAND + 0.01, 0.5]), [0.5, 0.5]) == 0.5


def test_quality_lies_in_zero_one_whatever_the_scores():
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 20))
        scores = rng.random(n)
        thresholds = np.full(n, rng.random())
        value = quality(scores, scores >= thresholds, rng.integers(1, 500, n), thresholds)
        assert 0.0 <= value <= 1.0


def test_under_a_minimum_quality_and_no_text_are_unsure():
    assert is_unsure(0.4, 0.5) and not is_unsure(0.5, 0.5) and is_unsure(None, 0.1)


def test_a_classified_document_has_a_quality_an_unclassified_or_empty_one_none(shipped_model):
    article = ("Council approves new cycle lanes\n\nThe city council voted on Tuesday to build "
               "twelve kilometres of protected cycle lanes through the centre, after a two-year "
               "consultation with residents and shop owners.\n\nWork will start in the spring and "
               "take eighteen months, the council said.\n\nShare on Facebook\n\nLeave a comment")
    doc = filterkit.classify(article)
    assert 0.0 < doc.quality <= 1.0
    assert Document.from_texts(["An unclassified paragraph."]).quality is None
    assert filterkit.classify(" \n ").quality is None
    record = clean_record(Item("a", record={"id": 1}), doc, paragraphs=False, min_quality=doc.quality + 0.01)
    assert record["quality"] == round(doc.quality, 4) and record["unsure"] is True
    assert "unsure" not in clean_record(Item("a", record={}), doc, paragraphs=False)
