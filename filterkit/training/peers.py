"""filterkit's HTML cleaning next to trafilatura's, on the same pages, in the same run.

Word precision, recall and F1 against each page's reference body (the WCXB metric),
averaged over pages, per page type. Peers are trafilatura's three modes: default,
favor_precision and favor_recall (comments left out, as its defaults do).
"""
from __future__ import annotations

import gzip
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .metrics import PRF, word_prf

TRAFILATURA_MODES = {
    "trafilatura": {},
    "trafilatura-precision": {"favor_precision": True},
    "trafilatura-recall": {"favor_recall": True},
}


@dataclass(frozen=True)
class PageOutput:
    """What one extractor made of one page."""

    page_id: str
    page_type: str
    text: str


def trafilatura_outputs(pages: Iterable[tuple[str, str, Path]], mode: str) -> list[PageOutput]:
    """trafilatura's extraction of each `(page id, page type, .html or .html.gz path)`."""
    import trafilatura

    options = TRAFILATURA_MODES[mode]
    outputs = []
    for page_id, page_type, path in pages:
        try:
            text = trafilatura.extract(read_page(path), **options) or ""
        except Exception:  # a peer that fails on a page extracted nothing from it
            text = ""
        outputs.append(PageOutput(page_id, page_type, text))
    return outputs


def read_page(path: Path) -> bytes:
    data = Path(path).read_bytes()
    return gzip.decompress(data) if str(path).endswith(".gz") else data


@dataclass(frozen=True)
class Scores:
    """Mean word precision, recall and F1 of one extractor over some pages."""

    pages: int
    precision: float
    recall: float
    f1: float


def score_outputs(outputs: list[PageOutput], references: dict[str, str]) -> dict[str, Scores]:
    """Mean word P/R/F1 per page type, and over all pages ("all")."""
    by_type: dict[str, list[PRF]] = defaultdict(list)
    for output in outputs:
        prf = word_prf(output.text, references[output.page_id])
        by_type["all"].append(prf)
        by_type[output.page_type].append(prf)
    return {page_type: Scores(len(prfs), float(np.mean([p.precision for p in prfs])),
                              float(np.mean([p.recall for p in prfs])), float(np.mean([p.f1 for p in prfs])))
            for page_type, prfs in by_type.items()}


def comparison_table(results: dict[str, dict[str, Scores]]) -> str:
    """A markdown table: a row per page type, word F1 (P/R) per extractor; the first
    extractor is filterkit's, and the last column says whether it beats every peer."""
    names = list(results)
    ours, peers = names[0], names[1:]
    types = sorted(results[ours], key=lambda t: (t != "all", -results[ours][t].pages, t))
    header = ["page type", "pages", *(f"{n} F1 (P/R)" for n in names), f"{ours} best"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for page_type in types:
        cells = [page_type, str(results[ours][page_type].pages)]
        for name in names:
            s = results[name].get(page_type)
            cells.append(f"{s.f1:.3f} ({s.precision:.2f}/{s.recall:.2f})" if s else "n/a")
        best = all(results[ours][page_type].f1 > results[p][page_type].f1 for p in peers if page_type in results[p])
        cells.append("yes" if best else "no")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def compare_with_trafilatura(ours: list[PageOutput], references: dict[str, str],
                             pages: list[tuple[str, str, Path]], name: str = "filterkit",
                             log: Callable[[str], None] = print) -> dict[str, dict[str, Scores]]:
    """Scores of `ours` and of trafilatura's three modes on the same pages."""
    results = {name: score_outputs(ours, references)}
    for mode in TRAFILATURA_MODES:
        log(f"running {mode} on {len(pages)} pages")
        results[mode] = score_outputs(trafilatura_outputs(pages, mode), references)
    return results
