"""What the commands that filter documents share (clean, classify, inspect, boilerplate
count): their inputs checked and read as Items, the Filter their options ask for, the
count of failed inputs, and where output goes."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Iterator

from ..errors import InputError, ModelError
from ..limits import DEFAULT_LIMITS, Limits
from ..read import to_document
from ..scale.files import READ_ERRORS, STDIN, atomic_output, read_whole
from ..scale.records import Item, source_name
from .common import UsageError, check_output, error, failure_status, message, require_file, warn

# The model, and scikit-learn with it, are imported once the arguments and inputs are
# checked (`make_filter`): a mistake is reported at once.
if TYPE_CHECKING:
    from ..filter import Filter
    from ..model.store import LoadedModel

# --- reading inputs ----------------------------------------------------------------------


def input_paths(args, output: str | None = None) -> list[str]:
    """The FILE arguments, checked before any work: stdin at most once, every file readable,
    and `output` (a FILE) none of them, in a directory that exists."""
    paths = args.files or [STDIN]
    if paths.count(STDIN) > 1:
        raise UsageError("stdin ('-') can be read only once")
    for path in paths:
        if path != STDIN:
            require_file(path)
    check_output(output, paths)
    if STDIN in paths and sys.stdin.isatty():
        print("filterkit: reading a document from stdin; end it with Ctrl-D", file=sys.stderr)
    return paths


def read_files(paths: list[str], format: str, limits: Limits = DEFAULT_LIMITS,
               strict_encoding: bool = False, metadata: bool = True) -> Iterator[Item]:
    """Each file one document, within `limits`; a text file not read as UTF-8 is said on
    stderr (`strict_encoding`: refused). When the only input fails, that is an InputError.
    `metadata=False`: of a page's metadata, read the title alone (`to_document`)."""
    for path in paths:
        item = Item(source_name(path))
        try:
            item.document = to_document(read_whole(path, limits), format, limits, metadata=metadata,
                                        strict_encoding=strict_encoding)
        except (InputError, *READ_ERRORS) as exc:
            item.error = message(exc)
            if len(paths) == 1:
                raise InputError(f"{item.where}: {item.error}") from exc
        else:
            say_how_decoded(item.where, item.document.metadata)
        yield item


def say_how_decoded(where: str, metadata: dict) -> None:
    """A warning on stderr when a text file's encoding was guessed or bytes were replaced."""
    replaced = metadata.get("replaced_bytes", 0)
    if metadata.get("encoding_guessed"):
        also = f"; {replaced:,} bytes it cannot read replaced" if replaced else ""
        warn(f"{where}: not UTF-8: read as {metadata['encoding']} (a guess; --strict-encoding refuses "
             f"such input){also}")
    elif replaced:
        warn(f"{where}: {replaced:,} bytes that are not valid {metadata['encoding'].upper()} replaced "
             "with U+FFFD (--strict-encoding refuses such input)")


# --- classifying -----------------------------------------------------------------------


def make_filter(args, *, shipped_text_model_now: bool = True) -> Filter:
    """The Filter the options ask for, its models loaded now (the shipped HTML model once
    a page needs it): a model problem stops the run before any input is read.
    `shipped_text_model_now=False`: the shipped text model too waits until a document needs
    it, so that cleaning a page never loads it (a --model given is loaded now all the same)."""
    if args.threshold is not None and (args.precision or args.recall):
        raise UsageError(f"--threshold and --{'precision' if args.precision else 'recall'} are different "
                         "operating points: give one at most")
    from ..filter import Filter

    html_model = None if args.html_model is None else _model(args.html_model, "html", args.trust_model)
    deferred = args.model is None and not shipped_text_model_now
    text_model = None if deferred else _model(args.model, "text", args.trust_model)
    return Filter(text_model, html_model=html_model,
                  threshold=args.threshold, trusted=args.trust_model, limits=args.limits,
                  precision=args.precision, recall=args.recall)


_MODEL_OPTIONS = {"text": "--model", "html": "--html-model"}


def _model(path: str | None, wanted: str, trusted: bool) -> LoadedModel:
    """The model at `path` (None: the shipped text model), which must read `wanted` input."""
    from ..model.store import load_model, model_input

    loaded = load_model(path, trusted=trusted)
    found = model_input(loaded.card)
    if found != wanted:
        raise ModelError(f"{path} is a model for {found} input, but {_MODEL_OPTIONS[wanted]} takes one "
                         f"for {wanted} input: give it as {_MODEL_OPTIONS[found]}")
    return loaded


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
            error(f"{item.where}: {item.error}")
        return True

    def exit_status(self, what: str) -> int:
        first = self.first and f"{self.first.where}: {self.first.error}"
        return failure_status(self.failed, self.total, what, first)


# --- writing outputs ---------------------------------------------------------------------


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
