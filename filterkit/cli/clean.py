"""`filterkit clean`: the article body of each document; with --jsonl, or of WARC files,
cleaned records."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable

from ..decide.quality import is_unsure
from ..errors import InputError
from ..report.formats import SUFFIXES, TEXT_FORMATS, Rendering, render
from ..scale.files import STDIN, strip_compression
from ..scale.records import Item, classified
from ..scale.warc import is_warc
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
    warc = _reads_warc(args, args.files or [STDIN])
    only_with(args, ("no_paragraphs", "jobs", "resume", "boilerplate"), "--jsonl or WARC input",
              args.jsonl_input or warc)
    jsonl_only(args, ("field",), "--jsonl")
    only_with(args, ("group_field", "boilerplate_min_documents"), "--boilerplate", args.boilerplate)
    only_with(args, ("unsure",), "--min-quality", args.min_quality is not None)
    only_with(args, ("links", "images"), "--output-format markdown, json, xml or html", args.output_format != "txt")
    only_with(args, ("json_text",), "--output-format json", args.output_format == "json")
    only_with(args, ("labels",), "--output-format json without --jsonl (records have paragraphs)",
              args.output_format == "json" and not (args.jsonl_input or warc))
    paths = input_paths(args)
    if args.jsonl_input or warc:
        return _clean_jsonl(args, paths)
    if len(paths) > 1 or (args.output and Path(args.output).is_dir()):
        if not args.output:
            raise UsageError("several FILEs: give -o DIR to write one body per file, or use --jsonl")
        return _clean_files(args, paths, _body_targets(paths, Path(args.output), SUFFIXES[args.output_format]))
    check_output(args.output, paths)
    return _clean_files(args, paths, {paths[0]: args.output})


def _reads_warc(args, paths: list[str]) -> bool:
    """Whether the inputs are read as WARC without --jsonl: --warc, or every FILE named so.
    (With --jsonl, each FILE named so is read as WARC, the others as JSON Lines.)"""
    if args.warc:
        return True
    named = [path for path in paths if is_warc(path)]
    if args.jsonl_input or not named:
        return False
    if len(named) == len(paths):
        return True
    raise UsageError(f"{named[0]} is a WARC file, which gives JSON Lines records: clean WARC files apart "
                     "from documents, or give --jsonl to read the others as JSON Lines")


def _clean_files(args, paths: list[str], targets: dict[str, str | Path | None]) -> int:
    """The body of each FILE to its target (None: stdout); a FILE that cannot be read or
    classified gets no output, and is named on stderr."""
    unsure_targets = _unsure_targets(args, paths)
    rendering = _rendering(args)
    filter = make_filter(args, shipped_text_model_now=False)  # a page alone never loads it
    failures = Failures()
    unsure = 0
    # Of a page's metadata the model reads the title alone, and txt and markdown write none.
    files = read_files(paths, args.format, args.limits, args.strict_encoding,
                       metadata=args.output_format not in TEXT_FORMATS)
    for path, (item, document) in zip(paths, classified(filter, files)):
        if failures.see(item, report=True):
            continue
        target = targets[path]
        if args.min_quality is not None and is_unsure(document.quality, args.min_quality):
            unsure += 1
            target = unsure_targets.get(path)
            _say_unsure(item, document, args.min_quality, target)
            if target is None:
                continue
        with output(target) as out:
            _write_body(out, item, document, rendering)
    if args.min_quality is not None and len(paths) > 1:
        warn(f"{unsure} of {len(paths)} files unsure (quality under {args.min_quality:g})")
    return failures.exit_status("files")


def _unsure_targets(args, paths: list[str]) -> dict[str, str | Path]:
    """Where --unsure sends the body of each FILE under --min-quality: FILE for one input,
    DIR/NAME.txt for several (or when it names a directory); none without --unsure."""
    if args.unsure is None:
        return {}
    if len(paths) > 1 or Path(args.unsure).is_dir():
        return _body_targets(paths, Path(args.unsure), SUFFIXES[args.output_format])
    check_output(args.unsure, paths, "--unsure")
    return {paths[0]: args.unsure}


def _say_unsure(item: Item, document: Document, min_quality: float, target) -> None:
    quality = "no text" if document.quality is None else f"quality {document.quality:.2f}"
    where = "not written" if target is None else f"written to {target}"
    warn(f"{item.where}: unsure of its body ({quality}, under --min-quality {min_quality:g}): {where}")


def _body_targets(paths: list[str], directory: Path, suffix: str) -> dict[str, Path]:
    """DIR/NAME.txt (or the `suffix` of the output format) for each input."""
    return _targets(paths, directory, lambda path: Path(strip_compression(path)).stem + suffix)


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


def _rendering(args) -> Rendering:
    """How the options ask the body to be written (`filterkit.report.formats`)."""
    return Rendering(args.output_format, links=args.links, images=args.images, comments=args.comments,
                     text_format=args.json_text or "txt", paragraphs=args.labels)


def _write_body(out: IO[str], item: Item, document: Document, rendering: Rendering) -> None:
    """The body in the output format; an empty body is said on stderr (txt and markdown
    then write nothing, but comments asked for)."""
    body = document.body
    text = body if rendering.is_plain else render(document, rendering)
    if text:
        out.write(text + "\n")
    if body:
        return
    if document.paragraphs:
        count = len(document.paragraphs)
        warn(f"{item.where}: no article body found: {count} paragraph{'s' * (count > 1)}, all junk")
    else:
        warn(f"{item.where}: the document has no text")


# --- --jsonl -----------------------------------------------------------------------------


def _clean_jsonl(args, paths: list[str]) -> int:
    if args.unsure is not None:
        raise UsageError("--unsure applies to FILE inputs: with JSON Lines output, each record under "
                         "--min-quality stays in place, marked \"unsure\": true")
    targets = _jsonl_targets(args, paths)
    boilerplate = _relabeller(args)
    from ..scale.batch import Progress, Shard, clean_shards

    shards = [Shard(path, target, warc=args.warc) for path, target in zip(paths, targets)]
    summary = clean_shards(shards, make_filter(args),
                           field=args.field or "text", format=args.format, paragraphs=not args.no_paragraphs,
                           boilerplate=boilerplate, jobs=args.jobs or 1, resume=args.resume,
                           progress=Progress(sys.stderr), min_quality=args.min_quality,
                           rendering=_rendering(args))
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
    targets = _targets(paths, out, lambda path: _jsonl_name(path, args.warc))
    return [str(targets[path]) for path in paths]


def _jsonl_name(path: str, warc: bool) -> str:
    """The output name of an input: its own, or for a WARC file .jsonl for its .warc
    (crawl.warc.gz -> crawl.jsonl.gz); the compression is kept."""
    name = Path(path).name
    if not (warc or is_warc(path)):
        return name
    bare = strip_compression(name)
    stem = bare.removesuffix(".warc")
    return stem + ".jsonl" + name[len(bare):]
