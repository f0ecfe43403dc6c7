"""A second development source, and measurement across sources.

trafilatura's evaluation pages (`trafilatura-eval-dev`) have no reference body, only
snippets a correct extraction holds (`with`) or does not (`without`), and another
annotation policy than WCXB's. This module makes them a labelled corpus with partial
labels (`snippet_corpus`: a block holding a `with` snippet is body, one holding a
`without` snippet junk, the rest `unlabelled`, read with its page but never trained on
nor scored), scores a model's cleaned pages there with trafilatura's snippet metric
(`filterkit.training.snippets`), beside trafilatura's three modes on the same pages in the
same run, after training on the other source (`cross_source`); and measures and trains on
both (`two_source_evaluation`, `train_both`).

Documents of this source carry `extra["source"] = SNIPPET_SOURCE` and the page's URL.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable, Sequence
from urllib.parse import urlsplit

import numpy as np

from ..decide.operating_point import OperatingPoint
from ..document import CONTENT, kept_text
from ..read.blocks import site_of
from ..read.html import html_document
from .corpus import HTML_RENDERING, JUNK, UNLABELLED, LabelledDocument
from .evaluate import fit, score_documents
from .peers import TRAFILATURA_MODES, read_page, trafilatura_outputs
from .snippets import EvalPage, SnippetCounts, normalise, page_counts, read_evaldata, snippet_f1

SNIPPET_SOURCE = "trafilatura-eval-dev"
WCXB_SOURCE = "wcxb-dev"
TRAFILATURA_EVAL_CREDIT = {
    "name": "trafilatura evaluation pages (tests/evaldata.json, tests/eval, tests/cache), the "
            "development half split by host",
    "author": "Adrien Barbaresi and contributors",
    "license": "Apache-2.0",
    "license_url": "https://www.apache.org/licenses/LICENSE-2.0",
    "source": "https://github.com/adbar/trafilatura",
    "changes": "pages split into their DOM text blocks with their DOM facts; a block holding a "
               "'with' snippet labelled body, one holding a 'without' snippet not body, the others "
               "left unlabelled (read with their page, never trained on nor scored)",
}
# A snippet no one block holds may run over a few consecutive blocks.
MAX_SPAN = 4


def source_of(document: LabelledDocument) -> str:
    return document.extra.get("source") or WCXB_SOURCE


def snippet_labels(texts: Sequence[str], with_: Sequence[str], without: Sequence[str]) -> list[str]:
    """Each block's label from the snippets it holds: `content` for a `with` snippet,
    `junk` for a `without` one, `unlabelled` for none or both."""
    blocks = [normalise(t) for t in texts]
    body, junk = set(), set()
    for snippets, marked in ((with_, body), (without, junk)):
        for snippet in snippets:
            marked.update(holding(blocks, normalise(snippet)))
    return [UNLABELLED if (i in body) == (i in junk) else CONTENT if i in body else JUNK
            for i in range(len(blocks))]


def holding(blocks: Sequence[str], snippet: str) -> list[int]:
    """The blocks (whitespace-normalised) that hold a snippet: each block that holds it
    whole, else the shortest runs of up to MAX_SPAN consecutive blocks that do."""
    if not snippet:
        return []
    whole = [i for i, block in enumerate(blocks) if snippet in block]
    if whole:
        return whole
    for span in range(2, MAX_SPAN + 1):
        found = [i + k for i in range(len(blocks) - span + 1)
                 if snippet in " ".join(blocks[i:i + span]) for k in range(span)]
        if found:
            return sorted(set(found))
    return []


def page_id(page: EvalPage) -> str:
    return hashlib.sha1(page.url.encode()).hexdigest()[:12]


def label_snippet_page(page: EvalPage) -> LabelledDocument:
    """One evaluation page as the HTML model reads it, labelled by its snippets."""
    document = html_document(read_page(page.path))
    texts = document.texts
    host = urlsplit(page.url).hostname or ""
    return LabelledDocument(
        texts, snippet_labels(texts, page.with_, page.without), id=page_id(page),
        domain=site_of(host) if host else page.url, rendering=HTML_RENDERING, title=document.title,
        doms=[p.dom for p in document.paragraphs], extra={"source": SNIPPET_SOURCE, "url": page.url},
    )


def snippet_corpus(directory: str | os.PathLike, jobs: int = 1, limit: int | None = None
                   ) -> tuple[list[LabelledDocument], list[EvalPage]]:
    """The pages of a trafilatura-style evaluation directory as labelled documents, and the
    pages themselves (same order)."""
    pages = read_evaldata(directory)[:limit]
    if jobs <= 1:
        return [label_snippet_page(p) for p in pages], pages
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(label_snippet_page, pages, chunksize=8)), pages


def pages_by_id(pages: Sequence[EvalPage]) -> dict[str, EvalPage]:
    return {page_id(p): p for p in pages}


def snippet_counts(documents: Sequence[LabelledDocument], kept: Sequence[np.ndarray],
                   pages: dict[str, EvalPage]) -> SnippetCounts:
    """The snippet counts of each document's kept blocks, as `Filter.clean` joins them."""
    total = SnippetCounts()
    for document, mask in zip(documents, kept):
        total += page_counts(pages[document.id], kept_text(document.texts, mask))
    return total


def snippet_counts_at(documents: Sequence[LabelledDocument], masks: Sequence[np.ndarray],
                      pages: dict[str, EvalPage]) -> np.ndarray:
    """(tp, fp, fn, tn) summed over documents for each row of each document's masks (one
    row per threshold): a (thresholds, 4) array."""
    rows = len(masks[0]) if masks else 0
    total = np.zeros((rows, 4), dtype=np.int64)
    for document, mask in zip(documents, masks):
        page = pages[document.id]
        for t in range(rows):
            total[t] += page_counts(page, kept_text(document.texts, mask[t])).as_tuple()
    return total


def snippet_f1s(counts: np.ndarray) -> np.ndarray:
    """The snippet F1 of each row of (tp, fp, fn, tn) counts."""
    return np.array([snippet_f1(*row) for row in counts], dtype=np.float64)


def peer_snippet_counts(pages: Sequence[EvalPage], modes=tuple(TRAFILATURA_MODES),
                        log: Callable[[str], None] = print) -> dict[str, SnippetCounts]:
    """trafilatura's snippet counts on the same pages, one entry per mode."""
    results = {}
    for mode in modes:
        log(f"running {mode} on {len(pages)} pages")
        outputs = trafilatura_outputs([(p.url, "", p.path) for p in pages], mode)
        results[mode] = sum((page_counts(p, o.text) for p, o in zip(pages, outputs)), SnippetCounts())
    return results


def model_snippet_counts(pipeline, point: OperatingPoint, documents: Sequence[LabelledDocument],
                         pages: Sequence[EvalPage]) -> SnippetCounts:
    """A fitted HTML pipeline's snippet counts on the pages, at an operating point (one
    reading, as `Filter` reads a page)."""
    scores = score_documents(pipeline, list(documents))
    kept = [point.read(d.document(), s).kept for d, s in zip(documents, scores)]
    return snippet_counts(documents, kept, pages_by_id(pages))


def snippet_table(results: dict[str, SnippetCounts]) -> str:
    """A markdown table: precision, recall, F1 and accuracy per extractor."""
    lines = ["| extractor | precision | recall | F1 | accuracy | tp/fp/fn/tn |", "| --- | --- | --- | --- | --- | --- |"]
    for name, c in results.items():
        lines.append(f"| {name} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.accuracy:.3f} | "
                     f"{c.tp}/{c.fp}/{c.fn}/{c.tn} |")
    return "\n".join(lines)


@dataclass
class CrossSource:
    """A model trained on one source and scored on the snippet source, with its peers."""

    point: OperatingPoint
    results: dict[str, SnippetCounts]

    def to_text(self) -> str:
        return (f"threshold {self.point.threshold:.2f}, relative {self.point.relative:.2f}, "
                f"smoothing {self.point.smoother.to_dict()}\n" + snippet_table(self.results))


def cross_source(train_documents: Sequence[LabelledDocument], point: OperatingPoint,
                 documents: Sequence[LabelledDocument], pages: Sequence[EvalPage], *,
                 pipeline=None, peers: bool = True, name: str = "filterkit",
                 pipeline_params: dict | None = None, log: Callable[[str], None] = print) -> CrossSource:
    """Train on one source (`train_documents`; or take a fitted `pipeline`), clean the
    pages of the snippet source (`documents`, read from `pages`) at `point` (chosen on the
    training source), and score them with the snippet metric, beside trafilatura's three
    modes run now on the same pages (`peers`)."""
    if pipeline is None:
        log(f"fitting on {len(train_documents)} documents")
        pipeline = fit(list(train_documents), pipeline_params=pipeline_params)
    results = {name: model_snippet_counts(pipeline, point, documents, pages)}
    if peers:
        results.update(peer_snippet_counts(pages, log=log))
    return CrossSource(point, results)


# --- Training on both sources ------------------------------------------------------------


def weighted(documents: Sequence[LabelledDocument], weight: float) -> list[LabelledDocument]:
    """The documents, each counting `weight` times in training (`extra["weight"]`)."""
    return [replace(d, extra={**d.extra, "weight": weight}) for d in documents]


def two_source_point(wcxb: Sequence[LabelledDocument], wcxb_scores, snippet: Sequence[LabelledDocument],
                     snippet_scores, pages: Sequence[EvalPage]) -> OperatingPoint:
    """The operating point chosen on both sources' out-of-fold scores: the best mean of
    WCXB's objective (`operating_objective`) and the snippet F1 on the snippet source."""
    from .operating_point import THRESHOLDS, search_operating_point, word_f1_objective

    on_wcxb = word_f1_objective(list(wcxb), wcxb_scores)
    by_id = pages_by_id(pages)
    readable = [d.document() for d in snippet]

    def values(point: OperatingPoint) -> np.ndarray:
        masks = [point.kept_at(d, s, THRESHOLDS) for d, s in zip(readable, snippet_scores)]
        return (on_wcxb(point) + snippet_f1s(snippet_counts_at(snippet, masks, by_id))) / 2
    return search_operating_point(values)


@dataclass
class TwoSources:
    """A model trained on both sources, measured: grouped cross-validation over both
    (folds grouped by site, each fold holding out sites of both sources) and leave one
    source out, all at the operating point chosen on both sources' out-of-fold scores."""

    point: OperatingPoint
    wcxb_cv: object  # evaluate.Report of WCXB's pages, out of fold
    snippet_cv: SnippetCounts
    wcxb_loso: object  # evaluate.Report of WCXB's pages, by the model trained on the snippet source
    snippet_loso: SnippetCounts  # the snippet source, by the model trained on WCXB alone

    def to_text(self) -> str:
        lines = [f"operating point chosen on both sources: threshold {self.point.threshold:.2f}, relative "
                 f"{self.point.relative:.2f}, smoothing {self.point.smoother.to_dict()}",
                 "| measured | source | precision | recall | F1 | articles F1 |", "| --- | --- | --- | --- | --- | --- |"]
        for how, report in (("grouped CV", self.wcxb_cv), ("LOSO", self.wcxb_loso)):
            row, articles = report.row("all", "all"), _article_row(report)
            lines.append(f"| {how} | {WCXB_SOURCE} (word F1, mean over pages) | {row.precision:.3f}* | "
                         f"{row.retention:.3f}* | {row.word_f1:.3f} | {articles} |")
        for how, counts in (("grouped CV", self.snippet_cv), ("LOSO", self.snippet_loso)):
            lines.append(f"| {how} | {SNIPPET_SOURCE} (snippets) | {counts.precision:.3f} | {counts.recall:.3f} | "
                         f"{counts.f1:.3f} | |")
        lines.append("(* WCXB precision and recall are of body blocks, not words)")
        return "\n".join(lines)


def _article_row(report) -> str:
    try:
        return f"{report.row('all', 'article').word_f1:.3f}"
    except StopIteration:
        return ""


def two_source_evaluation(wcxb: Sequence[LabelledDocument], snippet: Sequence[LabelledDocument],
                          pages: Sequence[EvalPage], *, folds: int = 5, pipeline_params: dict | None = None,
                          on_wcxb=None, log: Callable[[str], None] = print) -> tuple[TwoSources, list]:
    """Measure training on both sources (`TwoSources`); also the out-of-fold scores of
    `wcxb + snippet`, in that order. `on_wcxb`: the model fitted on WCXB alone, if one is
    at hand (with the same `pipeline_params`)."""
    from .evaluate import cross_validated_folds, report

    wcxb, snippet = list(wcxb), list(snippet)
    documents = wcxb + snippet
    scores, _ = cross_validated_folds(documents, folds=folds, log=log, pipeline_params=pipeline_params)
    wcxb_scores, snippet_scores = scores[:len(wcxb)], scores[len(wcxb):]
    point = two_source_point(wcxb, wcxb_scores, snippet, snippet_scores, pages)
    log(f"operating point: {point.to_dict()}")
    by_id = pages_by_id(pages)
    snippet_cv = snippet_counts(snippet, [point.read(d.document(), s).kept for d, s in zip(snippet, snippet_scores)],
                                by_id)
    if on_wcxb is None:
        log("leave one source out: fitting on WCXB")
        on_wcxb = fit(wcxb, pipeline_params=pipeline_params)
    snippet_loso = model_snippet_counts(on_wcxb, point, snippet, pages)
    log("leave one source out: fitting on the snippet source")
    on_snippets = fit(snippet, pipeline_params=pipeline_params)
    wcxb_loso = report(wcxb, score_documents(on_snippets, wcxb), point)
    return TwoSources(point, report(wcxb, wcxb_scores, point), snippet_cv, wcxb_loso, snippet_loso), scores


TWO_SOURCE_METHOD = (
    "{folds}-fold cross-validation over both sources grouped by site (GroupKFold; each fold holds out "
    "sites of both), and leave one source out (trained on WCXB alone, scored on trafilatura-eval-dev; "
    "trained on trafilatura-eval-dev alone, scored on WCXB); threshold, relative threshold and "
    "smoothing chosen on the out-of-fold scores of both sources: the best mean of WCXB's objective "
    "(the mean of the mean word F1 over all pages and over article pages) and the snippet F1 on "
    "trafilatura-eval-dev; the leave-one-source-out rows are at that point. Blocks of "
    "trafilatura-eval-dev without a snippet are not trained on nor scored; its labelled blocks count "
    "{weight:g} times. The rows below: WCXB's pages out of fold."
)


def train_both(wcxb: Sequence[LabelledDocument], snippet: Sequence[LabelledDocument],
               pages: Sequence[EvalPage], output, *, folds: int = 5, snippet_weight: float = 10.0,
               pipeline_params: dict | None = None, on_wcxb=None, corpus_name: str = "",
               log: Callable[[str], None] = print) -> dict:
    """Measure (`two_source_evaluation`) and fit the HTML model on both sources, with
    trafilatura's three modes on the snippet source beside it, and save it with a card
    that credits both sources and says how each figure was obtained."""
    from .train import model_card, save_with_card, wcxb_credit

    wcxb, snippet = list(wcxb), weighted(snippet, snippet_weight)
    measured, _ = two_source_evaluation(wcxb, snippet, pages, folds=folds, pipeline_params=pipeline_params,
                                        on_wcxb=on_wcxb, log=log)
    peers = peer_snippet_counts(pages, log=log)
    table = measured.to_text() + "\n\ntrafilatura on the same trafilatura-eval-dev pages, same run:\n\n" + \
        snippet_table(peers)
    log(table)
    log(f"fitting the final model on {len(wcxb)} + {len(snippet)} pages")
    pipeline = fit(wcxb + snippet, pipeline_params=pipeline_params)
    training_data = {"sources": [wcxb_credit(wcxb), TRAFILATURA_EVAL_CREDIT],
                     "labelled_blocks": {WCXB_SOURCE: sum(len(d.texts) for d in wcxb),
                                         SNIPPET_SOURCE: sum(sum(d.is_labelled) for d in snippet)}}
    card = model_card(
        pipeline, wcxb + snippet, measured.wcxb_cv, kind="gbt", corpus_name=corpus_name,
        method=TWO_SOURCE_METHOD.format(folds=folds, weight=snippet_weight), training_data=training_data,
        sources=table, snippet_source={
            "grouped_cv": measured.snippet_cv.as_tuple(), "loso": measured.snippet_loso.as_tuple(),
            **{mode: c.as_tuple() for mode, c in peers.items()}, "counts": "tp, fp, fn, tn"},
        wcxb_loso=[r.__dict__ | {"gap_closed": r.gap_closed} for r in measured.wcxb_loso.rows
                   if r.rendering == "all"],
    )
    return save_with_card(pipeline, output, card)
