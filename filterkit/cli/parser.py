"""The whole argparse parser of `filterkit`: every command, option and help text.

It imports no command module and nothing of training, report or scale (`filterkit --help`,
`--version` and usage errors do not pay for them): each command names the module of
`filterkit.cli` that runs it (`module`), which `main` imports once the arguments parse.
Names the help needs from heavy modules are copied here, and tests/cli checks that they
equal the originals.
"""
from __future__ import annotations

import argparse
import textwrap
from dataclasses import fields as dataclass_fields
from dataclasses import replace

from .. import __version__
from ..limits import DEFAULT_LIMITS, Limits
from ..read.input import INPUT_FORMATS

# Copies of filterkit.training.corpus.RENDERINGS, HTML_RENDERING and ALL_RENDERINGS, of
# filterkit.report.inspect.MAX_DOCUMENTS, and of filterkit.report.formats.OUTPUT_FORMATS and
# TEXT_FORMATS (tests/cli/test_parser.py checks they are equal).
RENDERINGS = ("trafilatura-recall", "trafilatura", "page")
HTML_RENDERING = "html"
ALL_RENDERINGS = (*RENDERINGS, HTML_RENDERING)
MAX_DOCUMENTS = 25
OUTPUT_FORMATS = ("txt", "markdown", "json", "xml", "html")
TEXT_FORMATS = ("txt", "markdown")

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
  --output-format F    txt (default): the body as above. markdown: the kept
                       blocks with the structure of their page: headings as
                       # to ######, list items as - or 1. (nested lists
                       indented), a table as a pipe table of its kept cells
                       (first row the header, | in a cell escaped), a <pre>
                       code sample fenced with its white space exactly as in
                       the page, quotes as >. json: one object: title,
                       author, date, url, sitename, language (from an HTML
                       page, else null), text (as --json-text says: txt or
                       markdown), comments (null without --comments), and
                       with --labels paragraphs [{index, label, score,
                       reason, text}]. xml: <doc> with the metadata as
                       attributes, <main> and <comments>, as trafilatura
                       writes it. html: a page with the body in <article>.
                       --links and --images keep links ([text](href)) and
                       images (![alt](src), as elements in xml and html).
                       Text input has no structure: its kept paragraphs are
                       paragraphs. -o DIR names each output by its format:
                       .txt, .md, .json, .xml, .html. With --jsonl, "body"
                       holds the text in the format; json adds its fields
                       to the record.
  --comments           also the page's comments (the junk in its comment
                       section, prompts and the comment form left out), never
                       in the body: after it under a "----- comments -----"
                       line (txt; markdown: "---" and "**Comments**"), in
                       "comments" (json; txt and markdown --jsonl records),
                       in <comments> (xml) or <section id="comments"> (html).
  --jsonl              each input is JSON Lines, one document per record in
                       --field (default: text); one output record per non-blank
                       input line, in order (blank lines are skipped, but
                       counted in line numbers): to stdout (every input, one
                       after another), to -o FILE (one input), or, with several
                       inputs, one file per input in -o DIR, named as the
                       input (a/part-01.jsonl.gz -> DIR/part-01.jsonl.gz).
                       Each output record is the input record, all fields kept,
                       plus:
                         body        the article body ("" if nothing is body)
                         title       the record's own string "title" when it has
                                     one (it is also given to the classifier, so
                                     repeats of it are labelled title), else the
                                     detected headline, else null
                         author      from an HTML page's metadata, else null
                         date        likewise
                         junk_ratio  share of the document's characters labelled junk
                         empty       true when the document has no text at all
                         quality     how sure filterkit is of the body, 0-1,
                                     from its paragraphs' scores (null: no
                                     text); see docs/quality-score.md
                         unsure      with --min-quality Q: true when quality is
                                     under Q (or null). Such records stay in
                                     place, one output record per input line,
                                     and the summary counts them
                         paragraphs  [{index, label, score, reason, text}]; omitted
                                     with --no-paragraphs
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
  WARC files           (named *.warc, *.warc.gz, *.warc.zst, or any with --warc)
                       give JSON Lines as --jsonl does, with its options: one
                       output record per HTML page (a response record, HTTP
                       status 2xx, content type text/html or
                       application/xhtml+xml), with url (WARC-Target-URI),
                       warc_date and warc_record_id beside the fields above; an
                       -o DIR output is named as the input with .jsonl for .warc
                       (crawl.warc.gz -> DIR/crawl.jsonl.gz). The other records
                       (warcinfo, request, metadata, revisit, not HTML, ...) are
                       skipped and counted in the summary. The page's charset, or
                       else the HTTP header's, decodes it. A page over
                       max_record_bytes or with a binary payload becomes an error
                       record; a truncated or corrupt file keeps the records
                       before, then one error record says where it broke (exit
                       status 3).
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
  is complete; -o FILE must not be an input, and its directory must exist. Files
  ending in .gz (gzip) or .zst (Zstandard) are decompressed, and outputs named so
  are compressed. Text should be UTF-8 (or UTF-16/32 with a byte-order mark); a
  text FILE in another encoding is read in the encoding charset-normalizer guesses,
  and a UTF-8 FILE with a few bad bytes with them replaced (U+FFFD), each said on
  stderr (--strict-encoding refuses both); UTF-16 without a byte-order mark and
  binary data are refused. HTML may declare its own charset.
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


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; each sets `module`, the module of filterkit.cli that runs it."""
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
    _preset_options(options)
    options.add_argument("--strict-encoding", action="store_true",
                         help="refuse a text FILE that is not UTF-8 (or UTF-16/32 with a byte-order mark) "
                              "instead of reading it in a guessed encoding or with its bad bytes replaced")
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


def _preset_options(parser: argparse.ArgumentParser) -> None:
    presets = parser.add_mutually_exclusive_group()
    presets.add_argument("--precision", action="store_true",
                         help="cut at the model cards' 'precision' preset: less junk kept, some body lost "
                              "(chosen by cross-validation: best word F0.5); not with --threshold")
    presets.add_argument("--recall", action="store_true",
                         help="cut at the model cards' 'recall' preset: less body lost, more junk kept "
                              "(best word F2); not with --threshold")


def _add_clean(commands) -> None:
    parser = _command(commands, "clean", "Write the article body of each document.",
                      epilog=CLEAN_EPILOG, parents=[_filter_options()], exit_status=EXIT_STATUS)
    parser.add_argument("-o", "--output", metavar="OUT", help="output FILE, or DIR for several FILEs")
    _output_format_options(parser)
    _jsonl_options(parser, "--jsonl", "inputs and output are JSON Lines (see below)")
    parser.add_argument("--warc", action="store_true",
                        help="inputs are WARC files, whatever their names (see below); output is "
                             "JSON Lines as with --jsonl")
    parser.add_argument("--no-paragraphs", action="store_true",
                        help="with --jsonl or WARC input: leave out the per-paragraph list")
    parser.add_argument("--min-quality", type=_probability, metavar="Q",
                        help="route the documents filterkit is unsure of, those whose quality (0-1, see "
                             "below) is under Q: a FILE's body is not written (or written under "
                             "--unsure), and said on stderr; a JSONL record is marked \"unsure\": true")
    parser.add_argument("--unsure", metavar="OUT",
                        help="with --min-quality: write the body of each FILE under it to OUT instead "
                             "(FILE for one input, DIR for several)")
    parser.add_argument("--jobs", type=_positive_int, metavar="N",
                        help="with --jsonl or WARC input: worker processes, each loading the model once "
                             "(default: 1)")
    parser.add_argument("--resume", action="store_true",
                        help="with --jsonl or WARC input, and -o: skip inputs whose output is complete, "
                             "redo the others")
    parser.add_argument("--boilerplate", metavar="COUNTS",
                        help="with --jsonl: relabel text repeated on other pages of a site as chrome, "
                             "by COUNTS from `filterkit boilerplate count` (see below)")
    _group_field_option(parser, None, "with --boilerplate: ")
    parser.add_argument("--boilerplate-min-documents", type=_positive_int, metavar="N",
                        help="with --boilerplate: relabel paragraphs on at least N other pages (default: 1)")
    parser.set_defaults(module="clean")


def _output_format_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output-format", choices=OUTPUT_FORMATS, default="txt",
                        help="write the body as txt (default), markdown, json, xml or html (see below)")
    parser.add_argument("--links", action="store_true",
                        help="with --output-format markdown, xml, html or json (with --json-text markdown): "
                             "keep links and their targets")
    parser.add_argument("--images", action="store_true",
                        help="with --output-format markdown, xml, html or json (with --json-text markdown): "
                             "keep images, their alt text and source")
    parser.add_argument("--comments", action="store_true",
                        help="also write the page's comments, apart from the body (see below)")
    parser.add_argument("--json-text", choices=TEXT_FORMATS,
                        help="with --output-format json: the text as txt (default) or markdown")
    parser.add_argument("--labels", action="store_true",
                        help="with --output-format json: add every paragraph's label, score and reason")


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
    parser.set_defaults(module="classify")


def _add_inspect(commands) -> None:
    parser = _command(commands, "inspect", "Write an HTML report to look at what was removed, and why.",
                      epilog=INSPECT_EPILOG, parents=[_filter_options()], exit_status=EXIT_STATUS)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML report to write")
    _jsonl_options(parser, "--jsonl-input", "all inputs are JSON Lines (default: those named *.jsonl)")
    parser.add_argument("--max-documents", type=_positive_int, default=MAX_DOCUMENTS, metavar="N",
                        help=f"show at most N documents (default: {MAX_DOCUMENTS})")
    parser.set_defaults(module="inspect")


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
    parser.set_defaults(module="boilerplate")


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
    parser.set_defaults(module="corpus")


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
    parser.set_defaults(module="train")


def _augment_option(parser) -> None:
    parser.add_argument("--augment", nargs="?", const="cleaned,interleaved", default=None, metavar="KINDS",
                        type=_augmentation_kinds,
                        help="also train on documents made from each training page "
                             "(filterkit.training.augment), KINDS of them, comma-separated: 'cleaned' "
                             "(a text page's body alone), 'interleaved' (its own short junk lines moved "
                             "inside its body), 'cues' (cue lines of the lexicons put inside a text "
                             "page's body); alone: cleaned,interleaved (docs/model-comparison.md)")


def _augmentation_kinds(value: str) -> str:
    from ..training.augment import augmentation_kinds
    try:
        return ",".join(augmentation_kinds(value))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


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
    parser.set_defaults(module="evaluate")


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
