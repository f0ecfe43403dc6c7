"""End to end on real pages: WCXB articles rendered as a scraper would, cleaned by the shipped model.

These pages were part of the shipped model's training data, so this is a check that the
whole path works on real input (and does not make it worse), not a measure of quality:
the measures are the grouped cross-validation figures in the model card.
"""
import gzip

import pytest

import filterkit
from filterkit.training.corpus import render, wcxb_pages
from filterkit.training.metrics import word_prf

pytestmark = [pytest.mark.slow, pytest.mark.requires_shared]


@pytest.fixture(scope="module")
def article_pages(wcxb_dir):
    pages = [p for p in wcxb_pages(wcxb_dir) if p.page_type == "article"]
    return pages[:: max(len(pages) // 40, 1)][:40]


@pytest.mark.parametrize("rendering", ["trafilatura-recall", "page"])
def test_cleaning_real_scraped_articles_brings_them_closer_to_the_true_body(article_pages, rendering):
    f = filterkit.Filter()
    raw, cleaned, retained = [], [], []
    for page in article_pages:
        texts, _ = render(gzip.decompress(page.html_path.read_bytes()), rendering)
        text = "\n".join(texts)
        body = f.clean(text)
        raw.append(word_prf(text, page.main_content).f1)
        cleaned.append(word_prf(body, page.main_content).f1)
        retained.append(word_prf(body, page.main_content).recall)
    mean = lambda values: sum(values) / len(values)
    assert mean(cleaned) > mean(raw)
    assert mean(retained) > 0.9
