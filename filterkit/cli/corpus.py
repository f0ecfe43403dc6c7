"""`filterkit corpus build`: a labelled corpus from a WCXB directory."""
from __future__ import annotations

from pathlib import Path

from ..training.corpus import build_corpus
from .common import EXIT_OK


def run(args) -> int:
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    count = build_corpus(args.directory, args.output, renderings=tuple(args.renderings),
                         jobs=args.jobs, limit=args.limit)
    print(f"wrote {count} labelled documents to {args.output}")
    return EXIT_OK
