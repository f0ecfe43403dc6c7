"""What training optimises: the weight of each training block, and what the operating
point (threshold, smoothing) is chosen to maximise."""
import numpy as np
import pytest

from filterkit.read.blocks import DomFacts
from filterkit.training.corpus import LabelledDocument
from filterkit.training.evaluate import sample_weights
from filterkit.training.operating_point import operating_objective

FACTS = DomFacts("p", (), "", 3, 0, 0)
MENU = ["Home", "News"]
BODY = "The council voted on Tuesday to extend the tram line to the new hospital."


def _page(page_type: str, *, html: bool = True) -> LabelledDocument:
    texts = [*MENU, BODY]
    return LabelledDocument(texts, ["chrome", "chrome", "content"], page_type=page_type,
                            rendering="html" if html else "page", doms=[FACTS] * 3 if html else None)


# Word F1 of each page (rows) at two thresholds (columns): the article is cleaned well only
# at the higher one, the three listings lose a little there.
F1 = np.array([[0.6, 1.0], [1.0, 0.8], [1.0, 0.8], [1.0, 0.8]])
TYPES = ["article", "listing", "listing", "listing"]


def test_the_html_operating_point_weighs_article_pages_as_much_as_all_pages():
    objective = operating_objective([_page(t) for t in TYPES])
    assert objective(F1) == pytest.approx([(0.9 + 0.6) / 2, (0.85 + 1.0) / 2])
    assert np.argmax(objective(F1)) == 1


def test_text_and_a_corpus_without_articles_use_the_mean_over_all_documents():
    text = operating_objective([_page(t, html=False) for t in TYPES])
    assert text(F1) == pytest.approx([0.9, 0.85])
    no_articles = operating_objective([_page("listing") for _ in TYPES])
    assert no_articles(F1) == pytest.approx([0.9, 0.85])


def test_blocks_can_be_weighted_by_the_square_root_of_their_words():
    pages = [_page("article"), _page("listing")]
    weights = sample_weights(pages, "sqrt-words")
    words = np.array([1, 1, len(BODY.split())] * 2)
    assert weights == pytest.approx(np.sqrt(1 + words) / np.sqrt(1 + words).mean())
    assert weights[2] / weights[0] == pytest.approx(np.sqrt(1 + 14) / np.sqrt(2))
    assert sample_weights(pages, "paragraph") is None  # each paragraph once


def test_an_unknown_weighting_is_refused():
    with pytest.raises(ValueError, match="unknown weighting"):
        sample_weights([_page("article")], "characters")
