"""HTML cleaning speed and memory: filterkit against trafilatura on the same pages, same run.

    python benchmarks/html_throughput.py [--pages 300] [--source ../shared/data/wcxb-dev] [--json out.json]

On the same pages (raw HTML bytes, read beforehand; every n-th page of --source, a
directory of `html/*.html.gz`: WCXB dev, or ../shared/data/trafilatura-eval-dev), one
core each:
- filterkit: `Filter.clean` on each page (parse, DOM blocks, trafilatura's metadata,
  features, model, junk types): pages per second;
- trafilatura.extract in its default mode and with favor_recall: pages per second.
Reported: each rate, filterkit's ratio to each, and the peak memory (max RSS) of a
fresh child process that loads only that library, reads the pages and cleans them,
for filterkit and for trafilatura.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy/sklearn load their pools

from threadpoolctl import threadpool_limits  # noqa: E402  (a scikit-learn dependency)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED, rate  # noqa: E402

from filterkit.model.pipeline import forget_seen_texts  # noqa: E402


def peak_memory_mib(extractor: str, source: Path, pages: int, html_model: str | None) -> float:
    """Max RSS of a fresh process that runs `extractor` over the pages."""
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from html_throughput import run_extractor\n"
        "run_extractor(%r, %r, %d, %r)\n"
        # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent
        # that forked this child, which would report the parent's size.
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    ) % (str(Path(__file__).resolve().parent), extractor, str(source), pages, html_model)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(out.stdout.split()[-1]) / 1024


def extractor(name: str, html_model: str | None = None):
    """The function that cleans a list of pages with `name`; only its library is loaded."""
    import trafilatura

    if name == "filterkit":
        import filterkit

        cleaner = filterkit.Filter(html_model=html_model, trusted=html_model is not None)
        return lambda pages: [cleaner.clean(page, format="html") for page in pages]
    options = {"trafilatura": {}, "trafilatura-recall": {"favor_recall": True}}[name]
    return lambda pages: [trafilatura.extract(page, **options) for page in pages]


EXTRACTORS = ("filterkit", "trafilatura", "trafilatura-recall")


def run_extractor(name: str, source: str, count: int, html_model: str | None = None) -> None:
    extractor(name, html_model)(raw_pages(Path(source), count))


def raw_pages(source: Path, count: int) -> list[bytes]:
    """Every n-th page's HTML, read without importing filterkit: a memory measurement of
    trafilatura must not carry filterkit's libraries."""
    import gzip

    paths = sorted((source / "html").glob("*.html.gz"))
    step = max(len(paths) // count, 1)
    return [gzip.decompress(path.read_bytes()) for path in paths[::step][:count]]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--source", "--wcxb", type=Path, default=SHARED / "data" / "wcxb-dev",
                        help="a directory of html/*.html.gz pages (default: WCXB dev)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--html-model", default=None, help="a trusted HTML model (default: the shipped one)")
    args = parser.parse_args(argv)
    if not (args.source / "html").is_dir():
        parser.error(f"{args.source / 'html'} not found: the benchmark needs pages (../shared)")

    pages = raw_pages(args.source, args.pages)
    runners = {name: extractor(name, args.html_model) for name in EXTRACTORS}
    with threadpool_limits(1):
        for run in runners.values():
            run(pages[:3])  # load models and caches outside the timing
        # Each pass starts cold: no paragraph's features remembered from the one before.
        rates = {name: rate(run, pages, args.repeat, before_each=forget_seen_texts if name == "filterkit" else None)
                 for name, run in runners.items()}
    memory = {name: peak_memory_mib(name, args.source, args.pages, args.html_model)
              for name in ("filterkit", "trafilatura")}
    figures = {
        "source": args.source.name,
        "pages": len(pages),
        "pages_per_second": {k: round(v, 1) for k, v in rates.items()},
        "ratio_to_trafilatura_default": round(rates["filterkit"] / rates["trafilatura"], 2),
        "ratio_to_trafilatura_recall": round(rates["filterkit"] / rates["trafilatura-recall"], 2),
        "peak_memory_mib": {k: round(v) for k, v in memory.items()},
    }
    for name, value in rates.items():
        memory_note = f"   peak memory {memory[name]:.0f} MiB" if name in memory else ""
        print(f"{name:20} {value:7.1f} pages/s{memory_note}")
    print(f"filterkit / trafilatura default: {figures['ratio_to_trafilatura_default']:.2f}x; "
          f"/ favor_recall: {figures['ratio_to_trafilatura_recall']:.2f}x  ({len(pages)} pages of {args.source.name}, one core)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
