"""`filterkit clean --jsonl` at corpus scale: worker processes, resume, compressed shards,
the summary and the progress line. The end-to-end tests run the command line in a
subprocess as a user would; the engine's parts are tested in-process."""
from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import zstandard

from filterkit.cli import main
from filterkit.filter import Filter
from filterkit.limits import Limits, MiB
from filterkit.scale.batch import (
    Progress,
    Shard,
    Summary,
    _chunks,
    clean_shards,
    in_order,
)
from filterkit.scale.files import atomic_output, open_input

_LOCATION = Path(importlib.util.find_spec("filterkit").origin).resolve().parent.parent
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(
    p for p in (str(_LOCATION), os.environ.get("PYTHONPATH", "")) if p)}
COMMAND = [sys.executable, "-m", "filterkit", "clean", "--jsonl"]
SUMMARY = re.compile(r"filterkit: ([\d,]+) records from (\d+) shards?(?: \((\d+) already finished, "
                     r"skipped\))?, ([\d,]+) errors, [\d.]+% of characters junk, [\d.]+ s \([\d,]+ records/s\)")
# Lines that cannot be cleaned, and the error each becomes.
MALFORMED = [
    ('{"id": "broken", "text": "unterminated', "not valid JSON"),
    ('["an", "array"]', "not an object"),
    ('{"id": "no-text", "body_html": "<p>x</p>"}', "has no 'text' field"),
    ('{"id": "number", "text": 42}', "not a string"),
]


def clean_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], cwd=cwd, env=ENV, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


def write_shard(path: Path, lines: list[str]) -> Path:
    with atomic_output(path) as out:
        out.write("".join(line + "\n" for line in lines))
    return path


def record_lines(texts: list[str], prefix: str, malformed_every: int = 0) -> list[str]:
    """One JSON record a text, id PREFIX-N; every `malformed_every`-th line one of MALFORMED."""
    lines = []
    for number, text in enumerate(texts):
        if malformed_every and number % malformed_every == malformed_every - 1:
            lines.append(MALFORMED[number // malformed_every % len(MALFORMED)][0])
        else:
            lines.append(json.dumps({"id": f"{prefix}-{number}", "url": f"https://courier.example/{number}",
                                     "text": text}, ensure_ascii=False))
    return lines


def summary_of(stderr: str) -> tuple[int, int, int, int]:
    """(records, shards, skipped, errors) from the summary line."""
    match = SUMMARY.search(stderr)
    assert match, stderr
    records, shards, skipped, errors = match.groups()
    return int(records.replace(",", "")), int(shards), int(skipped or 0), int(errors.replace(",", ""))


# --- end to end ---------------------------------------------------------------------------


@pytest.mark.slow
def test_jobs_2_writes_the_same_records_in_the_same_order_as_one_process(tmp_path, shipped_model, articles):
    lines = record_lines(articles(10_000, seed=1), "doc", malformed_every=500)
    lines.insert(1234, "")  # a blank line is no record: no output line
    write_shard(tmp_path / "scraped.jsonl", lines)

    one = clean_cli("scraped.jsonl", "-o", "one.jsonl", cwd=tmp_path)
    two = clean_cli("scraped.jsonl", "-o", "two.jsonl", "--jobs", "2", cwd=tmp_path)

    malformed = [line for line in lines if line and not line.startswith('{"id": "doc-')]
    assert len(malformed) == 20
    for result in (one, two):
        assert result.returncode == 3, result.stderr
        assert summary_of(result.stderr) == (10_000, 1, 0, 20)
        assert "20 of 10000 records failed and were written as error records" in result.stderr
        assert "\r" not in result.stderr  # stderr is not a terminal: no progress line
        assert result.stdout == ""
    output = (tmp_path / "two.jsonl").read_bytes()
    assert output == (tmp_path / "one.jsonl").read_bytes()
    records = [json.loads(line) for line in output.decode("utf-8").splitlines()]
    inputs = [line for line in lines if line]
    assert len(records) == len(inputs) == 10_000
    for number, (line, record) in enumerate(zip(inputs, records)):
        if line.startswith('{"id": "doc-'):
            given = json.loads(line)
            assert {k: record[k] for k in given} == given and "error" not in record
            texts = given["text"].split("\n")
            assert [p["text"] for p in record["paragraphs"]] == texts
            assert record["body"] == "\n\n".join(p["text"] for p in record["paragraphs"]
                                                 if p["label"] == "content")
        else:
            expected = next(error for bad, error in MALFORMED if bad == line)
            assert expected in record["error"], record
            assert record["line"] == number + 1 + (number >= 1234)  # the blank line counts as a line
    bodies = [r["body"] for r in records if "error" not in r]
    assert sum(bool(body) for body in bodies) > 0.9 * len(bodies)
    assert not any("All rights reserved" in body or "Leave a Reply" in body for body in bodies)


@pytest.mark.slow
def test_a_killed_run_resumed_writes_the_same_bytes_as_an_uninterrupted_one(tmp_path, shipped_model, articles):
    names = ["a.jsonl.gz", "b.jsonl", "c.jsonl.zst"]
    for seed, name in enumerate(names):
        write_shard(tmp_path / name, record_lines(articles(700, seed=seed), name, malformed_every=300))
    whole = clean_cli(*names, "-o", "whole", cwd=tmp_path)
    assert whole.returncode == 3, whole.stderr
    assert summary_of(whole.stderr) == (2100, 3, 0, 6)

    part = tmp_path / "part"
    run = subprocess.Popen([*COMMAND, *names, "-o", "part"], cwd=tmp_path, env=ENV, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not ((part / "a.jsonl.gz").exists() and any(p.stat().st_size for p in part.glob(".b.jsonl.*.tmp"))):
            assert run.poll() is None, "the run finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    assert sorted(p.name for p in part.iterdir() if not p.name.startswith(".")) == ["a.jsonl.gz"]
    finished = (part / "a.jsonl.gz").stat()

    resumed = clean_cli(*names, "-o", "part", "--resume", cwd=tmp_path)
    assert resumed.returncode == 3, resumed.stderr
    assert summary_of(resumed.stderr) == (1400, 3, 1, 4)  # a was finished: skipped, not re-read
    assert sorted(p.name for p in part.iterdir()) == names  # the killed run's temporary file is gone
    assert (part / "a.jsonl.gz").stat().st_mtime_ns == finished.st_mtime_ns
    for name in names:
        assert (part / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    # outputs are compressed as named: gzip and Zstandard, one record a line
    for name in ("a.jsonl.gz", "c.jsonl.zst"):
        with open_input(str(part / name)) as stream:
            records = [json.loads(line) for line in stream]
        assert len(records) == 700 and records[0]["id"] == f"{name}-0"
        assert sum("error" in r for r in records) == 2


# --- command-line usage (in this process: nothing is cleaned) ----------------------------------


@pytest.mark.parametrize("args, message", [
    (["--jsonl", "a.jsonl", "--resume"], "--resume needs -o"),
    (["--jsonl", "a.jsonl", "b.jsonl", "-o", "out.jsonl"], "looks like a file name"),
    (["--jsonl", "a.jsonl", "b.jsonl", "-o", "a.jsonl"], "is a file"),
    (["--jsonl", "a.jsonl", "-o", "a.jsonl"], "would overwrite the input"),
    (["--jsonl", "a.jsonl", "sub/a.jsonl", "-o", "out"], "would both be written to"),
    (["a.jsonl", "--jobs", "2"], "--jobs only applies with --jsonl"),
    (["a.jsonl", "--boilerplate", "a.jsonl"], "--boilerplate only applies with --jsonl"),
    (["--jsonl", "a.jsonl", "--group-field", "site"], "--group-field only applies with --boilerplate"),
    (["--jsonl", "a.jsonl", "--boilerplate-min-documents", "3"],
     "--boilerplate-min-documents only applies with --boilerplate"),
])
def test_usage_errors_stop_before_any_work(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    for name in ("a.jsonl", "b.jsonl", "sub/a.jsonl"):
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    assert main(["clean", *args]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.jsonl").exists()


# --- the engine ------------------------------------------------------------------------------


def test_shards_without_a_target_go_to_stdout_in_order(tmp_path, shipped_model, articles):
    texts = articles(6, seed=3)
    write_shard(tmp_path / "a.jsonl", record_lines(texts[:4], "a"))
    write_shard(tmp_path / "empty.jsonl", [])
    write_shard(tmp_path / "b.jsonl.gz", record_lines(texts[4:], "b") + ["[]"])
    stdout = io.StringIO()
    summary = clean_shards([Shard(str(tmp_path / n)) for n in ("a.jsonl", "empty.jsonl", "b.jsonl.gz")],
                           Filter(), paragraphs=False, chunk_size=3, stdout=stdout)
    records = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [r.get("id") for r in records] == ["a-0", "a-1", "a-2", "a-3", "b-0", "b-1", None]
    assert records[-1]["line"] == 3 and "not an object" in records[-1]["error"]
    assert all(set(r) == {"id", "url", "text", "body", "title", "author", "date", "junk_ratio", "empty", "quality"}
               for r in records[:-1])
    assert (summary.shards, summary.done, summary.records, summary.errors) == (3, 3, 7, 1)
    assert 0.0 < summary.junk_share < 1.0
    assert summary.first_error.startswith(f"{tmp_path / 'b.jsonl.gz'}:3: the record is a JSON array")


def test_chunks_end_at_chunk_size_lines_or_chunk_bytes_whichever_comes_first(tmp_path):
    page = json.dumps({"html": "<p>" + "x" * 3000, "text": "x"})  # a raw page beside its text
    write_shard(tmp_path / "a.jsonl", [page] * 5 + ['{"text": "y"}'] * 5)
    chunks = list(_chunks([Shard(str(tmp_path / "a.jsonl"))], 4, Limits(), max_bytes=6000))
    assert [len(chunk.lines) for chunk in chunks] == [2, 2, 4, 2]
    assert [number for chunk in chunks for number, _ in chunk.lines] == list(range(1, 11))


def test_read_ahead_is_bounded_and_results_keep_their_order():
    taken = []
    lag = []

    def items():
        for number in range(100):
            taken.append(number)
            yield number

    with ThreadPoolExecutor(4) as pool:
        for count, result in enumerate(in_order(pool, lambda n: (time.sleep(0.001 * (n % 3)), n)[1], items(), 5)):
            assert result == count
            lag.append(len(taken) - count)
    assert max(lag) <= 5 and len(taken) == 100


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_only():
    summary = Summary(shards=4, skipped=1, records=2500, errors=3, seconds=2.0)
    terminal = _Terminal()
    progress = Progress(terminal, interval=0.0)
    progress.show(summary)
    assert terminal.getvalue() == "\rfilterkit: 2,500 records, 1,250/s, 3 errors, shard 1/3"
    progress.close()
    assert terminal.getvalue().endswith("\r" + " " * 54 + "\r")

    pipe = io.StringIO()
    quiet = Progress(pipe, interval=0.0)
    quiet.show(summary)
    quiet.close()
    assert pipe.getvalue() == ""


def test_summary_line():
    summary = Summary(shards=100, skipped=40, records=123456, errors=7, chars=1000, junk_chars=312, seconds=61.7)
    assert str(summary) == ("123,456 records from 100 shards (40 already finished, skipped), 7 errors, "
                            "31.2% of characters junk, 61.7 s (2,001 records/s)")


# --- compressed files ------------------------------------------------------------------------


def test_compressed_output_is_reproducible_and_read_back(tmp_path):
    lines = [json.dumps({"id": n, "text": "caf\u00e9 " * n}) for n in range(2000)]
    for name in ("x.jsonl", "x.jsonl.gz", "x.jsonl.zst"):
        write_shard(tmp_path / "one" / name, lines)
        time.sleep(0.01)  # a gzip time stamp would differ
        write_shard(tmp_path / "two" / name, lines)
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
        with open_input(str(tmp_path / "one" / name)) as stream:
            assert [line.decode("utf-8").rstrip("\n") for line in stream] == lines
    assert gzip.decompress((tmp_path / "one" / "x.jsonl.gz").read_bytes()).count(b"\n") == 2000


def test_a_zstandard_file_of_several_frames_is_read_whole(tmp_path):
    frames = [zstandard.ZstdCompressor().compress(f"{{\"part\": {n}}}\n".encode()) for n in range(3)]
    (tmp_path / "parts.jsonl.zst").write_bytes(b"".join(frames))
    with open_input(str(tmp_path / "parts.jsonl.zst")) as stream:
        assert [json.loads(line)["part"] for line in stream] == [0, 1, 2]


def test_output_that_fails_midway_leaves_nothing(tmp_path):
    target = tmp_path / "out.jsonl.gz"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as out:
            out.write("{}\n")
            raise RuntimeError("the run failed")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as Linux has it")
@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz"])
def test_an_output_that_cannot_be_written_is_named_not_its_temporary_file(tmp_path, name):
    import resource

    # A file size limit fails a write with EFBIG where a full disk fails it with ENOSPC.
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
    try:
        with pytest.raises(OSError) as caught:
            with atomic_output(tmp_path / name) as out:
                out.write(os.urandom(100_000).hex())
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert caught.value.filename == str(tmp_path / name)
    assert caught.value.strerror == "cannot be written: File too large"
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError, match=r"cannot be written: No such file or directory: '/proc/out.jsonl'"):
        with atomic_output("/proc/out.jsonl"):
            pass


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="looks for the workers in /proc")
@pytest.mark.parametrize("when", ["the fork server starts", "the workers clean"])
def test_ctrl_c_stops_the_workers_and_says_interrupted(tmp_path, shipped_model, articles, when):
    # Ctrl-C reaches every process of the terminal's group: the command's, its fork server's
    # (which may still be importing filterkit) and its workers'.
    write_shard(tmp_path / "in.jsonl", record_lines(articles(2000, seed=3), "in"))
    run = subprocess.Popen([*COMMAND, "in.jsonl", "--jobs", "2", "-o", "out/"], cwd=tmp_path, env=ENV,
                           start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while not (_children(run.pid) if when == "the fork server starts" else list(tmp_path.glob("out/.*.tmp"))):
            assert run.poll() is None, run.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        workers = [pid for child in _children(run.pid) for pid in _children(child)]
        os.killpg(run.pid, signal.SIGINT)
        _, stderr = run.communicate(timeout=60)  # a guard against hanging only
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert (run.returncode, stderr.decode()) == (130, "filterkit: interrupted\n")
    assert list((tmp_path / "out").iterdir()) == []  # no output, no temporary file
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]]


def test_a_truncated_shard_gets_no_output_and_the_others_go_on(tmp_path, capsys, shipped_model, articles):
    write_shard(tmp_path / "good.jsonl.gz", record_lines(articles(3, seed=4), "good"))
    whole = gzip.compress("".join(line + "\n" for line in record_lines(articles(300, seed=5), "cut")).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "out").mkdir()
    status = main(["clean", "--jsonl", str(tmp_path / "cut.jsonl.gz"), str(tmp_path / "good.jsonl.gz"),
                   "-o", str(tmp_path / "out")])
    assert status == 3
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.jsonl.gz"]
    stderr = capsys.readouterr().err
    assert "from 2 shards, 1 unreadable, 0 errors" in stderr
    assert (f"filterkit: error: {tmp_path / 'cut.jsonl.gz'}: Compressed file ended before the "
            "end-of-stream marker was reached; its output was not written (--resume retries it)") in stderr


# --- bad inputs: every line read gives one output line ------------------------------------------

# The slow page reads in about 1 s on an idle machine; the other records in milliseconds.
BAD_LIMITS = Limits(max_record_bytes=2 * MiB, max_decompressed_bytes=8 * MiB, max_seconds=0.4)
BAD_LIMIT_OPTIONS = ["--limit", "max_record_bytes=2097152", "--limit", "max_decompressed_bytes=8388608",
                     "--limit", "max_seconds=0.4"]


def slow_page(chains: int = 190, depth: int = 500) -> str:
    """A page within every size limit that takes about 1 s to read (95,000 nested divs)."""
    return "<html><body>" + "".join("<div>" * depth + f"<p>Paragraph {n}.</p>" + "</div>" * depth
                                    for n in range(chains)) + "</body></html>"


def write_bad_shards(directory: Path, articles) -> dict[str, list[str]]:
    """mixed.jsonl: records around a broken line, a line over max_record_bytes and a page
    that takes longer than max_seconds to read; bomb.jsonl.gz: three records, then lines
    of spaces that expand to 1 GiB; cut.jsonl.gz: a truncated file. Returns each shard's
    lines as written (the bomb's records only)."""
    texts = articles(6, seed=11)
    mixed = record_lines(texts[:2], "mixed") + [
        MALFORMED[0][0],
        json.dumps({"id": "huge", "text": "w" * 3_000_000}),
        json.dumps({"id": "slow", "text": slow_page()}),
    ] + record_lines(texts[2:4], "after")
    write_shard(directory / "mixed.jsonl", mixed)
    records = record_lines(texts[4:], "bomb") + [json.dumps({"id": "bomb-2", "text": "One more line."})]
    block = b" " * 1023 + b"\n"
    (directory / "bomb.jsonl.gz").write_bytes(
        gzip.compress("".join(line + "\n" for line in records).encode()) + gzip.compress(block * 1024) * 1024)
    whole = gzip.compress("".join(line + "\n" for line in record_lines(articles(50, seed=12), "cut")).encode())
    (directory / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    return {"mixed.jsonl": mixed, "bomb.jsonl.gz": records}


def check_bad_outputs(out: Path, lines: dict[str, list[str]], bomb_name: str) -> None:
    """One output record per input line read, each cleaned as Filter cleans it or an
    error that says why; the output of the bomb (named `bomb_name`) ends with one error record for
    the rest."""
    assert sorted(p.name for p in out.iterdir()) == ["bomb.jsonl.gz", "mixed.jsonl"]  # cut: no output
    with open_input(str(out / "mixed.jsonl")) as stream:
        mixed = [json.loads(line) for line in stream]
    assert len(mixed) == len(lines["mixed.jsonl"]) == 7
    errors = {record["line"]: record["error"] for record in mixed if "error" in record}
    assert sorted(errors) == [3, 4, 5]
    assert "not valid JSON" in errors[3]
    assert errors[4].startswith("the line is 3,000,026 bytes, over the limit max_record_bytes=2,097,152")
    assert errors[5].startswith("reading the document took longer than 0.4 s, over the limit max_seconds=0.4;")
    assert mixed[4]["id"] == "slow" and mixed[4]["text"].startswith("<html>")  # its fields kept
    local = Filter()
    for record in mixed[:2] + mixed[5:]:
        assert record["body"] == local.clean(record["text"]) and record["body"]
    with open_input(str(out / "bomb.jsonl.gz")) as stream:
        bomb = [json.loads(line) for line in stream]
    assert [r.get("id") for r in bomb] == ["bomb-0", "bomb-1", "bomb-2", None]
    assert all(r["body"] == local.clean(r["text"]) for r in bomb[:3])
    # 8 MiB holds the records' lines and as many lines of spaces as fit; the next crosses it.
    stop = bomb[-1]
    records = sum(len(line.encode()) + 1 for line in lines["bomb.jsonl.gz"])
    assert stop["line"] == 3 + (8 * MiB - records) // 1024 + 1
    assert stop["error"].startswith(f"{bomb_name} expands to more than 8,388,608 bytes, "
                                    f"over the limit max_decompressed_bytes=8,388,608; the records of its "
                                    f"first {stop['line'] - 1:,} lines are kept and the rest is not read")


def test_every_bad_input_gives_its_output_lines_in_one_process(tmp_path, shipped_model, articles):
    lines = write_bad_shards(tmp_path, articles)
    names = ["mixed.jsonl", "bomb.jsonl.gz", "cut.jsonl.gz"]
    summary = clean_shards([Shard(str(tmp_path / n), str(tmp_path / "out" / n)) for n in names],
                           Filter(limits=BAD_LIMITS), chunk_size=2)
    check_bad_outputs(tmp_path / "out", lines, str(tmp_path / "bomb.jsonl.gz"))
    assert (summary.errors, summary.done) == (3 + 1, 3)
    assert summary.unreadable == [f"{tmp_path / 'cut.jsonl.gz'}: Compressed file ended before the "
                                  "end-of-stream marker was reached"]


@pytest.mark.slow
def test_every_bad_input_gives_its_output_lines_on_two_workers(tmp_path, shipped_model, articles):
    lines = write_bad_shards(tmp_path, articles)
    run = clean_cli("mixed.jsonl", "bomb.jsonl.gz", "cut.jsonl.gz", "-o", "out", "--jobs", "2",
                    *BAD_LIMIT_OPTIONS, cwd=tmp_path)
    assert run.returncode == 3, run.stderr
    assert "from 3 shards, 1 unreadable, 4 errors" in run.stderr
    assert "cut.jsonl.gz: Compressed file ended before the end-of-stream marker" in run.stderr
    check_bad_outputs(tmp_path / "out", lines, "bomb.jsonl.gz")


def test_the_filters_limits_reach_the_records(tmp_path, shipped_model, articles):
    texts = articles(2, seed=13)
    write_shard(tmp_path / "a.jsonl", record_lines(texts, "a"))
    stdout = io.StringIO()
    longest = max(len(text.split("\n")) for text in texts)
    clean_shards([Shard(str(tmp_path / "a.jsonl"))], Filter(limits=Limits(max_paragraphs=longest - 1)),
                 stdout=stdout)
    records = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert any(f"over the limit max_paragraphs={longest - 1}" in r.get("error", "") for r in records)
    assert any("error" not in r for r in records) or min(len(t.split("\n")) for t in texts) == longest


def test_limit_options_reach_every_command(tmp_path, monkeypatch, capsys, shipped_model):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("one\ntwo\nthree\n", encoding="utf-8")
    write_shard(tmp_path / "a.jsonl", [json.dumps({"text": "one\ntwo\nthree"})])
    assert main(["clean", "a.txt", "--limit", "max_paragraphs=2"]) == 2
    assert "over the limit max_paragraphs=2" in capsys.readouterr().err
    assert main(["classify", "--jsonl-input", "a.jsonl", "--limit", "max_paragraphs=2"]) == 3
    assert "over the limit max_paragraphs=2" in json.loads(capsys.readouterr().out)["error"]
    assert main(["clean", "--jsonl", "a.jsonl", "--limit", "max_paragraphs=3", "--limit", "max_seconds=30"]) == 0
    assert json.loads(capsys.readouterr().out)["body"] is not None
    assert main(["clean", "a.txt", "--limit", "max_seconds=0"]) == 2
    assert "max_seconds must be a positive number" in capsys.readouterr().err
