"""The measures filterkit reports: WCXB's word-level F1 and paragraph precision/recall."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def word_prf(predicted: str, reference: str) -> PRF:
    """Word-level precision/recall/F1: lower-cased `\\w+` tokens, multiset overlap (WCXB)."""
    got = Counter(WORD.findall(predicted.lower()))
    want = Counter(WORD.findall(reference.lower()))
    if not got and not want:
        return PRF(1.0, 1.0, 1.0)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return PRF(precision, recall, f1)


def paragraph_prf(predicted_body, true_body) -> PRF:
    """Precision/recall/F1 of the body class over paragraphs."""
    tp = sum(p and t for p, t in zip(predicted_body, true_body))
    predicted, actual = sum(map(bool, predicted_body)), sum(map(bool, true_body))
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)
