"""`filterkit boilerplate count`: on how many pages of its site each paragraph occurs (pass 1
of the repeated-boilerplate filter; pass 2 is `clean --jsonl --boilerplate COUNTS`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..scale.records import read_records
from .common import EXIT_OK, EXIT_PARTIAL, error, say
from .documents import Failures, input_paths

if TYPE_CHECKING:
    from ..scale.boilerplate import BoilerplateCounts


def run(args) -> int:
    paths = input_paths(args, args.output)
    from ..scale.boilerplate import count_items  # after the checks: it imports scikit-learn

    failures = Failures()
    items = (item for item in read_records(paths, args.field, args.format, args.limits)
             if not failures.see(item))
    counts = count_items(items, args.group_field, args.min_documents)
    counts.save(args.output)
    say(_counted(args, counts, failures.total))
    if failures.failed:
        first = failures.first
        error(f"{failures.failed} of {failures.total} records could not be read and were not "
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
