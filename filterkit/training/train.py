"""Training: fit a model on a labelled corpus, measure it, and save it with its model card."""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Callable

from ..decide.operating_point import OperatingPoint
from ..decide.settle import settle_documents
from ..model.score import document_scores
from ..model.store import SHIPPED_MODELS, load_model, save_model
from ..model.store import model_input as model_input_of
from .augment import augmentation_kinds, describe
from .corpus import LabelledDocument, read_labelled
from .evaluate import (
    DEFAULT_WEIGHTING,
    Report,
    WordCounts,
    corpus_input,
    cross_validated_folds,
    fit,
    format_ratio,
    report,
    settled_kept,
)
from .operating_point import choose_operating_point, settled_operating_point
from .peers import PageOutput, Scores, compare_with_trafilatura
from .presets import choose_presets

WCXB_CREDIT = {
    "name": "WCXB: Web Content eXtraction Benchmark, development split",
    "author": "Murrough Foley",
    "year": 2026,
    "license": "CC-BY-4.0",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "changes": "pages rendered to text (trafilatura favor_recall with comments, trafilatura defaults, "
               "and a whole-page rendering) and split into paragraphs; each paragraph labelled "
               "body/not-body by aligning its words with the human-reviewed main_content, except that "
               "a related-article cue used as a label ('Also Read: ...') is labelled junk",
}
WCXB_HTML_CHANGES = ("pages split into their DOM text blocks (paragraphs, headings, list items, table "
                     "cells, pre) with their DOM facts; each block labelled body/not-body by aligning "
                     "its words with the human-reviewed main_content, except that a related-article "
                     "cue used as a label ('Also Read: ...') is labelled junk")


def wcxb_credit(documents: list[LabelledDocument]) -> dict:
    """WCXB's credit and licence for a model card, saying how these documents were made from it."""
    if corpus_input(documents) == "html":
        return {**WCXB_CREDIT, "changes": WCXB_HTML_CHANGES}
    return WCXB_CREDIT


DESCRIPTIONS = {
    "text": "filterkit paragraph classifier for scraped article text: P(paragraph is article body)",
    "html": "filterkit block classifier for HTML pages: P(DOM text block is article body)",
}
OBJECTIVES = {
    "text": "best mean word F1 over all documents that keeps 0.98 of the body paragraphs of "
            "the trafilatura-recall rendering of articles",
    "html": "best mean of the mean word F1 over all pages and over article pages",
}
# Figures copied into the model card: the bars the project is held to.
CARD_ROWS = (("trafilatura-recall", "article"), ("trafilatura", "article"), ("page", "article"),
             ("trafilatura-recall", "all"), ("trafilatura", "all"), ("page", "all"), ("all", "all"))


def load_corpus(path: str | os.PathLike, *, renderings=None, page_types=None,
                limit: int | None = None) -> list[LabelledDocument]:
    """Read a labelled corpus, optionally keeping some renderings / page types / documents."""
    documents = []
    for document in read_labelled(path):
        if renderings and document.rendering not in renderings:
            continue
        if page_types and document.page_type not in page_types:
            continue
        documents.append(document)
        if limit is not None and len(documents) >= limit:
            break
    if not documents:
        raise ValueError(f"{path}: no labelled documents (after filtering)")
    return documents


def cross_validate(documents, *, kind: str = "gbt", folds: int = 5, threshold: float | None = None,
                   augment: bool = False, log: Callable[[str], None] = print):
    """Grouped-by-domain cross-validation: the report at the chosen operating point (or
    at `threshold`, applied as `Filter` applies a user's threshold).
    `augment`: train on `filterkit.training.augment`'s documents too."""
    scores, fitted = cross_validated_folds(documents, kind=kind, folds=folds, log=log, augment=augment)
    counts = [WordCounts(d.texts, d.reference or "") for d in documents]
    point = choose_operating_point(documents, scores, counts)
    if threshold is not None:
        point = point.at(threshold)
    kept = None  # Filter reads an HTML page once
    if corpus_input(documents) == "text":  # and what a text keeps until it settles
        if threshold is None:
            point, kept = settled_operating_point(documents, scores, fitted, point, log)
        else:
            kept = settled_kept(documents, scores, fitted, point)
    return report(documents, scores, point, counts, kept=kept)


def evaluate_model(documents, model_path=None, *, trusted: bool = False, threshold: float | None = None):
    """Score documents with an already trained model (no retraining: only fair on unseen data)."""
    model_input = corpus_input(documents)
    loaded = load_model(model_path, trusted=trusted, name=SHIPPED_MODELS[model_input])
    if model_input_of(loaded.card) != model_input:
        raise ValueError(f"{loaded.path} reads {model_input_of(loaded.card)} input, but this corpus "
                         f"holds {model_input} documents")
    readable = [d.document() for d in documents]
    scores = document_scores(loaded.pipeline, readable)
    # The decisions as Filter makes them with the card's operating point (a threshold asked
    # for replaces it), text read again until it settles.
    point = OperatingPoint.from_card(loaded.card, threshold=threshold)
    kept = [s.kept for s in settle_documents(loaded.pipeline, readable, scores, lambda _: point)]
    return report(documents, scores, point, kept=kept)


def train(documents, output: str | os.PathLike, *, kind: str = "gbt", folds: int = 5,
          corpus_name: str = "", training_data: dict | None = None, augment: bool = False,
          scores_path: str | os.PathLike | None = None, log: Callable[[str], None] = print) -> dict:
    """Cross-validate (to choose threshold and smoothing and to measure), fit on all, save."""
    if not str(output).endswith(".joblib"):
        raise ValueError(f"{output}: a model file name must end in .joblib (its card goes beside it as .json)")
    cv = cross_validate(documents, kind=kind, folds=folds, augment=augment, log=log)
    log(cv.to_text())
    if scores_path is not None:
        cv.save_scores(documents, scores_path)
    presets = choose_presets(documents, cv.scores, cv.point)
    log(f"fitting the final {kind} model on {len(documents)} documents")
    pipeline = fit(documents, kind, augment=augment)
    model_input = corpus_input(documents)
    method = (f"{folds}-fold cross-validation grouped by domain (GroupKFold); threshold, relative "
              f"threshold and smoothing chosen on the out-of-fold scores ({OBJECTIVES[model_input]})")
    card = model_card(pipeline, documents, cv, kind=kind, method=method, corpus_name=corpus_name,
                      training_data=training_data,
                      augmentation=describe(augmentation_kinds(augment) if model_input == "text" else ()))
    return save_with_card(pipeline, output, {**card, "presets": presets})


def model_card(pipeline, documents, cv: Report, *, kind: str, method: str, corpus_name: str = "",
               training_data: dict | None = None, augmentation: str = "none", **extra) -> dict:
    """A model card (before `save_model` adds its hash and versions): what the model is,
    its operating point (`cv.point`), its training data and its measured rows."""
    model_input = corpus_input(documents)
    return {
        "description": DESCRIPTIONS[model_input],
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "input": model_input,
        "model_kind": kind,
        **cv.point.to_dict(),
        "training_data": {
            **(training_data or {}),
            "corpus": corpus_name,
            "documents": len(documents),
            "pages": len({(d.domain, d.id) for d in documents}),
            "paragraphs": sum(len(d.texts) for d in documents),
            "renderings": sorted({d.rendering for d in documents}),
            "augmentation": augmentation,
        },
        "metrics": {
            "method": method,
            "sample_weighting": DEFAULT_WEIGHTING,
            "rows": [r.__dict__ | {"gap_closed": r.gap_closed} for r in cv.rows
                     if _on_card(r, model_input)],
            **extra,
        },
        "feature_names": [str(n) for n in pipeline[0].get_feature_names_out()],
    }


def save_with_card(pipeline, output: str | os.PathLike, card: dict) -> dict:
    """Save the model and its card (`NAME.json`, and `NAME.md` for people)."""
    card = save_model(pipeline, output, card)
    Path(output).with_suffix(".md").write_text(card_markdown(card), encoding="utf-8")
    return card


def _on_card(row, model_input: str) -> bool:
    """The text model's card shows the bars it is held to; the HTML model's, every page type."""
    if model_input == "html":
        return row.rendering != "all"
    return (row.rendering, row.page_type) in CARD_ROWS


def card_markdown(card: dict) -> str:
    """The model card for people: what the JSON card says, as a page."""
    data = card.get("training_data", {})
    rows = card.get("metrics", {}).get("rows", [])
    lines = [
        f"# Model card: {card.get('name', '')}", "",
        card.get("description", ""), "",
        f"- model: scikit-learn Pipeline (filterkit features v{card.get('feature_version')} + {card.get('model_kind')})",
        f"- threshold: {card.get('threshold')} (relative threshold: {card.get('relative_threshold', 0.0)}); "
        f"smoothing: {card.get('smoothing')}",
        f"- SHA-256 of the .joblib: `{card.get('sha256')}`",
        f"- library versions: {', '.join(f'{k} {v}' for k, v in card.get('versions', {}).items())}",
        f"- created: {card.get('created', '')}", "",
        "## Training data", "",
    ]
    for source in data.get("sources") or ([data] if data.get("license") else []):
        year = f", {source['year']}" if source.get("year") else ""
        where = f"; {source['source']}" if source.get("source") else ""
        lines += [f"{source.get('name')} ({source.get('author')}{year}{where}), licensed "
                  f"{source.get('license')} ({source.get('license_url')}). Changes: {source.get('changes')}.", ""]
    lines += [f"{data.get('documents')} documents ({data.get('pages')} pages; renderings: "
              f"{', '.join(data.get('renderings', []))}), {data.get('paragraphs')} paragraphs.", "",
              "## Cross-validated metrics", "", card.get("metrics", {}).get("method", ""), "",
              "| rendering | page type | docs | paragraph precision | retention | word F1 | input F1 | oracle F1 | gap closed |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['rendering']} | {r['page_type']} | {r['documents']} | {r['precision']:.3f} | "
                     f"{r['retention']:.3f} | {r['word_f1']:.3f} | {r['unfiltered_f1']:.3f} | "
                     f"{r['oracle_f1']:.3f} | {format_ratio(r['gap_closed'])} |")
    if card.get("metrics", {}).get("sources"):
        lines += ["", "## Measured on each source", "", card["metrics"]["sources"]]
    if card.get("presets"):
        lines += ["", *presets_markdown(card["presets"])]
    return "\n".join(lines) + "\n"


def presets_markdown(presets: dict) -> list[str]:
    """The card's named operating points (`--precision`, `--recall`) as a section."""
    lines = ["## Presets", "", "| preset | threshold | relative | smoothing | pages | word precision | "
             "word recall | word F1 |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, preset in presets.items():
        point = f"| {name} | {preset['threshold']} | {preset['relative_threshold']} | {preset['smoothing']} |"
        for group, figures in preset.get("cross_validated", {}).items():
            lines.append(f"{point} {group}: {figures['documents']} | {figures['word_precision']:.3f} | "
                         f"{figures['word_recall']:.3f} | {figures['word_f1']:.3f} |")
    return lines + ["", *(f"- {name}: {preset.get('rule', '')}" for name, preset in presets.items())]


def compare_with_peers(documents: list[LabelledDocument], report: Report, wcxb_dir: str | os.PathLike,
                       log: Callable[[str], None] = print) -> dict[str, dict[str, Scores]]:
    """Word P/R/F1 per page type of the cleaned HTML pages in `report`, next to
    trafilatura's three modes run now on the same pages (`WCXB_DIR/html/ID.html.gz`)."""
    if corpus_input(documents) != "html":
        raise ValueError("comparing with trafilatura needs a corpus of HTML pages "
                         "(`filterkit corpus build DIR --renderings html`)")
    html_dir = Path(wcxb_dir) / "html"
    pages = [(d.id, d.page_type, html_dir / f"{d.id}.html.gz") for d in documents]
    missing = [str(path) for _, _, path in pages if not path.is_file()]
    if missing:
        raise ValueError(f"{len(missing)} pages of the corpus are not in {html_dir}, e.g. {missing[0]}")
    ours = [PageOutput(d.id, d.page_type, text) for d, text in zip(documents, report.cleaned_texts(documents))]
    return compare_with_trafilatura(ours, {d.id: d.reference or "" for d in documents}, pages, log=log)
