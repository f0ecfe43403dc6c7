"""Records ↔ documents: JSON Lines records read as documents, classified in batches, and
written back as records. Shared by the command line, the batch engine and the
integrations, so that every path turns a record into the same output.

A record is a line of JSON Lines, or an HTML page of a WARC file (`filterkit.scale.warc`):
both are entries of one record source (`numbered_entries`, `entry_item`).

An `Item` is one input document as read: where it came from, its record, and its
`Document` or the reason it has none. A failed item never reaches the model; it
becomes an error record (`{...its fields, "error": ..., "line": N}`) and the run goes on.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

from ..decide.quality import is_unsure
from ..document import Decision, Document, Paragraph
from ..errors import InputError
from ..limits import DEFAULT_LIMITS, Limits
from ..report.formats import PLAIN, SCORE_DIGITS, Rendering, paragraph_json, record_fields, rounded_score
from .files import Line, numbered_lines, source_name
from .warc import Skipped, WarcEntry, WarcPage, is_warc, warc_entries

# Light to import: the model (and scikit-learn) come in when a document is read or
# classified, so that the command line checks its arguments and inputs first.
if TYPE_CHECKING:
    from ..filter import Filter



@dataclass
class Item:
    """One input document as read: where it came from, and its Document or why there is none."""

    source: str
    line: int | None = None
    record: dict | None = None
    document: Document | None = None
    error: str | None = None

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


# --- reading -------------------------------------------------------------------------------


def read_records(paths: Iterable[str], field: str, format: str,
                 limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Each non-blank line of each JSONL file one record, read as it is needed, within
    `limits` (see `filterkit.scale.files.numbered_lines`); of a file named as WARC, each
    HTML page, its other records passed over."""
    for path in paths:
        for number, entry in numbered_entries(path, limits, is_warc(path)):
            if not isinstance(entry, Skipped):
                yield entry_item(Item(source_name(path), number), entry, field, format, limits)


Entry = Line | WarcEntry


def numbered_entries(path: str, limits: Limits, warc: bool) -> Iterator[tuple[int, Entry]]:
    """The records of `path` with their numbers: its non-blank lines, or with `warc` its
    WARC records (`filterkit.scale.warc.warc_entries`)."""
    return warc_entries(path, limits) if warc else numbered_lines(path, limits)


def entry_item(item: Item, entry: Entry, field: str, format: str, limits: Limits) -> Item:
    """The record of a line or WARC page and its document, or the reason it has none."""
    if not isinstance(entry, WarcPage):
        return record_item(item, entry, field, format, limits)
    item.record = entry.fields
    if entry.error is not None:
        item.error = entry.error
        return item
    return text_item(item, entry.markup(), "html" if format == "auto" else format, limits)


def record_item(item: Item, line: Line, field: str, format: str, limits: Limits) -> Item:
    """The record on `line` and its document, or the reason it has none."""
    if isinstance(line, InputError):
        item.error = str(line)
        return item
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:  # ValueError includes UnicodeDecodeError
        item.error = f"not valid JSON: {exc}"
        return item
    if not isinstance(record, dict):
        item.error = f"the record is {_describe(record)}, not an object"
        return item
    item.record = record
    if field not in record:
        item.error = f"the record has no {field!r} field"
        return item
    return text_item(item, record[field], format, limits, record.get("title"), field)


def text_item(item: Item, value, format: str, limits: Limits, title=None, field: str = "text") -> Item:
    """`value` (text or HTML, str or bytes) read as the item's document within `limits`,
    `max_seconds` included; `title`, when a non-blank string, is the document's known title."""
    if not isinstance(value, (str, bytes)):
        item.error = f"the {field!r} field is {_describe(value)}, not a string"
        return item
    from ..filter import read_document

    document = read_document(value, format, limits, seconds=limits.max_seconds)
    if document.error is not None:
        item.error = document.error
        return item
    item.document = replace(document, title=title) if isinstance(title, str) and title.strip() else document
    return item


def _describe(value) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
             float: "number", type(None): "null"}
    name = names.get(type(value))
    return f"a JSON {name}" if name else f"a {type(value).__name__}"


# --- classifying -----------------------------------------------------------------------------


def classified(filter: Filter, items: Iterable[Item],
               batch_size: int | None = None) -> Iterator[tuple[Item, Document | None]]:
    """Each item with its classified document (None for a failed item), in input order.

    Items are classified `batch_size` documents at a time; failed items never reach the
    model, so one bad record cannot break its batch. Should the model fail on a batch,
    or take longer than the filter's `max_seconds`, its documents are classified one by
    one (each within `max_seconds`) and those that fail become failed items.
    `batch_size` None: `filter.DEFAULT_BATCH_SIZE`."""
    from ..filter import DEFAULT_BATCH_SIZE

    batch_size = batch_size or DEFAULT_BATCH_SIZE
    items = iter(items)
    while batch := list(islice(items, batch_size)):
        readable = [item for item in batch if item.document is not None]
        documents = filter.classify_or_mark([item.document for item in readable],
                                            seconds=filter.limits.max_seconds)
        done = {}
        for item, document in zip(readable, documents):
            if document.error is None:
                done[id(item)] = document
            else:
                item.error, item.document = document.error, None
        for item in batch:
            yield item, done.get(id(item))


# --- output records --------------------------------------------------------------------------


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def cleaned_fields(document: Document, paragraphs: bool) -> dict:
    """What cleaning adds to a record: body, title, author, date (from an HTML page's
    metadata, else null), junk_ratio, empty, quality (and paragraphs)."""
    fields = {"body": document.body, "title": document.title, "author": document.author,
              "date": document.date, "junk_ratio": round(document.junk_ratio, SCORE_DIGITS),
              "empty": not document.paragraphs, "quality": rounded_quality(document)}
    if paragraphs:
        fields["paragraphs"] = [paragraph_json(p, d) for p, d in document.labelled()]
    return fields


# What cleaning adds to a batch of rows (`cleaned_columns`), beside `paragraphs` when asked.
BATCH_COLUMNS = ("body", "title", "junk_ratio", "empty", "error")


def cleaned_columns(filter: Filter, values, titles, column: str, format: str,
                    paragraphs: bool) -> dict[str, list]:
    """What cleaning adds to a batch of rows, column by column: `BATCH_COLUMNS`, and
    `paragraphs` as JSON strings when asked. `values`: the rows' documents (text or HTML),
    `titles` their known titles (or None each); a row that cannot be read gets its
    `error`, and null in the other columns."""
    limits = filter.limits
    items = [text_item(Item(column, number), value, format, limits, title, column)
             for number, (value, title) in enumerate(zip(values, titles))]
    added = {name: [] for name in BATCH_COLUMNS + (("paragraphs",) if paragraphs else ())}
    for item, document in classified(filter, items):
        fields = cleaned_fields(document, paragraphs) if document is not None else {}
        if "paragraphs" in fields:
            fields["paragraphs"] = json.dumps(fields["paragraphs"], ensure_ascii=False)
        fields["error"] = item.error
        for name, cells in added.items():
            cells.append(fields.get(name))
    return added


def rounded_quality(document: Document) -> float | None:
    return None if document.quality is None else round(document.quality, SCORE_DIGITS)


def clean_record(item: Item, document: Document, paragraphs: bool, min_quality: float | None = None,
                 rendering: Rendering = PLAIN) -> dict:
    """The cleaned record; with `min_quality`, `unsure` says whether its quality is under it;
    `rendering`: the body in another output format, and what that format adds
    (`filterkit.report.formats.record_fields`)."""
    record = {**item.record, **cleaned_fields(document, paragraphs)}
    if not rendering.is_plain:
        record.update(record_fields(document, rendering))
    if min_quality is not None:
        record["unsure"] = is_unsure(document.quality, min_quality)
    return record


def labelled_record(item: Item, document: Document, field: str) -> dict:
    """The labelled-corpus record `filterkit train` reads."""
    record = {k: v for k, v in item.record.items() if k != field}
    return {"id": record.get("id", item.where), **record, "title": document.title,
            "paragraphs": [labelled_paragraph(p, d) for p, d in document.labelled()]}


def labelled_paragraph(paragraph: Paragraph, decision: Decision) -> dict:
    """A paragraph of a labelled record; an HTML block keeps its DOM facts, which the HTML
    model is trained on."""
    entry = {"text": paragraph.text, "label": decision.label, "score": rounded_score(decision)}
    if paragraph.dom is not None:
        entry["dom"] = paragraph.dom.to_json()
    return entry


def error_record(item: Item) -> dict:
    return {**(item.record or {}), "error": item.error, "line": item.line}
