"""Features → body score: the scikit-learn Pipelines filterkit trains and ships."""
from __future__ import annotations

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from ..features.cues import CueFeatures
from ..features.dom import BlockFeatures
from ..features.text import ParagraphFeatures

MODEL_KINDS = ("gbt", "linear")
MODEL_INPUTS = ("text", "html")


def make_pipeline(kind: str = "gbt", *, input: str = "text", window: int = 2,
                  random_state: int = 0, structure: bool = True) -> Pipeline:
    """An unfitted Pipeline: `(Document, index)` rows → P(paragraph is article body).

    `gbt`: gradient-boosted trees (the shipped models). `linear`: logistic regression on
    standardised features, the baseline they are compared with. `input`: "text" for
    paragraphs of text (`ParagraphFeatures`), "html" for the DOM blocks of a page
    (`BlockFeatures`; `structure`: with the page's structure); both with the cue phrases
    of `CueFeatures`.
    """
    if input not in MODEL_INPUTS:
        raise ValueError(f"unknown model input {input!r}; expected one of {MODEL_INPUTS}")
    if input == "html":
        own = ("blocks", BlockFeatures(window=window, random_state=random_state, structure=structure))
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


def forget_seen_texts() -> None:
    """Empty the caches of per-text features (shape, hashed words, cue) that settling and
    repeated boilerplate fill; benchmarks call this so that every pass starts cold."""
    from ..features.cues import _cue_code
    from ..features.text import _remembered_rows, _remembered_shape

    _remembered_shape.cache_clear()
    _remembered_rows.clear()
    _cue_code.cache_clear()
