"""The measurement behind docs/quality-score.md: it scores the body `filterkit.clean`
gives and the quality `classify` reports, and ranks by Spearman's rho."""
import numpy as np
import pytest

import filterkit
from filterkit.filter import Filter
from filterkit.training import quality_check
from filterkit.training.peers import read_page


def _decided(quality: float, true_f1: float) -> quality_check.Decided:
    """A one-paragraph page kept at a score that gives this quality's rank."""
    return quality_check.Decided(np.array([100.0]), np.array([quality]), np.array([0.0]), np.array([True]), true_f1)


@pytest.mark.filterwarnings("ignore:An input array is constant")  # every certain share is 1 here
def test_correlations_rank_each_formula_against_the_true_f1():
    decided = [_decided(q, f1) for q, f1 in [(0.9, 0.95), (0.5, 0.7), (0.3, 0.2), (0.8, 0.9)]]
    rhos = quality_check.correlations(decided)
    assert set(rhos) == set(quality_check.FORMULAS)
    assert rhos["kept confidence"] == pytest.approx(1.0)  # the score itself, ranked as the F1 is
    cut, low, rest = quality_check.lowest_share(decided, quality_check.kept_confidence, share=0.25)
    assert (cut, low) == (pytest.approx(0.45), 0.2) and rest == pytest.approx((0.95 + 0.7 + 0.9) / 3)


def test_a_sample_is_fixed_and_in_order():
    pages = list(range(100))
    assert quality_check.sample(pages, 10) == quality_check.sample(pages, 10) == sorted(quality_check.sample(pages, 10))
    assert quality_check.sample(pages, None) == pages


@pytest.mark.requires_shared
def test_it_scores_what_clean_outputs_and_the_quality_classify_reports(shared_dir, shipped_model):
    filter = Filter()
    for name, (pages, true_f1) in quality_check.source_pages(shared_dir).items():
        pages = pages[:4]
        for page, decided in zip(pages, quality_check.decided_pages(filter, pages, true_f1, log=lambda _: None)):
            html = read_page(quality_check.html_path(page))
            assert decided.true_f1 == true_f1(page, filterkit.clean(html)), name
            assert quality_check.shipped(decided) == pytest.approx(filterkit.classify(html).quality or 0.0)
