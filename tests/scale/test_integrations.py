"""filterkit under Ray Data and datatrove, each on a small local cluster of 2 workers:
every document comes out cleaned exactly as `Filter` cleans it in this process.

Skipped when ray or datatrove is not installed (`pip install ".[ray,datatrove]"`; CI
installs both)."""
from __future__ import annotations

import importlib.util
import json
import os
import pickle
from pathlib import Path

import pytest

from filterkit import Filter, Limits

# Ray's workers are new interpreters: they find the filterkit under test (checkout or
# installed, see conftest.py) through PYTHONPATH.
_LOCATION = str(Path(importlib.util.find_spec("filterkit").origin).resolve().parent.parent)
NO_BODY_TEXT = "Home | News | Sport | Sign in\nShare this article: Facebook | Twitter | Email\n" \
               "\u00a9 2024 The Daily Courier. All rights reserved."


def _missing(module: str, extra: str):
    return pytest.mark.skipif(importlib.util.find_spec(module) is None,
                              reason=f"{module} is not installed: pip install \".[{extra}]\" (CI installs it)")


def _records(articles, count: int) -> list[dict]:
    records = [{"id": f"doc-{n}", "text": text} for n, text in enumerate(articles(count, seed=7))]
    records[5]["text"] = None                                   # not a string: an error
    records[6]["text"] = NO_BODY_TEXT
    records[7]["text"] = "<html><body><nav>Home | News</nav><article><p>" + \
        "</p><p>".join(records[8]["text"].split("\n")) + "</p></article></body></html>"
    return records


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ray's own, about its settings
@_missing("ray", "ray")
def test_ray_data_cleans_a_column_on_two_actors(shipped_model, articles):
    import ray

    from filterkit.scale.integrations.ray import clean_dataset

    records = _records(articles, 400)
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=200 * 2**20,
             log_to_driver=False, configure_logging=False,
             runtime_env={"env_vars": {"PYTHONPATH": _LOCATION, "OMP_NUM_THREADS": "1"}})
    try:
        dataset = ray.data.from_items(records)
        rows = clean_dataset(dataset, "text", concurrency=2, batch_size=64, paragraphs=True).take_all()
    finally:
        ray.shutdown()

    rows = sorted(rows, key=lambda row: int(row["id"].split("-")[1]))
    assert [row["id"] for row in rows] == [r["id"] for r in records]
    local = Filter()
    for record, row in zip(records, rows):
        if record["text"] is None:
            assert "not a string" in row["error"] and row["body"] is None
            continue
        document = local.classify(record["text"])
        assert row["error"] is None
        assert row["body"] == document.body and row["title"] == document.title
        assert row["empty"] == (not document.paragraphs)
        assert [p["label"] for p in json.loads(row["paragraphs"])] == [d.label for d in document.decisions]
    assert rows[6]["body"] == "" and rows[6]["empty"] is False
    # HTML detected: read as the page's blocks (no markup in the body), its <nav> dropped.
    assert rows[7]["body"] and "<p>" not in rows[7]["body"] and "Home | News" not in rows[7]["body"].split("\n\n")


@pytest.mark.slow
@_missing("datatrove", "datatrove")
def test_datatrove_step_rewrites_text_under_the_local_executor(tmp_path, shipped_model, articles):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from filterkit.scale.integrations.datatrove import NO_BODY, FilterkitCleaner

    records = _records(articles, 400)
    (tmp_path / "in").mkdir()
    for shard in range(2):
        with open(tmp_path / "in" / f"part-{shard}.jsonl", "w", encoding="utf-8") as out:
            for record in records[shard::2]:
                out.write(json.dumps(record) + "\n")
    excluded = JsonlWriter(str(tmp_path / "dropped"), compression=None)
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(tmp_path / "in")), FilterkitCleaner(exclusion_writer=excluded),
                  JsonlWriter(str(tmp_path / "out"), compression=None)],
        tasks=2, workers=2, logging_dir=str(tmp_path / "logs")).run()

    def read(folder: str) -> dict[str, dict]:
        rows = [json.loads(line) for path in sorted((tmp_path / folder).glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines()]
        return {row["id"]: row for row in rows}

    kept, dropped = read("out"), read("dropped")
    assert len(kept) + len(dropped) == len(records) - 1  # datatrove's reader skips a record without text
    local = Filter()
    for record in records[:5] + records[6:]:
        if record["id"] in dropped:
            assert dropped[record["id"]]["metadata"]["filter_reason"] == NO_BODY
            assert dropped[record["id"]]["text"] == record["text"]  # kept whole for the exclusion writer
            continue
        document = local.classify(record["text"])
        row = kept[record["id"]]
        assert row["text"] == document.body
        metadata = row["metadata"]
        assert metadata["filterkit_labels"] == [d.label for d in document.decisions]
        assert len(metadata["filterkit_scores"]) == len(metadata["filterkit_reasons"]) == len(document.paragraphs)
        assert metadata["filterkit_title"] == document.title
    assert "doc-6" in dropped and "doc-7" in kept
    assert len(kept) > 0.9 * len(records)
    assert os.path.isdir(tmp_path / "logs" / "completions")  # both tasks finished


# --- the filter's limits reach the adapters (in this process: no cluster) -------------------------

LIMITS = Limits(max_paragraphs=3)
TOO_LONG = "one\ntwo\nthree\nfour"


def test_the_ray_cleaner_applies_its_limits(shipped_model):
    import numpy as np

    from filterkit.scale.integrations.ray import Cleaner

    rows = Cleaner("text", limits=LIMITS)({"text": np.array([TOO_LONG, "one\ntwo"], dtype=object)})
    assert "over the limit max_paragraphs=3" in rows["error"][0] and rows["body"][0] is None
    assert rows["error"][1] is None and rows["body"][1] == Filter().clean("one\ntwo")


@_missing("datatrove", "datatrove")
def test_the_datatrove_step_applies_its_limits(shipped_model):
    from datatrove.data import Document

    from filterkit.scale.integrations.datatrove import ERROR, FilterkitCleaner

    docs = [Document(text=TOO_LONG, id="long"), Document(text="one\ntwo", id="short")]
    step = FilterkitCleaner(limits=LIMITS, keep_empty=True)
    assert step.filter_batch(docs) == [(False, ERROR), True]
    assert "over the limit max_paragraphs=3" in docs[0].metadata[ERROR]
    assert pickle.loads(pickle.dumps(step)).classifier.limits == LIMITS  # as each task gets it


# --- HTML extraction steps: datatrove's extractor slot, Hugging Face datasets ---------------------


def _pages(warc, articles) -> list[dict]:
    """Article pages as a crawl serves them, the third with no body."""
    pages = [{"url": f"https://news.example.com/{n}", "payload": warc.page(text).encode()}
             for n, text in enumerate(articles(6, seed=41))]
    pages[2]["payload"] = f"<html><body><nav>{NO_BODY_TEXT}</nav></body></html>".encode()
    return pages


def _run_extractor(reader, step, tmp_path) -> dict[str, dict]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter

    out = tmp_path / f"out-{id(step)}"
    LocalPipelineExecutor(pipeline=[reader, step, JsonlWriter(str(out), compression=None)],
                          tasks=1, workers=1, logging_dir=str(tmp_path / f"logs-{id(step)}")).run()
    rows = [json.loads(line) for path in sorted(out.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]
    return {row["metadata"]["url"]: row for row in rows}


@pytest.mark.slow
@_missing("datatrove", "datatrove")
@_missing("cchardet", "datatrove")
@_missing("magic", "datatrove")
def test_the_datatrove_extractor_takes_trafilaturas_place_after_a_warc_reader(tmp_path, shipped_model,
                                                                            articles, warc):
    from datatrove.pipeline.readers import WarcReader

    from filterkit.scale.integrations.datatrove import FilterkitExtractor

    pages = _pages(warc, articles)
    (tmp_path / "crawl").mkdir()
    warc.write(tmp_path / "crawl" / "crawl.warc.gz", pages + [
        {"url": "https://news.example.com/logo.png", "payload": b"\x89PNG\r\n\x1a\n", "content_type": "image/png"}])

    kept = _run_extractor(WarcReader(str(tmp_path / "crawl")), FilterkitExtractor(paragraphs=True), tmp_path)
    strict = _run_extractor(WarcReader(str(tmp_path / "crawl")), FilterkitExtractor(threshold=0.9), tmp_path)

    local, local_strict = Filter(), Filter(threshold=0.9)
    assert sorted(kept) == sorted(p["url"] for n, p in enumerate(pages) if n != 2)  # no body: dropped
    for page in pages[:2] + pages[3:]:
        row, document = kept[page["url"]], local.classify(page["payload"])
        assert row["text"] == document.body
        metadata = row["metadata"]
        assert metadata["title"] == metadata["filterkit_title"] == document.title
        assert metadata["filterkit_labels"] == [d.label for d in document.decisions]
        assert metadata["date"]  # the crawl's date, from the reader, kept
        assert (page["url"] in strict) == bool(local_strict.clean(page["payload"]))
        if page["url"] in strict:
            assert strict[page["url"]]["text"] == local_strict.clean(page["payload"])
            assert "filterkit_labels" not in strict[page["url"]]["metadata"]
    assert any(strict[url]["text"] != kept[url]["text"] for url in strict)  # the threshold was applied


@pytest.mark.slow
@_missing("datatrove", "datatrove")
def test_the_datatrove_extractor_reads_pages_from_jsonl(tmp_path, shipped_model, articles, warc):
    from datatrove.pipeline.readers import JsonlReader

    from filterkit.scale.integrations.datatrove import FilterkitExtractor

    pages = [page["payload"].decode() for page in _pages(warc, articles)]
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "pages.jsonl", "w", encoding="utf-8") as out:
        for n, page in enumerate(pages):
            out.write(json.dumps({"text": page, "id": f"page-{n}", "metadata": {"url": f"page-{n}"}}) + "\n")

    kept = _run_extractor(JsonlReader(str(tmp_path / "in")), FilterkitExtractor(), tmp_path)

    local = Filter()
    assert sorted(kept) == [f"page-{n}" for n in range(len(pages)) if n != 2]
    for n, page in enumerate(pages):
        if n != 2:
            assert kept[f"page-{n}"]["text"] == local.clean(page)


@_missing("datatrove", "datatrove")
def test_the_datatrove_extractor_drops_a_page_over_its_limits(shipped_model, articles, warc):
    from datatrove.data import Document

    from filterkit.scale.integrations.datatrove import ERROR, FilterkitExtractor

    step = FilterkitExtractor(limits=Limits(max_paragraphs=3))
    docs = [Document(text=warc.page(articles(1, seed=42)[0]), id="long"), Document(text="one\ntwo", id="short")]
    assert [doc.id for doc in step.run(docs)] == ["short"]
    assert "over the limit max_paragraphs=3" in docs[0].metadata[ERROR]
    assert step.stats[ERROR].total == 1
    assert pickle.loads(pickle.dumps(step)).classifier.limits == Limits(max_paragraphs=3)
    page = "<html><body><article><p>One.</p><p>Two.</p></article></body></html>"
    assert step.extract(page) == Filter().clean(page)  # datatrove's one-page interface


@_missing("datasets", "test")
def test_a_hugging_face_dataset_map_adds_the_cleaned_columns(shipped_model, articles):
    import datasets

    from filterkit.scale.integrations.hf import Cleaner, clean_dataset

    texts = articles(5, seed=43)
    rows = {"text": texts[:3] + [None, texts[3]], "id": [f"doc-{n}" for n in range(5)]}
    cleaned = clean_dataset(datasets.Dataset.from_dict(rows), "text", batch_size=2, paragraphs=True, threshold=0.6)

    local = Filter(threshold=0.6)
    assert cleaned.column_names == ["text", "id", "body", "title", "junk_ratio", "empty", "error", "paragraphs"]
    for row in cleaned:
        if row["text"] is None:
            assert "not a string" in row["error"] and row["body"] is None
            continue
        document = local.classify(row["text"])
        assert row["error"] is None and row["body"] == document.body and row["title"] == document.title
        assert [p["label"] for p in json.loads(row["paragraphs"])] == [d.label for d in document.decisions]
    cleaner = Cleaner("text")
    cleaner.classifier.model
    assert pickle.loads(pickle.dumps(cleaner))._classifier is None  # hashed and sent without its model
