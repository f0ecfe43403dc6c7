"""The `filterkit` command line on realistic scraped articles: what a user sees (output,
stderr, exit status). Most tests call `filterkit.cli.main` in this process (`run_cli`, see
conftest.py); a few run `python -m filterkit` end to end (`run_subprocess`): --version,
the missing-file error, and clean from stdin. Each test makes one call and checks
everything about it."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

if sys.platform != "win32":
    import resource

import pytest

import filterkit
from filterkit.document import LABELS
from filterkit.training.corpus import read_labelled

TITLE = "Council approves new cycle lanes for the city centre"
BODY = [
    "The city council voted on Tuesday night to build eleven kilometres of protected cycle "
    "lanes through the centre, ending a debate that has divided residents and shop owners "
    "for more than two years.",
    "The plan, which will cost an estimated 14 million euros, replaces two lanes of traffic "
    "on the main ring road with separated bike paths and widens pavements outside the "
    "central station. Work is expected to begin in the autumn and last eighteen months.",
    "Supporters say the lanes will cut congestion and make the streets safer for children "
    "cycling to school. \u201cThis is the most important transport decision the city has "
    "taken in a generation,\u201d said councillor Maria Lopez, who chairs the transport committee.",
    "Opponents, including the local chamber of commerce, warned that removing parking spaces "
    "would hurt small businesses that depend on passing trade. The chamber said it would "
    "study the decision before deciding whether to challenge it in court.",
    "A public consultation last year drew more than six thousand responses, with a narrow "
    "majority in favour of the scheme. The council has promised to publish monthly updates "
    "on the construction timetable.",
]
# Scraper output: one paragraph per line, the page's chrome around the article.
ARTICLE = "\n".join([
    "Home | News | Sport | Business | Opinion | Sign in",
    TITLE,
    "By Jane Smith | 12 March 2024, 18:42 | 4 min read",
    *BODY,
    "Share this article: Facebook | Twitter | Email",
    "Related: Bus fares to rise by 10% in April",
    "Related: New river bridge opens to traffic after two-year delay",
    "Sign up to our morning newsletter and get the day's headlines in your inbox.",
    "\u00a9 2024 The Daily Courier. All rights reserved.",
]) + "\n"
# The same article as a web page that declares a legacy charset.
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="windows-1252">
<title>{TITLE} | The Daily Courier</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>{TITLE}</h1>
<p class="byline">By Jane Smith, 12 March 2024</p>
{"".join(f"<p>{p}</p>" for p in BODY)}
</article>
<aside><h2>Related stories</h2><ul><li><a href="/a">Bus fares to rise in April</a></li></ul></aside>
</main>
<footer><p>\u00a9 2024 The Daily Courier. All rights reserved.</p></footer>
</body></html>
"""


def assert_clean_error(result, status: int, *phrases: str) -> None:
    """A failure as the user should see it: the status, a one-line-per-problem message, no traceback."""
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("filterkit") or result.stderr.startswith("usage: filterkit")
    for phrase in phrases:
        assert phrase in result.stderr


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "cycle-lanes.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# --- errors: no model needed ----------------------------------------------------------------


def test_version(run_subprocess, tmp_path):
    result = run_subprocess("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"filterkit {filterkit.__version__}"


def test_threshold_outside_0_1_is_a_usage_error(run_cli, tmp_path, article_file):
    result = run_cli("clean", "--threshold", "1.5", str(article_file), cwd=tmp_path)
    assert_clean_error(result, 2, "usage: filterkit clean", "--threshold", "between 0 and 1")
    assert result.stdout == ""


def test_missing_file_is_reported_without_traceback(run_subprocess, tmp_path):
    result = run_subprocess("clean", "no-such-article.txt", cwd=tmp_path)
    assert_clean_error(result, 2, "filterkit: error: no-such-article.txt: No such file or directory")
    assert result.stdout == ""


def test_untrusted_model_is_refused_with_a_pointer_to_trust_model(run_cli, tmp_path, article_file):
    model = tmp_path / "downloaded.joblib"
    model.write_bytes(b"a pickle from somewhere")
    card = {"format_version": 1, "feature_version": 1, "sha256": "0" * 64,
            "versions": {"scikit-learn": "1.9.0", "numpy": "2.0.0"}}
    (tmp_path / "downloaded.json").write_text(json.dumps(card), encoding="utf-8")
    result = run_cli("clean", "--model", str(model), str(article_file), cwd=tmp_path)
    assert_clean_error(result, 1, "filterkit: error: Refusing to load", "--trust-model")
    assert result.stdout == ""


def test_conflicting_options_are_a_usage_error_found_before_the_corpus_is_read(run_cli, tmp_path):
    result = run_cli("evaluate", "no-such-corpus.jsonl", "--model", "m.joblib", "--shipped-model", cwd=tmp_path)
    assert_clean_error(result, 2, "filterkit: error: give either --model or --shipped-model, not both")


@pytest.mark.parametrize("args, module, name", [
    (["clean", "cycle-lanes.txt"], "filterkit.cli.clean", "make_filter"),
    (["corpus", "build", "wcxb", "-o", "corpus.jsonl"], "filterkit.training.corpus", "build_corpus"),
])
def test_a_value_error_from_the_library_is_a_failed_run_not_a_usage_error(
        run_cli, tmp_path, monkeypatch, article_file, args, module, name):
    def broken(*_, **__):
        raise ValueError("an internal check failed")

    (tmp_path / "wcxb").mkdir()
    monkeypatch.setattr(f"{module}.{name}", broken)
    result = run_cli(*args, cwd=tmp_path)
    assert_clean_error(result, 1, "filterkit: error: an internal check failed")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


# --- clean ----------------------------------------------------------------------------------


def test_clean_from_stdin_writes_the_body_to_stdout(run_subprocess, tmp_path, shipped_model):
    result = run_subprocess("clean", cwd=tmp_path, stdin=ARTICLE.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    body = result.stdout
    assert body.endswith("\n") and not body.endswith("\n\n")
    paragraphs = body.rstrip("\n").split("\n\n")
    assert set(paragraphs) <= set(ARTICLE.splitlines())  # kept paragraphs are never rewritten
    assert all(p in paragraphs for p in BODY[1:4])
    assert "Home | News | Sport | Business | Opinion | Sign in" not in body
    assert "All rights reserved" not in body


def test_clean_one_file_to_an_output_file(run_cli, tmp_path, shipped_model, article_file):
    out = tmp_path / "bodies" / "cycle-lanes.body.txt"
    out.parent.mkdir()
    result = run_cli("clean", str(article_file), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    body = out.read_text(encoding="utf-8")
    assert all(p in body for p in BODY[1:4])
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_clean_several_files_text_and_html_into_a_directory(run_cli, tmp_path, shipped_model, article_file):
    page = tmp_path / "cycle-lanes-page.html"
    page.write_bytes(PAGE.encode("cp1252"))  # curly quotes are single cp1252 bytes
    result = run_cli("clean", str(article_file), str(page), "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cycle-lanes-page.txt", "cycle-lanes.txt"]
    from_text = (tmp_path / "out" / "cycle-lanes.txt").read_text(encoding="utf-8")
    from_html = (tmp_path / "out" / "cycle-lanes-page.txt").read_text(encoding="utf-8")
    for body in (from_text, from_html):
        assert all(p in body for p in BODY[1:4])
    assert "\u201cThis is the most important transport decision" in from_html  # charset honoured
    assert "All rights reserved" not in from_html


def test_clean_loads_only_the_model_its_input_needs(run_cli, tmp_path, shipped_model, article_file,
                                                    monkeypatch):
    from filterkit.model import store

    loaded = []
    unpickle = store._unpickle

    def noting_the_model(data, model_path):
        loaded.append(model_path.stem)
        return unpickle(data, model_path)

    monkeypatch.setattr(store, "_unpickle", noting_the_model)
    page = tmp_path / "cycle-lanes-page.html"
    page.write_bytes(PAGE.encode("cp1252"))
    statuses = [run_cli("clean", str(source), cwd=tmp_path).returncode for source in (page, article_file)]
    assert statuses == [0, 0]
    assert loaded == ["filterkit-html", "filterkit-text"]


def test_clean_reads_all_of_a_pages_metadata_only_in_the_formats_that_write_it(
        run_cli, tmp_path, shipped_model, monkeypatch):
    from filterkit.read import html

    reads = []
    page_metadata = html.page_metadata

    def noting_the_read(tree):
        reads.append(tree)
        return page_metadata(tree)

    monkeypatch.setattr(html, "page_metadata", noting_the_read)
    (tmp_path / "page.html").write_bytes(PAGE.encode("cp1252"))
    formats_reading_it = []
    for fmt in ("txt", "markdown", "json", "xml", "html"):
        before = len(reads)
        result = run_cli("clean", "page.html", "--output-format", fmt, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        formats_reading_it += [fmt] * (len(reads) > before)
    assert formats_reading_it == ["json", "xml", "html"]


# --- classify -------------------------------------------------------------------------------


def test_classify_writes_one_tsv_row_per_paragraph(run_cli, tmp_path, shipped_model, article_file):
    table_line = "Ward\tVotes for\tVotes against"  # a scraped table row: tabs in the text
    article_file.write_text(ARTICLE + table_line + "\n", encoding="utf-8")
    result = run_cli("classify", article_file.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "doc\tindex\tlabel\tscore\ttext" and lines[-1] == ""
    rows = [line.split("\t") for line in lines[1:-1]]
    inputs = (ARTICLE + table_line).splitlines()
    assert len(rows) == len(inputs) and all(len(row) == 5 for row in rows)
    for i, (doc, index, label, score, text) in enumerate(rows):
        assert (doc, int(index)) == (article_file.name, i)
        assert label in LABELS and 0.0 <= float(score) <= 1.0
        assert text.replace("\\t", "\t") == inputs[i]
    assert rows[-1][4] == "Ward\\tVotes for\\tVotes against"
    assert [row[2] for row in rows if row[4] in BODY[1:4]] == ["content"] * 3


def test_classify_jsonl_gives_one_object_per_paragraph(run_cli, tmp_path, shipped_model, article_file):
    result = run_cli("classify", "--jsonl", cwd=tmp_path, stdin=article_file.read_bytes())
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ARTICLE.splitlines()
    assert [r["index"] for r in rows] == list(range(len(rows)))
    for row in rows:
        assert set(row) == {"doc", "index", "label", "score", "reason", "text"}
        assert row["doc"] == "<stdin>" and row["label"] in LABELS and row["reason"]
        assert 0.0 <= row["score"] <= 1.0
    assert [r["label"] for r in rows if r["text"] in BODY[1:4]] == ["content"] * 3


def test_clean_jsonl_keeps_fields_and_turns_bad_records_into_error_records(run_cli, tmp_path, shipped_model):
    short = "Markets\nShares rose on Monday as investors welcomed the central bank's decision to hold rates."
    lines = [
        json.dumps({"id": "a1", "url": "https://courier.example/cycle-lanes", "text": ARTICLE}),
        '{"id": "a2", "text": "unterminated',                                  # not JSON
        "",                                                                  # blank: skipped
        json.dumps({"id": "a3", "url": "https://courier.example/x", "body_html": "<p>x</p>"}),  # no field
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a5", "text": 42}),                                # field not a string
        json.dumps({"id": "a6", "text": "  \n\n  "}),                        # empty document
        json.dumps({"id": "a7", "title": "Shares rise", "lang": "en", "text": short}),
        json.dumps({"id": "a8", "text": PAGE}),                              # HTML in a record
    ]
    (tmp_path / "scraped.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("clean", "--jsonl", "scraped.jsonl", "-o", "cleaned.jsonl", cwd=tmp_path)

    assert_clean_error(result, 3, "4 of 8 records failed", "scraped.jsonl:2: not valid JSON")
    out = [json.loads(line) for line in (tmp_path / "cleaned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(out) == 8  # one per non-blank input line, in order
    a1, a2, a3, a4, a5, a6, a7, a8 = out
    assert a1["id"] == "a1" and a1["url"] == "https://courier.example/cycle-lanes" and a1["text"] == ARTICLE
    assert all(p in a1["body"] for p in BODY[1:4])
    assert a1["title"] in (None, *ARTICLE.splitlines())  # the detected headline, if any
    assert a1["empty"] is False and 0.0 < a1["junk_ratio"] < 0.5
    assert [p["text"] for p in a1["paragraphs"]] == ARTICLE.splitlines()
    assert all(set(p) == {"index", "label", "score", "reason", "text"} for p in a1["paragraphs"])
    assert all(p["reason"] for p in a1["paragraphs"])  # why each was kept or dropped
    assert a1["body"] == "\n\n".join(p["text"] for p in a1["paragraphs"] if p["label"] == "content")

    assert set(a2) == {"error", "line"} and a2["line"] == 2 and "not valid JSON" in a2["error"]
    assert a3 == {"id": "a3", "url": "https://courier.example/x", "body_html": "<p>x</p>",
                  "error": "the record has no 'text' field", "line": 4}
    assert a4["line"] == 5 and "not an object" in a4["error"]
    assert a5["id"] == "a5" and a5["line"] == 6 and "not a string" in a5["error"]
    assert a6 == {"id": "a6", "text": "  \n\n  ", "body": "", "title": None, "author": None, "date": None,
                  "junk_ratio": 0.0,
                  "empty": True, "quality": None, "paragraphs": []}
    assert a7["title"] == "Shares rise" and a7["lang"] == "en"  # the record's own title is kept
    assert "\u201cThis is the most important transport decision" in a8["body"]
    assert all("error" not in r for r in (a1, a6, a7, a8))


def test_classify_jsonl_input_writes_labelled_records_train_can_read(run_cli, tmp_path, shipped_model):
    records = [{"id": "cycle", "domain": "courier.example", "title": TITLE, "text": ARTICLE},
               {"domain": "courier.example", "text": PAGE}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run_cli("classify", "--jsonl-input", "in.jsonl", "-o", "labelled.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    raw = [json.loads(line) for line in (tmp_path / "labelled.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in raw] == ["cycle", "in.jsonl:2"]
    assert all("text" not in r and r["domain"] == "courier.example" for r in raw)
    assert all(set(p) == {"text", "label", "score"} for p in raw[0]["paragraphs"])
    # An HTML page's blocks keep their DOM facts: the HTML model is trained on them.
    assert all(set(p) == {"text", "label", "score", "dom"} for p in raw[1]["paragraphs"])
    documents = list(read_labelled(tmp_path / "labelled.jsonl"))
    assert documents[0].doms is None and len(documents[1].doms) == len(documents[1].texts)
    assert documents[0].texts == ARTICLE.splitlines() and documents[0].title == TITLE
    # the record's title reached the classifier: the line repeating it is labelled title
    assert documents[0].labels[ARTICLE.splitlines().index(TITLE)] == "title"
    assert all(p in documents[1].texts for p in BODY)


# --- the seed articles ------------------------------------------------------------------------


@pytest.mark.requires_shared
def test_clean_jsonl_on_the_seed_articles(run_cli, tmp_path, shipped_model, seeds_dir):
    labels = [json.loads(line) for line in (seeds_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    records = [{"file": r["file"], "text": (seeds_dir / r["file"]).read_text(encoding="utf-8")} for r in labels]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    result = run_cli("clean", "--jsonl", cwd=tmp_path, stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in out] == [r["file"] for r in labels]
    kept = total = 0
    for record, truth in zip(out, labels):
        assert record["text"] == (seeds_dir / truth["file"]).read_text(encoding="utf-8")
        content = [p["text"] for p in truth["paragraphs"] if p["label"] == "content"]
        body = record["body"].split("\n\n")
        kept += sum(text in body for text in content)
        total += len(content)
    assert kept >= 0.8 * total  # the bar is 0.98 retention; this test checks the plumbing


# --- failures on every command path: a line on stderr, never a traceback ------------------------

# Any document takes longer to score than this.
INSTANT = ["--limit", "max_seconds=1e-6"]


@pytest.mark.parametrize("args, output", [
    (["clean", "page.html"], None),
    (["clean", "page.html", "-o", "body.txt"], "body.txt"),
    (["clean", "page.html", "cycle-lanes.txt", "-o", "bodies"], "bodies/page.txt"),
    (["classify", "page.html"], None),
    (["classify", "--labelled", "page.html"], None),
])
def test_a_document_over_max_seconds_fails_its_file_on_every_command_path(
        run_cli, tmp_path, shipped_model, article_file, args, output):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    result = run_cli(*args, *INSTANT, cwd=tmp_path)
    assert_clean_error(result, 3, "filterkit: error: page.html: scoring the document took longer than "
                                  "1e-06 s, over the limit max_seconds=1e-06", "files failed")
    if output is not None:
        assert not (tmp_path / output).exists()  # a file that failed gets no output
    if args[0] == "clean":
        assert result.stdout == ""


@pytest.mark.parametrize("command, source", [
    (["clean"], "cycle-lanes.txt"),
    (["clean", "--jsonl"], "in.jsonl"),
    (["classify"], "cycle-lanes.txt"),
    (["inspect", "-o", "report.html"], "cycle-lanes.txt"),
])
def test_a_trusted_model_file_that_is_not_a_pipeline_is_refused_in_one_line(
        run_cli, tmp_path, article_file, command, source):
    from filterkit.model.store import save_model

    save_model({"not": "a pipeline"}, tmp_path / "odd.joblib", {})
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    result = run_cli(*command, "--model", "odd.joblib", "--trust-model", source, cwd=tmp_path)
    assert_clean_error(result, 1, "filterkit: error: odd.joblib is not a filterkit model: it holds a dict")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_an_error_nobody_foresaw_is_still_one_line(run_cli, tmp_path, monkeypatch, article_file):
    def broken(*_, **__):
        raise AttributeError("'NoneType' object has no attribute 'body'")

    monkeypatch.setattr("filterkit.cli.clean.make_filter", broken)
    result = run_cli("clean", str(article_file), cwd=tmp_path)
    assert_clean_error(result, 1, "filterkit: error: AttributeError: 'NoneType' object has no attribute "
                                  "'body'", "please report it")
    assert len(result.stderr.splitlines()) == 1


def test_ctrl_c_says_interrupted_and_exits_130(run_cli, tmp_path, monkeypatch, article_file):
    def interrupted(*_, **__):
        raise KeyboardInterrupt

    monkeypatch.setattr("filterkit.cli.clean.make_filter", interrupted)
    result = run_cli("clean", str(article_file), cwd=tmp_path)
    assert (result.returncode, result.stderr, result.stdout) == (130, "filterkit: interrupted\n", "")


# --- output paths -------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["clean", "cycle-lanes.txt", "-o", "cycle-lanes.txt"],
    ["clean", "cycle-lanes.txt", "-o", "link.txt"],  # the same file by another name
    ["clean", "--jsonl", "cycle-lanes.txt", "-o", "./cycle-lanes.txt"],
    ["classify", "cycle-lanes.txt", "-o", "cycle-lanes.txt"],
    ["inspect", "cycle-lanes.txt", "-o", "cycle-lanes.txt"],
])
def test_an_output_that_is_an_input_is_refused_before_any_work(run_cli, tmp_path, article_file, args):
    (tmp_path / "link.txt").symlink_to(article_file)
    result = run_cli(*args, cwd=tmp_path)
    assert_clean_error(result, 2, f"filterkit: error: -o {args[-1]} would overwrite the input cycle-lanes.txt")
    assert article_file.read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize("args", [
    ["clean", "cycle-lanes.txt", "-o", "missing/dir/body.txt"],
    ["clean", "--jsonl", "cycle-lanes.txt", "-o", "missing/dir/out.jsonl"],
    ["classify", "cycle-lanes.txt", "-o", "missing/dir/rows.tsv"],
    ["inspect", "cycle-lanes.txt", "-o", "missing/dir/report.html"],
    ["boilerplate", "count", "cycle-lanes.txt", "-o", "missing/dir/counts.npz"],
    ["train", "cycle-lanes.txt", "-o", "missing/dir/model.joblib"],
    ["evaluate", "cycle-lanes.txt", "--json", "missing/dir/report.json"],
    ["corpus", "build", ".", "-o", "missing/dir/corpus.jsonl"],
])
def test_an_output_in_a_missing_directory_is_refused_not_created(run_cli, tmp_path, article_file, args):
    result = run_cli(*args, cwd=tmp_path)
    assert_clean_error(result, 2, f"filterkit: error: {args[-2]} {args[-1]}: there is no directory "
                                  "missing/dir; create it first")
    assert not (tmp_path / "missing").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file can be created")
def test_an_output_that_cannot_be_created_is_named_not_its_temporary_file(
        run_cli, tmp_path, shipped_model, article_file):
    result = run_cli("clean", str(article_file), "-o", "/proc/body.txt", cwd=tmp_path)
    assert_clean_error(result, 1, "filterkit: error: /proc/body.txt: cannot be written: ")
    assert ".tmp" not in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as Linux has it")
def test_a_write_that_fails_midway_names_the_output_and_leaves_nothing(run_cli, tmp_path, shipped_model):
    # A file size limit fails a write with EFBIG where a full disk fails it with ENOSPC.
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
    try:
        result = run_cli("clean", "--jsonl", "in.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert_clean_error(result, 1, "filterkit: error: out.jsonl: cannot be written: File too large")
    assert [p.name for p in tmp_path.iterdir()] == ["in.jsonl"]  # no temporary file left


# --- encodings, help and messages ------------------------------------------------------------------


@pytest.mark.parametrize("codec, name", [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")])
def test_utf16_text_without_a_byte_order_mark_is_refused_saying_how_to_convert_it(
        run_cli, tmp_path, shipped_model, codec, name):
    (tmp_path / "wide.txt").write_bytes(ARTICLE.encode(codec))  # Python's utf-16-le writes no BOM
    result = run_cli("clean", "wide.txt", cwd=tmp_path)
    assert_clean_error(result, 2, f"filterkit: error: wide.txt: input looks like {name} without a "
                                  f"byte-order mark", f"iconv -f {name} -t UTF-8")
    assert result.stdout == ""


def test_clean_help_names_every_field_a_cleaned_record_gains(run_cli, tmp_path):
    from filterkit.document import Decision, Document, Paragraph
    from filterkit.scale.records import cleaned_fields, paragraph_json

    result = run_cli("clean", "--help", cwd=tmp_path)
    help = " ".join(result.stdout.split())
    for name in cleaned_fields(Document(()), paragraphs=True):
        assert f" {name} " in help
    fields = paragraph_json(Paragraph("text", 0), Decision("content", 0.5, "why"))
    assert f"paragraphs [{{{', '.join(fields)}}}]" in help
    assert "one output record per non-blank input line" in help


def test_a_truncated_gz_on_stdout_says_its_first_records_were_written(run_cli, tmp_path, shipped_model):
    import gzip

    whole = gzip.compress("".join(json.dumps({"n": n, "text": ARTICLE}) + "\n" for n in range(400)).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    result = run_cli("clean", "--jsonl", "--no-paragraphs", "cut.jsonl.gz", cwd=tmp_path)
    assert_clean_error(result, 3, "filterkit: error: cut.jsonl.gz: Compressed file ended before the "
                                  "end-of-stream marker was reached; the records before it were written, "
                                  "the rest of the file was not read")
    assert "not written (--resume" not in result.stderr
    assert [json.loads(line)["n"] for line in result.stdout.splitlines()] == list(range(len(result.stdout.splitlines())))
    assert result.stdout  # some records were read before the damage


def test_a_blank_line_bomb_ends_in_one_error_record(run_cli, tmp_path, shipped_model):
    import gzip

    record = json.dumps({"text": ARTICLE}).encode() + b"\n"
    blank = gzip.compress(b"\n" * 2**20) * 1024  # 1 GiB of line ends in 1 MB
    (tmp_path / "blank.jsonl.gz").write_bytes(gzip.compress(record) + blank)
    result = run_cli("clean", "--jsonl", "blank.jsonl.gz", "--limit", f"max_decompressed_bytes={2**25}",
                     cwd=tmp_path)
    assert_clean_error(result, 3, "1 of 2 records failed")
    first, stop = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["body"]
    assert stop["line"] == 2 + 2**25 - len(record)  # the blank line that crossed the limit
    assert stop["error"].startswith("blank.jsonl.gz expands to more than 33,554,432 bytes")


# --- quality, presets, legacy encodings -----------------------------------------------------------

# A page of menus and links: filterkit finds next to no body in it, and is unsure of it.
MENU_PAGE = "\n".join(["Home | News | Sport", "Sign in", "Subscribe", "Contact us", "Privacy policy",
                       "Terms of use", "Cookie settings", "\u00a9 2024 The Daily Courier"]) + "\n"


def test_min_quality_routes_the_unsure_file_and_writes_the_sure_one(run_cli, tmp_path, shipped_model):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "menu.txt").write_text(MENU_PAGE, encoding="utf-8")
    qualities = {name: filterkit.classify((tmp_path / name).read_text(encoding="utf-8")).quality
                 for name in ("article.txt", "menu.txt")}
    threshold = (qualities["article.txt"] + qualities["menu.txt"]) / 2
    assert qualities["menu.txt"] < threshold < qualities["article.txt"]
    result = run_cli("clean", "article.txt", "menu.txt", "-o", "out", "--min-quality", f"{threshold:.4f}",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["article.txt"]
    assert f"menu.txt: unsure of its body (quality {qualities['menu.txt']:.2f}" in result.stderr
    assert "not written" in result.stderr and "1 of 2 files unsure" in result.stderr

    routed = run_cli("clean", "menu.txt", "-o", "menu.body", "--min-quality", f"{threshold:.4f}",
                     "--unsure", "menu.unsure", cwd=tmp_path)
    assert routed.returncode == 0 and "written to menu.unsure" in routed.stderr
    assert not (tmp_path / "menu.body").exists() and (tmp_path / "menu.unsure").is_file()


def test_min_quality_marks_jsonl_records_and_counts_them(run_cli, tmp_path, shipped_model):
    records = [{"id": "article", "text": ARTICLE}, {"id": "menu", "text": MENU_PAGE}, {"id": "empty", "text": " "}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run_cli("clean", "--jsonl", "--no-paragraphs", "in.jsonl", "--min-quality", "0.5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert list(out) == ["article", "menu", "empty"]  # in place: one record per input line
    assert out["article"]["quality"] >= 0.5 and out["article"]["unsure"] is False
    assert out["menu"]["quality"] < 0.5 and out["menu"]["unsure"] is True
    assert out["empty"]["quality"] is None and out["empty"]["unsure"] is True
    assert '2 records unsure (quality under 0.5), marked "unsure": true' in result.stderr
    refused = run_cli("clean", "--jsonl", "in.jsonl", "--min-quality", "0.5", "--unsure", "x.jsonl", cwd=tmp_path)
    assert_clean_error(refused, 2, "--unsure applies to FILE inputs")
    alone = run_cli("clean", "in.jsonl", "--unsure", "x.txt", cwd=tmp_path)
    assert_clean_error(alone, 2, "--unsure only applies with --min-quality")


def test_presets_are_one_operating_point_and_need_them_on_the_card(run_cli, tmp_path, shipped_model, article_file):
    both = run_cli("clean", article_file.name, "--precision", "--threshold", "0.4", cwd=tmp_path)
    assert_clean_error(both, 2, "--threshold and --precision are different operating points")
    two = run_cli("classify", article_file.name, "--precision", "--recall", cwd=tmp_path)
    assert_clean_error(two, 2, "not allowed with argument --precision")
    precise = run_cli("clean", article_file.name, "--precision", cwd=tmp_path)
    plain = run_cli("clean", article_file.name, cwd=tmp_path)
    generous = run_cli("clean", article_file.name, "--recall", cwd=tmp_path)
    assert precise.returncode == plain.returncode == generous.returncode == 0
    kept = [set(result.stdout.split("\n\n")) for result in (precise, plain, generous)]
    assert kept[0] <= kept[1] <= kept[2]
    model = tmp_path / "old.joblib"
    shutil.copyfile(shipped_model, model)
    card = json.loads(shipped_model.with_suffix(".json").read_text(encoding="utf-8"))
    card.pop("presets")
    model.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    missing = run_cli("classify", article_file.name, "--recall", "--model", str(model), "--trust-model", cwd=tmp_path)
    assert_clean_error(missing, 1, "has no 'recall' preset", "python -m filterkit.training.presets")


def test_a_legacy_encoding_is_read_and_named_or_refused_when_strict(run_cli, tmp_path, shipped_model):
    french = ("Le conseil municipal a voté mardi soir un budget de rénovation des écoles primaires, une "
              "décision très attendue par les parents d'élèves.\n« C'est une étape importante », a déclaré "
              "la maire, qui a souligné que les travaux débuteraient dès l'été prochain.\n")
    (tmp_path / "latin.txt").write_bytes(french.encode("cp1252"))
    result = run_cli("clean", "latin.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert "filterkit: latin.txt: not UTF-8: read as cp1252 (a guess; --strict-encoding refuses" in result.stderr
    assert "décision très attendue" in result.stdout and "dès l'été prochain" in result.stdout
    strict = run_cli("clean", "latin.txt", "--strict-encoding", cwd=tmp_path)
    assert_clean_error(strict, 2, "latin.txt: input is not valid UTF-8", "iconv -f CP1252 -t UTF-8")
    (tmp_path / "damaged.txt").write_bytes(ARTICLE.encode("utf-8").replace(b"eleven", b"ele\xffven\xfe"))
    damaged = run_cli("classify", "damaged.txt", cwd=tmp_path)
    assert damaged.returncode == 0
    assert "damaged.txt: 2 bytes that are not valid UTF-8 replaced with U+FFFD" in damaged.stderr
    assert "ele\ufffdven\ufffd" in damaged.stdout
