"""The data that flows through filterkit: what was read, and what was decided about it.

A `Paragraph` is input: its text exactly as given and its position. A `Decision` is
output: a label, a score and a reason. A `Document` holds the paragraphs and, once
classified, one decision per paragraph; classifying never edits a paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator

CONTENT = "content"
JUNK_TYPES = ("title", "related", "comment", "chrome", "promo", "meta")
LABELS = (CONTENT, *JUNK_TYPES)


def kept_text(texts, kept) -> str:
    """The kept paragraphs, unchanged and in order, joined by a blank line: a cleaned body."""
    return "\n\n".join(text for text, keep in zip(texts, kept) if keep)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of input, its text exactly as given; from HTML, with its DOM facts
    (`filterkit.blocks.DomFacts`: tag, ancestors, class/id words, link text) and its form
    (`filterkit.read.form.BlockForm`: heading, list item, table cell, code..., links),
    which only the output formats read."""

    text: str
    index: int
    dom: object | None = None
    form: object | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """What the classifier decided about one paragraph.

    `score` is the probability that the paragraph is article body; `label` is
    `content` or one of `JUNK_TYPES`; `reason` says in words why.
    """

    label: str
    score: float
    reason: str = ""

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown label {self.label!r}; expected one of {LABELS}")

    @property
    def is_content(self) -> bool:
        return self.label == CONTENT


@dataclass(frozen=True)
class Document:
    """A document as paragraphs, plus the decisions once it has been classified."""

    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    source_format: str = "text"
    decisions: tuple[Decision, ...] = ()
    metadata: dict = field(default_factory=dict, compare=False)
    # Why there are no paragraphs: the source could not be read or classified
    # (`Filter.classify_many(errors="mark")`); None for every document that could.
    error: str | None = None
    # How sure filterkit is that the body is right, 0-1 (`filterkit.decide.quality`); None
    # until classified, and for a document without paragraphs.
    quality: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.decisions and len(self.decisions) != len(self.paragraphs):
            raise ValueError(
                f"{len(self.decisions)} decisions for {len(self.paragraphs)} paragraphs"
            )

    @classmethod
    def from_texts(cls, texts, **kwargs) -> "Document":
        return cls(tuple(Paragraph(t, i) for i, t in enumerate(texts)), **kwargs)

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs]

    @property
    def author(self) -> str | None:
        """The author an HTML page names (trafilatura's metadata), if any."""
        return self.metadata.get("author")

    @property
    def date(self) -> str | None:
        """The publication date of an HTML page (trafilatura's metadata), if any."""
        return self.metadata.get("date")

    @property
    def is_html_blocks(self) -> bool:
        """Whether the paragraphs are the DOM blocks of an HTML page (`filterkit.read.blocks`)."""
        return bool(self.paragraphs) and self.paragraphs[0].dom is not None

    @property
    def is_classified(self) -> bool:
        return len(self.decisions) == len(self.paragraphs) and bool(self.paragraphs)

    def with_decisions(self, decisions, title: str | None = None) -> "Document":
        return replace(self, decisions=tuple(decisions), title=title if title is not None else self.title)

    def labelled(self) -> Iterator[tuple[Paragraph, Decision]]:
        self._require_decisions()
        return zip(self.paragraphs, self.decisions)

    def body_paragraphs(self) -> list[Paragraph]:
        return [p for p, d in self.labelled() if d.is_content]

    @property
    def body(self) -> str:
        """The article body: content paragraphs, in order, joined by a blank line."""
        self._require_decisions()
        return kept_text(self.texts, (d.is_content for d in self.decisions))

    def render(self, output_format: str = "txt", **options) -> str:
        """The classified document written out as `output_format` (txt, markdown, json, xml,
        html); `options`: those of `filterkit.report.formats.Rendering` (links, images,
        comments, text_format, paragraphs)."""
        from .report.formats import Rendering, render

        self._require_decisions()
        return render(self, Rendering(output_format, **options))

    @property
    def junk_ratio(self) -> float:
        """Share of the document's characters that were labelled junk."""
        self._require_decisions()
        total = sum(len(p.text) for p in self.paragraphs)
        if not total:
            return 0.0
        junk = sum(len(p.text) for p, d in self.labelled() if not d.is_content)
        return junk / total

    def _require_decisions(self) -> None:
        if len(self.decisions) != len(self.paragraphs):
            raise ValueError("this document has not been classified; use filterkit.classify()")
