"""`filterkit clean --output-format`, --links, --images and --comments: one output per
FILE, named by its format under -o DIR, and JSON Lines records whose body is in the
format; on a page written for the tests (tests/report/pages)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from lxml import etree

import filterkit

PAGE = Path(__file__).parent.parent / "report" / "pages" / "recipe.html"
COMMENT = "Third time baking it now"


def test_markdown_of_one_file_to_stdout(run_cli, tmp_path, shipped_model):
    shutil.copy(PAGE, tmp_path / "recipe.html")
    done = run_cli("clean", "recipe.html", "--output-format", "markdown", "--comments", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    body, comments = done.stdout.split("\n\n---\n\n**Comments**\n\n")
    assert "## Ingredients" in body and "| Stage | Time | Temperature |" in body and COMMENT not in body
    assert COMMENT in comments
    assert done.stdout == filterkit.clean(PAGE.read_text(encoding="utf-8"), output_format="markdown",
                                          include_comments=True) + "\n"


def test_outputs_in_a_directory_are_named_by_their_format(run_cli, tmp_path, shipped_model):
    shutil.copy(PAGE, tmp_path / "recipe.html")
    shutil.copy(PAGE, tmp_path / "again.html")
    done = run_cli("clean", "recipe.html", "again.html", "-o", "out", "--output-format", "xml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["again.xml", "recipe.xml"]
    doc = etree.parse(str(tmp_path / "out" / "recipe.xml")).getroot()
    assert [child.tag for child in doc] == ["main"]


def test_json_of_a_file_with_labels(run_cli, tmp_path, shipped_model):
    shutil.copy(PAGE, tmp_path / "recipe.html")
    done = run_cli("clean", "recipe.html", "--output-format", "json", "--json-text", "markdown", "--labels",
                   "--comments", "-o", "recipe.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    fields = json.loads((tmp_path / "recipe.json").read_text(encoding="utf-8"))
    assert fields["text"].startswith("Focaccia is the most forgiving") and "## Method" in fields["text"]
    assert COMMENT in fields["comments"] and COMMENT not in fields["text"]
    assert fields["sitename"] == "The Crumb Kitchen" and fields["paragraphs"][0]["label"] == "chrome"


def test_jsonl_records_hold_the_body_in_the_format(run_cli, tmp_path, shipped_model):
    records = [{"id": "page", "text": PAGE.read_text(encoding="utf-8")},
               {"id": "text", "text": "Plain text, written as one paragraph of an article about focaccia "
                                      "and the slow, cold rise that gives it an open crumb."}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    done = run_cli("clean", "--jsonl", "in.jsonl", "--no-paragraphs", "--output-format", "json", "--comments",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page, text = map(json.loads, done.stdout.splitlines())
    assert page["body"] == filterkit.clean(records[0]["text"])
    assert COMMENT in page["comments"] and page["language"] == "en-GB"
    assert text["body"] == records[1]["text"] and text["url"] is None
    done = run_cli("clean", "--jsonl", "in.jsonl", "--no-paragraphs", "--output-format", "markdown", cwd=tmp_path)
    page = json.loads(done.stdout.splitlines()[0])
    assert "## Ingredients" in page["body"] and "comments" not in page


def test_options_of_another_format_are_refused(run_cli, tmp_path):
    shutil.copy(PAGE, tmp_path / "recipe.html")
    links = run_cli("clean", "recipe.html", "--links", cwd=tmp_path)
    labels = run_cli("clean", "recipe.html", "--output-format", "markdown", "--labels", cwd=tmp_path)
    assert (links.returncode, labels.returncode) == (2, 2)
    assert "--links only applies with --output-format markdown" in links.stderr
    assert "--labels only applies with --output-format json" in labels.stderr
