"""Classified documents → one self-contained HTML page to look at what was removed, and why.

Every paragraph is shown coloured by its label with its body score; a click shows the
feature groups that moved its score (`filterkit.explain`). A threshold slider replays
the library's own decision (smoothing, threshold, junk types) at each step of
`THRESHOLD_STEPS`, computed here, so what the page keeps at a threshold is what
`filterkit clean --threshold` keeps. The page loads nothing: styles, script and data are
inline, and its Content-Security-Policy forbids any request.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from importlib import resources
from string import Template
from typing import Iterable

from ..document import CONTENT, LABELS, Document
from ..explain import Explanation, explanations
from ..filter import Filter
from ..scale.records import Item

MAX_DOCUMENTS = 25
THRESHOLD_STEPS = tuple(round(0.05 * i, 2) for i in range(21))


@dataclass
class Inspected:
    """One document of the report: classified with explanations, and its paragraphs'
    labels at each threshold step."""

    name: str
    document: Document
    labels: list[list[str]]  # labels[paragraph][step]


@dataclass
class Report:
    """What a report shows: documents, those that could not be read, and whether more
    documents were given than shown."""

    threshold: float
    model: str
    steps: tuple[float, ...]
    documents: list[Inspected] = field(default_factory=list)
    failed: list[Item] = field(default_factory=list)
    truncated: bool = False
    max_documents: int = MAX_DOCUMENTS

    def to_html(self) -> str:
        template = Template(resources.files("filterkit.report").joinpath("inspect.html").read_text(encoding="utf-8"))
        return template.substitute(
            threshold=f"{self.threshold:.2f}", model=html.escape(self.model),
            last_step=len(self.steps) - 1, initial_step=self.steps.index(self.threshold),
            steps=json.dumps(self.steps), legend=_legend(), notes=self._notes(),
            documents="\n".join(_document_html(i, d) for i, d in enumerate(self.documents)),
        )

    def _notes(self) -> str:
        notes = []
        if self.truncated:
            notes.append(f"Only the first {self.max_documents} documents are shown; the input has more "
                         f"(use --max-documents to show more).")
        notes += [f"{item.where} could not be read: {item.error}" for item in self.failed]
        if not self.documents and not self.failed:
            notes.append("The input holds no documents.")
        return "\n".join(f'<p class="note">{html.escape(note)}</p>' for note in notes)


def inspect(filter: Filter, items: Iterable[Item], max_documents: int = MAX_DOCUMENTS) -> Report:
    """Classify and explain the first `max_documents` items; note whether there were more.
    The slider starts at the threshold of the first document's model (text and HTML
    pages have a model each) and has a step at each model's threshold."""
    shown, failed, truncated = [], [], False
    for count, item in enumerate(items):
        if count == max_documents:
            truncated = True
            break
        (shown if item.document is not None else failed).append(item)
    by_identity = {id(model): model for model in map(filter.model_for, (item.document for item in shown))}
    models = list(by_identity.values()) or [filter.model]
    thresholds = [filter.point_for(model).threshold for model in models]
    steps = tuple(sorted({*THRESHOLD_STEPS, *thresholds}))
    described = ", ".join(f"{model.path.stem} (threshold {threshold:.2f})" for model, threshold in zip(models, thresholds))
    report = Report(thresholds[0], described, steps, failed=failed, truncated=truncated,
                    max_documents=max_documents)
    for item in shown:
        classified = filter.classify_documents([item.document], explain=True)[0]
        labels = _labels_by_step(filter, item.document, classified, steps)
        report.documents.append(Inspected(item.where, classified, labels))
    return report


def _labels_by_step(filter: Filter, document: Document, classified: Document,
                    steps: tuple[float, ...]) -> list[list[str]]:
    """Each paragraph's label at each threshold of `steps`, from the model's scores; at the
    filter's own threshold, its own decisions (which may lower the threshold on this
    document: `filterkit.threshold`)."""
    scores = [e.score for e in explanations(classified)]
    point = filter.point_for(filter.model_for(document))  # the text or the HTML model's
    by_filter = [classified.decisions if t == point.threshold else
                 filter.decide(document, scores, point.at(t)).decisions for t in steps]
    return [[decisions[i].label for decisions in by_filter] for i in range(len(document.paragraphs))]


# --- HTML -----------------------------------------------------------------------------


def _legend() -> str:
    return "".join(f'<span class="label-{label}">{label}</span>' for label in LABELS)


def _document_html(number: int, inspected: Inspected) -> str:
    doc = inspected.document
    title = html.escape(doc.title) if doc.title else "<i>none found</i>"
    paragraphs = "\n".join(_paragraph_html(p.text, d.label, d.score, e, labels)
                           for p, d, e, labels in zip(doc.paragraphs, doc.decisions,
                                                      explanations(doc), inspected.labels))
    return (f'<section class="doc" id="doc-{number}">\n<h2>{html.escape(inspected.name)}</h2>\n'
            f'<div class="doc-meta">title: {title} · {len(doc.paragraphs)} paragraphs, '
            f'<span class="kept-count">{len(doc.body_paragraphs())}</span> kept · '
            f'<span class="junk-share">{100 * doc.junk_ratio:.1f}%</span> of characters junk</div>\n'
            f'{paragraphs or "<p>(no text)</p>"}\n</section>')


def _paragraph_html(text: str, label: str, score: float, explanation: Explanation, labels: list[str]) -> str:
    reasons = "".join(f'<li class="to-{r.direction}">{html.escape(str(r))}</li>' for r in explanation.reasons)
    hover = f"body score {score:.2f}; model score {explanation.score:.2f}: {explanation}"
    kept = " kept" if label == CONTENT else ""
    return (f'<div class="p label-{label}{kept}" data-score="{score:.4f}" data-chars="{len(text)}" '
            f'data-labels="{" ".join(labels)}" title="{html.escape(hover)}">'
            f'<span class="tag">{label}</span><span class="score">{score:.2f}</span>'
            f'<div class="text">{html.escape(text)}</div>'
            f'<ol class="why">{reasons or f"<li>{html.escape(str(explanation))}</li>"}</ol></div>')
