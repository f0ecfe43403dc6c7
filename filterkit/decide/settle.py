"""Kept paragraphs → read again until nothing more goes, so that cleaning is idempotent.

The model reads each paragraph with its neighbours. Once the junk around it is gone, a
paragraph kept just over the threshold can fall under it, and cleaning the cleaned text
would drop it. So what a text document keeps is read again as a document of its own, the
way `clean` reads its own output, until a reading keeps all of it; then
`clean(clean(text)) == clean(text)`. A document whose first reading dropped nothing is
settled at once; most others settle on the second reading, which only confirms.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..document import Document, Paragraph
from ..model.score import document_scores
from .operating_point import OperatingPoint, Reading

# Every reading after the first drops at least one paragraph, so this bounds the work on
# a document that erodes one paragraph at a time (once one keeps what the last reading
# kept, it is settled); each reading scores only what is left.
MAX_READINGS = 25


@dataclass(frozen=True)
class Settled:
    """The decision once settled, per paragraph of the original document: kept or not,
    its score and threshold in the last reading that saw it, and which reading dropped
    it (1: the first; 0: kept)."""

    kept: np.ndarray
    scores: np.ndarray
    thresholds: np.ndarray
    dropped_on: np.ndarray


Scorer = Callable[[list[Document]], list[np.ndarray]]
Decider = Callable[[Document, np.ndarray], Reading]


def settle(score: Scorer, documents: Sequence[Document], first_scores: Sequence[np.ndarray],
           decide: Decider, max_readings: int = MAX_READINGS) -> list[Settled]:
    """Settle each document's decision. `score` gives the raw body scores of documents (one
    call per reading, all unsettled documents at once); `decide` turns a document's raw
    scores into a `Reading`; `first_scores` are the first reading's raw scores."""
    settled = [_first(document, decide(document, scores)) for document, scores in zip(documents, first_scores)]
    unsettled = [i for i, s in enumerate(settled) if 0 < s.kept.sum() < len(s.kept)]
    for reading in range(2, max_readings + 1):
        if not unsettled:
            break
        kept_parts = [kept_part(documents[i], settled[i].kept) for i in unsettled]
        still = []
        for i, part, scores in zip(unsettled, kept_parts, score(kept_parts)):
            if _read_again(settled[i], decide(part, scores), reading):
                still.append(i)
        unsettled = still
    return settled


def settle_documents(text_pipeline, documents: Sequence[Document], scores: Sequence[np.ndarray],
                     point_for: Callable[[Document], OperatingPoint]) -> list[Settled]:
    """Each document's settled decision at its operating point: a text document is read
    again (rescored by `text_pipeline`) until a reading keeps all it is given; an HTML
    page is read once, as its output is text, for the text model."""
    def decide(document: Document, document_scores_) -> Reading:
        return point_for(document).read(document, document_scores_)

    def text_scores(parts: list[Document]) -> list[np.ndarray]:
        return document_scores(text_pipeline, parts)

    out: list[Settled | None] = [None] * len(documents)
    for html in (False, True):
        members = [i for i, document in enumerate(documents) if document.is_html_blocks == html]
        done = settle(text_scores, [documents[i] for i in members], [scores[i] for i in members], decide,
                      max_readings=1 if html else MAX_READINGS)
        for i, settled in zip(members, done):
            out[i] = settled
    return out


def kept_part(document: Document, kept: np.ndarray) -> Document:
    """The document made of the kept paragraphs, as `clean`'s output reads back."""
    paragraphs = [p for p, k in zip(document.paragraphs, kept) if k]
    return Document(tuple(Paragraph(p.text, j) for j, p in enumerate(paragraphs)),
                    title=document.title, source_format=document.source_format)


def _first(document: Document, reading: Reading) -> Settled:
    n = len(document.paragraphs)
    return Settled(kept=reading.kept.astype(bool).copy(), scores=np.asarray(reading.scores, dtype=float).copy(),
                   thresholds=np.full(n, reading.threshold), dropped_on=np.where(reading.kept, 0, 1))


def _read_again(settled: Settled, reading: Reading, number: int) -> bool:
    """Record a later reading of the kept part in place; whether it dropped paragraphs
    and kept some (so the next reading may drop more)."""
    where = np.flatnonzero(settled.kept)
    settled.scores[where] = reading.scores
    settled.thresholds[where] = reading.threshold
    dropped = where[~reading.kept.astype(bool)]
    settled.kept[dropped] = False
    settled.dropped_on[dropped] = number
    return 0 < len(dropped) < len(where)
