"""`filterkit inspect`: an HTML report to look at what was removed, and why."""
from __future__ import annotations

from typing import Iterator

from ..scale.files import strip_compression
from ..scale.records import Item, read_records
from .common import error, failure_status, say
from .documents import input_paths, make_filter, output, read_files


def run(args) -> int:
    paths = input_paths(args, args.output)
    from ..report.inspect import inspect  # after the checks: it imports scikit-learn

    filter = make_filter(args)
    report = inspect(filter, _inspected_items(args, paths), max_documents=args.max_documents)
    with output(args.output) as out:
        out.write(report.to_html())
    for item in report.failed:
        error(f"{item.where}: {item.error}")
    more = f" (the first {args.max_documents}; there were more)" if report.truncated else ""
    count = len(report.documents)
    say(f"wrote {args.output}: {count} document{'s' * (count != 1)}{more}")
    shown = len(report.documents) + len(report.failed)
    return failure_status(len(report.failed), shown, "documents", None)


def _inspected_items(args, paths: list[str]) -> Iterator[Item]:
    """The documents of the inputs in order: each record of a JSONL input, each other FILE whole."""
    jsonl = [args.jsonl_input or strip_compression(path).endswith(".jsonl") for path in paths]
    files = read_files([path for path, is_jsonl in zip(paths, jsonl) if not is_jsonl], args.format, args.limits,
                       args.strict_encoding)
    for path, is_jsonl in zip(paths, jsonl):
        if is_jsonl:
            yield from read_records([path], args.field or "text", args.format, args.limits)
        else:
            yield next(files)
