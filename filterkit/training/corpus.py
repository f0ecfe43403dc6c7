"""Labelled corpora: build one from WCXB pages, and read/write the labelled JSONL format.

The labelled format is one JSON object per document:

    {"id": "0001", "domain": "example.com", "page_type": "article",
     "rendering": "trafilatura-recall", "title": "...", "reference": "...",
     "paragraphs": [{"text": "...", "label": "content"}, {"text": "...", "label": "junk"}]}

`label` is `content`, `junk` (not body, type unknown), a junk type (`title`, `related`,
`comment`, `chrome`, `promo`, `meta`) or `unlabelled` (read with its document, never
trained on: the blocks of a page annotated with snippets that hold none). Only `paragraphs` is required; `reference`
(the true article body) enables word-F1 evaluation; `domain` groups cross-validation.
Blocks of the `html` rendering also carry `"dom"`: their `filterkit.read.blocks.DomFacts`.
The format for users: docs/labelled-format.md.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from ..document import CONTENT, JUNK_TYPES, Document, Paragraph
from ..errors import InputError
from ..lexicons import ALL_LANGUAGES, load_lexicon, normalise_cue_text
from ..read.blocks import DomFacts
from ..read.html import html_document, page_blocks, parse_html
from ..read.text import segment_text
from .align import align

JUNK = "junk"
# A paragraph whose label is not known (a block of a page annotated with snippets that
# holds none): read as part of its document, never trained on nor scored.
UNLABELLED = "unlabelled"
RECORD_LABELS = (CONTENT, JUNK, *JUNK_TYPES, UNLABELLED)
RENDERINGS = ("trafilatura-recall", "trafilatura", "page")
HTML_RENDERING = "html"  # the page's own DOM blocks, for the HTML model
ALL_RENDERINGS = (*RENDERINGS, HTML_RENDERING)


@dataclass
class LabelledDocument:
    """A document with a known label per paragraph: the unit of training and evaluation."""

    texts: list[str]
    labels: list[str]
    id: str = ""
    domain: str = ""
    page_type: str = ""
    rendering: str = ""
    title: str | None = None
    reference: str | None = None
    extra: dict = field(default_factory=dict)
    doms: list[DomFacts] | None = None  # one per paragraph, for blocks read from HTML

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.labels):
            raise ValueError(f"{self.id}: {len(self.texts)} paragraphs but {len(self.labels)} labels")
        if self.doms is not None and len(self.doms) != len(self.texts):
            raise ValueError(f"{self.id}: {len(self.texts)} paragraphs but {len(self.doms)} DOM facts")
        unknown = set(self.labels) - set(RECORD_LABELS)
        if unknown:
            raise ValueError(f"{self.id}: unknown labels {sorted(unknown)}; expected {RECORD_LABELS}")

    @property
    def is_body(self) -> list[bool]:
        return [label == CONTENT for label in self.labels]

    @property
    def is_labelled(self) -> list[bool]:
        return [label != UNLABELLED for label in self.labels]

    def document(self) -> Document:
        if self.doms is None:
            return Document.from_texts(self.texts)
        paragraphs = tuple(Paragraph(t, i, dom=d) for i, (t, d) in enumerate(zip(self.texts, self.doms)))
        return Document(paragraphs, title=self.title, source_format="html")

    def to_json(self) -> dict:
        paragraphs = [{"text": t, "label": l} for t, l in zip(self.texts, self.labels)]
        for paragraph, dom in zip(paragraphs, self.doms or ()):
            paragraph["dom"] = dom.to_json()
        record = {
            "id": self.id, "domain": self.domain, "page_type": self.page_type,
            "rendering": self.rendering, "title": self.title, "reference": self.reference,
            "paragraphs": paragraphs,
        }
        return {**self.extra, **record}

    @classmethod
    def from_json(cls, record: dict) -> "LabelledDocument":
        if not isinstance(record, dict):
            raise ValueError(f"a labelled record is a JSON object, not {type(record).__name__}")
        paragraphs = record.get("paragraphs")
        if not isinstance(paragraphs, list):
            raise ValueError("a labelled record needs a list 'paragraphs' of {text, label}")
        known = {"id", "domain", "page_type", "rendering", "title", "reference", "paragraphs"}
        doms = [DomFacts.from_json(p["dom"]) for p in paragraphs if "dom" in p]
        return cls(
            texts=[p["text"] for p in paragraphs],
            labels=[p["label"] for p in paragraphs],
            doms=doms if paragraphs and len(doms) == len(paragraphs) else None,
            id=str(record.get("id", "")), domain=record.get("domain") or "",
            page_type=record.get("page_type") or "", rendering=record.get("rendering") or "",
            title=record.get("title"), reference=record.get("reference"),
            extra={k: v for k, v in record.items() if k not in known},
        )


def read_labelled(path: str | os.PathLike) -> Iterator[LabelledDocument]:
    """Read a labelled JSONL file; a malformed line raises with its line number."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield LabelledDocument.from_json(json.loads(line))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}: not a labelled record: {exc}") from exc


def write_labelled(documents: Iterable[LabelledDocument], path: str | os.PathLike) -> int:
    count = 0
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{path}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            for doc in documents:
                out.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
                count += 1
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return count


# --- Building a corpus from WCXB ------------------------------------------------------


@dataclass(frozen=True)
class WcxbPage:
    id: str
    domain: str
    page_type: str
    title: str
    main_content: str
    html_path: Path


def wcxb_pages(directory: str | os.PathLike) -> list[WcxbPage]:
    """The pages of a WCXB split (`html/NNNN.html.gz` + `ground-truth/NNNN.json`)."""
    root = Path(directory)
    truth_dir = root / "ground-truth"
    if not truth_dir.is_dir():
        raise InputError(f"{root} is not a WCXB directory: it has no ground-truth/ folder")
    metadata = {}
    if (root / "metadata.json").exists():
        metadata = json.loads((root / "metadata.json").read_text(encoding="utf-8")).get("files", {})
    pages = []
    for truth_path in sorted(truth_dir.glob("*.json")):
        page_id = truth_path.stem
        html_path = root / "html" / f"{page_id}.html.gz"
        if not html_path.exists():
            continue
        record = json.loads(truth_path.read_text(encoding="utf-8"))
        truth = record["ground_truth"]
        if not (truth.get("main_content") or "").strip():
            continue  # no reference body: every paragraph would be labelled junk, wrongly
        domain = metadata.get(page_id, {}).get("domain") or _domain(record.get("url", ""))
        page_type = record.get("_internal", {}).get("page_type", {}).get("primary", "")
        pages.append(WcxbPage(page_id, domain, page_type, truth.get("title") or "",
                              truth.get("main_content") or "", html_path))
    return pages


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def render(html: bytes, rendering: str) -> tuple[list[str], str | None]:
    """The scraped-text rendering of a page a user's scraper would give: paragraphs and page title."""
    import trafilatura

    title = None
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None:
        title = metadata.title
    if rendering == "page":
        return page_blocks(parse_html(html)), title
    if rendering not in RENDERINGS:
        raise ValueError(f"unknown rendering {rendering!r}; expected one of {RENDERINGS}")
    text = trafilatura.extract(
        html, favor_recall=rendering == "trafilatura-recall", include_comments=True
    )
    return segment_text(text or "", mode="line").texts, title


def _with_title_line(page_id: str) -> bool:
    """Many scrapers put the headline on the first line; do so for a stable half of the pages."""
    return zlib.crc32(page_id.encode()) % 2 == 0


def label_page(page: WcxbPage, renderings: tuple[str, ...] = RENDERINGS) -> list[LabelledDocument]:
    html = page.html_path.read_bytes()
    html = gzip.decompress(html)
    documents = []
    for rendering in renderings:
        if rendering == HTML_RENDERING:
            documents.append(label_blocks(page, html))
            continue
        texts, title = render(html, rendering)
        labels = [CONTENT if body else JUNK for body in align(texts, page.main_content).labels()]
        labels = [_title_or(label, text, title) for text, label in zip(texts, labels)]
        labels = teaser_labels(texts, labels)
        if rendering != "page" and title and _with_title_line(page.id) and title not in texts[:1]:
            texts, labels = [title, *texts], ["title", *labels]
        documents.append(LabelledDocument(
            texts, labels, id=page.id, domain=page.domain, page_type=page.page_type,
            rendering=rendering, title=title, reference=page.main_content,
        ))
    return documents


def label_blocks(page: WcxbPage, html: bytes) -> LabelledDocument:
    """The page's DOM blocks (as `filterkit.classify` reads HTML), labelled by alignment."""
    document = html_document(html)
    texts = document.texts
    labels = [CONTENT if body else JUNK for body in align(texts, page.main_content).labels()]
    labels = [_title_or(label, text, document.title) for text, label in zip(texts, labels)]
    labels = teaser_labels(texts, labels)
    return LabelledDocument(
        texts, labels, id=page.id, domain=page.domain, page_type=page.page_type,
        rendering=HTML_RENDERING, title=document.title, reference=page.main_content,
        doms=[p.dom for p in document.paragraphs],
    )


def _title_or(label: str, text: str, title: str | None) -> str:
    if label == JUNK and title and text.strip().casefold() == title.strip().casefold():
        return "title"
    return label


# A related-article cue used as a label: alone ('Also Read') or before its headline
# ('ALSO READ | ...', 'Read more: ...', 'Up Next: ...').
_AFTER_LABEL = re.compile(r"\s*[:|\-–—»›>]")
TEASER_MAX_WORDS = 25


def teaser_labels(texts: list[str], labels: list[str]) -> list[str]:
    """The label policy on top of the alignment: a teaser line ('Also Read: headline') is
    `related` junk even where WCXB's annotators kept it in the main content (they did
    on some sites), because filterkit's users count related-article links as junk."""
    lexicon = load_lexicon(ALL_LANGUAGES)
    return ["related" if label == CONTENT and _is_teaser(text, lexicon) else label
            for text, label in zip(texts, labels)]


def _is_teaser(text: str, lexicon) -> bool:
    if len(text.split()) > TEASER_MAX_WORDS:
        return False
    cue = lexicon.match(text)
    if cue is None or cue.junk_type != "related":
        return False
    normalised = normalise_cue_text(text)
    if not normalised.startswith(cue.phrase):
        return False
    rest = normalised[len(cue.phrase):]
    return not rest or _AFTER_LABEL.match(rest) is not None


def build_corpus(directory, output, renderings=RENDERINGS, jobs: int = 1, limit: int | None = None) -> int:
    """Render and label every page of a WCXB directory into a labelled JSONL file."""
    pages = wcxb_pages(directory)[:limit]

    def labelled() -> Iterator[LabelledDocument]:
        if jobs <= 1:
            for page in pages:
                yield from label_page(page, renderings)
            return
        with ProcessPoolExecutor(jobs) as pool:
            for documents in pool.map(label_page, pages, [renderings] * len(pages), chunksize=8):
                yield from documents

    return write_labelled(labelled(), output)
