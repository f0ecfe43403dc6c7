"""WARC files as a record source of the batch path: each HTML page one record, the other
records counted, broken files keeping the records before them."""
from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from filterkit.cli import main
from filterkit.filter import Filter
from filterkit.limits import Limits
from filterkit.scale.batch import Shard, clean_shards
from filterkit.scale.files import open_input
from filterkit.scale.records import read_records
from filterkit.scale.warc import Skipped, WarcPage, is_warc, warc_entries


def read_output(path: Path) -> list[dict]:
    with open_input(str(path)) as stream:
        return [json.loads(line) for line in stream]


def crawl(warc, path: Path, articles, count: int = 3) -> list[dict]:
    """A crawl of `count` article pages among records that are not pages: its responses."""
    pages = [{"url": f"https://news.example.com/story-{n}", "payload": warc.page(text).encode()}
             for n, text in enumerate(articles(count, seed=21))]
    others = [
        {"url": "https://news.example.com/logo.png", "payload": b"\x89PNG\r\n\x1a\n\x00\x00", "content_type": "image/png"},
        {"url": "https://news.example.com/gone", "payload": b"<html><body><p>Not here</p></body></html>",
         "status": "404 Not Found"},
        {"url": "https://news.example.com/moved", "payload": b"", "status": "301 Moved Permanently",
         "headers": [("Location", "/story-0")]},
        {"url": "https://news.example.com/story-0", "payload": b"", "type": "revisit"},
    ]
    warc.write(path, pages[:1] + others + pages[1:])
    return pages


def test_names_that_say_warc():
    assert [is_warc(name) for name in ("a.warc", "a.warc.gz", "b/a.warc.zst", "a.jsonl", "warc.gz", "a.wacz")] == \
        [True, True, True, False, False, False]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_responses_become_records_and_the_other_records_are_counted(tmp_path, shipped_model, articles,
                                                                         warc, name):
    pages = crawl(warc, tmp_path / name, articles)
    summary = clean_shards([Shard(str(tmp_path / name), str(tmp_path / "out.jsonl"))], Filter())

    records = read_output(tmp_path / "out.jsonl")
    assert [r["url"] for r in records] == [p["url"] for p in pages]
    local = Filter()
    for record, page in zip(records, pages):
        document = local.classify(page["payload"])
        assert record["body"] == document.body and record["body"]
        assert record["title"] == document.title
        assert [p["label"] for p in record["paragraphs"]] == [d.label for d in document.decisions]
        assert record["warc_record_id"].startswith("<urn:uuid:") and record["warc_date"]
        assert "error" not in record
    # warcinfo, a request per response, the image, the 404, the 301, the revisit
    assert summary.skipped_records == Counter({"request": 7, "warcinfo": 1, "not HTML": 1,
                                               "HTTP status not 2xx": 2, "revisit": 1})
    assert (summary.records, summary.errors) == (3, 0)
    assert str(summary).endswith("; 12 WARC records skipped as not HTML pages (7 request, 2 HTTP status "
                                 "not 2xx, 1 warcinfo, 1 not HTML, 1 revisit)")


def test_the_http_charset_decodes_a_page_that_declares_none(tmp_path, shipped_model, warc):
    greek = "Το δημοτικό συμβούλιο ενέκρινε χθες το σχέδιο για νέους ποδηλατοδρόμους στο κέντρο της πόλης."
    french = "Le conseil municipal a approuvé mardi soir un réseau de pistes cyclables — enfin, disent les élus."
    page = "<html><body><article><h1>{0}</h1><p>{1}</p><p>{1}</p></article></body></html>"
    declared = "<html><head><meta charset='utf-8'></head><body><article><p>{0}</p><p>{0}</p></article></body></html>"
    warc.write(tmp_path / "c.warc", [
        {"url": "https://el.example.com/", "payload": page.format("Ποδηλατόδρομοι", greek).encode("iso-8859-7"),
         "content_type": "text/html; charset=ISO-8859-7"},
        {"url": "https://fr.example.com/", "payload": page.format("Pistes", french).encode("cp1252"),
         "content_type": "text/html;charset=\"windows-1252\""},
        # The page's own declaration wins over a wrong header.
        {"url": "https://de.example.com/", "payload": declared.format("Straßenbahn über die Brücke.").encode(),
         "content_type": "text/html; charset=iso-8859-1"},
        {"url": "https://xx.example.com/", "payload": page.format("Pistes", french).encode("cp1252"),
         "content_type": "text/html; charset=no-such-charset"},
    ])
    items = list(read_records([str(tmp_path / "c.warc")], "text", "auto"))
    assert greek in [p.text for p in items[0].document.paragraphs]
    assert french in [p.text for p in items[1].document.paragraphs]
    assert "Straßenbahn über die Brücke." in [p.text for p in items[2].document.paragraphs]
    # An unknown charset: the page's own rules (undeclared, not UTF-8: Windows-1252).
    assert french in [p.text for p in items[3].document.paragraphs]


def test_bad_pages_become_error_records_and_the_others_are_cleaned(tmp_path, shipped_model, articles, warc):
    texts = articles(2, seed=23)
    good = [{"url": f"https://ok.example.com/{n}", "payload": warc.page(text).encode()} for n, text in enumerate(texts)]
    warc.write(tmp_path / "bad.warc.gz", [
        good[0],
        {"url": "https://bad.example.com/binary", "payload": b"GIF89a\x01\x00\x01\x00\x00\xff" * 50},
        {"url": "https://bad.example.com/huge", "payload": warc.page(texts[0] * 300).encode()},
        {"url": "https://ok.example.com/gzip", "payload": gzip.compress(good[1]["payload"]),
         "headers": [("Content-Encoding", "gzip")]},
        {"url": "https://ok.example.com/not-gzip", "payload": good[0]["payload"],  # mislabelled: read as it is
         "headers": [("Content-Encoding", "gzip")]},
        {"url": "https://bad.example.com/empty", "payload": b""},
        good[1],
    ])
    summary = clean_shards([Shard(str(tmp_path / "bad.warc.gz"), str(tmp_path / "out.jsonl"))],
                           Filter(limits=Limits(max_record_bytes=200_000)))
    records = {r["url"]: r for r in read_output(tmp_path / "out.jsonl")}
    assert list(records) == [good[0]["url"], "https://bad.example.com/binary", "https://bad.example.com/huge",
                             "https://ok.example.com/gzip", "https://ok.example.com/not-gzip",
                             "https://bad.example.com/empty", good[1]["url"]]
    assert records["https://bad.example.com/binary"]["error"] == \
        "the payload is binary, not the HTML its Content-Type says"
    assert records["https://bad.example.com/huge"]["error"].startswith(
        "the page is more than 200,000 bytes, over the limit max_record_bytes=200,000; the record is not read")
    assert records["https://bad.example.com/huge"]["line"] == 7  # its WARC record's number
    assert records["https://ok.example.com/gzip"]["body"] == records[good[1]["url"]]["body"]
    assert records["https://ok.example.com/not-gzip"]["body"] == records[good[0]["url"]]["body"]
    assert records["https://bad.example.com/empty"]["empty"] is True and records["https://bad.example.com/empty"]["body"] == ""
    for page in good:
        assert records[page["url"]]["body"] == Filter().clean(page["payload"])
    assert (summary.records, summary.errors) == (7, 2)


def cut(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_truncated_warc_keeps_the_records_before_and_says_where_it_broke(tmp_path, capsys, shipped_model,
                                                                          articles, warc, name):
    pages = crawl(warc, tmp_path / name, articles, count=4)
    cut(tmp_path / name, 0.9)  # inside the last page

    status = main(["clean", str(tmp_path / name), "-o", str(tmp_path / "out.jsonl"), "--no-paragraphs"])

    assert status == 3
    records = read_output(tmp_path / "out.jsonl")
    assert [r["url"] for r in records[:-1]] == [p["url"] for p in pages[:3]]
    broken = records[-1]
    assert broken["line"] == 17 and set(broken) == {"error", "line"}  # the last response is record 17
    assert broken["error"].startswith(f"{tmp_path / name} cannot be read on from its WARC record 17 (damaged or "
                                      "cut short: ")
    assert broken["error"].endswith("the 16 records before it are kept")
    assert "1 of 4 records failed" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"", b"this is not a WARC file\n", gzip.compress(b"nor is this\n"),
                                     b"WARC/1.0\r\nWARC-Type: response\r\n"])
def test_a_file_that_is_no_warc_gives_one_error_record_or_none(tmp_path, content):
    (tmp_path / "x.warc").write_bytes(content)
    entries = list(warc_entries(str(tmp_path / "x.warc")))
    if not content:
        assert entries == []
        return
    assert len(entries) == 1 and entries[0][0] == 1
    assert str(entries[0][1]).startswith(f"{tmp_path / 'x.warc'} cannot be read on from its WARC record 1")


def test_a_warc_expanding_past_max_decompressed_bytes_stops_there(tmp_path, articles, warc):
    pages = [{"url": f"https://ok.example.com/{n}", "payload": warc.page(text).encode()}
             for n, text in enumerate(articles(40, seed=24))]
    warc.write(tmp_path / "big.warc.gz", pages)
    entries = list(warc_entries(str(tmp_path / "big.warc.gz"), Limits(max_decompressed_bytes=20_000)))
    *read, (number, stop) = entries
    assert all(isinstance(entry, (WarcPage, Skipped)) for _, entry in read) and len(read) >= 3
    assert number == len(read) + 1
    assert str(stop).startswith(f"{tmp_path / 'big.warc.gz'} expands to more than 20,000 bytes, over the limit "
                                f"max_decompressed_bytes=20,000; the {len(read)} records before are kept")
    # The same file within the default limits: every record.
    assert len(list(warc_entries(str(tmp_path / "big.warc.gz")))) == 1 + 2 * 40


@pytest.mark.slow
def test_jobs_and_resume_write_what_one_process_writes(tmp_path, shipped_model, articles, warc):
    crawl(warc, tmp_path / "a.warc.gz", articles, count=5)
    warc.write(tmp_path / "b.warc", [{"url": f"https://b.example.com/{n}", "payload": warc.page(t).encode()}
                                     for n, t in enumerate(articles(6, seed=25))])
    inputs = [str(tmp_path / "a.warc.gz"), str(tmp_path / "b.warc")]
    assert main(["clean", *inputs, "-o", str(tmp_path / "one")]) == 0
    assert main(["clean", *inputs, "-o", str(tmp_path / "two"), "--jobs", "2"]) == 0
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["a.jsonl.gz", "b.jsonl"]
    for name in ("a.jsonl.gz", "b.jsonl"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    (tmp_path / "two" / "b.jsonl").unlink()
    finished = (tmp_path / "two" / "a.jsonl.gz").stat().st_mtime_ns
    assert main(["clean", *inputs, "-o", str(tmp_path / "two"), "--jobs", "2", "--resume"]) == 0
    assert (tmp_path / "two" / "a.jsonl.gz").stat().st_mtime_ns == finished  # skipped
    assert (tmp_path / "two" / "b.jsonl").read_bytes() == (tmp_path / "one" / "b.jsonl").read_bytes()


def test_a_payload_the_reader_fails_on_spoils_that_page_alone(tmp_path, monkeypatch, articles, warc):
    from warcio.recordloader import ArcWarcRecord

    pages = [{"url": f"https://ok.example.com/{n}", "payload": warc.page(text).encode()}
             for n, text in enumerate(articles(3, seed=26))]
    warc.write(tmp_path / "c.warc", pages)
    original = ArcWarcRecord.content_stream

    def failing_on_the_second(record):
        if record.rec_headers.get_header("WARC-Target-URI").endswith("/1"):
            raise ValueError("bad chunk length")
        return original(record)

    monkeypatch.setattr(ArcWarcRecord, "content_stream", failing_on_the_second)
    entries = [entry for _, entry in warc_entries(str(tmp_path / "c.warc")) if isinstance(entry, WarcPage)]
    assert [entry.error for entry in entries] == [
        None, "the payload cannot be decoded: ValueError: bad chunk length", None]
    assert entries[2].payload == pages[2]["payload"]


def test_responses_without_a_content_type_and_other_record_types_are_skipped(tmp_path, warc):
    page = b"<html><body><p>A page.</p></body></html>"
    warc.write(tmp_path / "c.warc", [{"url": "https://a.example.com/", "payload": page, "content_type": ""},
                                     {"url": "https://a.example.com/f", "payload": page, "type": "resource"}])
    entries = [entry for _, entry in warc_entries(str(tmp_path / "c.warc"))]
    assert entries == [Skipped("warcinfo"), Skipped("request"), Skipped("no content type"), Skipped("request"),
                       Skipped("resource")]


@pytest.mark.slow
def test_wcxb_pages_in_a_warc_are_cleaned_as_the_pages_themselves(tmp_path, shipped_model, wcxb_dir, warc):
    pages = [gzip.decompress((wcxb_dir / "html" / f"{n:04d}.html.gz").read_bytes()) for n in range(1, 9)]
    warc.write(tmp_path / "wcxb.warc.gz", [{"url": f"https://wcxb.example/{n}", "payload": page,
                                            "content_type": "text/html"} for n, page in enumerate(pages)])
    summary = clean_shards([Shard(str(tmp_path / "wcxb.warc.gz"), str(tmp_path / "out.jsonl"))], Filter())
    records = read_output(tmp_path / "out.jsonl")
    local = Filter()
    assert [r["body"] for r in records] == [local.clean(page) for page in pages]
    assert (summary.records, summary.errors) == (len(pages), 0)
