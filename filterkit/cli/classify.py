"""`filterkit classify`: every paragraph with its label and score, as TSV or JSON Lines, or
as the labelled records `filterkit train` reads."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..document import Decision, Document, Paragraph
from ..scale.records import (
    SCORE_DIGITS,
    Item,
    classified,
    error_record,
    json_line,
    labelled_record,
    read_records,
    rounded_score,
)
from .common import jsonl_only
from .documents import Failures, input_paths, make_filter, output, read_files

# Imported once the arguments and inputs are checked: they import scikit-learn.
if TYPE_CHECKING:
    from ..filter import Filter


def run(args) -> int:
    jsonl_only(args, ("field",), "--jsonl-input")
    paths = input_paths(args, args.output)
    filter = make_filter(args)
    failures = Failures()
    if args.jsonl_input or args.labelled:
        field = args.field or "text"
        items = (read_records(paths, field, args.format, args.limits) if args.jsonl_input
                 else read_files(paths, args.format, args.limits, args.strict_encoding))
        with output(args.output) as out:
            for item, document in _classified(filter, items, args.explain):
                if failures.see(item, report=not args.jsonl_input):
                    if args.jsonl_input:
                        out.write(json_line(error_record(item)))
                    continue
                out.write(json_line(_labelled(item, document, field, args.explain)))
        return failures.exit_status("records" if args.jsonl_input else "files")
    with output(args.output) as out:
        if not args.jsonl:
            out.write("doc\tindex\tlabel\tscore\ttext" + "\twhy" * args.explain + "\n")
        files = read_files(paths, args.format, args.limits, args.strict_encoding)
        for item, document in _classified(filter, files, args.explain):
            if failures.see(item, report=True):
                continue
            whys = _explanations(document) if args.explain else [None] * len(document.paragraphs)
            for (paragraph, decision), why in zip(document.labelled(), whys):
                out.write(_paragraph_row(item, paragraph, decision, args.jsonl, why))
    return failures.exit_status("files")


def _classified(filter: Filter, items, with_explanations: bool):
    """`records.classified`, with explanations added when asked for."""
    from ..explain import explain

    for item, document in classified(filter, items):
        if with_explanations and document is not None:
            document = explain(filter.model_for(item.document).pipeline, item.document, document)
        yield item, document


def _labelled(item: Item, document: Document, field: str, with_explanations: bool) -> dict:
    record = labelled_record(item if item.record is not None else replace(item, record={}), document, field)
    if with_explanations:
        for paragraph, why in zip(record["paragraphs"], _explanations(document)):
            paragraph["why"] = str(why)
    return record


def _explanations(document: Document) -> list:
    from ..explain import explanations

    return explanations(document)


def _paragraph_row(item: Item, paragraph: Paragraph, decision: Decision, jsonl: bool, why=None) -> str:
    if jsonl:
        row = {"doc": item.source, "index": paragraph.index, "label": decision.label,
               "score": rounded_score(decision), "reason": decision.reason, "text": paragraph.text}
        if why is not None:
            row["why"] = [{"group": r.group, "words": r.words, "effect": round(r.effect, 3)} for r in why.reasons]
        return json_line(row)
    row = (f"{tsv_field(item.source)}\t{paragraph.index}\t{decision.label}\t"
           f"{decision.score:.{SCORE_DIGITS}f}\t{tsv_field(paragraph.text)}")
    return row + (f"\t{tsv_field(str(why))}" if why is not None else "") + "\n"


def tsv_field(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))
