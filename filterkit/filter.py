"""Labels → cleaned output: the `Filter` that runs the whole path, and the module-level calls.

input → paragraphs (segment) → features + model (score) → smoothing → threshold →
kept text read again until it settles → junk types → a classified `Document`, whose
`.body` is the cleaned article.
"""
from __future__ import annotations

import re
from itertools import islice
from typing import Iterable, Iterator

import numpy as np

from .document import CONTENT, Decision, Document, kept_text
from .errors import InputError, ModelError
from .explain import explain as explained
from .features import detect_language
from .junktypes import JunkTyper, repeats_title
from .limits import DEFAULT_LIMITS, Limits, within
from .model import document_scores
from .modelstore import HTML_MODEL, LoadedModel, load_model, model_input
from .segment import to_document
from .settle import MAX_READINGS, Reading, Settled, settle
from .smooth import Smoother
from .threshold import check_relative, page_threshold

_WORD = re.compile(r"\w+")
DEFAULT_BATCH_SIZE = 64
ERROR_MODES = ("raise", "mark")
# Errors that stop a run rather than fail one document.
FATAL = (ModelError, MemoryError)


class Filter:
    """A loaded model and its settings, reusable over many documents.

    model: a path to a `.joblib` model (with its `.json` card beside it), a `LoadedModel`,
        or None for the shipped model. A path outside the package is unpickled only with
        `trusted=True`, because loading a pickle can run code.
    html_model: the same for HTML pages, whose DOM blocks have a model of their own;
        None: the shipped HTML model. Text input always goes to `model`.
    threshold: minimum body score to keep a paragraph, the same on every document; None
        uses the model card's, lowered on a document the model is unsure of all through
        to the card's `relative_threshold` share of its best score (`filterkit.threshold`).
    smoothing: apply the neighbour-smoothing pass with the card's parameters.
    limits: the most one input may hold (`filterkit.limits.Limits`); None: the defaults.
        A larger input raises `InputTooLargeError`. They hold wherever this Filter is
        used (records, batch workers, Ray, datatrove); `max_seconds` only there, where
        a document can be abandoned: `classify` itself is never interrupted.
    """

    def __init__(self, model=None, *, html_model=None, threshold: float | None = None,
                 trusted: bool = False, smoothing: bool = True, limits: Limits | None = None):
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must lie in [0, 1], got {threshold}")
        self._model_spec = model
        self._trusted = trusted
        self._loaded: LoadedModel | None = model if isinstance(model, LoadedModel) else None
        self._html_spec = html_model
        self._html_loaded: LoadedModel | None = html_model if isinstance(html_model, LoadedModel) else None
        self._threshold = threshold
        self.smoothing = smoothing
        self.limits = limits if limits is not None else DEFAULT_LIMITS
        self._typers: dict[str, JunkTyper] = {}

    @property
    def model(self) -> LoadedModel:
        if self._loaded is None:
            self._loaded = _reading(load_model(self._model_spec, trusted=self._trusted), "text")
        return self._loaded

    @property
    def html_model(self) -> LoadedModel:
        if self._html_loaded is None:
            self._html_loaded = _reading(load_model(self._html_spec, trusted=self._trusted, name=HTML_MODEL),
                                         "html")
        return self._html_loaded

    def model_for(self, document: Document) -> LoadedModel:
        """The HTML model for a page's DOM blocks, the text model for anything else."""
        return self.html_model if is_html_blocks(document) else self.model

    @property
    def threshold(self) -> float:
        """The text model's threshold (see `threshold_for`)."""
        return self.threshold_for(self.model)

    def threshold_for(self, model: LoadedModel) -> float:
        return self._threshold if self._threshold is not None else float(model.card.get("threshold", 0.5))

    def relative_threshold_for(self, model: LoadedModel) -> float:
        if self._threshold is not None:
            return 0.0
        return check_relative(float(model.card.get("relative_threshold", 0.0)))

    @property
    def smoother(self) -> Smoother:
        return self.smoother_for(self.model)

    def smoother_for(self, model: LoadedModel) -> Smoother:
        if not self.smoothing:
            return Smoother(weight=0.0)
        return Smoother(**model.card.get("smoothing", {"weight": 0.0}))

    # --- one document ----------------------------------------------------------------

    def classify(self, source, *, format: str = "auto", explain: bool = False) -> Document:
        """Label every paragraph of text, HTML, bytes or a Document. `explain`: add to each
        reason the feature groups that moved its score most (see `filterkit.explain`)."""
        return next(self.classify_many([source], format=format, explain=explain))

    def clean(self, source, *, format: str = "auto") -> str:
        """The article body: kept paragraphs, unchanged and in order, joined by a blank line."""
        return next(self.clean_many([source], format=format))

    # --- many documents ----------------------------------------------------------------

    def classify_many(self, sources: Iterable, *, format: str = "auto",
                      batch_size: int = DEFAULT_BATCH_SIZE, explain: bool = False,
                      errors: str = "raise", metadata: bool = True) -> Iterator[Document]:
        """Classify documents lazily, scoring them `batch_size` at a time.
        `metadata=False`: of HTML pages' metadata, read the title alone (`html_document`).

        errors: "raise" (the first source that cannot be read or classified raises, which
        ends the iteration) or "mark" (it comes out as an empty Document whose `error`
        says why, and the others go on; `ModelError` and `MemoryError` raise whatever
        `errors`)."""
        if errors not in ERROR_MODES:
            raise ValueError(f"unknown errors mode {errors!r}; expected one of {ERROR_MODES}")
        for documents in self._read_batches(sources, format, batch_size, metadata, errors):
            if errors == "mark":
                yield from self.classify_or_mark(documents, explain=explain)
            else:
                yield from self.classify_documents(documents, explain=explain)

    def clean_many(self, sources: Iterable, *, format: str = "auto",
                   batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[str]:
        """Each source's article body, as `clean`: the paragraphs `classify` keeps, without
        naming the junk (its types and reasons are `classify`'s work, and a body has none)."""
        for documents in self._read_batches(sources, format, batch_size, metadata=False):
            for document, settled in zip(documents, self.settle(documents, self.scores(documents))):
                yield kept_text(document.texts, settled.kept)

    def _read_batches(self, sources: Iterable, format: str, batch_size: int, metadata: bool,
                      errors: str = "raise") -> Iterator[list[Document]]:
        """The sources as Documents, `batch_size` at a time, read lazily. errors="mark": a
        source that cannot be read comes as an empty Document saying why (`read_document`)."""
        read = read_document if errors == "mark" else to_document
        iterator = iter(sources)
        while batch := list(islice(iterator, batch_size)):
            yield [read(source, format, self.limits, metadata=metadata) for source in batch]

    def classify_documents(self, documents: list[Document], explain: bool = False) -> list[Document]:
        """Score a batch of segmented documents, one call per model (text, HTML)."""
        settled = self.settle(documents, self.scores(documents))
        classified = [self._labelled(document, s) for document, s in zip(documents, settled)]
        if explain:
            classified = [explained(self.model_for(document).pipeline, document, done)
                          for document, done in zip(documents, classified)]
        return classified

    def classify_or_mark(self, documents: list[Document], *, seconds: float | None = None,
                         explain: bool = False) -> list[Document]:
        """`classify_documents`, going on past failures: a document marked as failed
        (`error`) is returned as it is; should the batch fail, each document is classified
        alone, and one that fails comes back empty, its `error` saying why. `seconds`:
        abandon the batch, and then a document alone, after that long (`limits.within`)."""
        readable = [document for document in documents if document.error is None]
        self._load_models_for(readable)  # loading a model is no document's time
        try:
            done = within(seconds, "scoring the documents",
                          lambda: self.classify_documents(readable, explain=explain))
        except FATAL:
            raise
        except Exception:
            done = [self._classify_or_mark_one(document, seconds, explain) for document in readable]
        done = iter(done)
        return [document if document.error is not None else next(done) for document in documents]

    def _load_models_for(self, documents: list[Document]) -> None:
        for document in documents:
            if document.paragraphs:
                self.model_for(document)

    def _classify_or_mark_one(self, document: Document, seconds: float | None, explain: bool) -> Document:
        try:
            return within(seconds, "scoring the document",
                          lambda: self.classify_documents([document], explain=explain)[0])
        except FATAL:
            raise
        except Exception as exc:
            return failed(exc, "classified")

    def scores(self, documents: list[Document]) -> list[np.ndarray]:
        """Each document's body scores, from the model for its kind of input."""
        out: list[np.ndarray] = [np.zeros(0)] * len(documents)
        by_kind: dict[bool, list[int]] = {}
        for i, document in enumerate(documents):
            if document.paragraphs:
                by_kind.setdefault(is_html_blocks(document), []).append(i)
        for members in by_kind.values():
            batch = [documents[i] for i in members]
            for i, scores in zip(members, document_scores(self.model_for(batch[0]).pipeline, batch)):
                out[i] = scores
        return out

    def settle(self, documents: list[Document], scores: list[np.ndarray]) -> list[Settled]:
        """Each document's decision on its scores; what a text document keeps is read again
        until a reading keeps all of it, so that cleaning is idempotent (`filterkit.settle`).
        An HTML page is read once: its output is text, for the text model."""
        def text_scores(parts: list[Document]) -> list[np.ndarray]:
            return document_scores(self.model.pipeline, parts)

        html = [i for i, document in enumerate(documents) if is_html_blocks(document)]
        text = [i for i, document in enumerate(documents) if not is_html_blocks(document)]
        out: list[Settled | None] = [None] * len(documents)
        for members, most in ((text, MAX_READINGS), (html, 1)):
            done = settle(text_scores, [documents[i] for i in members], [scores[i] for i in members],
                          self.reading, max_readings=most)
            for i, settled in zip(members, done):
                out[i] = settled
        return out

    def reading(self, document: Document, scores) -> Reading:
        """One reading of a document's scores: smoothing, then its threshold."""
        model = self.model_for(document)
        smoothed = self.smoother_for(model).smooth(scores)
        threshold = page_threshold(smoothed, self.threshold_for(model), self.relative_threshold_for(model))
        # The title is emitted separately: a line repeating a known title is never body.
        kept = np.array([bool(s >= threshold) and not repeats_title(t, document.title)
                         for s, t in zip(smoothed, document.texts)], dtype=bool)
        return Reading(kept, smoothed, threshold)

    def decide(self, document: Document, scores) -> Document:
        """The decisions on a document's scores, as `classify` makes them (`settle`)."""
        return self._labelled(document, self.settle([document], [scores])[0])

    def _labelled(self, document: Document, settled: Settled) -> Document:
        """Junk types and reasons for a settled decision."""
        texts = document.texts
        is_body = settled.kept.tolist()
        typed = self._typer(texts).assign(texts, is_body, document.title)
        decisions = []
        for score, threshold, body, dropped_on, junk in zip(settled.scores, settled.thresholds, is_body,
                                                            settled.dropped_on, typed):
            if body:
                decisions.append(Decision(CONTENT, float(score), f"body score {score:.2f}"))
            elif score >= threshold:
                decisions.append(Decision(junk.junk_type, float(score), junk.reason))
            else:
                again = " once the kept text was read again" if dropped_on > 1 else ""
                decisions.append(Decision(junk.junk_type, float(score),
                                          f"body score {score:.2f} < {threshold:.2f}{again}; {junk.reason}"))
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


def read_document(source, format: str = "auto", limits: Limits = DEFAULT_LIMITS, *,
                  seconds: float | None = None, metadata: bool = True) -> Document:
    """`to_document`, but a source that cannot be read comes back as an empty Document
    whose `error` says why (`ModelError` and `MemoryError` raise). `seconds`: abandon
    reading after that long (`limits.within`)."""
    try:
        return within(seconds, "reading the document",
                      lambda: to_document(source, format, limits, metadata=metadata))
    except FATAL:
        raise
    except Exception as exc:  # a parser failing on a strange page must not end a run
        return failed(exc, "read")


def failed(exc: Exception, action: str) -> Document:
    """The empty Document that stands for one that could not be `action` (read, classified)."""
    if isinstance(exc, InputError):
        return Document((), error=str(exc))
    return Document((), error=f"the document cannot be {action}: {type(exc).__name__}: {exc}")


def _reading(loaded: LoadedModel, wanted: str) -> LoadedModel:
    """`loaded`, after checking that it reads `wanted` input ("text" or "html")."""
    if model_input(loaded.card) != wanted:
        option = "model" if wanted == "text" else "html_model"
        raise ModelError(f"{loaded.path} is a model for {model_input(loaded.card)} input; "
                         f"Filter({option}=...) needs one for {wanted} input")
    return loaded


def is_html_blocks(document: Document) -> bool:
    """Whether a document holds the DOM blocks of an HTML page (see `filterkit.blocks`)."""
    return bool(document.paragraphs) and document.paragraphs[0].dom is not None


_default: Filter | None = None


def default_filter() -> Filter:
    """The shared Filter with the shipped model, loaded on first use."""
    global _default
    if _default is None:
        _default = Filter()
    return _default


def _filter_for(threshold: float | None) -> Filter:
    shared = default_filter()
    if threshold is None:
        return shared
    # Share the loaded models: loading the text model, say, once is the point of `Filter`.
    return Filter(shared.model, html_model=shared._html_loaded or shared._html_spec,
                  threshold=threshold)


def classify(source, *, threshold: float | None = None, format: str = "auto",
             explain: bool = False) -> Document:
    """Label every paragraph of `source` (text, HTML, bytes or a Document) as body or junk;
    `explain=True` adds to each reason the features that drove it."""
    return _filter_for(threshold).classify(source, format=format, explain=explain)


def clean(source, *, threshold: float | None = None, format: str = "auto") -> str:
    """The article body of `source`: body paragraphs, unchanged, joined by a blank line."""
    return _filter_for(threshold).clean(source, format=format)
