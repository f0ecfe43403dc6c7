"""What every command shares: exit statuses, the usage error, messages on stdout and
stderr, and checks of the arguments before any work.

Light on purpose: `main` imports it before a command runs, so it imports nothing of
training, report or scale.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """The arguments ask for something the command cannot do (exit status 2), found after
    argparse accepted them: options that only apply with another, outputs that would
    collide or overwrite an input."""


# --- checks before any work ------------------------------------------------------------


def require_file(path: str) -> None:
    """Fail before any work when an input file is missing or unreadable."""
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise InputError(message(exc)) from exc


def check_output(path: str | None, inputs: list[str] = (), option: str = "-o") -> None:
    """Fail before any work when an output FILE (None or '-': stdout) is one of the inputs,
    or its directory does not exist: a mistyped path is not made into directories."""
    if path in (None, "-"):
        return
    target = Path(path)
    for source in inputs:
        if source != "-" and _same_file(source, target):
            raise UsageError(f"{option} {path} would overwrite the input {source}; choose another output")
    if not target.parent.is_dir():
        raise UsageError(f"{option} {path}: there is no directory {target.parent}; create it first")


def _same_file(a: str, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def jsonl_only(args, options: tuple[str, ...], flag: str) -> None:
    only_with(args, options, flag, args.jsonl_input)


def only_with(args, options: tuple[str, ...], flag: str, present) -> None:
    if present:
        return
    given = [f"--{o.replace('_', '-')}" for o in options if getattr(args, o)]
    if given:
        raise UsageError(f"{', '.join(given)} only applies with {flag}")


def failure_status(failed: int, total: int, what: str, first: str | None) -> int:
    """0, or 3 after a summary on stderr; `what`: "files" or "records"."""
    if not failed:
        return EXIT_OK
    summary = f"{failed} of {total} {what} failed"
    if what == "records":
        summary += f" and were written as error records; the first, {first}"
    error(summary)
    return EXIT_PARTIAL


# --- messages --------------------------------------------------------------------------


def say(text: str) -> None:
    print(text, flush=True)


def warn(text: str) -> None:
    print(f"filterkit: {text}", file=sys.stderr, flush=True)


def error(text: str) -> None:
    print(f"filterkit: error: {text}", file=sys.stderr, flush=True)


def message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc) or type(exc).__name__


# --- stdout ----------------------------------------------------------------------------


def use_utf8_stdout() -> None:
    """Write UTF-8 whatever the locale; text the encoder cannot take (lone surrogates from
    JSON escapes) is written as its \\u escape rather than failing the run."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace", newline="\n")


def silence_stdout() -> None:
    """After the reader of stdout went away: point stdout at /dev/null so that the
    interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# --- labelled corpora (train, evaluate) --------------------------------------------------


def labelled_corpus(args):
    """The documents of the labelled corpus `args.corpus` that the corpus options select."""
    require_file(args.corpus)
    from ..training.train import load_corpus  # here, not above: only train and evaluate need it

    return load_corpus(args.corpus, renderings=args.renderings, page_types=args.page_types,
                       limit=args.limit)
