"""Corpus scale: clean JSON Lines shards as a stream, on worker processes, resumably.

    from .batch import Shard, clean_shards
    summary = clean_shards([Shard("in/a.jsonl.gz", "out/a.jsonl.gz"), ...], Filter(), jobs=2, resume=True)

With `boilerplate` (e.g. a `filterkit.boilerplate.RecordRelabeller`), each classified
document is passed through it with its record before it is written: the corpus pass
that relabels text repeated across a site's pages.

A shard is one input file and its output. Its records (JSON Lines, or the HTML pages of
a WARC file: `filterkit.scale.warc`) are read lazily, in chunks of
`chunk_size` lines or `CHUNK_BYTES` bytes, whichever comes first; each chunk is cleaned
(parsed, classified, written as output lines) by one of `jobs` worker processes, each
holding one `Filter` whose model it loads once, and the chunks' outputs are written in
input order. At most `IN_FLIGHT_PER_JOB` chunks
per worker are read ahead, so memory stays flat however large the input; workers take
chunks from any shard, so even one big file keeps every worker busy.

Every non-blank input line yields exactly one output line: the cleaned record, or an
error record when the line cannot be read (see `filterkit.records`), is longer than the
filter's `max_record_bytes`, or takes longer than its `max_seconds` to read or score.
A compressed input that expands past `max_decompressed_bytes` (a decompression bomb)
keeps the records of the lines before, and its output ends with one error record, for
the line where reading stopped, that names the file and the limit: the output is
complete for that limit, so resuming skips it (see `filterkit.scale.files.numbered_lines`).
Likewise every HTML page of a WARC file yields one output line; its other records are
counted in the summary (`Summary.skipped_records`), and a WARC file that breaks (truncated,
corrupt) ends its output with one error record, for the record where it broke.

An output is written to a temporary file and renamed when its shard is complete, so a
shard whose output exists is finished: that is what `resume` skips. An unfinished shard (a killed
run's temporary file) is redone from scratch, so a resumed run writes the same bytes as
an uninterrupted one.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from ..document import Document
from ..errors import FilterkitError
from ..filter import Filter
from ..limits import Limits, MiB
from ..report.formats import PLAIN, Rendering
from .files import READ_ERRORS, atomic_output, remove_temporaries
from .records import (
    Entry,
    Item,
    classified,
    clean_record,
    entry_item,
    error_record,
    json_line,
    numbered_entries,
    source_name,
)
from .warc import Skipped, WarcPage, is_warc

CHUNK_SIZE = 256
# Records that carry a raw page beside their text can be 100s of KB each: bounding chunks
# by bytes too keeps what is in flight (chunks read ahead, their outputs) to some 10s of MB.
CHUNK_BYTES = 8 * MiB
IN_FLIGHT_PER_JOB = 2
# (record, classified document) -> document; it must pickle, to reach the workers.
PostFilter = Callable[[dict, Document], Document]


@dataclass(frozen=True)
class Shard:
    """One input file (or '-', stdin) and where its cleaned records go (None: stdout).
    `warc`: read it as WARC whatever its name (a name ending in .warc, .warc.gz or
    .warc.zst is read so anyway)."""

    source: str
    target: str | None = None
    warc: bool = False

    @property
    def finished(self) -> bool:
        return self.target is not None and Path(self.target).exists()

    @property
    def reads_warc(self) -> bool:
        return self.warc or is_warc(self.source)


@dataclass(frozen=True)
class Chunk:
    """Consecutive records of one shard: (number, entry) pairs, an entry being a line's
    bytes, a WARC page, or the error that stands for the record; `unreadable`: why the
    shard could not be read on from here (a truncated or corrupt file); `skipped`: the
    WARC records among them that are not pages, by reason."""

    shard: int
    source: str
    lines: list[tuple[int, Entry]]
    unreadable: str | None = None
    skipped: Counter = field(default_factory=Counter)


@dataclass
class Cleaned:
    """The output lines of one chunk, and what they hold."""

    shard: int
    text: str = ""
    unreadable: str | None = None
    records: int = 0
    errors: int = 0
    chars: int = 0
    junk_chars: int = 0
    first_error: str | None = None
    skipped: Counter = field(default_factory=Counter)
    unsure: int = 0


@dataclass
class Summary:
    """What a run did. `junk_share`: the share of all classified characters labelled junk;
    `skipped_records`: the WARC records that are not pages, by reason."""

    shards: int = 0
    skipped: int = 0
    done: int = 0
    records: int = 0
    errors: int = 0
    chars: int = 0
    junk_chars: int = 0
    seconds: float = 0.0
    first_error: str | None = None
    unreadable: list[str] = field(default_factory=list)
    skipped_records: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter, repr=False)
    # With a minimum quality: the records under it, marked `"unsure": true`.
    min_quality: float | None = None
    unsure: int = 0

    def add(self, cleaned: Cleaned) -> None:
        self.records += cleaned.records
        self.errors += cleaned.errors
        self.chars += cleaned.chars
        self.junk_chars += cleaned.junk_chars
        self.first_error = self.first_error or cleaned.first_error
        self.skipped_records.update(cleaned.skipped)
        self.unsure += cleaned.unsure
        self.seconds = time.perf_counter() - self.started

    @property
    def junk_share(self) -> float:
        return self.junk_chars / self.chars if self.chars else 0.0

    @property
    def rate(self) -> float:
        """Records per second."""
        return self.records / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        shards = f"{self.shards} shard{'s' * (self.shards != 1)}"
        if self.skipped:
            shards += f" ({self.skipped} already finished, skipped)"
        if self.unreadable:
            shards += f", {len(self.unreadable)} unreadable"
        return (f"{self.records:,} records from {shards}, {self.errors:,} errors, "
                f"{self.junk_share:.1%} of characters junk, {self.seconds:.1f} s "
                f"({self.rate:,.0f} records/s){self._skipped()}{self._unsure()}")

    def _unsure(self) -> str:
        if self.min_quality is None:
            return ""
        return f"; {self.unsure:,} records unsure (quality under {self.min_quality:g}), marked \"unsure\": true"

    def _skipped(self) -> str:
        if not self.skipped_records:
            return ""
        reasons = ", ".join(f"{count:,} {reason}" for reason, count in self.skipped_records.most_common())
        return f"; {self.skipped_records.total():,} WARC records skipped as not HTML pages ({reasons})"


class RecordCleaner:
    """Turns a chunk of records into output lines: the work each worker does."""

    def __init__(self, filter: Filter, field: str = "text", format: str = "auto", paragraphs: bool = True,
                 boilerplate: PostFilter | None = None, min_quality: float | None = None,
                 rendering: Rendering = PLAIN):
        self.filter = filter
        self.field = field
        self.format = format
        self.paragraphs = paragraphs
        self.boilerplate = boilerplate
        self.min_quality = min_quality
        self.rendering = rendering

    def __call__(self, chunk: Chunk) -> Cleaned:
        cleaned = Cleaned(chunk.shard, unreadable=chunk.unreadable, records=len(chunk.lines),
                          skipped=chunk.skipped)
        limits = self.filter.limits
        items = (entry_item(Item(chunk.source, number), entry, self.field, self.format, limits)
                 for number, entry in chunk.lines)
        lines = []
        for item, document in classified(self.filter, items):
            if document is None:
                cleaned.errors += 1
                cleaned.first_error = cleaned.first_error or f"{item.where}: {item.error}"
                lines.append(json_line(error_record(item)))
                continue
            if self.boilerplate is not None:
                document = self.boilerplate(item.record, document)
            for paragraph, decision in document.labelled():
                cleaned.chars += len(paragraph.text)
                cleaned.junk_chars += 0 if decision.is_content else len(paragraph.text)
            record = clean_record(item, document, self.paragraphs, self.min_quality, self.rendering)
            cleaned.unsure += bool(record.get("unsure"))
            lines.append(json_line(record))
        cleaned.text = "".join(lines)
        return cleaned


def clean_shards(shards: list[Shard], filter: Filter, *, field: str = "text", format: str = "auto",
                 paragraphs: bool = True, boilerplate: PostFilter | None = None, jobs: int = 1,
                 resume: bool = False, chunk_size: int = CHUNK_SIZE, progress: "Progress | None" = None,
                 stdout: IO[str] | None = None, min_quality: float | None = None,
                 rendering: Rendering = PLAIN) -> Summary:
    """Clean every shard's records (JSON Lines, or WARC pages) into its target; see the
    module's docstring.

    jobs: worker processes (1: clean in this process). resume: skip shards whose output
    exists. boilerplate: applied to each classified record (see the module's docstring).
    Shards without a target write to `stdout` (default: sys.stdout) in order.
    min_quality: mark each record `"unsure"` (true when its quality is under it), counted
    in the summary. rendering: the body in another output format (`filterkit.report.formats`).
    A shard whose file turns out truncated or corrupt gets no output (resuming retries
    it) and is listed in `Summary.unreadable`; the others go on."""
    if jobs < 1 or chunk_size < 1:
        raise ValueError(f"jobs and chunk_size must be at least 1, got {jobs} and {chunk_size}")
    todo = [shard for shard in shards if not (resume and shard.finished)]
    summary = Summary(shards=len(shards), skipped=len(shards) - len(todo), min_quality=min_quality)
    cleaner = RecordCleaner(filter, field, format, paragraphs, boilerplate, min_quality, rendering)
    progress = progress or Progress(None)
    with _cleaning(cleaner, jobs) as clean, closing(progress):
        chunks = _chunks(todo, chunk_size, filter.limits)
        for index, outputs in groupby(clean(chunks), key=attrgetter("shard")):
            try:
                with _output(todo[index], stdout or sys.stdout) as out:
                    for cleaned in outputs:
                        out.write(cleaned.text)
                        summary.add(cleaned)
                        progress.show(summary)
                        if cleaned.unreadable:
                            raise _Unreadable(cleaned.unreadable)  # discards the shard's output
            except _Unreadable as exc:
                summary.unreadable.append(str(exc))
            summary.done += 1
    summary.seconds = time.perf_counter() - summary.started
    return summary


class _Unreadable(Exception):
    pass


def _chunks(shards: list[Shard], size: int, limits: Limits, max_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Every shard's records (non-blank lines, or WARC records) in chunks of `size` records
    or `max_bytes` bytes (whichever is reached first), read lazily within `limits`; at least
    one chunk per shard (empty for an empty file) so that every shard gets its output. WARC
    records that are not pages are counted in their chunk, not sent. Should a file fail
    midway, its last chunk says why."""
    for index, shard in enumerate(shards):
        source, lines, sent, unreadable, in_chunk = source_name(shard.source), [], False, None, 0
        skipped = Counter()
        try:
            for number, entry in numbered_entries(shard.source, limits, shard.reads_warc):
                if isinstance(entry, Skipped):
                    skipped[entry.reason] += 1
                    continue
                lines.append((number, entry))
                in_chunk += _size(entry)
                if len(lines) == size or in_chunk >= max_bytes:
                    yield Chunk(index, source, lines, skipped=skipped)
                    lines, sent, in_chunk, skipped = [], True, 0, Counter()
        except READ_ERRORS as exc:
            unreadable = f"{source}: {_message(exc)}"
        if lines or not sent or unreadable or skipped:
            yield Chunk(index, source, lines, unreadable, skipped)


def _size(entry: Entry) -> int:
    if isinstance(entry, WarcPage):
        return len(entry.payload)
    return len(entry) if isinstance(entry, bytes) else 0


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _output(shard: Shard, stdout: IO[str]):
    if shard.target is None:
        return nullcontext(stdout)
    remove_temporaries(Path(shard.target))  # an earlier run's unfinished output
    return atomic_output(shard.target)


# --- worker processes ---------------------------------------------------------------------


@contextmanager
def _cleaning(cleaner: RecordCleaner, jobs: int) -> Iterator[Callable[[Iterable[Chunk]], Iterator[Cleaned]]]:
    """A function that cleans chunks in order: here, or on `jobs` worker processes."""
    if jobs == 1:
        yield lambda chunks: map(cleaner, chunks)
        return
    # Not fork: a process that has used the model's OpenMP threads cannot fork safely.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Workers fork from a server that imported filterkit once (if this process has
        # not started its server yet), rather than each importing scikit-learn.
        context.set_forkserver_preload([__name__])
        _start_fork_server(context)
    else:
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                               initargs=(cleaner, os.getpid()))
    try:
        yield lambda chunks: in_order(pool, _clean_in_worker, chunks, jobs * IN_FLIGHT_PER_JOB)
    except BaseException:
        # Ctrl-C, or the run failed: the chunks the workers hold are not wanted, so they
        # are stopped now rather than waited for (seconds each).
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_fork_server(context) -> None:
    """Start the fork server, if it is not running, and wait until it has imported filterkit.

    It starts ignoring Ctrl-C, which it keeps while it imports: Ctrl-C then would end it
    with a traceback of its own (this process handles Ctrl-C, for all). And the workers
    are started only once it is ready, at once: a worker asked for while it imports, and
    left behind by Ctrl-C, would fail to start with a traceback. A process that does
    nothing (`int()`) waits for it instead, and can be left behind."""
    from multiprocessing import forkserver

    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
    ready = context.Process(target=int, name="filterkit-fork-server-ready", daemon=True)
    ready.start()
    ready.join()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    # The executor offers no way to end its workers before Python 3.14
    # (`terminate_workers`): its own table of them.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def in_order(pool: Executor, function: Callable, items: Iterable, in_flight: int) -> Iterator:
    """`function` of each item, run on `pool`, in the items' order; at most `in_flight`
    items are taken from `items` ahead of the results returned."""
    pending = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as exc:
        raise FilterkitError(
            "a worker process died (killed, or out of memory?); the outputs already complete "
            "are kept, and resuming skips them") from exc


_worker_cleaner: RecordCleaner | None = None


def _start_worker(cleaner: RecordCleaner, parent: int) -> None:
    """In each worker: keep the cleaner (its model loaded once), one thread for the model
    (the workers are the parallelism), Ctrl-C handled by the parent alone, and exit when
    the parent process is gone rather than wait for work forever."""
    global _worker_cleaner
    from threadpoolctl import threadpool_limits

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(limits=1)
    cleaner.filter.model
    _worker_cleaner = cleaner
    threading.Thread(target=_exit_without, args=(parent,), name="filterkit-parent-watch", daemon=True).start()


def _exit_without(parent: int) -> None:
    # Not os.getppid(): a forkserver's workers are its children, and it outlives a killed parent.
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass


def _clean_in_worker(chunk: Chunk) -> Cleaned:
    return _worker_cleaner(chunk)


# --- progress -------------------------------------------------------------------------------


class Progress:
    """One line on a terminal, redrawn at most every `interval` seconds: records,
    records/s, errors, shards. Silent when `stream` is None or not a terminal."""

    def __init__(self, stream: IO[str] | None, interval: float = 0.5):
        self.stream = stream if stream is not None and stream.isatty() else None
        self.interval = interval
        self._last = 0.0
        self._width = 0

    def show(self, summary: Summary) -> None:
        now = time.perf_counter()
        if self.stream is None or now - self._last < self.interval:
            return
        self._last = now
        line = (f"filterkit: {summary.records:,} records, {summary.rate:,.0f}/s, "
                f"{summary.errors:,} errors, shard {min(summary.done + 1, summary.shards - summary.skipped)}"
                f"/{summary.shards - summary.skipped}")
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def close(self) -> None:
        if self.stream is not None and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
