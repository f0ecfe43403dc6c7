"""The one scorer: P(body) for paragraphs, from a fitted pipeline, on one thread."""
from __future__ import annotations

from functools import cache

import numpy as np

from ..features.text import paragraph_rows


def document_scores(pipeline, documents) -> list[np.ndarray]:
    """P(body) for every paragraph of each document, one array per document, scored in
    one call to the pipeline."""
    flat = body_scores(pipeline, paragraph_rows(documents))
    out, start = [], 0
    for document in documents:
        out.append(flat[start:start + len(document.paragraphs)])
        start += len(document.paragraphs)
    return out


def body_scores(estimator, rows) -> np.ndarray:
    """P(body) from a fitted classifier: a whole pipeline on `(Document, index)` rows, or
    its last steps on a feature matrix (`filterkit.explain`). On one thread.

    One thread, because the trees' prediction opens an OpenMP parallel region per tree:
    300 thread hand-overs for a document of a few paragraphs, and on a busy machine each
    can wait for a time slice (seconds in all, measured). filterkit runs in parallel
    with processes (`--jobs`, Ray, datatrove), not threads."""
    if len(rows) == 0:
        return np.zeros(0)
    classes = list(estimator.classes_)
    with _threads().limit(limits=1, user_api="openmp"):
        return estimator.predict_proba(rows)[:, classes.index(1)]


@cache
def _threads():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
