"""Evaluation: grouped-by-domain cross-validation and the report filterkit prints.

Every figure is measured on documents whose domain the model never saw in training
(GroupKFold over `domain`). The report gives, per rendering and page type: paragraph
precision/recall of the body class (recall = content retention), and the WCXB word F1
of the cleaned output against the true body, beside the unfiltered input and the
oracle (the paragraphs the alignment labelled body).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.model_selection import GroupKFold

from ..decide.operating_point import OperatingPoint
from ..decide.settle import settle
from ..document import kept_text
from ..features.text import paragraph_rows
from ..model.pipeline import make_pipeline
from ..model.score import document_scores
from .augment import augmentation_kinds, augmented_corpus
from .corpus import LabelledDocument
from .metrics import WORD, paragraph_prf

ARTICLE = "article"


def body_labels(documents: list[LabelledDocument]) -> np.ndarray:
    return np.array([b for d in documents for b in d.is_body], dtype=int)


WEIGHTINGS = ("paragraph", "document", "sqrt-words")
# The weighting both models are trained with: `sqrt-words` measures a little better but
# lifts a line of a page with no body over the floor under which such a page comes out
# empty (figures: docs/training.md, "Sample weighting").
DEFAULT_WEIGHTING = "paragraph"


def sample_weights(documents: list[LabelledDocument], weighting: str) -> np.ndarray | None:
    """`paragraph`: every paragraph counts once (long whole-page renderings dominate).
    `document`: every document counts the same in total, as in the per-page word F1.
    `sqrt-words`: a paragraph counts the square root of one plus its words."""
    if weighting == "paragraph":
        return None
    if weighting == "sqrt-words":
        weights = np.sqrt(1.0 + np.array([len(t.split()) for d in documents for t in d.texts], dtype=float))
        return weights / weights.mean() if len(weights) else None
    if weighting != "document":
        raise ValueError(f"unknown weighting {weighting!r}; expected one of {WEIGHTINGS}")
    sizes = [len(d.texts) for d in documents]
    mean = sum(sizes) / max(len(sizes), 1)
    return np.concatenate([np.full(n, mean / n) for n in sizes if n])


def document_weighted(documents: list[LabelledDocument], weights: np.ndarray | None) -> np.ndarray | None:
    """`weights` (None: all 1) times each document's own weight (`extra["weight"]`, 1 when
    not given: a source with few labelled blocks per page can be given more)."""
    own = [float(d.extra.get("weight", 1.0)) for d in documents]
    if all(w == 1.0 for w in own):
        return weights
    per_row = np.concatenate([np.full(len(d.texts), w) for d, w in zip(documents, own)] or [np.zeros(0)])
    return per_row if weights is None else weights * per_row


def corpus_input(documents: list[LabelledDocument]) -> str:
    """"html" when every document holds the DOM blocks of a page, "text" when none does
    (documents without paragraphs, such as a page with no text, are either)."""
    with_text = [d for d in documents if d.texts]
    with_dom = sum(d.doms is not None for d in with_text)
    if with_dom and with_dom < len(with_text):
        raise ValueError(f"{with_dom} of {len(with_text)} documents are HTML blocks (with DOM facts) "
                         "and the others text: train the HTML and the text model on separate corpora")
    return "html" if with_dom else "text"


def fit(documents: list[LabelledDocument], kind: str = "gbt", weighting: str = DEFAULT_WEIGHTING,
        augment: bool | str | tuple[str, ...] = False, pipeline_params: dict | None = None):
    """Fit a pipeline on labelled documents (the HTML model when they are HTML blocks);
    `unlabelled` paragraphs are read as part of their documents but not learned.
    `weighting`: see `sample_weights`. `pipeline_params`: for `make_pipeline`.
    `augment`: add the training documents `filterkit.training.augment` makes from the pages
    (True for its default kinds, or the names of its kinds)."""
    kinds = augmentation_kinds(augment)
    if kinds:
        documents = augmented_corpus(documents, kinds=kinds)
    rows = paragraph_rows([d.document() for d in documents])
    labels = body_labels(documents)
    weights = document_weighted(documents, sample_weights(documents, weighting))
    labelled = np.array([k for d in documents for k in d.is_labelled], dtype=bool)
    if not labelled.all():  # unlabelled paragraphs are read with their documents, not learned
        rows = [row for row, keep in zip(rows, labelled) if keep]
        labels = labels[labelled]
        weights = None if weights is None else weights[labelled]
    params = {} if weights is None else {"classifier__sample_weight": weights}
    pipeline = make_pipeline(kind, input=corpus_input(documents), **(pipeline_params or {}))
    return pipeline.fit(rows, labels, **params)


def score_documents(pipeline, documents: list[LabelledDocument]) -> list[np.ndarray]:
    return document_scores(pipeline, [d.document() for d in documents])


@dataclass
class Fold:
    """One fold of a cross-validation: the model fitted without them, and the documents it scored."""

    pipeline: object
    test: list[int]


def cross_validated_scores(documents: list[LabelledDocument], kind: str = "gbt", folds: int = 5,
                           log=print, augment: bool = False) -> list[np.ndarray]:
    """Out-of-fold body scores for every document, folds grouped by domain (`augment`: made
    from each fold's training documents only)."""
    return cross_validated_folds(documents, kind, folds, log, augment)[0]


def cross_validated_folds(documents: list[LabelledDocument], kind: str = "gbt", folds: int = 5,
                          log=print, augment: bool = False, pipeline_params: dict | None = None
                          ) -> tuple[list[np.ndarray], list[Fold]]:
    """`cross_validated_scores`, and each fold's model with the documents it scored
    (`pipeline_params`: for `make_pipeline`)."""
    groups = [d.domain or d.id for d in documents]
    scores: list[np.ndarray | None] = [None] * len(documents)
    fitted = []
    splitter = GroupKFold(n_splits=folds)
    for number, (train, test) in enumerate(splitter.split(documents, groups=groups), 1):
        pipeline = fit([documents[i] for i in train], kind, augment=augment, pipeline_params=pipeline_params)
        for i, s in zip(test, score_documents(pipeline, [documents[i] for i in test])):
            scores[i] = s
        fitted.append(Fold(pipeline, list(test)))
        log(f"fold {number}/{folds}: trained on {len(train)} documents, scored {len(test)}")
    return scores, fitted


def settled_kept(documents: list[LabelledDocument], scores: list[np.ndarray], folds: list[Fold],
                 point: OperatingPoint) -> list[np.ndarray]:
    """The paragraphs each document keeps once its kept text is read again until it
    settles, as `Filter` does with text (`filterkit.decide.settle`), each by its own
    fold's model."""
    kept: list[np.ndarray | None] = [None] * len(documents)
    for fold in folds:
        def rescore(parts, pipeline=fold.pipeline):
            return document_scores(pipeline, parts)

        members = [documents[i].document() for i in fold.test]
        for i, done in zip(fold.test, settle(rescore, members, [scores[i] for i in fold.test], point.read)):
            kept[i] = done.kept
    return kept


@dataclass
class Row:
    rendering: str
    page_type: str
    documents: int
    precision: float
    retention: float
    word_f1: float
    unfiltered_f1: float
    oracle_f1: float

    @property
    def gap_closed(self) -> float | None:
        """How far the cleaned output goes from the unfiltered input to the oracle (1 = all);
        None where the oracle is no better than the input (nothing to close)."""
        gap = self.oracle_f1 - self.unfiltered_f1
        return (self.word_f1 - self.unfiltered_f1) / gap if gap > 1e-9 else None


@dataclass
class Report:
    point: OperatingPoint
    rows: list[Row] = field(default_factory=list)
    kept: list[np.ndarray] = field(default_factory=list, repr=False)  # per document, as scored
    scores: list[np.ndarray] = field(default_factory=list, repr=False)  # per document, before smoothing

    def save_scores(self, documents: list[LabelledDocument], path) -> None:
        """The scores behind this report, to study other operating points without
        retraining: `np.load(path)` gives id, domain, rendering and page type per document,
        `offsets` (document i's paragraphs are offsets[i]:offsets[i + 1]) and `scores`."""
        sizes = [len(s) for s in self.scores]
        np.savez_compressed(
            path, id=[d.id for d in documents], domain=[d.domain for d in documents],
            rendering=[d.rendering for d in documents], page_type=[d.page_type for d in documents],
            offsets=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
            scores=np.concatenate(self.scores) if self.scores else np.zeros(0))

    def cleaned_texts(self, documents: list[LabelledDocument]) -> list[str]:
        """Each document's cleaned output: its kept paragraphs joined by a blank line."""
        return [kept_text(d.texts, kept) for d, kept in zip(documents, self.kept)]

    def row(self, rendering: str = "all", page_type: str = "all") -> Row:
        return next(r for r in self.rows if r.rendering == rendering and r.page_type == page_type)

    def to_text(self) -> str:
        point = self.point
        head = (f"threshold {point.threshold:.2f}, relative threshold {point.relative:.2f}, "
                f"smoothing {point.smoother.to_dict()}\n"
                f"{'rendering':<20} {'page type':<14} {'docs':>5} {'para P':>7} {'retain':>7} "
                f"{'word F1':>8} {'input F1':>8} {'oracle':>7} {'gap closed':>10}")
        lines = [head]
        for r in self.rows:
            lines.append(f"{r.rendering:<20} {r.page_type:<14} {r.documents:>5} {r.precision:>7.3f} "
                         f"{r.retention:>7.3f} {r.word_f1:>8.3f} {r.unfiltered_f1:>8.3f} "
                         f"{r.oracle_f1:>7.3f} {format_ratio(r.gap_closed):>10}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            **self.point.to_dict(),
            "rows": [{**r.__dict__, "gap_closed": r.gap_closed} for r in self.rows],
        }


def format_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def report(documents: list[LabelledDocument], scores: list[np.ndarray], point: OperatingPoint,
           counts: list["WordCounts"] | None = None, kept: list[np.ndarray] | None = None) -> Report:
    """The figures of documents as cleaned at this operating point: one reading of their
    scores, or the paragraphs `kept` (as `settled_kept` gives them)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, d in enumerate(documents):
        for key in ((d.rendering, d.page_type), (d.rendering, "all"), ("all", d.page_type), ("all", "all")):
            groups[key].append(i)
    if kept is None:
        kept = [point.read(d.document(), s).kept for d, s in zip(documents, scores)]
    counts = counts or [WordCounts(d.texts, d.reference or "") for d in documents]
    result = Report(point, kept=kept, scores=list(scores))
    for (rendering, page_type), members in sorted(groups.items(), key=_group_order):
        result.rows.append(_row(rendering, page_type, [documents[i] for i in members],
                                [kept[i] for i in members], [counts[i] for i in members]))
    return result


def _group_order(item):
    (rendering, page_type), _ = item
    return (rendering == "all", rendering, page_type != "all", page_type)


def fbeta(precision: np.ndarray, recall: np.ndarray, beta: float) -> np.ndarray:
    """F-beta: recall counts `beta` times as much as precision; 0 where both are 0."""
    weight = beta * beta
    total = weight * precision + recall
    return np.divide((1 + weight) * precision * recall, total, out=np.zeros_like(total), where=total > 0)


class WordCounts:
    """A document's word counts per paragraph, to score many keep-masks at once (WCXB word F1)."""

    def __init__(self, texts: list[str], reference: str):
        vocabulary: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            for word, count in Counter(WORD.findall(text.lower())).items():
                rows.append(i)
                cols.append(vocabulary.setdefault(word, len(vocabulary)))
                vals.append(count)
        reference_counts = Counter(WORD.findall(reference.lower()))
        for word in reference_counts:
            vocabulary.setdefault(word, len(vocabulary))
        self.paragraphs = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)))
        self.reference = np.zeros(len(vocabulary))
        for word, count in reference_counts.items():
            self.reference[vocabulary[word]] = count

    def f1(self, masks: np.ndarray) -> np.ndarray:
        """Word F1 of the output that keeps paragraphs where masks[t] is true, for each t."""
        precision, recall = self.precision_recall(masks)
        if precision is None:  # no reference words: right only when nothing is kept
            return recall
        return fbeta(precision, recall, 1.0)

    def precision_recall(self, masks: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
        """Word precision and recall of each mask's output; (None, 1.0 where nothing is
        kept else 0.0) when the reference has no words."""
        masks = np.atleast_2d(masks).astype(np.float64)
        got = (self.paragraphs.T @ masks.T).T  # (masks, vocabulary)
        overlap = np.minimum(got, self.reference).sum(axis=1)
        got_total, want_total = got.sum(axis=1), self.reference.sum()
        if want_total == 0:
            return None, np.where(got_total == 0, 1.0, 0.0)
        precision = np.divide(overlap, got_total, out=np.zeros_like(overlap), where=got_total > 0)
        return precision, overlap / want_total


def _row(rendering, page_type, documents, kept, counts) -> Row:
    flat_kept = [k for ks in kept for k in ks]
    flat_true = [t for d in documents for t in d.is_body]
    paragraphs = paragraph_prf(flat_kept, flat_true)
    f1, unfiltered, oracle = [], [], []
    for d, k, c in zip(documents, kept, counts):
        masks = np.array([k, np.ones(len(k), bool), d.is_body]).reshape(3, len(k))
        got, full, best = c.f1(masks)
        f1.append(got)
        unfiltered.append(full)
        oracle.append(best)
    return Row(rendering, page_type, len(documents), paragraphs.precision, paragraphs.recall,
               float(np.mean(f1)), float(np.mean(unfiltered)), float(np.mean(oracle)))


