"""Records ↔ documents: JSON Lines records read as documents, classified in batches, and
written back as records. Shared by the command line, the batch engine and the
integrations, so that every path turns a record into the same output.

An `Item` is one input document as read: where it came from, its record, and its
`Document` or the reason it has none. A failed item never reaches the model; it
becomes an error record (`{...its fields, "error": ..., "line": N}`) and the run goes on.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from itertools import islice
from typing import Iterable, Iterator

from .document import Decision, Document, Paragraph
from .errors import InputError, ModelError
from .files import STDIN, open_input
from .filter import DEFAULT_BATCH_SIZE, Filter
from .segment import to_document

STDIN_NAME = "<stdin>"
SCORE_DIGITS = 4
# Errors that stop a run rather than fail one record.
_FATAL = (ModelError, MemoryError)


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


def source_name(path: str) -> str:
    return STDIN_NAME if path == STDIN else path


# --- reading -------------------------------------------------------------------------------


def read_records(paths: Iterable[str], field: str, format: str) -> Iterator[Item]:
    """Each non-blank line of each JSONL file one record, read as it is needed."""
    for path in paths:
        with open_input(path) as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield record_item(Item(source_name(path), number), line, field, format)


def record_item(item: Item, line: bytes, field: str, format: str) -> Item:
    """The record on `line` and its document, or the reason it has none."""
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
    return text_item(item, record[field], format, record.get("title"), field)


def text_item(item: Item, value, format: str, title=None, field: str = "text") -> Item:
    """`value` (text or HTML, str or bytes) read as the item's document; `title`, when a
    non-blank string, is the document's known title."""
    if not isinstance(value, (str, bytes)):
        item.error = f"the {field!r} field is {_describe(value)}, not a string"
        return item
    try:
        document = to_document(value, format)
    except InputError as exc:
        item.error = str(exc)
        return item
    except _FATAL:
        raise
    except Exception as exc:  # a parser failing on a strange page must not end a corpus run
        item.error = f"the document cannot be read: {type(exc).__name__}: {exc}"
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
               batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[tuple[Item, Document | None]]:
    """Each item with its classified document (None for a failed item), in input order.

    Items are classified `batch_size` documents at a time; failed items never reach the
    model, so one bad record cannot break its batch. Should the model fail on a batch,
    its documents are classified one by one and those that fail become failed items."""
    items = iter(items)
    while batch := list(islice(items, batch_size)):
        readable = [item for item in batch if item.document is not None]
        done = dict(zip(map(id, readable), _classify(filter, readable)))
        for item in batch:
            yield item, done.get(id(item))


def _classify(filter: Filter, items: list[Item]) -> list[Document | None]:
    try:
        return filter.classify_documents([item.document for item in items])
    except _FATAL:
        raise
    except Exception:
        pass  # find the documents that fail, below
    documents: list[Document | None] = []
    for item in items:
        try:
            documents += filter.classify_documents([item.document])
        except _FATAL:
            raise
        except Exception as exc:
            item.error = f"the document cannot be classified: {type(exc).__name__}: {exc}"
            item.document = None
            documents.append(None)
    return documents


# --- output records --------------------------------------------------------------------------


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def rounded_score(decision: Decision) -> float:
    return round(decision.score, SCORE_DIGITS)


def paragraph_json(paragraph: Paragraph, decision: Decision) -> dict:
    return {"index": paragraph.index, "label": decision.label, "score": rounded_score(decision),
            "text": paragraph.text}


def cleaned_fields(document: Document, paragraphs: bool) -> dict:
    """What cleaning adds to a record: body, title, junk_ratio, empty (and paragraphs)."""
    fields = {"body": document.body, "title": document.title,
              "junk_ratio": round(document.junk_ratio, SCORE_DIGITS), "empty": not document.paragraphs}
    if paragraphs:
        fields["paragraphs"] = [paragraph_json(p, d) for p, d in document.labelled()]
    return fields


def clean_record(item: Item, document: Document, paragraphs: bool) -> dict:
    return {**item.record, **cleaned_fields(document, paragraphs)}


def labelled_record(item: Item, document: Document, field: str) -> dict:
    """The labelled-corpus record `filterkit train` reads."""
    record = {k: v for k, v in item.record.items() if k != field}
    return {"id": record.get("id", item.where), **record, "title": document.title,
            "paragraphs": [{"text": p.text, "label": d.label, "score": rounded_score(d)}
                           for p, d in document.labelled()]}


def error_record(item: Item) -> dict:
    return {**(item.record or {}), "error": item.error, "line": item.line}
