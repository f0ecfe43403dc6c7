"""The smoothing pass, on hand-made score sequences."""
import numpy as np
import pytest

from filterkit.decide.smooth import Smoother, neighbour_mean


def test_an_uncertain_paragraph_between_body_paragraphs_is_pulled_up():
    scores = [0.95, 0.9, 0.45, 0.92, 0.97]
    smoothed = Smoother(weight=0.5, certainty=0.45).smooth(scores)
    assert smoothed[2] > 0.5 > scores[2]


def test_a_confident_junk_line_inside_the_body_stays_junk():
    # 'Also Read' inside an article: the model is sure, smoothing must not overrule it.
    scores = [0.95, 0.97, 0.02, 0.96, 0.94]
    smoothed = Smoother(weight=0.5, certainty=0.4).smooth(scores)
    assert smoothed[2] == pytest.approx(0.02)


def test_an_uncertain_line_in_a_footer_is_pushed_down():
    scores = [0.9, 0.05, 0.55, 0.03, 0.02]
    assert Smoother(weight=0.5, certainty=0.45).smooth(scores)[2] < 0.5


def test_weight_zero_changes_nothing_and_edges_use_the_one_neighbour_they_have():
    scores = np.array([0.6, 0.1, 0.7])
    assert np.array_equal(Smoother(weight=0.0).smooth(scores), scores)
    assert neighbour_mean(scores, 1).tolist() == pytest.approx([0.1, 0.65, 0.1])
    assert neighbour_mean(scores, 2).tolist() == pytest.approx([0.4, 0.65, 0.35])


def test_short_inputs_and_bad_parameters():
    assert Smoother().smooth([]).tolist() == []
    assert Smoother().smooth([0.3]).tolist() == [0.3]
    with pytest.raises(ValueError):
        Smoother(weight=1.5)
    with pytest.raises(ValueError):
        Smoother(window=0)
