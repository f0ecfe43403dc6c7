"""A classified document → its kept blocks written out: txt, markdown, json, xml or html.

txt is the body as `Document.body` gives it. The other formats write the kept blocks
with the structure their page gave them (`Paragraph.form`, `filterkit.read.form`):
headings, lists, tables made of their kept cells, code exactly as in the page, quotes;
text input has no structure, and its kept paragraphs come out as paragraphs. Comments
(junk blocks that are comments, `comment_paragraphs`) come apart from the body, and only
when asked. The runtime imports this module to write its output; it imports nothing
above the runtime.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Callable

from ..document import Decision, Document, Paragraph
from ..read.form import PARAGRAPH, BlockForm

OUTPUT_FORMATS = ("txt", "markdown", "json", "xml", "html")
TEXT_FORMATS = ("txt", "markdown")
# Output file suffixes (`filterkit clean -o DIR`).
SUFFIXES = {"txt": ".txt", "markdown": ".md", "json": ".json", "xml": ".xml", "html": ".html"}
SCORE_DIGITS = 4
# Where comments start in txt and markdown output.
COMMENTS_SEPARATOR = {"txt": "----- comments -----", "markdown": "---\n\n**Comments**"}
# Blocks of one structure that come out together: list items, a table's cells, the
# blocks of one code sample or one quote.
_GROUPED = ("item", "cell", "code", "quote")


@dataclass(frozen=True)
class Rendering:
    """How a classified document is written out.

    output_format: one of OUTPUT_FORMATS. links, images: with their targets (markdown
    `[text](href)`, `![alt](src)`; xml and html elements). comments: the page's comments
    after the body (txt and markdown, under a separator), in their own field (json) or
    section (xml, html). text_format: the text of json output, txt or markdown.
    paragraphs: json output lists every paragraph with its label, score and reason.
    """

    output_format: str = "txt"
    links: bool = False
    images: bool = False
    comments: bool = False
    text_format: str = "txt"
    paragraphs: bool = False

    def __post_init__(self) -> None:
        if self.output_format not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {self.output_format!r}; expected one of {OUTPUT_FORMATS}")
        if self.text_format not in TEXT_FORMATS:
            raise ValueError(f"unknown text format {self.text_format!r}; expected one of {TEXT_FORMATS}")

    @property
    def is_plain(self) -> bool:
        """Whether this is the body as text, nothing added: `Document.body`."""
        return self == PLAIN


PLAIN = Rendering()


def render(document: Document, rendering: Rendering = PLAIN) -> str:
    """The classified `document` written out as `rendering` says."""
    if rendering.output_format == "json":
        return json.dumps(json_fields(document, rendering), ensure_ascii=False)
    if rendering.output_format in ("xml", "html"):
        from .markup import markup

        return markup(document, rendering)
    text = body_text(document, rendering.output_format, rendering)
    comments = comments_text(document, rendering.output_format, rendering) if rendering.comments else ""
    if not comments:
        return text
    return "\n\n".join(part for part in (text, COMMENTS_SEPARATOR[rendering.output_format], comments) if part)


def record_fields(document: Document, rendering: Rendering) -> dict:
    """What a rendering puts in a cleaned JSONL record: `body` in its format; for json,
    its fields beside (url, sitename, language, comments); for txt and markdown with
    comments, `comments` in the same format."""
    if rendering.output_format == "json":
        fields = json_fields(document, replace(rendering, paragraphs=False))
        fields["body"] = fields.pop("text")
        return fields
    if rendering.output_format in TEXT_FORMATS:
        fields = {"body": body_text(document, rendering.output_format, rendering)}
        if rendering.comments:
            fields["comments"] = comments_text(document, rendering.output_format, rendering)
        return fields
    return {"body": render(document, rendering)}


def json_fields(document: Document, rendering: Rendering) -> dict:
    """The json output: text in `rendering.text_format`, the page's metadata, comments
    (null unless asked), and each paragraph's label when asked."""
    metadata = document.metadata
    fields = {"title": document.title, "author": document.author, "date": document.date,
              "url": metadata.get("url"), "sitename": metadata.get("sitename"),
              "language": metadata.get("language"),
              "text": body_text(document, rendering.text_format, rendering),
              "comments": comments_text(document, rendering.text_format, rendering) if rendering.comments else None}
    if rendering.paragraphs:
        fields["paragraphs"] = [paragraph_json(p, d) for p, d in document.labelled()]
    return fields


def rounded_score(decision: Decision) -> float:
    return round(decision.score, SCORE_DIGITS)


def paragraph_json(paragraph: Paragraph, decision: Decision) -> dict:
    return {"index": paragraph.index, "label": decision.label, "score": rounded_score(decision),
            "reason": decision.reason, "text": paragraph.text}


def body_text(document: Document, text_format: str, rendering: Rendering) -> str:
    """The body as txt or markdown (`text_format`)."""
    return text_of(document.body_paragraphs(), text_format, rendering)


def comments_text(document: Document, text_format: str, rendering: Rendering) -> str:
    """The comments as txt or markdown (`text_format`)."""
    return text_of(comment_paragraphs(document), text_format, rendering)


# --- which paragraphs -------------------------------------------------------------------


def comment_paragraphs(document: Document) -> list[Paragraph]:
    """The paragraphs that are the text of comments (`junktypes.is_comment_text`): not
    the prompts to comment."""
    # Here, not at the top: records import this module before the arguments are checked,
    # and junktypes brings scikit-learn (a document with decisions has it loaded already).
    from ..decide.junktypes import is_comment_text

    return [p for p, d in document.labelled() if is_comment_text(d)]


def form_of(paragraph: Paragraph) -> BlockForm:
    return paragraph.form if isinstance(paragraph.form, BlockForm) else PARAGRAPH


def units(paragraphs: list[Paragraph]) -> list[tuple[str, list[Paragraph]]]:
    """The paragraphs as the units they are written out in, in order: (kind, paragraphs)
    for a heading or a paragraph alone, a run of list items (a list, nested lists
    within), and the blocks of one table, code sample or quote."""
    out: list[tuple[str, list[Paragraph]]] = []
    for paragraph in paragraphs:
        form = form_of(paragraph)
        if out and form.kind in _GROUPED and _continues(out[-1], form):
            out[-1][1].append(paragraph)
        else:
            out.append((form.kind, [paragraph]))
    return out


def _continues(unit: tuple[str, list[Paragraph]], form: BlockForm) -> bool:
    kind, paragraphs = unit
    if kind != form.kind:
        return False
    return kind == "item" or form_of(paragraphs[-1]).element == form.element


# --- txt and markdown -------------------------------------------------------------------


def text_of(paragraphs: list[Paragraph], text_format: str, rendering: Rendering) -> str:
    """The paragraphs as txt (their text, unchanged, a blank line apart) or markdown."""
    if text_format == "txt":
        return "\n\n".join(p.text for p in paragraphs)
    return "\n\n".join(_MARKDOWN[kind](group, rendering) for kind, group in units(paragraphs))


def segments(paragraph: Paragraph, rendering: Rendering) -> list[tuple]:
    """A paragraph's text in order as ("text", text), ("link", text, href) and
    ("image", Image) pieces: links and images only when `rendering` asks for them."""
    form = form_of(paragraph)
    text = paragraph.text
    marks = sorted([(i.at, 0, i) for i in form.images if rendering.images]
                   + [(k.start, 1, k) for k in form.links if rendering.links], key=lambda m: m[:2])
    out: list[tuple] = []
    at = 0
    for start, is_link, mark in marks:
        if start < at:
            continue  # inside a link already written
        if start > at:
            out.append(("text", text[at:start]))
        if is_link:
            out.append(("link", text[mark.start:mark.end], mark.href))
            at = mark.end
        else:
            out.append(("image", mark))
            at = start
    if at < len(text) or not out:
        out.append(("text", text[at:]))
    return out


def inline(paragraph: Paragraph, rendering: Rendering, escape: Callable[[str], str] = str) -> str:
    """A paragraph's text in markdown, with its links and images when `rendering` asks."""
    pieces = segments(paragraph, rendering)
    out = []
    for n, segment in enumerate(pieces):
        if segment[0] == "text":
            out.append(escape(segment[1]))
        elif segment[0] == "link":
            out.append(f"[{escape(segment[1])}]({segment[2]})")
        else:
            following = pieces[n + 1][1] if n + 1 < len(pieces) else " "
            space = "" if isinstance(following, str) and following.startswith(" ") else " "
            out.append(f"![{escape(segment[1].alt)}]({segment[1].src}){space}")
    return "".join(out)


def _markdown_heading(group: list[Paragraph], rendering: Rendering) -> str:
    return f"{'#' * form_of(group[0]).level} {inline(group[0], rendering)}"


def _markdown_paragraph(group: list[Paragraph], rendering: Rendering) -> str:
    return inline(group[0], rendering)


def _markdown_quote(group: list[Paragraph], rendering: Rendering) -> str:
    return "\n>\n".join(f"> {inline(p, rendering)}" for p in group)


def _markdown_code(group: list[Paragraph], rendering: Rendering) -> str:
    code = "\n".join(form_of(p).code for p in group)
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code}\n{fence}"


def _markdown_list(group: list[Paragraph], rendering: Rendering) -> str:
    lines: list[str] = []
    for paragraph, level, first in list_levels(group):
        form = form_of(paragraph)
        marker = f"{form.number}." if form.list_kind == "ol" else "-"
        indent = "    " * level
        text = inline(paragraph, rendering)
        lines.append(f"{indent}{marker} {text}" if first else f"{indent}{' ' * (len(marker) + 1)}{text}")
    return "\n".join(lines)


def list_levels(items: list[Paragraph]) -> list[tuple[Paragraph, int, bool]]:
    """Each list item block with its nesting level among the kept items (0: outermost;
    an item whose outer items were dropped is as deep as the kept items above it say) and
    whether it starts its item (the others go on an item already started)."""
    depths: list[int] = []  # the depth of each level open, outermost first
    out: list[tuple[Paragraph, int, bool]] = []
    previous = None
    for paragraph in items:
        form = form_of(paragraph)
        first = form.element != previous
        if first:
            while depths and depths[-1] > form.depth:
                depths.pop()
            if not depths or depths[-1] < form.depth:
                depths.append(form.depth)
        out.append((paragraph, len(depths) - 1, first))
        previous = form.element
    return out


def _markdown_table(group: list[Paragraph], rendering: Rendering) -> str:
    rows = [[" ".join(inline(p, rendering, escape=_escape_cell) for p in cell) for cell in row]
            for row, _ in table_rows(group)]
    width = len(rows[0])
    lines = [_pipe_row(row) for row in rows]
    lines.insert(1, _pipe_row(["---"] * width))
    return "\n".join(lines)


def _escape_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table_rows(cells: list[Paragraph]) -> list[tuple[list[list[Paragraph]], bool]]:
    """A table's kept cells as rows, in order, each cell the blocks it holds (none for a
    cell that was dropped or empty), all rows as wide as the widest; each row with
    whether it is a header row."""
    rows: dict[int, dict[int, list[Paragraph]]] = {}
    headers: dict[int, bool] = {}
    for paragraph in cells:
        form = form_of(paragraph)
        rows.setdefault(form.row, {}).setdefault(form.column, []).append(paragraph)
        headers[form.row] = headers.get(form.row, True) and form.header
    width = 1 + max(column for row in rows.values() for column in row)
    return [([row.get(column, []) for column in range(width)], headers[number]) for number, row in rows.items()]


_MARKDOWN = {"heading": _markdown_heading, "paragraph": _markdown_paragraph, "quote": _markdown_quote,
             "code": _markdown_code, "item": _markdown_list, "cell": _markdown_table}
