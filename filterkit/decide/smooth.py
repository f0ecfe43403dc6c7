"""The second pass: revise each paragraph's body score in the light of its neighbours.

The classifier already sees its neighbours' features; this pass sees their *scores*,
the way jusText's `revise_paragraph_classification` revises short and near-miss
paragraphs. A paragraph keeps its own score where the model is sure of it; where it
is not, the score moves toward its neighbours' mean.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Smoother:
    """Blend uncertain scores with the mean score of the `window` paragraphs on each side.

    weight: how far an uncertain score moves toward its neighbours (0 turns the pass off).
    certainty: scores this far or further from 0.5 are left alone.
    """

    weight: float = 0.5
    window: int = 1
    certainty: float = 0.4

    def __post_init__(self) -> None:
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"weight must lie in [0, 1], got {self.weight}")
        if self.window < 1:
            raise ValueError(f"window must be at least 1, got {self.window}")

    def smooth(self, scores) -> np.ndarray:
        scores = np.asarray(scores, dtype=np.float64)
        if self.weight == 0 or len(scores) < 2:
            return scores.copy()
        neighbours = neighbour_mean(scores, self.window)
        uncertain = np.abs(scores - 0.5) < self.certainty
        blended = (1 - self.weight) * scores + self.weight * neighbours
        return np.where(uncertain, blended, scores)

    def to_dict(self) -> dict:
        return {"weight": self.weight, "window": self.window, "certainty": self.certainty}


def neighbour_mean(scores: np.ndarray, window: int) -> np.ndarray:
    """Mean of the scores within `window` on each side, the paragraph itself excluded."""
    n = len(scores)
    padded = np.concatenate([np.zeros(window), scores, np.zeros(window)])
    present = np.concatenate([np.zeros(window), np.ones(n), np.zeros(window)])
    kernel = np.ones(2 * window + 1)
    kernel[window] = 0
    total = np.convolve(padded, kernel, mode="valid")
    count = np.convolve(present, kernel, mode="valid")
    return total / np.maximum(count, 1)
