"""Start-up: process start to first cleaned document, filterkit against the trafilatura CLI
on the same page, same run.

    python benchmarks/startup.py [--runs 7] [--seed SEED.txt] [--page PAGE.html[.gz]] [--json out.json]

Each command is a fresh process, timed from its start to its exit with the cleaned
document written (to a pipe, as `> body.txt` would):
- `filterkit clean SEED` on a scraped text (default: the first of ../shared/seeds);
- `filterkit clean PAGE.html` on an HTML page (default: WCXB development page 0001);
- `trafilatura < PAGE.html`, its CLI on the same page (`-i` would read the file as a
  list of URLs to download, not as a page);
- `python -c pass`, for scale.
The commands take turns, run after run, so that a change in the machine's load falls on
all of them alike. Reported for each: the best wall time of --runs runs and the CPU
seconds (user + system) of that run; then filterkit's best times as multiples of
trafilatura's. On a shared machine the ratios, not the seconds, are the figures to
compare; the load averages before and after say how busy it was.
"""
from __future__ import annotations

import argparse
import gzip
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The commands run in the caller's environment, not in the one throughput sets for itself
# (OMP_NUM_THREADS=1).
CALLERS_ENVIRONMENT = dict(os.environ)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED, report  # noqa: E402

BIN = Path(sys.executable).parent  # the console scripts of this environment


def first_seed() -> Path | None:
    return next(iter(sorted((SHARED / "seeds").glob("*.txt"))), None)


def default_page() -> Path:
    return SHARED / "data" / "wcxb-dev" / "html" / "0001.html.gz"


def page_file(page: Path, directory: Path) -> Path:
    """`page` as a plain .html file (a .gz is unpacked into `directory`): what both CLIs read."""
    if page.suffix != ".gz":
        return page
    plain = directory / page.name.removesuffix(".gz")
    plain.write_bytes(gzip.decompress(page.read_bytes()))
    return plain


def commands(seed: Path, page: Path) -> dict[str, tuple[list[str], Path | None]]:
    """Each timed command: its arguments and the file given on its stdin (or None)."""
    return {
        "filterkit_text": ([str(BIN / "filterkit"), "clean", str(seed)], None),
        "filterkit_html": ([str(BIN / "filterkit"), "clean", str(page)], None),
        "trafilatura_html": ([str(BIN / "trafilatura")], page),
        "python_pass": ([sys.executable, "-c", "pass"], None),
    }


def timed_run(command: list[str], stdin: Path | None) -> tuple[float, float, bytes]:
    """Wall seconds, CPU seconds (user + system) and stdout of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stdin if stdin else os.devnull, "rb") as source:
        start = time.perf_counter()
        done = subprocess.run(command, stdin=source, capture_output=True, check=True, env=CALLERS_ENVIRONMENT)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def best_runs(timed: dict[str, tuple[list[str], Path | None]], runs: int) -> dict[str, dict]:
    """For each command, its fastest of `runs` runs (wall and CPU seconds), the commands
    taking turns; a command that writes nothing is an error, not a fast run."""
    best = {name: {"seconds": float("inf"), "cpu_seconds": None} for name in timed}
    for _ in range(runs):
        for name, (command, stdin) in timed.items():
            wall, cpu, out = timed_run(command, stdin)
            if not out.strip() and name != "python_pass":
                raise SystemExit(f"{name}: {' '.join(command)} wrote nothing")
            if wall < best[name]["seconds"]:
                best[name] = {"seconds": wall, "cpu_seconds": cpu}
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command; the best counts")
    parser.add_argument("--seed", type=Path, default=first_seed(), help="a scraped text")
    parser.add_argument("--page", type=Path, default=default_page(), help="an HTML page (.html or .html.gz)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    for name, path in (("--seed", args.seed), ("--page", args.page)):
        if path is None or not path.is_file():
            parser.error(f"{name} {path}: not found (the defaults are in ../shared)")

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        best = best_runs(commands(args.seed, page_file(args.page, Path(tmp))), args.runs)
    trafilatura = best["trafilatura_html"]["seconds"]
    figures = {
        **{f"{name}_{key}": value for name, run in best.items() for key, value in run.items()},
        "text_vs_trafilatura": best["filterkit_text"]["seconds"] / trafilatura,
        "html_vs_trafilatura": best["filterkit_html"]["seconds"] / trafilatura,
        "runs": args.runs, "seed": args.seed.name, "page": args.page.name, "cpu": os.cpu_count(),
        "load_before": " ".join(f"{x:.2f}" for x in load_before),
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
