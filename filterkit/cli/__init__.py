"""The command line: `filterkit clean | classify | inspect | boilerplate count | corpus build |
train | evaluate`.

A thin shell over the library: each command parses its arguments, reads its inputs,
calls filterkit and formats what comes back. What a paragraph is, and whether it is
body, is decided in the library only.

`parser` builds the whole parser; each command lives in a module of its own (`clean`,
`classify`, `inspect`, `boilerplate`, `corpus`, `train`, `evaluate`), with a `run(args)`
that returns the exit status, imported only when that command runs. `common` and
`documents` hold what several commands share.
"""
from __future__ import annotations

import gc
import importlib

from ..errors import FilterkitError, InputError
from .common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    error,
    message,
    silence_stdout,
    use_utf8_stdout,
    warn,
)
from .parser import build_parser

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line on `argv` (None: the program's own arguments); return the exit status."""
    status = run_command_line(argv)
    if argv is None:  # the program itself, which exits now
        leave_objects_to_the_os()
    return status


def leave_objects_to_the_os() -> None:
    """Spare the exiting interpreter its last garbage collections over every object of
    scikit-learn, SciPy and the models (a tenth of the time `filterkit clean` takes on one
    document, docs/speed.md): nothing they would free outlives the process."""
    gc.freeze()


def run_command_line(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    2 for a usage error or an input that cannot be read (`UsageError`, `InputError`);
    1 when the run failed otherwise: a model that cannot be loaded, an output that cannot
    be written, or a ValueError from the library; 130 when interrupted (Ctrl-C). Always a
    one-line message, never a traceback, even for an error nobody foresaw (a bug)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        use_utf8_stdout()
        command = importlib.import_module(f"{__name__}.{args.module}")
        return command.run(args)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return EXIT_OK if exc.code is None else exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except BrokenPipeError:
        silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        warn("interrupted")
        return EXIT_INTERRUPTED
    except (UsageError, InputError) as exc:
        error(str(exc))
        return EXIT_USAGE
    except (FilterkitError, OSError, ValueError) as exc:
        error(message(exc))
        return EXIT_FAILED
    except Exception as exc:  # a bug: said in one line all the same
        error(f"{type(exc).__name__}: {exc} (an error filterkit does not expect: please report it, "
              "with the command that ran)")
        return EXIT_FAILED
