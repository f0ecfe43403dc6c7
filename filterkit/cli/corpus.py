"""`filterkit corpus build`: a labelled corpus from a WCXB directory."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .common import EXIT_OK, check_output


def run(args) -> int:
    if not Path(args.directory).is_dir():
        raise InputError(f"{args.directory}: no such directory")
    check_output(args.output)
    from ..training.corpus import build_corpus  # after the check: training imports scikit-learn

    count = build_corpus(args.directory, args.output, renderings=tuple(args.renderings),
                         jobs=args.jobs, limit=args.limit)
    print(f"wrote {count} labelled documents to {args.output}")
    return EXIT_OK
