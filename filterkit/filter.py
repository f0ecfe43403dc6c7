"""The `Filter` that runs the whole path, and the module-level calls.

input → paragraphs (`read`) → features and model (`model.score`) → operating point and
settling (`decide`) → junk types → a classified `Document`, whose `.body` is the article.
"""
from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

import numpy as np

from .decide.junktypes import labelled
from .decide.operating_point import OperatingPoint
from .decide.settle import Settled, settle_documents
from .document import Document, kept_text
from .errors import InputError, ModelError
from .explain import explain as explained
from .limits import DEFAULT_LIMITS, Limits, within
from .model.score import document_scores
from .model.store import HTML_MODEL, LoadedModel, load_model, model_input
from .read import to_document
from .read.structured import body_or_structured, with_structured_body

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
        uses each model card's operating point (`filterkit.decide.operating_point`).
    precision, recall: use each model card's named operating point that keeps less junk
        (`precision=True`) or loses less body (`recall=True`) instead, chosen by
        cross-validation; one at most, and not with `threshold`.
    smoothing: apply the neighbour-smoothing pass with the card's parameters.
    limits: the most one input may hold (`filterkit.limits.Limits`); None: the defaults.
        A larger input raises `InputTooLargeError`. They hold wherever this Filter is
        used (records, batch workers, Ray, datatrove); `max_seconds` only there, where
        a document can be abandoned: `classify` itself is never interrupted.
    strict_encoding: refuse text bytes that are not UTF-8 (or UTF-16/32 with a byte-order
        mark) with `InputError`, instead of reading them in a guessed encoding or with
        their bad bytes replaced (which `Document.metadata` then says: `encoding`,
        `encoding_guessed`, `replaced_bytes`).
    """

    def __init__(self, model=None, *, html_model=None, threshold: float | None = None,
                 trusted: bool = False, smoothing: bool = True, limits: Limits | None = None,
                 precision: bool = False, recall: bool = False, strict_encoding: bool = False):
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must lie in [0, 1], got {threshold}")
        self._preset = preset_named(threshold, precision, recall)
        self._specs = {"text": model, "html": html_model}
        self._loaded: dict[str, LoadedModel] = {
            kind: spec for kind, spec in self._specs.items() if isinstance(spec, LoadedModel)}
        self._trusted = trusted
        self._threshold = threshold
        self.smoothing = smoothing
        self.limits = limits if limits is not None else DEFAULT_LIMITS
        self.strict_encoding = strict_encoding
        for loaded in self._loaded.values():  # a card without the preset fails now
            self.point_for(loaded)

    @property
    def model(self) -> LoadedModel:
        """The text model."""
        return self._model("text")

    @property
    def html_model(self) -> LoadedModel:
        """The model for the DOM blocks of HTML pages."""
        return self._model("html")

    def _model(self, kind: str) -> LoadedModel:
        if kind not in self._loaded:
            name = {"html": {"name": HTML_MODEL}}.get(kind, {})
            loaded = _reading(load_model(self._specs[kind], trusted=self._trusted, **name), kind)
            self.point_for(loaded)  # a card without the preset fails now
            self._loaded[kind] = loaded
        return self._loaded[kind]

    def model_for(self, document: Document) -> LoadedModel:
        """The HTML model for a page's DOM blocks, the text model for anything else."""
        return self.html_model if document.is_html_blocks else self.model

    def point_for(self, model: LoadedModel) -> OperatingPoint:
        """Where this filter cuts `model`'s scores: the card's operating point (or its
        preset), or this filter's threshold."""
        return OperatingPoint.from_card(model.card, threshold=self._threshold, smoothing=self.smoothing,
                                        preset=self._preset)

    @property
    def threshold(self) -> float:
        """The text model's threshold."""
        return self.point_for(self.model).threshold

    def sharing_models(self, threshold: float | None, *, precision: bool = False,
                       recall: bool = False) -> "Filter":
        """A Filter with this one's models (loaded once, for both) and `threshold` (or preset)."""
        other = Filter(self._specs["text"], html_model=self._specs["html"], threshold=threshold,
                       trusted=self._trusted, smoothing=self.smoothing, limits=self.limits,
                       precision=precision, recall=recall, strict_encoding=self.strict_encoding)
        for loaded in self._loaded.values():
            other.point_for(loaded)
        other._loaded = self._loaded
        return other

    # --- one document ----------------------------------------------------------------

    def classify(self, source, *, format: str = "auto", explain: bool = False) -> Document:
        """Label every paragraph of text, HTML, bytes or a Document. `explain`: add to each
        reason the feature groups that moved its score most (see `filterkit.explain`)."""
        return next(self.classify_many([source], format=format, explain=explain))

    def clean(self, source, *, format: str = "auto", output_format: str = "txt", links: bool = False,
              images: bool = False, include_comments: bool = False) -> str:
        """The article body: kept paragraphs, unchanged and in order, joined by a blank line.

        output_format: txt (that body), markdown, json, xml or html, the kept blocks with
        the structure the page gave them (`filterkit.report.formats`). links, images:
        with their targets. include_comments: the page's comments too, apart from the body.
        """
        return next(self.clean_many([source], format=format, output_format=output_format, links=links,
                                    images=images, include_comments=include_comments))

    # --- many documents ----------------------------------------------------------------

    def classify_many(self, sources: Iterable, *, format: str = "auto",
                      batch_size: int = DEFAULT_BATCH_SIZE, explain: bool = False,
                      errors: str = "raise", metadata: bool = True) -> Iterator[Document]:
        """Classify documents lazily, scoring them `batch_size` at a time.
        `metadata=False`: of HTML pages' metadata, read the title alone.

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
                   batch_size: int = DEFAULT_BATCH_SIZE, output_format: str = "txt", links: bool = False,
                   images: bool = False, include_comments: bool = False) -> Iterator[str]:
        """Each source's article body, as `clean`: the paragraphs `classify` keeps, without
        naming the junk (its types and reasons are `classify`'s work, and a body has none).
        In another output format, or with comments, each source is classified and written
        out as `clean` says."""
        from .report.formats import Rendering, render

        rendering = Rendering(output_format, links=links, images=images, comments=include_comments)
        if not rendering.is_plain:
            metadata = output_format in ("json", "xml", "html")
            for document in self.classify_many(sources, format=format, batch_size=batch_size, metadata=metadata):
                yield render(document, rendering)
            return
        for documents in self._read_batches(sources, format, batch_size, metadata=False):
            for document, settled in zip(documents, self.settle(documents, self.scores(documents))):
                yield body_or_structured(document, kept_text(document.texts, settled.kept))

    def _read_batches(self, sources: Iterable, format: str, batch_size: int, metadata: bool,
                      errors: str = "raise") -> Iterator[list[Document]]:
        """The sources as Documents, `batch_size` at a time, read lazily. errors="mark": a
        source that cannot be read comes as an empty Document saying why (`read_document`)."""
        read = read_document if errors == "mark" else to_document
        iterator = iter(sources)
        while batch := list(islice(iterator, batch_size)):
            yield [read(source, format, self.limits, metadata=metadata, strict_encoding=self.strict_encoding)
                   for source in batch]

    def classify_documents(self, documents: list[Document], explain: bool = False) -> list[Document]:
        """Score a batch of segmented documents, one call per model (text, HTML)."""
        settled = self.settle(documents, self.scores(documents))
        classified = [labelled(document, s) for document, s in zip(documents, settled)]
        if explain:
            classified = [explained(self.model_for(document).pipeline, document, done)
                          for document, done in zip(documents, classified)]
        return [with_structured_body(done) for done in classified]

    def classify_or_mark(self, documents: list[Document], *, seconds: float | None = None,
                         explain: bool = False) -> list[Document]:
        """`classify_documents`, going on past failures: a document marked as failed
        (`error`) is returned as it is; should the batch fail, each document is classified
        alone, and one that fails comes back empty, its `error` saying why. `seconds`:
        abandon the batch, and then a document alone, after that long (`limits.within`)."""
        readable = [document for document in documents if document.error is None]
        for document in readable:  # loading a model is no document's time
            if document.paragraphs:
                self.model_for(document)
        try:
            done = within(seconds, "scoring the documents",
                          lambda: self.classify_documents(readable, explain=explain))
        except FATAL:
            raise
        except Exception:
            done = [self._classify_or_mark_one(document, seconds, explain) for document in readable]
        done = iter(done)
        return [document if document.error is not None else next(done) for document in documents]

    def _classify_or_mark_one(self, document: Document, seconds: float | None, explain: bool) -> Document:
        try:
            return within(seconds, "scoring the document",
                          lambda: self.classify_documents([document], explain=explain)[0])
        except FATAL:
            raise
        except Exception as exc:
            return failed(exc, "classified")

    # --- the steps ---------------------------------------------------------------------

    def scores(self, documents: list[Document]) -> list[np.ndarray]:
        """Each document's body scores, from the model for its kind of input."""
        out: list[np.ndarray] = [np.zeros(0)] * len(documents)
        by_kind: dict[bool, list[int]] = {}
        for i, document in enumerate(documents):
            if document.paragraphs:
                by_kind.setdefault(document.is_html_blocks, []).append(i)
        for members in by_kind.values():
            batch = [documents[i] for i in members]
            for i, scores in zip(members, document_scores(self.model_for(batch[0]).pipeline, batch)):
                out[i] = scores
        return out

    def settle(self, documents: list[Document], scores: list[np.ndarray],
               point: OperatingPoint | None = None) -> list[Settled]:
        """Each document's decision on its scores, at its model's operating point (or at
        `point`); a text document is read again until it settles (`decide.settle`)."""
        def point_for(document: Document) -> OperatingPoint:
            return point or self.point_for(self.model_for(document))

        text_pipeline = self.model.pipeline if any(not d.is_html_blocks for d in documents) else None
        return settle_documents(text_pipeline, documents, scores, point_for)

    def decide(self, document: Document, scores, point: OperatingPoint | None = None) -> Document:
        """The decisions on a document's scores, as `classify` makes them, at its model's
        operating point (or at `point`)."""
        return labelled(document, self.settle([document], [scores], point)[0])


def read_document(source, format: str = "auto", limits: Limits = DEFAULT_LIMITS, *,
                  seconds: float | None = None, metadata: bool = True, strict_encoding: bool = False) -> Document:
    """`to_document`, but a source that cannot be read comes back as an empty Document
    whose `error` says why (`ModelError` and `MemoryError` raise). `seconds`: abandon
    reading after that long (`limits.within`)."""
    try:
        return within(seconds, "reading the document",
                      lambda: to_document(source, format, limits, metadata=metadata,
                                          strict_encoding=strict_encoding))
    except FATAL:
        raise
    except Exception as exc:  # a parser failing on a strange page must not end a run
        return failed(exc, "read")


def failed(exc: Exception, action: str) -> Document:
    """The empty Document that stands for one that could not be `action` (read, classified)."""
    if isinstance(exc, InputError):
        return Document((), error=str(exc))
    return Document((), error=f"the document cannot be {action}: {type(exc).__name__}: {exc}")


def preset_named(threshold: float | None, precision: bool, recall: bool) -> str | None:
    """The preset `precision`/`recall` ask for (None: neither); `ValueError` when more than
    one of them and `threshold` are given."""
    given = [name for name, on in (("threshold", threshold is not None), ("precision", precision),
                                   ("recall", recall)) if on]
    if len(given) > 1:
        raise ValueError(f"{' and '.join(given)} are different operating points: give one at most")
    return "precision" if precision else "recall" if recall else None


def _reading(loaded: LoadedModel, wanted: str) -> LoadedModel:
    """`loaded`, after checking that it reads `wanted` input ("text" or "html")."""
    if model_input(loaded.card) != wanted:
        option = "model" if wanted == "text" else "html_model"
        raise ModelError(f"{loaded.path} is a model for {model_input(loaded.card)} input; "
                         f"Filter({option}=...) needs one for {wanted} input")
    return loaded


_default: Filter | None = None


def default_filter() -> Filter:
    """The shared Filter with the shipped model, loaded on first use."""
    global _default
    if _default is None:
        _default = Filter()
    return _default


def _filter_for(threshold: float | None, precision: bool = False, recall: bool = False) -> Filter:
    shared = default_filter()
    if threshold is None and not precision and not recall:
        return shared
    return shared.sharing_models(threshold, precision=precision, recall=recall)


def classify(source, *, threshold: float | None = None, format: str = "auto",
             explain: bool = False, precision: bool = False, recall: bool = False) -> Document:
    """Label every paragraph of `source` (text, HTML, bytes or a Document) as body or junk;
    `explain=True` adds to each reason the features that drove it. `precision`/`recall`:
    the models' named operating points (see `Filter`)."""
    return _filter_for(threshold, precision, recall).classify(source, format=format, explain=explain)


def clean(source, *, threshold: float | None = None, format: str = "auto",
          precision: bool = False, recall: bool = False, output_format: str = "txt", links: bool = False,
          images: bool = False, include_comments: bool = False) -> str:
    """The article body of `source`: body paragraphs, unchanged, joined by a blank line.
    `precision`/`recall`: the models' named operating points (see `Filter`).
    `output_format` (txt, markdown, json, xml, html), `links`, `images`,
    `include_comments`: how it is written out (see `Filter.clean`)."""
    return _filter_for(threshold, precision, recall).clean(
        source, format=format, output_format=output_format, links=links, images=images,
        include_comments=include_comments)
