"""Corpus-scale cleaning: `filterkit clean --jsonl` on 1 and 2 workers, its peak memory as
the input grows, and the Ray and datatrove adapters against it, all in the same run.

    python benchmarks/batch.py [--records 4000] [--size 1GB] [--pages 200] [--json out.json]

Input: JSON Lines records built from --pages WCXB pages (../shared is needed), cycled.
Every run is `--no-paragraphs` and writes its output to disk (a temporary directory,
deleted at the end). The load averages (`os.getloadavg`) before and after each run are
reported beside its figures: on a shared machine they say whether a ratio means much.
- scaling: --records records whose `text` is a page's scraped-text rendering (trafilatura
  favor_recall, as in benchmarks/throughput.py), the same file through `--jobs 1` and
  `--jobs 2`: documents/s (wall time of the whole command, start-up included) and their
  ratio, and the CPU seconds of each run's process tree: unlike the ratio, they hardly
  depend on what else the machine runs (equal CPU per document on 2 idle cores would
  make the ratio close to 2);
- memory: inputs of --size/32, --size/4 and --size (default 1 GB) through `--jobs 2`: the
  peak resident memory of the main process and of the largest worker (VmHWM, sampled
  from /proc every 0.2 s), which must not grow with the input. 1 GB of article text
  would cost some 17 CPU-minutes (about 1 MB of text per CPU-second here); to keep a
  1 GB run to about a minute, these records are web-corpus records as crawls ship them:
  the raw page in an `html` field (the WCXB page itself, 290 KB on average), passed
  through untouched, beside its scraped `text` (9 KB on average), which is what is
  cleaned. So "1 GB" is 1 GB of JSONL of which about 3% (29 MB) is cleaned text; the
  output says both. Reading, parsing, shipping to the workers and writing every byte is
  measured; classifying, on the text only;
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


def scraped_pages(wcxb: Path, pages: int) -> list[dict]:
    """{"html": the page, "text": its scraped-text rendering} for `pages` WCXB pages."""
    from filterkit.training.corpus import render

    return [{"html": html.decode("utf-8", "replace"), "text": "\n".join(render(html, "trafilatura-recall")[0])}
            for html in sample_pages(wcxb, pages)]


def write_records(path: Path, pages: list[dict], fields: tuple[str, ...], *, records: int | None = None,
                  size: int | None = None) -> tuple[int, int]:
    """`records` records, or as many as fill `size` bytes, cycling through `pages`, each
    with an id and the pages' `fields`; (records, bytes of their text fields) written."""
    count = written = text = 0
    with open(path, "w", encoding="utf-8") as out:
        while (records is None or count < records) and (size is None or written < size):
            page = pages[count % len(pages)]
            record = {"id": f"doc-{count}", **{name: page[name] for name in fields}}
            written += out.write(json.dumps(record, ensure_ascii=False) + "\n")
            text += len(json.dumps(page["text"], ensure_ascii=False).encode("utf-8"))
            count += 1
    return count, text


# --- the command line, and its memory ------------------------------------------------------


def run_cli(arguments: list[str], cwd: Path) -> dict:
    """Run `filterkit clean --jsonl --no-paragraphs ARGS`; wall seconds, the peak resident
    memory (MiB) of the main process and of its largest descendant, the CPU seconds of
    all of them, and the load averages before and after. Peaks and CPU times are sampled
    from /proc every 0.2 s, so the last fraction of a second of each process is missed
    (RUSAGE_CHILDREN would miss the workers: they are the children of a forkserver that
    the command does not wait for)."""
    command = [sys.executable, "-m", "filterkit", "clean", "--jsonl", "--no-paragraphs", *arguments]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    load_before = os.getloadavg()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    while process.poll() is None:
        for pid in [process.pid, *_descendants(process.pid)]:
            peaks[pid] = max(peaks.get(pid, 0), _peak_kib(pid))
            cpu[pid] = max(cpu.get(pid, 0.0), _cpu_seconds(pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8")
    if process.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    main = peaks.pop(process.pid, 0)
    return {"seconds": seconds, "cpu_seconds": sum(cpu.values()), "main_peak_mib": main / 1024,
            "worker_peak_mib": max(peaks.values(), default=0) / 1024, "summary": stderr.strip().splitlines()[0],
            "load_before": _load(load_before), "load_after": _load(os.getloadavg())}


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    user, system = stat.rsplit(")", 1)[1].split()[11:13]  # fields 14 and 15: utime, stime
    return (int(user) + int(system)) / os.sysconf("SC_CLK_TCK")


def _load(averages: tuple[float, float, float]) -> str:
    """Load averages over 1, 5 and 15 minutes, as `uptime` shows them."""
    return " ".join(f"{average:.2f}" for average in averages)


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

    from filterkit.scale.integrations.ray import clean_dataset

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

    from filterkit.scale.integrations.datatrove import FilterkitCleaner

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


# --- the measurements ----------------------------------------------------------------------


def scaling(work: Path, records: int) -> dict:
    """The same records through --jobs 1 and --jobs 2: documents/s and their ratio."""
    figures = {}
    for jobs in (1, 2):
        run = run_cli(["scaling.jsonl", "-o", f"out-{jobs}.jsonl", "--jobs", str(jobs)], work)
        figures[f"jobs_{jobs}_docs_per_s"] = records / run["seconds"]
        figures.update(_run_figures(f"jobs_{jobs}", run))
    figures["scaling_ratio_2_to_1"] = figures["jobs_2_docs_per_s"] / figures["jobs_1_docs_per_s"]
    return figures


def adapters(work: Path, records: int, cli_rate: float) -> dict:
    """The scaling records through each installed adapter, against the CLI's --jobs 2."""
    figures = {}
    for name in ADAPTERS:
        load_before = os.getloadavg()
        result = run_adapter(name, work / "scaling.jsonl", work)
        if result is None:
            continue
        figures[f"{name}_docs_per_s"] = records / result["seconds"]
        figures[f"{name}_startup_seconds"] = result["startup_seconds"]
        figures[f"ratio_{name}_to_cli_jobs_2"] = figures[f"{name}_docs_per_s"] / cli_rate
        figures[f"{name}_load_before"], figures[f"{name}_load_after"] = _load(load_before), _load(os.getloadavg())
    return figures


def memory(work: Path, pages: list[dict], size: int) -> dict:
    """`size` bytes of records with their page's HTML beside the text, through --jobs 2."""
    count, text_bytes = write_records(work / "memory.jsonl", pages, ("html", "text"), size=size)
    try:
        run = run_cli(["memory.jsonl", "-o", "memory-out.jsonl", "--jobs", "2"], work)
    finally:
        (work / "memory.jsonl").unlink()
        (work / "memory-out.jsonl").unlink(missing_ok=True)
    label = f"memory_{size / 2**20:.0f}MB"
    print(f"{label}: {size / 2**20:.0f} MB of JSONL, of which {text_bytes / 2**20:.1f} MB is cleaned text "
          f"(the rest is each record's raw HTML, passed through)", file=sys.stderr)
    return {f"{label}_records": count, f"{label}_cleaned_text_mb": text_bytes / 2**20,
            f"{label}_docs_per_s": count / run["seconds"], **_run_figures(label, run)}


def _run_figures(label: str, run: dict) -> dict:
    print(f"{label}: {run['summary']} (load {run['load_before']} -> {run['load_after']})", file=sys.stderr)
    names = ("cpu_seconds", "main_peak_mib", "worker_peak_mib", "load_before", "load_after")
    return {f"{label}_{name}": run[name] for name in names}


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

    pages = scraped_pages(args.wcxb, args.pages)
    figures: dict = {"cpu": os.cpu_count(), "OMP_NUM_THREADS": os.environ["OMP_NUM_THREADS"], "pages": len(pages),
                     "text_chars_per_document": sum(len(p["text"]) for p in pages) / len(pages),
                     "html_bytes_per_document": sum(len(p["html"].encode("utf-8")) for p in pages) / len(pages)}
    parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory(prefix="filterkit-batch-") as temporary:
        work = Path(temporary)
        records, _ = write_records(work / "scaling.jsonl", pages, ("text",), records=args.records)
        figures["scaling_records"] = records
        if parts & {"scaling", "adapters"}:
            figures.update(scaling(work, records))
        if "adapters" in parts:
            figures.update(adapters(work, records, figures["jobs_2_docs_per_s"]))
        for size in (args.size // 32, args.size // 4, args.size) if "memory" in parts else ():
            figures.update(memory(work, pages, size))
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
