"""Corpus-scale cleaning: `filterkit clean --jsonl` on 1 and 2 workers, its peak memory as
the input grows, and the Ray and datatrove adapters against it, all in the same run.

    python benchmarks/batch.py [--records 4000] [--size 1GB] [--pages 200] [--json out.json]

Input: JSON Lines records whose text is a WCXB page's scraped-text rendering
(trafilatura favor_recall, as in benchmarks/throughput.py; ../shared is needed), cycled
to the size wanted. Every run is `--no-paragraphs` and writes its output to disk.
- scaling: the same --records records through `--jobs 1` and `--jobs 2`: documents/s
  (wall time of the whole command, start-up included) and their ratio;
- memory: inputs of --size/16, --size/4 and --size (default 1 GB; about 10 minutes per GB
  on 2 cores) through `--jobs 2`: the peak resident memory of the main process and of the
  largest worker (VmHWM, sampled from /proc), which must not grow with the input;
- adapters: the scaling records through Ray Data (`clean_dataset`, 2 actors on a local
  cluster) and datatrove (`LocalPipelineExecutor`, 2 tasks on 2 workers, the records
  split in 2 files): documents/s without Ray's cluster start-up (reported apart), and
  their ratio to the CLI's `--jobs 2`. Skipped when not installed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from throughput import report, sample_pages  # noqa: E402  (beside this file)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def size_in_bytes(value: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*", value.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"a size such as 1GB or 64MB, got {value!r}")
    return int(float(match.group(1)) * UNITS[match.group(2)])


def scraped_texts(wcxb: Path, pages: int) -> list[str]:
    from filterkit.corpus import render

    return ["\n".join(render(html, "trafilatura-recall")[0]) for html in sample_pages(wcxb, pages)]


def write_records(path: Path, texts: list[str], *, records: int | None = None, size: int | None = None) -> int:
    """`records` records, or as many as fill `size` bytes, cycling through `texts`."""
    count = written = 0
    with open(path, "w", encoding="utf-8") as out:
        while (records is None or count < records) and (size is None or written < size):
            line = json.dumps({"id": f"doc-{count}", "text": texts[count % len(texts)]}, ensure_ascii=False) + "\n"
            written += out.write(line)
            count += 1
    return count


# --- the command line, and its memory ------------------------------------------------------


def run_cli(arguments: list[str], cwd: Path) -> dict:
    """Run `filterkit clean --jsonl --no-paragraphs ARGS`; wall seconds, and the peak
    resident memory (MiB) of the main process and of its largest descendant."""
    command = [sys.executable, "-m", "filterkit", "clean", "--jsonl", "--no-paragraphs", *arguments]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, int] = {}
    while process.poll() is None:
        for pid in [process.pid, *_descendants(process.pid)]:
            peaks[pid] = max(peaks.get(pid, 0), _peak_kib(pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8")
    if process.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    main = peaks.pop(process.pid, 0)
    return {"seconds": seconds, "main_peak_mib": main / 1024,
            "worker_peak_mib": max(peaks.values(), default=0) / 1024, "summary": stderr.strip().splitlines()[0]}


def _descendants(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _peak_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


# --- the adapters, each in a process of its own -----------------------------------------------


def ray_seconds(source: Path, target: Path) -> dict:
    import ray

    from filterkit.integrations.ray import clean_dataset

    start = time.perf_counter()
    # 2 actors of one CPU each, and a third logical CPU for Ray Data's read and write
    # tasks, which would otherwise wait for the actors' CPUs forever.
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False, configure_logging=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}})
    started = time.perf_counter()
    clean_dataset(ray.data.read_json(str(source)), "text", concurrency=2).write_json(str(target))
    done = time.perf_counter()
    ray.shutdown()
    return {"startup_seconds": started - start, "seconds": done - started}


def datatrove_seconds(source: Path, target: Path) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from filterkit.integrations.datatrove import FilterkitCleaner

    folder = target / "in"
    folder.mkdir(parents=True)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    for part in range(2):
        (folder / f"part-{part}.jsonl").write_text("".join(lines[part::2]), encoding="utf-8")
    start = time.perf_counter()
    LocalPipelineExecutor(pipeline=[JsonlReader(str(folder)), FilterkitCleaner(keep_empty=True),
                                    JsonlWriter(str(target / "out"), compression=None)],
                          tasks=2, workers=2, logging_dir=str(target / "logs")).run()
    return {"startup_seconds": None, "seconds": time.perf_counter() - start}


ADAPTERS = {"ray": ray_seconds, "datatrove": datatrove_seconds}


def run_adapter(name: str, source: Path, work: Path) -> dict | None:
    """The adapter `name` in a fresh interpreter (this script with --adapter), or None when
    its framework is not installed."""
    import importlib.util

    if importlib.util.find_spec(name) is None:
        return None
    done = subprocess.run([sys.executable, __file__, "--adapter", name, str(source), str(work / name)],
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the {name} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=4000, help="records for the scaling and adapter runs")
    parser.add_argument("--size", type=size_in_bytes, default=2**30,
                        help="largest input of the memory runs, e.g. 1GB (default) or 64MB")
    parser.add_argument("--pages", type=int, default=200, help="WCXB pages whose texts are cycled")
    parser.add_argument("--wcxb", type=Path, default=SHARED / "data" / "wcxb-dev")
    parser.add_argument("--parts", default="scaling,adapters,memory",
                        help="which measurements, comma-separated (default: all three)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--adapter", nargs=3, metavar=("NAME", "IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    if args.adapter:
        name, source, target = args.adapter
        print(json.dumps(ADAPTERS[name](Path(source), Path(target))))
        return 0
    if not args.wcxb.is_dir():
        parser.error(f"{args.wcxb} not found: the benchmark needs WCXB pages (../shared)")

    texts = scraped_texts(args.wcxb, args.pages)
    figures: dict = {"cpu": os.cpu_count(), "pages": len(texts),
                     "chars_per_document": sum(map(len, texts)) / len(texts)}
    with tempfile.TemporaryDirectory(prefix="filterkit-batch-") as temporary:
        work = Path(temporary)
        parts = set(args.parts.split(","))
        records = write_records(work / "scaling.jsonl", texts, records=args.records)
        for jobs in (1, 2) if parts & {"scaling", "adapters"} else ():
            run = run_cli(["scaling.jsonl", "-o", f"out-{jobs}.jsonl", "--jobs", str(jobs)], work)
            figures[f"jobs_{jobs}_docs_per_s"] = records / run["seconds"]
            print(f"--jobs {jobs}: {run['summary']}", file=sys.stderr)
        if parts & {"scaling", "adapters"}:
            figures["scaling_ratio_2_to_1"] = figures["jobs_2_docs_per_s"] / figures["jobs_1_docs_per_s"]
        for name in ADAPTERS if "adapters" in parts else ():
            result = run_adapter(name, work / "scaling.jsonl", work)
            if result is not None:
                figures[f"{name}_docs_per_s"] = records / result["seconds"]
                figures[f"{name}_startup_seconds"] = result["startup_seconds"]
                figures[f"ratio_{name}_to_cli_jobs_2"] = figures[f"{name}_docs_per_s"] / figures["jobs_2_docs_per_s"]
        for size in (args.size // 16, args.size // 4, args.size) if "memory" in parts else ():
            count = write_records(work / "memory.jsonl", texts, size=size)
            run = run_cli(["memory.jsonl", "-o", "memory-out.jsonl", "--jobs", "2"], work)
            label = f"{size / 2**20:.0f}MB"
            figures[f"memory_{label}_records"] = count
            figures[f"memory_{label}_main_peak_mib"] = run["main_peak_mib"]
            figures[f"memory_{label}_worker_peak_mib"] = run["worker_peak_mib"]
            figures[f"memory_{label}_docs_per_s"] = count / run["seconds"]
            (work / "memory-out.jsonl").unlink()
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
