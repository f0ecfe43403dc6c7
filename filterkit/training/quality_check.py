"""Does `Document.quality` rank pages by how right their body is?

Each page of the two development sources is cleaned with the shipped models, as
`filterkit.clean` cleans it; its true F1 is measured (WCXB dev: word F1 against the
human-reviewed `main_content`; trafilatura-eval-dev: the page's snippet F1), and its
quality computed by each candidate formula from the same decision. The figure is the
Spearman rank correlation between quality and true F1 over the pages, per source.

    python -m filterkit.training.quality_check --shared ../shared [--sample 400]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from scipy.stats import spearmanr

from ..decide.junktypes import labelled
from ..decide.quality import certain_share, document_quality, expected_f1
from ..read import to_document
from ..read.structured import with_structured_body
from .corpus import wcxb_pages
from .metrics import word_prf
from .peers import read_page
from .snippets import page_counts, read_evaldata

WCXB = Path("data") / "wcxb-dev"
SNIPPETS = Path("data") / "trafilatura-eval-dev"
SAMPLE_SEED = 17
BATCH = 32


@dataclass(frozen=True)
class Decided:
    """One page as cleaned: its paragraphs' characters, settled scores and thresholds,
    what was kept, and the true F1 of its body."""

    lengths: np.ndarray
    scores: np.ndarray
    thresholds: np.ndarray
    kept: np.ndarray
    true_f1: float


# --- the candidate formulas: each from a page's decision, in [0, 1] ------------------------


def shipped(d: Decided) -> float:
    """`filterkit.decide.quality.document_quality`: expected F1 x certain share."""
    return document_quality(d.lengths, d.scores, d.thresholds, d.kept) or 0.0


def expected_f1_alone(d: Decided) -> float:
    """The character F1 of the kept paragraphs, scores read as probabilities of body."""
    return expected_f1(d.lengths, np.clip(d.scores, 0.0, 1.0), d.kept)


def certain_share_alone(d: Decided) -> float:
    """The share of characters scored more than UNCERTAIN_BAND from their threshold; 0
    with nothing kept."""
    return certain_share(d.lengths, d.scores, d.thresholds) if d.kept.any() else 0.0


def margin(d: Decided) -> float:
    """How far scores sit from the threshold, each as a share of the room on its side
    (up to 1 above, down to 0 below), weighted by characters; 0 with nothing kept."""
    if not d.kept.any() or not d.lengths.sum():
        return 0.0
    room = np.where(d.scores >= d.thresholds, 1.0 - d.thresholds, d.thresholds)
    distance = np.clip(np.abs(d.scores - d.thresholds) / np.maximum(room, 1e-9), 0.0, 1.0)
    return float(np.average(distance, weights=d.lengths))


def kept_confidence(d: Decided) -> float:
    """Expected precision alone: the mean score of the kept paragraphs, by characters."""
    if not d.kept.any() or not d.lengths[d.kept].sum():
        return 0.0
    return float(np.average(d.scores[d.kept], weights=d.lengths[d.kept]))


FORMULAS: dict[str, Callable[[Decided], float]] = {
    "expected F1 x certain share (shipped)": shipped, "expected F1": expected_f1_alone,
    "certain share": certain_share_alone, "margin": margin, "kept confidence": kept_confidence,
}


# --- cleaning the pages --------------------------------------------------------------------


def decided_pages(filter, pages: list, true_f1: Callable[[object, str], float],
                  log: Callable[[str], None] = print) -> list[Decided]:
    """Each page (with `.path` or `.html_path` to its HTML) cleaned by `filter` as
    `classify` cleans it, with the true F1 of its body (`true_f1(page, body)`)."""
    out: list[Decided] = []
    for start in range(0, len(pages), BATCH):
        batch = pages[start:start + BATCH]
        documents = [to_document(read_page(html_path(page)), "html", filter.limits) for page in batch]
        for page, document, settled in zip(batch, documents, filter.settle(documents, filter.scores(documents))):
            body = with_structured_body(labelled(document, settled)).body if document.paragraphs else ""
            out.append(Decided(np.array([len(t) for t in document.texts], dtype=float), settled.scores,
                               settled.thresholds, settled.kept, true_f1(page, body)))
        log(f"{len(out)}/{len(pages)} pages")
    return out


def html_path(page) -> Path:
    return getattr(page, "html_path", None) or page.path


def wcxb_f1(page, body: str) -> float:
    return word_prf(body, page.main_content).f1


def snippet_f1(page, body: str) -> float:
    return page_counts(page, body).f1


def correlations(decided: list[Decided]) -> dict[str, float]:
    """Spearman's rho between each formula's quality and the pages' true F1."""
    truth = [d.true_f1 for d in decided]
    return {name: float(spearmanr([formula(d) for d in decided], truth).statistic)
            for name, formula in FORMULAS.items()}


def lowest_share(decided: list[Decided], formula: Callable[[Decided], float], share: float = 0.1
                 ) -> tuple[float, float, float]:
    """The quality under which `share` of the pages fall, their mean true F1, and the
    others' mean true F1: what routing the least sure pages away would take out."""
    quality = np.array([formula(d) for d in decided])
    truth = np.array([d.true_f1 for d in decided])
    cut = float(np.quantile(quality, share))
    low = quality <= cut
    return cut, float(truth[low].mean()), float(truth[~low].mean())


def sample(pages: list, size: int | None, seed: int = SAMPLE_SEED) -> list:
    """All pages, or a fixed random sample of `size` of them, in their order."""
    if size is None or size >= len(pages):
        return pages
    chosen = set(random.Random(seed).sample(range(len(pages)), size))
    return [page for i, page in enumerate(pages) if i in chosen]


def source_pages(shared: Path) -> dict[str, tuple[list, Callable]]:
    return {"WCXB dev (word F1)": (wcxb_pages(shared / WCXB), wcxb_f1),
            "trafilatura-eval-dev (snippet F1)": (read_evaldata(shared / SNIPPETS), snippet_f1)}


def report(results: dict[str, list[Decided]]) -> str:
    """Spearman per formula and source, and what the 10% least sure pages hold, as markdown."""
    names = list(results)
    rhos = {name: correlations(decided) for name, decided in results.items()}
    lines = ["| formula | " + " | ".join(f"{name}: {len(results[name])} pages" for name in names) + " |",
             "| --- |" + " --- |" * len(names)]
    for formula in FORMULAS:
        lines.append(f"| {formula} | " + " | ".join(f"{rhos[name][formula]:.3f}" for name in names) + " |")
    lines += ["", "| source | 10% least sure: quality under | their mean F1 | the other 90% |",
              "| --- | --- | --- | --- |"]
    for name, decided in results.items():
        cut, low, rest = lowest_share(decided, shipped)
        lines.append(f"| {name} | {cut:.3f} | {low:.3f} | {rest:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m filterkit.training.quality_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared data (default ../shared)")
    parser.add_argument("--sample", type=int, metavar="N",
                        help=f"a fixed random sample of N pages per source (seed {SAMPLE_SEED}; default: all)")
    args = parser.parse_args(argv)
    from ..filter import Filter

    filter = Filter()
    started = time.perf_counter()
    results = {}
    for name, (pages, true_f1) in source_pages(args.shared).items():
        print(f"{name}: cleaning {len(sample(pages, args.sample))} pages", file=sys.stderr)
        results[name] = decided_pages(filter, sample(pages, args.sample), true_f1,
                                      log=lambda line: print(line, file=sys.stderr))
    print(report(results))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
