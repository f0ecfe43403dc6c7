"""Labels → cleaned output: the `Filter` that runs the whole path, and the module-level calls.

input → paragraphs (segment) → features + model (score) → smoothing → threshold →
junk types → a classified `Document`, whose `.body` is the cleaned article.
"""
from __future__ import annotations

import re
from itertools import islice
from typing import Iterable, Iterator

import numpy as np

from .document import CONTENT, Decision, Document
from .features import detect_language, paragraph_rows
from .junktypes import JunkTyper, repeats_title
from .limits import DEFAULT_LIMITS, Limits
from .model import body_scores
from .modelstore import LoadedModel, load_model
from .segment import to_document
from .smooth import Smoother

_WORD = re.compile(r"\w+")
DEFAULT_BATCH_SIZE = 64


class Filter:
    """A loaded model and its settings, reusable over many documents.

    model: a path to a `.joblib` model (with its `.json` card beside it), a `LoadedModel`,
        or None for the shipped model. A path outside the package is unpickled only with
        `trusted=True`, because loading a pickle can run code.
    threshold: minimum body score to keep a paragraph; None uses the model card's.
    smoothing: apply the neighbour-smoothing pass with the card's parameters.
    limits: the most one input may hold (`filterkit.limits.Limits`); None: the defaults.
        A larger input raises `InputTooLargeError`.
    """

    def __init__(self, model=None, *, threshold: float | None = None, trusted: bool = False,
                 smoothing: bool = True, limits: Limits | None = None):
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must lie in [0, 1], got {threshold}")
        self._model_spec = model
        self._trusted = trusted
        self._loaded: LoadedModel | None = model if isinstance(model, LoadedModel) else None
        self._threshold = threshold
        self.smoothing = smoothing
        self.limits = limits if limits is not None else DEFAULT_LIMITS
        self._typers: dict[str, JunkTyper] = {}

    @property
    def model(self) -> LoadedModel:
        if self._loaded is None:
            self._loaded = load_model(self._model_spec, trusted=self._trusted)
        return self._loaded

    @property
    def threshold(self) -> float:
        return self._threshold if self._threshold is not None else float(self.model.card.get("threshold", 0.5))

    @property
    def smoother(self) -> Smoother:
        if not self.smoothing:
            return Smoother(weight=0.0)
        return Smoother(**self.model.card.get("smoothing", {"weight": 0.0}))

    # --- one document ----------------------------------------------------------------

    def classify(self, source, *, format: str = "auto") -> Document:
        """Label every paragraph of text, HTML, bytes or a Document."""
        return next(self.classify_many([source], format=format))

    def clean(self, source, *, format: str = "auto") -> str:
        """The article body: kept paragraphs, unchanged and in order, joined by a blank line."""
        return self.classify(source, format=format).body

    # --- many documents ----------------------------------------------------------------

    def classify_many(self, sources: Iterable, *, format: str = "auto",
                      batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Document]:
        """Classify documents lazily, scoring them `batch_size` at a time."""
        iterator = iter(sources)
        while batch := list(islice(iterator, batch_size)):
            documents = [to_document(source, format, self.limits) for source in batch]
            yield from self.classify_documents(documents)

    def clean_many(self, sources: Iterable, *, format: str = "auto",
                   batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[str]:
        for document in self.classify_many(sources, format=format, batch_size=batch_size):
            yield document.body

    def classify_documents(self, documents: list[Document]) -> list[Document]:
        """Score a batch of segmented documents in one call to the model."""
        rows = paragraph_rows(documents)
        scores = body_scores(self.model.pipeline, rows) if rows else np.zeros(0)
        classified, start = [], 0
        for document in documents:
            stop = start + len(document.paragraphs)
            classified.append(self.decide(document, scores[start:stop]))
            start = stop
        return classified

    def decide(self, document: Document, scores) -> Document:
        """Smoothing, threshold and junk types: the decisions for one document's scores."""
        scores = self.smoother.smooth(scores)
        texts = document.texts
        # The title is emitted separately: a line repeating a known title is never body.
        is_body = [bool(s >= self.threshold) and not repeats_title(t, document.title)
                   for s, t in zip(scores, texts)]
        typed = self._typer(texts).assign(texts, is_body, document.title)
        decisions = []
        for score, body, junk in zip(scores, is_body, typed):
            if body:
                decisions.append(Decision(CONTENT, float(score), f"body score {score:.2f}"))
            elif score >= self.threshold:
                decisions.append(Decision(junk.junk_type, float(score), junk.reason))
            else:
                decisions.append(Decision(junk.junk_type, float(score),
                                          f"body score {score:.2f} < {self.threshold:.2f}; {junk.reason}"))
        title = document.title or next(
            (p.text.strip() for p, d in zip(document.paragraphs, decisions) if d.label == "title"), None)
        return document.with_decisions(decisions, title=title)

    def _typer(self, texts: list[str]) -> JunkTyper:
        tokens: list[str] = []
        for text in texts:
            tokens += _WORD.findall(text.lower())
            if len(tokens) >= 400:
                break
        language = detect_language(tokens)
        if language not in self._typers:
            self._typers[language] = JunkTyper(language)
        return self._typers[language]


_default: Filter | None = None


def default_filter() -> Filter:
    """The shared Filter with the shipped model, loaded on first use."""
    global _default
    if _default is None:
        _default = Filter()
    return _default


def _filter_for(threshold: float | None) -> Filter:
    if threshold is None:
        return default_filter()
    shared = default_filter()
    return Filter(shared.model, threshold=threshold)


def classify(source, *, threshold: float | None = None, format: str = "auto") -> Document:
    """Label every paragraph of `source` (text, HTML, bytes or a Document) as body or junk."""
    return _filter_for(threshold).classify(source, format=format)


def clean(source, *, threshold: float | None = None, format: str = "auto") -> str:
    """The article body of `source`: body paragraphs, unchanged, joined by a blank line."""
    return _filter_for(threshold).clean(source, format=format)
