"""How sure filterkit is that a document's body is right: one number in [0, 1].

Two things make a body doubtful. Taking each paragraph's (smoothed, settled) body score
as the chance that it is body, the body kept has an expected precision (the characters
kept that are body) and an expected recall (the body characters that are kept): their
F1, by characters, is low when much text of middling score is kept or left out. And a
decision taken on scores close to the threshold could as well have gone the other way:
the share of characters whose score is more than UNCERTAIN_BAND from it is low then.
The quality is the product of the two; 0 when nothing is kept, None without paragraphs.
How it ranks pages by their true F1, and the formulas it was chosen over:
docs/quality-score.md.
"""
from __future__ import annotations

import numpy as np

# A score this close to its document's threshold is an uncertain decision.
UNCERTAIN_BAND = 0.2


def document_quality(lengths, scores, thresholds, kept) -> float | None:
    """The quality of a decision: per paragraph its characters, (settled) score, the
    threshold it was held to and whether it was kept; None for no paragraphs."""
    weights = np.asarray(lengths, dtype=float)
    if not len(weights):
        return None
    scores = np.clip(np.asarray(scores, dtype=float), 0.0, 1.0)
    return expected_f1(weights, scores, kept) * certain_share(weights, scores, thresholds)


def expected_f1(weights: np.ndarray, scores: np.ndarray, kept) -> float:
    """The character F1 of the kept paragraphs, scores read as probabilities of body;
    0.0 when nothing is kept."""
    expected_body = weights * scores
    kept = np.asarray(kept, dtype=bool)
    kept_body = expected_body[kept].sum()
    if not kept_body:
        return 0.0
    precision, recall = kept_body / weights[kept].sum(), kept_body / expected_body.sum()
    return float(2 * precision * recall / (precision + recall))


def certain_share(weights: np.ndarray, scores: np.ndarray, thresholds) -> float:
    """The share of characters whose score is more than UNCERTAIN_BAND from its threshold."""
    total = weights.sum()
    if not total:
        return 0.0
    certain = np.abs(scores - np.asarray(thresholds, dtype=float)) > UNCERTAIN_BAND
    return float(weights[certain].sum() / total)


def is_unsure(quality: float | None, min_quality: float) -> bool:
    """Whether a document of this quality falls under `min_quality`; one without
    paragraphs (None) has no body to be sure of."""
    return (quality or 0.0) < min_quality
