"""Throughput of filterkit's text cleaning against trafilatura, measured in the same run.

    python benchmarks/throughput.py [--pages 300] [--wcxb ../shared/data/wcxb-dev] [--json out.json]

On the same WCXB pages:
- filterkit: `Filter.clean_many` over the pages' scraped-text rendering (trafilatura
  favor_recall, rendered beforehand and not timed): documents per second;
- trafilatura: `trafilatura.extract` over the same pages' HTML: documents per second;
- datatrove's rule filters over the same texts, when datatrove is installed: its C4 line
  filter (`C4QualityFilter`, which drops lines) and FineWeb's (`FineWebQualityFilter`,
  which keeps or drops a document): documents per second.
All run on one core (BLAS/OpenMP pools limited to one thread). Reported: each rate and
their ratio, and the wall time from process start to the first cleaned document for
`filterkit clean SEED` (median of a few runs) next to `python -c pass` for scale.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy/sklearn load their pools

from threadpoolctl import threadpool_limits  # noqa: E402  (a scikit-learn dependency)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def sample_pages(wcxb: Path, count: int) -> list[bytes]:
    from filterkit.training.corpus import wcxb_pages

    pages = wcxb_pages(wcxb)
    step = max(len(pages) // count, 1)
    return [gzip.decompress(p.html_path.read_bytes()) for p in pages[::step][:count]]


def rate(function, items, repeat: int = 3, before_each=None) -> float:
    """Best items-per-second over `repeat` passes (`before_each` runs untimed before each)."""
    best = float("inf")
    for _ in range(repeat):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        function(items)
        best = min(best, time.perf_counter() - start)
    return len(items) / best


def startup_seconds(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--wcxb", type=Path, default=SHARED / "data" / "wcxb-dev")
    parser.add_argument("--seed", type=Path, default=None, help="text file for the start-up timing")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.wcxb.is_dir():
        parser.error(f"{args.wcxb} not found: the benchmark needs WCXB pages (../shared)")

    import trafilatura

    import filterkit
    from filterkit.model.pipeline import forget_seen_texts
    from filterkit.training.corpus import render

    html_pages = sample_pages(args.wcxb, args.pages)
    texts = ["\n".join(render(html, "trafilatura-recall")[0]) for html in html_pages]
    paragraphs = sum(t.count("\n") + 1 for t in texts)
    cleaner = filterkit.Filter()
    cleaner.clean(texts[0])  # load the model outside the timing

    with threadpool_limits(limits=1):
        # Each pass starts cold: no paragraph's features remembered from the one before.
        filterkit_rate = rate(lambda items: list(cleaner.clean_many(items)), texts, before_each=forget_seen_texts)
        trafilatura_rate = rate(lambda items: [trafilatura.extract(h) for h in items], html_pages, repeat=1)
        rule_rates = {name: rate(run, texts) for name, run in rule_filters().items()}

    seed = args.seed or next(iter(sorted((SHARED / "seeds").glob("*.txt"))), None)
    startup = python_startup = None
    if seed is not None:
        startup = startup_seconds([sys.executable, "-m", "filterkit", "clean", str(seed)])
        python_startup = startup_seconds([sys.executable, "-c", "pass"])

    figures = {
        "pages": len(texts), "paragraphs_per_document": paragraphs / len(texts),
        "filterkit_text_docs_per_s": filterkit_rate,
        "trafilatura_extract_docs_per_s": trafilatura_rate,
        "ratio_filterkit_to_trafilatura": filterkit_rate / trafilatura_rate,
        **{f"{name}_docs_per_s": value for name, value in rule_rates.items()},
        **{f"ratio_filterkit_to_{name}": filterkit_rate / value for name, value in rule_rates.items()},
        "first_document_seconds": startup, "python_startup_seconds": python_startup,
        "cpu": os.cpu_count(), "threads": 1,
    }
    report(figures, args.json)
    return 0


def rule_filters() -> dict:
    """datatrove's C4 and FineWeb quality filters, each as a function over a list of texts;
    none when datatrove (or spaCy, its English word tokenizer) is not installed
    (`pip install ".[bench]"`)."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter, FineWebQualityFilter
        import spacy  # noqa: F401  (the filters' English word tokenizer)
    except ImportError:
        print("datatrove or spaCy is not installed: its rule filters are not measured (pip install \".[bench]\")")
        return {}

    def run_filter(rule):
        return lambda items: [rule.filter(Document(text=text, id=str(i))) for i, text in enumerate(items)]

    return {"datatrove_c4": run_filter(C4QualityFilter()), "datatrove_fineweb": run_filter(FineWebQualityFilter())}


def report(figures: dict, path: Path | None) -> None:
    """Print the figures, one a line; also write them to `path` as JSON when given."""
    for key, value in figures.items():
        print(f"{key:36} {value:.3f}" if isinstance(value, float) else f"{key:36} {value}")
    if path:
        path.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
