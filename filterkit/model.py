"""Features → body score: the scikit-learn Pipelines filterkit trains and ships."""
from __future__ import annotations

from functools import cache

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from .cuefeatures import CueFeatures
from .domfeatures import BlockFeatures
from .features import ParagraphFeatures, paragraph_rows

MODEL_KINDS = ("gbt", "linear")
MODEL_INPUTS = ("text", "html")


def make_pipeline(kind: str = "gbt", *, input: str = "text", window: int = 2,
                  random_state: int = 0) -> Pipeline:
    """An unfitted Pipeline: `(Document, index)` rows → P(paragraph is article body).

    `gbt`: gradient-boosted trees (the shipped models). `linear`: logistic regression on
    standardised features, the baseline they are compared with. `input`: "text" for
    paragraphs of text (`ParagraphFeatures`), "html" for the DOM blocks of a page
    (`BlockFeatures`); both with the cue phrases of `CueFeatures`.
    """
    if input not in MODEL_INPUTS:
        raise ValueError(f"unknown model input {input!r}; expected one of {MODEL_INPUTS}")
    if input == "html":
        own = ("blocks", BlockFeatures(window=window, random_state=random_state))
    else:
        own = ("paragraph", ParagraphFeatures(window=window, random_state=random_state))
    features = FeatureUnion([own, ("cues", CueFeatures())], verbose_feature_names_out=False)
    if kind == "gbt":
        classifier = HistGradientBoostingClassifier(
            max_iter=300, learning_rate=0.08, max_leaf_nodes=48, min_samples_leaf=40,
            l2_regularization=1.0, early_stopping=False, random_state=random_state,
        )
        return Pipeline([("features", features), ("classifier", classifier)])
    if kind == "linear":
        classifier = LogisticRegression(C=1.0, max_iter=2000)
        return Pipeline([("features", features), ("scale", StandardScaler()), ("classifier", classifier)])
    raise ValueError(f"unknown model kind {kind!r}; expected one of {MODEL_KINDS}")


def document_scores(pipeline: Pipeline, documents) -> list:
    """P(body) for every paragraph of each document, one array per document, scored in
    one call to the pipeline."""
    flat = body_scores(pipeline, paragraph_rows(documents))
    out, start = [], 0
    for document in documents:
        out.append(flat[start:start + len(document.paragraphs)])
        start += len(document.paragraphs)
    return out


def body_scores(pipeline: Pipeline, rows):
    """P(body) for each `(Document, index)` row, on one thread.

    One thread, because the trees' prediction opens an OpenMP parallel region per tree:
    300 thread hand-overs for a document of a few paragraphs, and on a busy machine each
    can wait for a time slice (seconds in all, measured). filterkit runs in parallel
    with processes (`--jobs`, Ray, datatrove), not threads."""
    if not rows:
        import numpy as np

        return np.zeros(0)
    classes = list(pipeline.classes_)
    with _threads().limit(limits=1, user_api="openmp"):
        return pipeline.predict_proba(rows)[:, classes.index(1)]


@cache
def _threads():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def forget_seen_texts() -> None:
    """Empty the caches of per-text features (shape, cue) that settling and repeated
    boilerplate fill; benchmarks call this so that every pass starts cold."""
    from .cuefeatures import _cue_code
    from .features import _remembered_shape

    _remembered_shape.cache_clear()
    _cue_code.cache_clear()
