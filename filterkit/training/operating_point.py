"""Choosing a model's operating point (threshold, relative threshold, smoothing) on
out-of-fold scores; the card records it and `filterkit.decide` applies it."""
from __future__ import annotations

import numpy as np

from ..decide.operating_point import OperatingPoint
from ..decide.smooth import Smoother
from .evaluate import ARTICLE, Fold, WordCounts, corpus_input, settled_kept

THRESHOLDS = tuple(np.round(np.arange(0.05, 0.96, 0.05), 2))
SMOOTHERS = (Smoother(weight=0.0), Smoother(weight=0.3, certainty=0.3), Smoother(weight=0.5, certainty=0.3),
             Smoother(weight=0.5, certainty=0.45))
RELATIVE_THRESHOLDS = (0.0, 0.3, 0.5, 0.7)  # 0: off
MIN_RETENTION = 0.98
# The retention floor is held on the rendering and page type the project's bars name:
# trafilatura favor_recall text of article pages.
RETENTION_RENDERING = "trafilatura-recall"
RETENTION_PAGE_TYPE = ARTICLE


def choose_operating_point(documents, scores, counts=None) -> OperatingPoint:
    """The operating point with the best `operating_objective`, among those that keep at
    least MIN_RETENTION of the body paragraphs of the trafilatura rendering of articles
    (of all documents when the corpus has none; the HTML model has no such floor)."""
    return search_operating_point(word_f1_objective(documents, scores, counts))


def word_f1_objective(documents, scores, counts=None):
    """`operating_objective` of the documents' word F1 at a point's thresholds (a value per
    threshold; -inf where the retention floor of text documents is not held)."""
    counts = counts or [WordCounts(d.texts, d.reference or "") for d in documents]
    min_retention = MIN_RETENTION if corpus_input(documents) == "text" else 0.0
    objective = operating_objective(documents)
    readable = [d.document() for d in documents]

    def values(point: OperatingPoint) -> np.ndarray:
        masks = [point.kept_at(d, s, THRESHOLDS) for d, s in zip(readable, scores)]
        got = objective(np.array([c.f1(m) for c, m in zip(counts, masks)]))
        return np.where(retention(documents, masks) >= min_retention, got, -np.inf)
    return values


def search_operating_point(values) -> OperatingPoint:
    """The point with the best value among SMOOTHERS x RELATIVE_THRESHOLDS x THRESHOLDS;
    `values(point)` gives one value per threshold of THRESHOLDS at the point's smoothing
    and relative threshold."""
    best, best_value = OperatingPoint(0.5, 0.0, SMOOTHERS[0]), -1.0
    for smoother in SMOOTHERS:
        for relative in RELATIVE_THRESHOLDS:
            got = values(OperatingPoint(0.5, relative, smoother))
            for t, threshold in enumerate(THRESHOLDS):
                if got[t] > best_value:
                    best, best_value = OperatingPoint(float(threshold), relative, smoother), got[t]
    return best


def operating_objective(documents):
    """What the operating point maximizes, from each document's word F1 at each threshold
    (a documents x thresholds array).

    Text: the mean word F1 over all documents. HTML: the mean of that and of the mean
    over article pages, when the corpus has any: filterkit is built for article bodies,
    which score best at a higher threshold than collections and listings (figures:
    docs/training.md, "The operating point")."""
    articles = np.array([d.page_type == ARTICLE for d in documents])
    if corpus_input(documents) == "text" or not articles.any():
        return lambda f1: f1.mean(axis=0)
    return lambda f1: (f1.mean(axis=0) + f1[articles].mean(axis=0)) / 2


def retention_documents(documents) -> list[int]:
    """The documents whose body the retention floor holds: the trafilatura-recall rendering
    of articles (all documents when the corpus has none)."""
    return [i for i, d in enumerate(documents)
            if (d.rendering, d.page_type) == (RETENTION_RENDERING, RETENTION_PAGE_TYPE)] or \
        list(range(len(documents)))


def retention(documents, kept: list[np.ndarray]):
    """Share of the body paragraphs of the `retention_documents` that are kept: a number
    for one keep-mask per document, an array for a row of masks per document (one per
    threshold)."""
    members = retention_documents(documents)
    body = sum(sum(documents[i].is_body) for i in members) or 1
    return sum(np.sum(kept[i] & np.asarray(documents[i].is_body, bool), axis=-1) for i in members) / body


def settled_operating_point(documents, scores, folds: list[Fold], point: OperatingPoint,
                            log=print) -> tuple[OperatingPoint, list[np.ndarray]]:
    """The point at which text documents, read again until they settle, still keep
    MIN_RETENTION of the body (`choose_operating_point` chose `point` on one reading;
    reading again only drops paragraphs): `point`, or the next lower threshold that does,
    and the paragraphs kept there."""
    candidates = [point.threshold, *(t for t in sorted(THRESHOLDS, reverse=True) if t < point.threshold)]
    for candidate in candidates:
        lowered = OperatingPoint(float(candidate), point.relative, point.smoother)
        kept = settled_kept(documents, scores, folds, lowered)
        kept_share = retention(documents, kept)
        if kept_share >= MIN_RETENTION or candidate == candidates[-1]:
            return lowered, kept
        log(f"threshold {candidate:.2f}: settled, it keeps {kept_share:.4f} of the body (< {MIN_RETENTION}); lower")
    raise AssertionError("unreachable")
