"""Scores → kept paragraphs: the one rule that decides what a document keeps.

An `OperatingPoint` is a model's threshold, relative threshold and smoothing, read from
its card (its own, or one of its named `PRESETS`) or set by the user. `Filter`,
cross-validation, the operating-point search and the inspect report all decide through it.

A fixed threshold empties a page when the model is unsure of all of it (a product page,
a short notice, a site it has never seen): an empty body is the worst answer a user can
get. A card's `relative_threshold` lowers a document's threshold to that share of its
best score, so the paragraphs the model rates highest on the page are kept; a page whose
best paragraph scores under MIN_PAGE_THRESHOLD is still taken to have no body (a page
of menus and links only must come out empty).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from ..document import Document
from ..errors import ModelError
from .junktypes import repeats_title, typer_for
from .smooth import Smoother

# Not chosen by cross-validation: every WCXB page has a body, so keeping something always
# pays there. Half the usual threshold; on out-of-fold scores it cost 0.001 word F1.
MIN_PAGE_THRESHOLD = 0.15
NO_SMOOTHING = Smoother(weight=0.0)
# Named operating points a model card may hold beside its own (`presets`): one that keeps
# less junk, one that loses less body (`filterkit.training.presets`).
PRESETS = ("precision", "recall")


@dataclass(frozen=True)
class Reading:
    """One reading's decision on a document: the paragraphs kept, their (smoothed) body
    scores, and the threshold they were held to."""

    kept: np.ndarray
    scores: np.ndarray
    threshold: float


@dataclass(frozen=True)
class OperatingPoint:
    """Where a model's scores are cut.

    threshold: minimum (smoothed) body score to keep a paragraph.
    relative: lower a document's threshold to this share of its best score (0: off),
        never under MIN_PAGE_THRESHOLD; on a document none of whose paragraphs reaches
        `threshold`, the paragraphs a cue of the lexicons names as junk are not kept
        (`named_junk`).
    smoother: the neighbour-smoothing pass applied to the scores first.
    """

    threshold: float = 0.5
    relative: float = 0.0
    smoother: Smoother = field(default=NO_SMOOTHING)

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must lie in [0, 1], got {self.threshold}")
        if not 0.0 <= self.relative < 1.0:
            raise ValueError(f"relative_threshold must lie in [0, 1), got {self.relative}")

    @classmethod
    def from_card(cls, card: dict, *, threshold: float | None = None, smoothing: bool = True,
                  preset: str | None = None) -> "OperatingPoint":
        """The card's operating point, or its named `preset` (`PRESETS`); a user's
        `threshold` holds on every document (no relative threshold); `smoothing=False`
        turns the smoothing pass off."""
        if preset is not None:
            if threshold is not None:
                raise ValueError("give a threshold or a preset, not both")
            card = card_preset(card, preset)
        smoother = Smoother(**card.get("smoothing", {"weight": 0.0})) if smoothing else NO_SMOOTHING
        if threshold is not None:
            return cls(threshold, 0.0, smoother)
        return cls(float(card.get("threshold", 0.5)), float(card.get("relative_threshold", 0.0)), smoother)

    def at(self, threshold: float) -> "OperatingPoint":
        """This point with a fixed `threshold` on every document, as a user's threshold is."""
        return replace(self, threshold=threshold, relative=0.0)

    def page_threshold(self, smoothed) -> float:
        """The threshold for one document with these smoothed scores."""
        return page_threshold(smoothed, self.threshold, self.relative)

    def read(self, document: Document, scores) -> Reading:
        """One reading of a document's body scores: smoothing, its threshold, and no line
        that repeats the document's known title (the title is emitted separately)."""
        smoothed = self.smoother.smooth(scores)
        kept = self._kept(document, smoothed, [self.threshold])[0]
        return Reading(kept, smoothed, self.page_threshold(smoothed))

    def kept_at(self, document: Document, scores, thresholds: Sequence[float]) -> np.ndarray:
        """What one reading keeps at each of `thresholds` (in place of this point's own):
        a (thresholds, paragraphs) mask, for choosing a threshold."""
        return self._kept(document, self.smoother.smooth(scores), thresholds)

    def _kept(self, document: Document, smoothed: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
        """The (thresholds, paragraphs) mask of what these smoothed scores keep at each
        threshold: the decision rule, in one place for `read` and `kept_at`."""
        thresholds = np.asarray(thresholds, dtype=np.float64)
        cuts = np.array([page_threshold(smoothed, t, self.relative) for t in thresholds])
        kept = (smoothed[None, :] >= cuts[:, None]) & ~title_repeats(document)[None, :]
        unsure = smoothed.max(initial=0.0) < thresholds  # no paragraph sure to be body
        if kept[unsure].any():
            kept[unsure] &= ~named_junk(document, kept[unsure].any(axis=0))[None, :]
        return kept

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, "relative_threshold": self.relative,
                "smoothing": self.smoother.to_dict()}


def card_preset(card: dict, preset: str) -> dict:
    """The operating point a model card names `preset` (its `presets` entry); a
    `ModelError` saying how to add presets when the card has none."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; expected one of {PRESETS}")
    presets = card.get("presets")
    if not isinstance(presets, dict) or not isinstance(presets.get(preset), dict):
        raise ModelError(
            f"the model card of {card.get('name', 'this model')} has no {preset!r} preset: its presets are "
            "chosen by cross-validation when the model is trained, or added to its card from saved "
            "out-of-fold scores (python -m filterkit.training.presets --corpus CORPUS --scores "
            "SCORES.npz --card MODEL.json); meanwhile give a threshold instead")
    return presets[preset]


def page_threshold(scores, threshold: float, relative: float = 0.0) -> float:
    """The threshold for one document with these (smoothed) scores."""
    if not relative or len(scores) == 0:
        return threshold
    return min(threshold, max(MIN_PAGE_THRESHOLD, relative * float(np.max(scores))))


def named_junk(document: Document, candidates: np.ndarray) -> np.ndarray:
    """Which of the `candidates` paragraphs a cue of the lexicons names as junk ('Sign up
    for our newsletter', 'Leave a Reply'). A page's lowered threshold is for its body
    where the whole page scores low, not for these: on a page with no body they would
    be all that is left."""
    named = np.zeros(len(document.texts), dtype=bool)
    if candidates.any():
        lexicon = typer_for(document.texts).lexicon
        for i in np.flatnonzero(candidates):
            named[i] = lexicon.match(document.texts[i]) is not None
    return named


def title_repeats(document: Document) -> np.ndarray:
    """Which paragraphs repeat the document's known title."""
    return np.array([repeats_title(text, document.title) for text in document.texts], dtype=bool)
