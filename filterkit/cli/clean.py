"""`filterkit clean`: the article body of each document; with --jsonl, cleaned records."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable

from ..errors import InputError
from ..scale.files import STDIN, strip_compression
from ..scale.records import Item, classified
from .common import (
    EXIT_PARTIAL,
    UsageError,
    check_output,
    error,
    failure_status,
    jsonl_only,
    only_with,
    require_file,
    warn,
)
from .documents import Failures, input_paths, make_filter, output, read_files

# Imported once the arguments and inputs are checked: they import scikit-learn.
if TYPE_CHECKING:
    from ..document import Document
    from ..scale.boilerplate import RecordRelabeller


def run(args) -> int:
    jsonl_only(args, ("field", "no_paragraphs", "jobs", "resume", "boilerplate"), "--jsonl")
    only_with(args, ("group_field", "boilerplate_min_documents"), "--boilerplate", args.boilerplate)
    paths = input_paths(args)
    if args.jsonl_input:
        return _clean_jsonl(args, paths)
    if len(paths) > 1 or (args.output and Path(args.output).is_dir()):
        if not args.output:
            raise UsageError("several FILEs: give -o DIR to write one body per file, or use --jsonl")
        return _clean_files(args, paths, _body_targets(paths, Path(args.output)))
    check_output(args.output, paths)
    return _clean_files(args, paths, {paths[0]: args.output})


def _clean_files(args, paths: list[str], targets: dict[str, str | Path | None]) -> int:
    """The body of each FILE to its target (None: stdout); a FILE that cannot be read or
    classified gets no output, and is named on stderr."""
    filter = make_filter(args)
    failures = Failures()
    for path, (item, document) in zip(paths, classified(filter, read_files(paths, args.format, args.limits))):
        if failures.see(item, report=True):
            continue
        with output(targets[path]) as out:
            _write_body(out, item, document)
    return failures.exit_status("files")


def _body_targets(paths: list[str], directory: Path) -> dict[str, Path]:
    """DIR/NAME.txt for each input."""
    return _targets(paths, directory, lambda path: Path(strip_compression(path)).stem + ".txt")


def _targets(paths: list[str], directory: Path, name: Callable[[str], str]) -> dict[str, Path]:
    """DIR/name(FILE) for each input; refuse names that collide or would overwrite an input."""
    if STDIN in paths:
        raise UsageError("stdin has no file name to write under -o DIR; clean it on its own with -o FILE")
    targets: dict[str, Path] = {}
    inputs = {Path(p).resolve() for p in paths}
    for path in paths:
        target = directory / name(path)
        clash = next((p for p, t in targets.items() if t == target), None)
        if clash is not None:
            raise UsageError(f"{clash} and {path} would both be written to {target}; clean them in separate runs")
        if target.resolve() in inputs:
            raise UsageError(f"the output of {path} would overwrite the input {target}; choose another -o DIR")
        targets[path] = target
    directory.mkdir(parents=True, exist_ok=True)
    return targets


def _write_body(out: IO[str], item: Item, document: Document) -> None:
    body = document.body
    if body:
        out.write(body + "\n")
    elif document.paragraphs:
        count = len(document.paragraphs)
        warn(f"{item.where}: no article body found: {count} paragraph{'s' * (count > 1)}, all junk")
    else:
        warn(f"{item.where}: the document has no text")


# --- --jsonl -----------------------------------------------------------------------------


def _clean_jsonl(args, paths: list[str]) -> int:
    targets = _jsonl_targets(args, paths)
    boilerplate = _relabeller(args)
    from ..scale.batch import Progress, Shard, clean_shards

    summary = clean_shards([Shard(path, target) for path, target in zip(paths, targets)], make_filter(args),
                           field=args.field or "text", format=args.format, paragraphs=not args.no_paragraphs,
                           boilerplate=boilerplate, jobs=args.jobs or 1, resume=args.resume,
                           progress=Progress(sys.stderr))
    warn(str(summary))
    for unreadable in summary.unreadable:
        if args.output in (None, STDIN):
            error(f"{unreadable}; the records before it were written, the rest of the file was not read")
        else:
            error(f"{unreadable}; its output was not written (--resume retries it)")
    status = failure_status(summary.errors, summary.records, "records", summary.first_error)
    return EXIT_PARTIAL if summary.unreadable else status


def _relabeller(args) -> RecordRelabeller | None:
    """The repeated-boilerplate post-filter --boilerplate asks for, its counts read now."""
    if args.boilerplate is None:
        return None
    require_file(args.boilerplate)
    from ..scale.boilerplate import BoilerplateCounts, BoilerplateFilter, RecordRelabeller

    try:
        counts = BoilerplateCounts.load(args.boilerplate)
    except ValueError as exc:  # counts of another format version: an input that cannot be read
        raise InputError(str(exc)) from exc
    n = args.boilerplate_min_documents
    return RecordRelabeller(counts, BoilerplateFilter(min_documents=n) if n else None, args.group_field or "url")


def _jsonl_targets(args, paths: list[str]) -> list[str | None]:
    """Where each input's records go: all to stdout (None); one FILE to -o FILE; else one
    file each in -o DIR."""
    if args.output in (None, STDIN):
        if args.resume:
            raise UsageError("--resume needs -o: it skips the inputs whose output file is complete")
        return [None] * len(paths)
    out = Path(args.output)
    if len(paths) == 1 and not out.is_dir() and not args.output.endswith(("/", os.sep)):
        check_output(args.output, paths)
        return [args.output]
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {args.output} is a file, but several inputs are written one output "
                         "each into a directory: give -o DIR")
    if not out.exists() and strip_compression(out.name).endswith((".jsonl", ".json")):
        raise UsageError(f"several inputs are written one output each into -o DIR, and {args.output} "
                         "looks like a file name: give a directory (created if missing), or leave "
                         "out -o to write every record to stdout")
    targets = _targets(paths, out, lambda path: Path(path).name)
    return [str(targets[path]) for path in paths]
