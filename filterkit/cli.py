"""The command line: `filterkit clean | classify | inspect | boilerplate count | corpus build |
train | evaluate`.

A thin shell over the library: each command parses its arguments, reads its inputs,
calls filterkit and formats what comes back. What a paragraph is, and whether it is
body, is decided in the library only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from pathlib import Path
from typing import IO, Callable, Iterator

from . import __version__
from .document import Decision, Document, Paragraph
from .errors import FilterkitError, InputError
from .explain import explain, explanations
from .filter import Filter
from .limits import DEFAULT_LIMITS, Limits
from .read import INPUT_FORMATS, to_document
from .report.inspect import MAX_DOCUMENTS, inspect
from .scale.batch import Progress, Shard, clean_shards
from .scale.boilerplate import (
    BoilerplateCounts,
    BoilerplateFilter,
    RecordRelabeller,
    count_items,
)
from .scale.files import (
    READ_ERRORS,
    STDIN,
    atomic_output,
    read_whole,
    strip_compression,
)
from .scale.records import (
    SCORE_DIGITS,
    Item,
    classified,
    error_record,
    json_line,
    labelled_record,
    read_records,
    rounded_score,
    source_name,
)
from .training.corpus import ALL_RENDERINGS, HTML_RENDERING, RENDERINGS, build_corpus
from .training.peers import comparison_table
from .training.train import (
    compare_with_peers,
    cross_validate,
    evaluate_model,
    load_corpus,
    train,
    wcxb_credit,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

EXIT_STATUS = """\
exit status:
  0  success
  1  the run failed (model cannot be loaded, output cannot be written, ...)
  2  usage error, or an input cannot be read (missing file; the only input is
     not decodable or parseable)
  3  the run finished but some documents failed: with several FILEs each failure
     is reported on stderr and the others are processed; with JSONL input a
     failed record becomes an error record in the output and a summary goes to stderr
"""
# corpus, train and evaluate either finish or fail: no status 3.
EXIT_STATUS_WHOLE = "\n".join(EXIT_STATUS.splitlines()[:5]) + "\n"

CLEAN_EPILOG = """\
output:
  one FILE (or stdin)  the article body: body paragraphs, unchanged and in order,
                       separated by a blank line, to stdout or -o FILE
  several FILEs        need -o DIR (created if missing): the body of a/b.html is
                       written to DIR/b.txt (.gz or .zst is stripped first); inputs
                       whose outputs would collide or overwrite an input are
                       refused. -o naming an existing directory also selects this
                       mode
  --jsonl              each input is JSON Lines, one document per record in
                       --field (default: text); one output record per non-blank
                       input line, in order: to stdout (every input, one after
                       another), to -o FILE (one input), or, with several
                       inputs, one file per input in -o DIR, named as the
                       input (a/part-01.jsonl.gz -> DIR/part-01.jsonl.gz).
                       Each output record is the input record, all fields kept,
                       plus:
                         body        the article body ("" if nothing is body)
                         title       the record's own string "title" when it has
                                     one (it is also given to the classifier, so
                                     repeats of it are labelled title), else the
                                     detected headline, else null
                         junk_ratio  share of the document's characters labelled junk
                         empty       true when the document has no text at all
                         paragraphs  [{index, label, score, text}]; omitted with
                                     --no-paragraphs
                       A line that is not JSON, not an object, lacks the field or
                       whose field is not a string, a document that cannot be
                       read, or one over a limit (--limit: a line longer than
                       max_record_bytes, a document taking longer than
                       max_seconds), becomes {...its fields if it was an object,
                       "error": MESSAGE, "line": N} and the run goes on (exit
                       status 3). A .gz/.zst input expanding past
                       max_decompressed_bytes keeps the records before, then
                       one error record stands for the rest.
                       The other added fields replace input fields of the same name.
                       Records are read as they are needed (memory stays flat);
                       --jobs N cleans them on N worker processes, output order
                       unchanged. At the end a summary goes to stderr (records,
                       errors, junk share, time); on a terminal a progress line
                       shows records/s while it runs.
  --boilerplate COUNTS after classification, relabel as chrome the body
                       paragraphs (of 50 words at most) that occur on at least
                       --boilerplate-min-documents other pages of their site
                       (default: 1) when they form a run of 3 or more repeated
                       paragraphs outside the article (a menu, a footer). The
                       site is the host of --group-field when it holds a URL,
                       else its value. COUNTS come from `filterkit boilerplate
                       count` over the same records.
  --resume             skip each input whose output file exists (an output is
                       only ever complete: see -o) and clean the others anew;
                       a resumed run writes the same bytes as an uninterrupted one.
  -o writes each output to a temporary file that replaces it only when that output
  is complete. Files ending in .gz (gzip) or .zst (Zstandard) are decompressed, and
  outputs named so are compressed. Text must be UTF-8 (or UTF-16/32 with a
  byte-order mark); HTML may declare its own charset.
"""

CLASSIFY_EPILOG = """\
output:
  default        TSV with a header line: doc, index, label, score, text; one row
                 per paragraph. doc is the FILE as given (<stdin> for stdin); in
                 doc and text, backslash, tab, newline and carriage return are
                 written as \\\\ \\t \\n \\r
  --jsonl        one JSON object per paragraph: doc, index, label, score, reason, text
  --jsonl-input  each input is JSON Lines, one document per record in --field;
                 each output line is a labelled record in the format `filterkit
                 train` reads: the input record without --field, plus "id" (the
                 record's own, else FILE:LINE), "title" and "paragraphs":
                 [{text, label, score}]. Correct the labels and retrain. Bad
                 records become error records as in `filterkit clean --jsonl`.
  --labelled     write FILE inputs as labelled records too, one per FILE, "id"
                 the FILE as given
  --explain      add the feature groups that moved each paragraph's score most,
                 in words, with how far each moves the body score (+ towards
                 body, - towards junk) compared with the rest of its document: a
                 "why" column (TSV, last) or field, and after "why:" in reason
  label is "content" (article body) or a junk type: title, related, comment,
  chrome, promo, meta. score is the model's probability that the paragraph is body.
"""

INSPECT_EPILOG = """\
output:
  one HTML page, self-contained (no network, no external files): each document
  with every paragraph coloured by its label, its body score, and on click the
  feature groups that moved the score; the title and the share of characters
  labelled junk; a threshold slider that replays the decision at each step of
  0.05; a switch to show only the cleaned body. Inputs named *.jsonl (.gz,
  .zst allowed), or all inputs with --jsonl-input, are JSON Lines: one document
  per record in --field. At most --max-documents documents are shown, with a
  note on the page when there were more.
"""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        _use_utf8_stdout()
        return args.run(args)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return EXIT_OK if exc.code is None else exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except (InputError, ValueError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except (FilterkitError, OSError) as exc:
        _error(_message(exc))
        return EXIT_FAILED


# --- the parser ------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="filterkit", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Turn scraped web articles into their clean article body.",
        epilog=EXIT_STATUS,
    )
    parser.add_argument("--version", action="version", version=f"filterkit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_clean(commands)
    _add_classify(commands)
    _add_inspect(commands)
    _add_boilerplate(commands)
    _add_corpus(commands)
    _add_train(commands)
    _add_evaluate(commands)
    return parser


def _command(commands, name: str, help: str, description: str = "", epilog: str = "",
             parents=(), exit_status: str = EXIT_STATUS_WHOLE) -> argparse.ArgumentParser:
    return commands.add_parser(
        name, help=help, description=textwrap.fill(f"{help} {description}".strip(), 79),
        epilog=epilog + ("\n" if epilog else "") + exit_status,
        parents=list(parents), formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _command_group(commands, name: str, help: str):
    """A command whose actions are subcommands (`filterkit corpus build`); its actions."""
    group = commands.add_parser(name, help=help, description=help)
    return group.add_subparsers(dest="action", required=True, metavar="ACTION")


def _filter_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("files", nargs="*", metavar="FILE",
                         help="input documents (default: stdin; '-' is stdin)")
    options.add_argument("--format", choices=INPUT_FORMATS, default="auto",
                         help="input format (default: auto, HTML when the input starts with markup)")
    _model_options(options, "the model's own", "the shipped text model")
    options.add_argument("--html-model", metavar="PATH",
                         help="the model for HTML pages, a .joblib with its .json card (default: the "
                              "shipped HTML model); needs --trust-model like --model")
    _limit_option(options)
    return options


def _limit_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", dest="limits", action=_LimitAction, default=DEFAULT_LIMITS,
                        metavar="NAME=N", help=f"set one of the limits (see filterkit.limits), "
                        f"repeatable: {', '.join(_LIMIT_NAMES)} (default: {_limit_defaults()})")


_LIMIT_NAMES = [field.name for field in dataclass_fields(Limits)]


def _limit_defaults() -> str:
    return ", ".join(f"{name}={getattr(DEFAULT_LIMITS, name):_}" for name in _LIMIT_NAMES)


class _LimitAction(argparse.Action):
    """--limit NAME=N: the Limits so far with NAME set to N."""

    def __call__(self, parser, namespace, value: str, option_string=None) -> None:
        name, _, number = value.partition("=")
        if name not in _LIMIT_NAMES:
            raise argparse.ArgumentError(self, f"{name!r} is not a limit; the limits: {', '.join(_LIMIT_NAMES)}")
        kind = float if name == "max_seconds" else int
        try:
            limits = replace(getattr(namespace, self.dest), **{name: kind(number)})
        except ValueError as exc:
            wanted = "a number" if kind is float else "a whole number"
            reason = exc if str(exc).startswith(name) else f"N must be {wanted}"
            raise argparse.ArgumentError(self, f"{value}: {reason}") from None
        setattr(namespace, self.dest, limits)


def _model_options(parser: argparse.ArgumentParser, threshold_default: str, model_default: str) -> None:
    parser.add_argument("--threshold", type=_probability, metavar="P",
                        help=f"keep paragraphs whose body score is at least P, 0-1 (default: {threshold_default})")
    parser.add_argument("--model", metavar="PATH",
                        help=f"a .joblib model with its .json model card beside it (default: {model_default})")
    parser.add_argument("--trust-model", action="store_true",
                        help="allow loading --model (and --html-model): model files are pickles, which "
                             "can run code when loaded")


def _add_clean(commands) -> None:
    parser = _command(commands, "clean", "Write the article body of each document.",
                      epilog=CLEAN_EPILOG, parents=[_filter_options()], exit_status=EXIT_STATUS)
    parser.add_argument("-o", "--output", metavar="OUT", help="output FILE, or DIR for several FILEs")
    _jsonl_options(parser, "--jsonl", "inputs and output are JSON Lines (see below)")
    parser.add_argument("--no-paragraphs", action="store_true",
                        help="with --jsonl: leave out the per-paragraph list")
    parser.add_argument("--jobs", type=_positive_int, metavar="N",
                        help="with --jsonl: worker processes, each loading the model once (default: 1)")
    parser.add_argument("--resume", action="store_true",
                        help="with --jsonl and -o: skip inputs whose output is complete, redo the others")
    parser.add_argument("--boilerplate", metavar="COUNTS",
                        help="with --jsonl: relabel text repeated on other pages of a site as chrome, "
                             "by COUNTS from `filterkit boilerplate count` (see below)")
    _group_field_option(parser, None, "with --boilerplate: ")
    parser.add_argument("--boilerplate-min-documents", type=_positive_int, metavar="N",
                        help="with --boilerplate: relabel paragraphs on at least N other pages (default: 1)")
    parser.set_defaults(run=run_clean)


def _group_field_option(parser: argparse.ArgumentParser, default: str | None, prefix: str = "") -> None:
    parser.add_argument("--group-field", default=default, metavar="NAME",
                        help=f"{prefix}the record field naming each document's site: its host when "
                             "it holds a URL, else its value (default: url)")


def _add_classify(commands) -> None:
    parser = _command(commands, "classify", "Label every paragraph: body (content) or a junk type.",
                      epilog=CLASSIFY_EPILOG, parents=[_filter_options()], exit_status=EXIT_STATUS)
    parser.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    parser.add_argument("--jsonl", action="store_true", help="write JSON Lines instead of TSV")
    _jsonl_options(parser, "--jsonl-input", "inputs are JSON Lines; write labelled records (see below)")
    parser.add_argument("--labelled", action="store_true",
                        help="write labelled records (the format `filterkit train` reads) for FILE inputs too")
    parser.add_argument("--explain", action="store_true",
                        help="say which features drove each paragraph's score (slower)")
    parser.set_defaults(run=run_classify)


def _add_inspect(commands) -> None:
    parser = _command(commands, "inspect", "Write an HTML report to look at what was removed, and why.",
                      epilog=INSPECT_EPILOG, parents=[_filter_options()], exit_status=EXIT_STATUS)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML report to write")
    _jsonl_options(parser, "--jsonl-input", "all inputs are JSON Lines (default: those named *.jsonl)")
    parser.add_argument("--max-documents", type=_positive_int, default=MAX_DOCUMENTS, metavar="N",
                        help=f"show at most N documents (default: {MAX_DOCUMENTS})")
    parser.set_defaults(run=run_inspect)


def _add_boilerplate(commands) -> None:
    actions = _command_group(commands, "boilerplate", "Find text repeated across the pages of each site.")
    parser = _command(actions, "count", "Count on how many pages of its site each paragraph occurs.",
                      "Pass 1 of the repeated-boilerplate filter: give the counts to `filterkit clean "
                      "--jsonl --boilerplate COUNTS` over the same records (see docs/boilerplate-signal.md).",
                      exit_status=EXIT_STATUS_WHOLE + "  3  some records could not be read and were not counted;\n"
                                                      "     the first is named on stderr\n")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="JSON Lines inputs, one document per record (.gz, .zst allowed; '-' is stdin)")
    parser.add_argument("--field", default="text", metavar="NAME",
                        help="the record field holding the document (default: text)")
    parser.add_argument("--format", choices=INPUT_FORMATS, default="auto",
                        help="document format, as for clean (default: auto)")
    _group_field_option(parser, "url")
    parser.add_argument("--min-documents", type=_positive_int, default=2, metavar="N",
                        help="keep only paragraphs on at least N pages of their site, and sites of at "
                             "least N pages (default: 2)")
    _limit_option(parser)
    parser.add_argument("-o", "--output", required=True, metavar="COUNTS", help="the counts file to write (.npz)")
    parser.set_defaults(run=run_boilerplate_count)


def _jsonl_options(parser: argparse.ArgumentParser, flag: str, help: str) -> None:
    parser.add_argument(flag, dest="jsonl_input", action="store_true", help=help)
    parser.add_argument("--field", metavar="NAME",
                        help=f"with {flag}: the record field holding the document (default: text)")


def _add_corpus(commands) -> None:
    actions = _command_group(commands, "corpus", "Build a labelled corpus.")
    parser = _command(actions, "build", "Build a labelled corpus from a WCXB directory.",
                      "Each page is rendered as scraped text and every paragraph is labelled "
                      "by aligning it with the page's true body.")
    parser.add_argument("directory", metavar="DIR", help="a WCXB split: html/NNNN.html.gz and ground-truth/NNNN.json")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the labelled JSONL corpus to write")
    _renderings_option(parser)
    parser.add_argument("--jobs", type=_positive_int, default=1, metavar="N", help="worker processes (default: 1)")
    parser.add_argument("--limit", type=_positive_int, metavar="N", help="only the first N pages")
    parser.set_defaults(run=run_corpus_build)


def _add_train(commands) -> None:
    parser = _command(
        commands, "train", "Train a model on a labelled corpus.",
        "The model is saved with its model card; the cross-validation grouped by domain "
        "that chooses its threshold and smoothing is printed.")
    parser.add_argument("corpus", metavar="CORPUS", help="labelled JSONL (.gz allowed), e.g. from `corpus build`")
    parser.add_argument("-o", "--output", required=True, type=_model_path, metavar="PATH",
                        help="where to save the model, e.g. models/NAME.joblib (card: NAME.json beside it)")
    parser.add_argument("--kind", choices=("gbt", "linear"), default="gbt", help="model kind (default: gbt)")
    parser.add_argument("--folds", type=_folds, default=5, metavar="K", help="cross-validation folds (default: 5)")
    _corpus_options(parser)
    _augment_option(parser)
    _save_scores_option(parser)
    parser.add_argument("--wcxb", action="store_true",
                        help="the corpus was built from WCXB: credit it and its licence (CC-BY-4.0) "
                             "in the model card; required when you share a model trained on it")
    parser.set_defaults(run=run_train)


def _augment_option(parser) -> None:
    parser.add_argument("--augment", action="store_true",
                        help="also train on each page's body with its own short junk lines moved inside "
                             "it, and (text pages) on its body alone (filterkit.augment); removes more "
                             "junk inside articles (docs/model-comparison.md)")


def _save_scores_option(parser) -> None:
    parser.add_argument("--save-scores", metavar="PATH.npz",
                        help="also save each paragraph's score behind the report (out-of-fold when "
                             "cross-validating), to study other thresholds without retraining")


def _add_evaluate(commands) -> None:
    parser = _command(
        commands, "evaluate", "Measure body/junk accuracy on a labelled corpus.",
        "By default a model of --kind is trained and tested by cross-validation grouped by "
        "domain. With --model or --shipped-model an existing model is scored instead: only "
        "fair on documents that model was not trained on.")
    parser.add_argument("corpus", metavar="CORPUS", help="labelled JSONL (.gz allowed)")
    parser.add_argument("--kind", choices=("gbt", "linear"),
                        help="model kind to cross-validate (default: gbt)")
    parser.add_argument("--folds", type=_folds, metavar="K", help="cross-validation folds (default: 5)")
    parser.add_argument("--shipped-model", action="store_true", help="evaluate the shipped model")
    _model_options(parser, "chosen by cross-validation, or the model's own",
                   "none: cross-validate a new model")
    parser.add_argument("--json", metavar="OUT", help="also write the report as JSON to OUT ('-': stdout, instead of the table)")
    parser.add_argument("--compare-trafilatura", metavar="WCXB_DIR",
                        help="for a corpus of HTML pages: also run trafilatura (default, favor_precision, "
                             "favor_recall) on the same pages, read from WCXB_DIR/html/ID.html.gz, and "
                             "compare word precision/recall/F1 per page type")
    _corpus_options(parser)
    _augment_option(parser)
    _save_scores_option(parser)
    parser.set_defaults(run=run_evaluate)


def _corpus_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=_positive_int, metavar="N", help="only the first N documents (after filtering)")
    _renderings_option(parser, default=None)
    parser.add_argument("--page-types", nargs="+", metavar="TYPE", help="only documents of these page types")


def _renderings_option(parser: argparse.ArgumentParser, default=RENDERINGS) -> None:
    which = "all" if default is None else ", ".join(default)
    parser.add_argument("--renderings", nargs="+", choices=ALL_RENDERINGS, default=default, metavar="NAME",
                        help=f"only these renderings: {', '.join(ALL_RENDERINGS)} (default: {which}); "
                             f"'{HTML_RENDERING}' is the page's own DOM blocks, for the HTML model")


def _probability(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, got {value}")
    return number


def _positive_int(value: str, minimum: int = 1) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < minimum:
        raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
    return number


def _folds(value: str) -> int:
    return _positive_int(value, minimum=2)


def _model_path(value: str) -> str:
    if not value.endswith(".joblib"):
        raise argparse.ArgumentTypeError(f"a model path ends in .joblib, got {value!r}")
    return value


# --- reading inputs ----------------------------------------------------------------------


def _input_paths(args) -> list[str]:
    """The FILE arguments, checked before any work: stdin at most once, every file readable."""
    paths = args.files or [STDIN]
    if paths.count(STDIN) > 1:
        raise InputError("stdin ('-') can be read only once")
    for path in paths:
        if path != STDIN:
            _require_file(path)
    if STDIN in paths and sys.stdin.isatty():
        print("filterkit: reading a document from stdin; end it with Ctrl-D", file=sys.stderr)
    return paths


def read_files(paths: list[str], format: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Each file one document, within `limits`. When the only input fails, that is an InputError."""
    for path in paths:
        item = Item(source_name(path))
        try:
            item.document = to_document(read_whole(path, limits), format, limits)
        except (InputError, *READ_ERRORS) as exc:
            item.error = _message(exc)
            if len(paths) == 1:
                raise InputError(f"{item.where}: {item.error}") from exc
        yield item


# --- classifying -----------------------------------------------------------------------


def make_filter(args) -> Filter:
    """The Filter the options ask for, its model loaded now: a model problem stops the run
    before any input is read."""
    filter = Filter(args.model, html_model=args.html_model, threshold=args.threshold,
                    trusted=args.trust_model, limits=args.limits)
    filter.model
    if args.html_model is not None:
        filter.html_model
    return filter


class Failures:
    """Counts the items that failed, and says so at the end of a run."""

    def __init__(self) -> None:
        self.total = self.failed = 0
        self.first: Item | None = None

    def see(self, item: Item, report: bool = False) -> bool:
        """Count `item`; True when it failed (and then, if `report`, say why on stderr)."""
        self.total += 1
        if item.error is None:
            return False
        self.failed += 1
        self.first = self.first or item
        if report:
            _error(f"{item.where}: {item.error}")
        return True

    def exit_status(self, what: str) -> int:
        first = self.first and f"{self.first.where}: {self.first.error}"
        return _failure_status(self.failed, self.total, what, first)


def _failure_status(failed: int, total: int, what: str, first: str | None) -> int:
    """0, or 3 after a summary on stderr; `what`: "files" or "records"."""
    if not failed:
        return EXIT_OK
    summary = f"{failed} of {total} {what} failed"
    if what == "records":
        summary += f" and were written as error records; the first, {first}"
    _error(summary)
    return EXIT_PARTIAL


# --- writing outputs ---------------------------------------------------------------------


def _use_utf8_stdout() -> None:
    """Write UTF-8 whatever the locale; text the encoder cannot take (lone surrogates from
    JSON escapes) is written as its \\u escape rather than failing the run."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace", newline="\n")


@contextmanager
def output(path: str | None) -> Iterator[IO[str]]:
    """A text stream to `path` (None or '-': stdout). A file is written under a temporary
    name and replaces `path` only when the block finishes without an exception."""
    if path is None or path == STDIN:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_output(path) as stream:
        yield stream


def tsv_field(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


# --- clean -----------------------------------------------------------------------------


def run_clean(args) -> int:
    _jsonl_only(args, ("field", "no_paragraphs", "jobs", "resume", "boilerplate"), "--jsonl")
    _only_with(args, ("group_field", "boilerplate_min_documents"), "--boilerplate", args.boilerplate)
    paths = _input_paths(args)
    if args.jsonl_input:
        return _clean_jsonl(args, paths)
    if len(paths) > 1 or (args.output and Path(args.output).is_dir()):
        return _clean_to_directory(args, paths)
    return _clean_one(args, paths[0])


def _clean_one(args, path: str) -> int:
    filter = make_filter(args)
    with output(args.output) as out:
        for item, document in classified(filter, read_files([path], args.format, args.limits)):
            _write_body(out, item, document)
    return EXIT_OK


def _clean_to_directory(args, paths: list[str]) -> int:
    if not args.output:
        raise InputError("several FILEs: give -o DIR to write one body per file, or use --jsonl")
    targets = _body_targets(paths, Path(args.output))
    filter = make_filter(args)
    failures = Failures()
    for item, document in classified(filter, read_files(paths, args.format, args.limits)):
        if failures.see(item, report=True):
            continue
        with output(targets[item.source]) as out:
            _write_body(out, item, document)
    return failures.exit_status("files")


def _body_targets(paths: list[str], directory: Path) -> dict[str, Path]:
    """DIR/NAME.txt for each input."""
    return _targets(paths, directory, lambda path: Path(strip_compression(path)).stem + ".txt")


def _targets(paths: list[str], directory: Path, name: Callable[[str], str]) -> dict[str, Path]:
    """DIR/name(FILE) for each input; refuse names that collide or would overwrite an input."""
    if STDIN in paths:
        raise InputError("stdin has no file name to write under -o DIR; clean it on its own with -o FILE")
    targets: dict[str, Path] = {}
    inputs = {Path(p).resolve() for p in paths}
    for path in paths:
        target = directory / name(path)
        clash = next((p for p, t in targets.items() if t == target), None)
        if clash is not None:
            raise InputError(f"{clash} and {path} would both be written to {target}; clean them in separate runs")
        if target.resolve() in inputs:
            raise InputError(f"the output of {path} would overwrite the input {target}; choose another -o DIR")
        targets[path] = target
    directory.mkdir(parents=True, exist_ok=True)
    return targets


def _write_body(out: IO[str], item: Item, document: Document) -> None:
    body = document.body
    if body:
        out.write(body + "\n")
    elif document.paragraphs:
        count = len(document.paragraphs)
        _warn(f"{item.where}: no article body found: {count} paragraph{'s' * (count > 1)}, all junk")
    else:
        _warn(f"{item.where}: the document has no text")


def _clean_jsonl(args, paths: list[str]) -> int:
    shards = _shards(args, paths)
    boilerplate = _relabeller(args)
    summary = clean_shards(shards, make_filter(args), field=args.field or "text", format=args.format,
                           paragraphs=not args.no_paragraphs, boilerplate=boilerplate,
                           jobs=args.jobs or 1, resume=args.resume, progress=Progress(sys.stderr))
    _warn(str(summary))
    for unreadable in summary.unreadable:
        _error(f"{unreadable}; its output was not written (--resume retries it)")
    status = _failure_status(summary.errors, summary.records, "records", summary.first_error)
    return EXIT_PARTIAL if summary.unreadable else status


def _relabeller(args) -> RecordRelabeller | None:
    """The repeated-boilerplate post-filter --boilerplate asks for, its counts read now."""
    if args.boilerplate is None:
        return None
    _require_file(args.boilerplate)
    n = args.boilerplate_min_documents
    return RecordRelabeller(BoilerplateCounts.load(args.boilerplate),
                            BoilerplateFilter(min_documents=n) if n else None, args.group_field or "url")


def _shards(args, paths: list[str]) -> list[Shard]:
    """Inputs and their outputs: all to stdout; one FILE to -o FILE; else one file each in -o DIR."""
    if args.output in (None, STDIN):
        if args.resume:
            raise InputError("--resume needs -o: it skips the inputs whose output file is complete")
        return [Shard(path) for path in paths]
    out = Path(args.output)
    if len(paths) == 1 and not out.is_dir() and not args.output.endswith(("/", os.sep)):
        if paths[0] != STDIN and out.resolve() == Path(paths[0]).resolve():
            raise InputError(f"-o {args.output} would overwrite the input; choose another output")
        return [Shard(paths[0], args.output)]
    if out.exists() and not out.is_dir():
        raise InputError(f"-o {args.output} is a file, but several inputs are written one output "
                         "each into a directory: give -o DIR")
    if not out.exists() and strip_compression(out.name).endswith((".jsonl", ".json")):
        raise InputError(f"several inputs are written one output each into -o DIR, and {args.output} "
                         "looks like a file name: give a directory (created if missing), or leave "
                         "out -o to write every record to stdout")
    targets = _targets(paths, out, lambda path: Path(path).name)
    return [Shard(path, str(targets[path])) for path in paths]


# --- classify --------------------------------------------------------------------------


def run_classify(args) -> int:
    _jsonl_only(args, ("field",), "--jsonl-input")
    paths = _input_paths(args)
    filter = make_filter(args)
    failures = Failures()
    if args.jsonl_input or args.labelled:
        field = args.field or "text"
        items = (read_records(paths, field, args.format, args.limits) if args.jsonl_input
                 else read_files(paths, args.format, args.limits))
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
        for item, document in _classified(filter, read_files(paths, args.format, args.limits), args.explain):
            if failures.see(item, report=True):
                continue
            whys = explanations(document) if args.explain else [None] * len(document.paragraphs)
            for (paragraph, decision), why in zip(document.labelled(), whys):
                out.write(_paragraph_row(item, paragraph, decision, args.jsonl, why))
    return failures.exit_status("files")


def _classified(filter: Filter, items, with_explanations: bool):
    """`records.classified`, with explanations added when asked for."""
    for item, document in classified(filter, items):
        if with_explanations and document is not None:
            document = explain(filter.model_for(item.document).pipeline, item.document, document)
        yield item, document


def _labelled(item: Item, document: Document, field: str, with_explanations: bool) -> dict:
    record = labelled_record(item if item.record is not None else replace(item, record={}), document, field)
    if with_explanations:
        for paragraph, why in zip(record["paragraphs"], explanations(document)):
            paragraph["why"] = str(why)
    return record


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


# --- inspect -----------------------------------------------------------------------------


def run_inspect(args) -> int:
    paths = _input_paths(args)
    filter = make_filter(args)
    report = inspect(filter, _inspected_items(args, paths), max_documents=args.max_documents)
    with output(args.output) as out:
        out.write(report.to_html())
    for item in report.failed:
        _error(f"{item.where}: {item.error}")
    more = f" (the first {args.max_documents}; there were more)" if report.truncated else ""
    count = len(report.documents)
    _say(f"wrote {args.output}: {count} document{'s' * (count != 1)}{more}")
    shown = len(report.documents) + len(report.failed)
    return _failure_status(len(report.failed), shown, "documents", None)


def _inspected_items(args, paths: list[str]) -> Iterator[Item]:
    """The documents of the inputs in order: each record of a JSONL input, each other FILE whole."""
    jsonl = [args.jsonl_input or strip_compression(path).endswith(".jsonl") for path in paths]
    files = read_files([path for path, is_jsonl in zip(paths, jsonl) if not is_jsonl], args.format, args.limits)
    for path, is_jsonl in zip(paths, jsonl):
        if is_jsonl:
            yield from read_records([path], args.field or "text", args.format, args.limits)
        else:
            yield next(files)


def _jsonl_only(args, options: tuple[str, ...], flag: str) -> None:
    _only_with(args, options, flag, args.jsonl_input)


def _only_with(args, options: tuple[str, ...], flag: str, present) -> None:
    if present:
        return
    given = [f"--{o.replace('_', '-')}" for o in options if getattr(args, o)]
    if given:
        raise InputError(f"{', '.join(given)} only applies with {flag}")


# --- boilerplate count ---------------------------------------------------------------------


def run_boilerplate_count(args) -> int:
    paths = _input_paths(args)
    failures = Failures()
    items = (item for item in read_records(paths, args.field, args.format, args.limits)
             if not failures.see(item))
    counts = count_items(items, args.group_field, args.min_documents)
    counts.save(args.output)
    _say(_counted(args, counts, failures.total))
    if failures.failed:
        first = failures.first
        _error(f"{failures.failed} of {failures.total} records could not be read and were not "
               f"counted; the first, {first.where}: {first.error}")
        return EXIT_PARTIAL
    return EXIT_OK


def _counted(args, counts: BoilerplateCounts, records: int) -> str:
    """What `boilerplate count` wrote, and a hint when no record named a site."""
    n, sites = args.min_documents, len(counts.group_keys)
    said = (f"wrote {args.output}: {records:,} records, {int(counts.group_documents.sum()):,} of them on "
            f"{sites:,} site{'s' * (sites != 1)} with {n}+ pages; {len(counts):,} paragraphs occur on "
            f"{n}+ pages of their site")
    if not sites:
        said += f" (do the records' {args.group_field!r} fields name their site? see --group-field)"
    return said


# --- corpus, train, evaluate ---------------------------------------------------------------


def run_corpus_build(args) -> int:
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    count = build_corpus(args.directory, args.output, renderings=tuple(args.renderings),
                         jobs=args.jobs, limit=args.limit)
    print(f"wrote {count} labelled documents to {args.output}")
    return EXIT_OK


def _load_corpus(args):
    _require_file(args.corpus)
    return load_corpus(args.corpus, renderings=args.renderings, page_types=args.page_types,
                       limit=args.limit)


def run_train(args) -> int:
    documents = _load_corpus(args)
    if not args.wcxb and all(d.rendering in ALL_RENDERINGS and d.reference for d in documents):
        _warn("this corpus looks built from WCXB by `filterkit corpus build`; if so, pass --wcxb "
              "so that the model card credits it (CC-BY-4.0)")
    card = train(documents, args.output, kind=args.kind, folds=args.folds,
                 corpus_name=Path(args.corpus).name, training_data=wcxb_credit(documents) if args.wcxb else None,
                 augment=args.augment, scores_path=args.save_scores, log=_say)
    _say(f"saved {args.output} (threshold {card['threshold']:.2f}) and its model card "
         f"{Path(args.output).with_suffix('.json')}")
    return EXIT_OK


def run_evaluate(args) -> int:
    with_model = args.model is not None or args.shipped_model
    if args.model is not None and args.shipped_model:
        raise InputError("give either --model or --shipped-model, not both")
    if with_model and (args.kind or args.folds):
        raise InputError("--kind and --folds set up cross-validation; they do not apply to --model/--shipped-model")
    documents = _load_corpus(args)
    if with_model:
        report = evaluate_model(documents, args.model, trusted=args.trust_model, threshold=args.threshold)
    else:
        report = cross_validate(documents, kind=args.kind or "gbt", folds=args.folds or 5,
                                threshold=args.threshold, augment=args.augment, log=_warn)
    if args.save_scores:
        report.save_scores(documents, args.save_scores)
    result = report.to_json()
    if args.json != STDIN:
        _say(report.to_text())
    if args.compare_trafilatura:
        peers = compare_with_peers(documents, report, args.compare_trafilatura, log=_warn)
        result["peers"] = {name: {t: s.__dict__ for t, s in by_type.items()} for name, by_type in peers.items()}
        if args.json != STDIN:
            _say(comparison_table(peers))
    if args.json:
        with output(args.json) as out:
            out.write(json.dumps(result, indent=2) + "\n")
    return EXIT_OK


def _require_file(path: str) -> None:
    """Fail before any work when an input file is missing or unreadable."""
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise InputError(_message(exc)) from exc


# --- messages --------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, flush=True)


def _warn(message: str) -> None:
    print(f"filterkit: {message}", file=sys.stderr, flush=True)


def _error(message: str) -> None:
    print(f"filterkit: error: {message}", file=sys.stderr, flush=True)


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def _silence_stdout() -> None:
    """After the reader of stdout went away: point stdout at /dev/null so that the
    interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
