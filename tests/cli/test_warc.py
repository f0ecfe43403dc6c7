"""`filterkit clean` of WARC files: found by name (or --warc), written as JSON Lines."""
from __future__ import annotations

import json

import pytest


def write_crawl(warc, path, articles, seed: int = 31) -> list[dict]:
    pages = [{"url": f"https://news.example.com/{n}", "payload": warc.page(text).encode()}
             for n, text in enumerate(articles(2, seed=seed))]
    warc.write(path, pages + [{"url": "https://news.example.com/a.css", "payload": b"p{}", "content_type": "text/css"}])
    return pages


def test_a_warc_file_is_found_by_its_name_and_written_as_jsonl(run_cli, tmp_path, shipped_model, articles, warc):
    pages = write_crawl(warc, tmp_path / "crawl.warc.gz", articles)

    result = run_cli("clean", "crawl.warc.gz", "--no-paragraphs", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in records] == [p["url"] for p in pages]
    assert list(records[0])[:4] == ["url", "warc_date", "warc_record_id", "body"]
    assert {"title", "author", "date", "junk_ratio", "empty"} <= set(records[0]) and "paragraphs" not in records[0]
    assert result.stderr.startswith("filterkit: 2 records from 1 shard, 0 errors")
    assert result.stderr.rstrip().endswith("5 WARC records skipped as not HTML pages (3 request, 1 warcinfo, "
                                           "1 not HTML)")


def test_warc_reads_stdin_and_other_names(run_cli, tmp_path, shipped_model, articles, warc):
    pages = write_crawl(warc, tmp_path / "crawl.bin", articles)
    stdin = run_cli("clean", "--warc", "-", "--no-paragraphs", cwd=tmp_path,
                    stdin=(tmp_path / "crawl.bin").read_bytes())
    named = run_cli("clean", "--warc", "crawl.bin", "--no-paragraphs", "-o", "out.jsonl", cwd=tmp_path)
    assert (stdin.returncode, named.returncode) == (0, 0), stdin.stderr + named.stderr
    assert stdin.stdout == (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["url"] for line in stdin.stdout.splitlines()] == [p["url"] for p in pages]


def test_with_jsonl_warc_files_and_jsonl_shards_go_together_to_a_directory(run_cli, tmp_path, shipped_model,
                                                                         articles, warc):
    write_crawl(warc, tmp_path / "crawl.warc.gz", articles)
    (tmp_path / "part.jsonl").write_text(json.dumps({"text": articles(1, seed=32)[0]}) + "\n", encoding="utf-8")

    result = run_cli("clean", "--jsonl", "crawl.warc.gz", "part.jsonl", "-o", "out", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["crawl.jsonl.gz", "part.jsonl"]


@pytest.mark.parametrize("args, message", [
    (["crawl.warc.gz", "page.html", "-o", "out"], "crawl.warc.gz is a WARC file, which gives JSON Lines records: "
                                                   "clean WARC files apart from documents, or give --jsonl"),
    (["crawl.warc.gz", "--field", "html"], "--field only applies with --jsonl"),
    (["page.html", "--jobs", "2"], "--jobs only applies with --jsonl or WARC input"),
])
def test_usage_errors(run_cli, tmp_path, articles, warc, args, message):
    write_crawl(warc, tmp_path / "crawl.warc.gz", articles)
    (tmp_path / "page.html").write_text(warc.page(articles(1)[0]), encoding="utf-8")
    result = run_cli("clean", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


def test_boilerplate_counts_the_pages_of_a_warc_file(run_cli, tmp_path, shipped_model, articles, warc):
    write_crawl(warc, tmp_path / "crawl.warc.gz", articles)
    counted = run_cli("boilerplate", "count", "crawl.warc.gz", "-o", "counts.npz", cwd=tmp_path)
    cleaned = run_cli("clean", "crawl.warc.gz", "--boilerplate", "counts.npz", cwd=tmp_path)
    assert (counted.returncode, cleaned.returncode) == (0, 0), counted.stderr + cleaned.stderr
    assert counted.stdout.startswith("wrote counts.npz: 2 records, 2 of them on 1 site with 2+ pages")
    assert len(cleaned.stdout.splitlines()) == 2
