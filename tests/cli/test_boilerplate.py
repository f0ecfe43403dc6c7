"""The repeated-boilerplate pass on the command line: `filterkit boilerplate count` (pass 1),
then `filterkit clean --jsonl --boilerplate COUNTS` (pass 2), on the pages of one news site
whose header and footer the model keeps as body, with `filterkit.cli.main` in this process
(`run_cli`, see conftest.py)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from filterkit.cli import main
from filterkit.filter import Filter
from filterkit.scale.boilerplate import BoilerplateCounts, RecordRelabeller

SITE = "gazette.example"
HEADER = [
    "Skip to main content",
    "Home | Local | Business | Sport | Culture | Opinion",
    "The Riverside Gazette: independent local news for the valley since 1892.",
]
FOOTER = [
    "The Riverside Gazette is owned by its readers. Become a member from 5 euros a month and "
    "support local reporting in the valley.",
    "Our newsroom is at 14 Mill Lane, Riverside. We welcome letters, tips and corrections from "
    "readers at any time.",
    "Copyright 2024 Riverside Gazette Ltd. All rights reserved. Registered in the valley under "
    "number 0481516.",
]
ARTICLES = [
    ("Council approves new bridge over the river", [
        "The town council approved plans for a new footbridge over the river on Tuesday evening, after "
        "a debate that lasted more than three hours and drew a crowd of residents to the town hall.",
        "The bridge, which will cost an estimated 4 million euros, will link the old market square with "
        "the new housing estate on the eastern bank and is expected to open in the spring of 2026.",
        "Councillor Maria Lopez, who chairs the planning committee, said the crossing would cut the walk "
        "to the station by twenty minutes for thousands of families living east of the river.",
    ]),
    ("Floods close three schools in the lower town", [
        "Heavy rain overnight flooded streets in the lower town and forced three primary schools to close "
        "on Monday, as the river rose above its banks for the second time this winter.",
        "Firefighters pumped water out of more than forty homes, and the regional water authority said "
        "levels were expected to fall slowly over the next two days if the rain eases.",
        "Parents were asked to keep children at home until the schools have been inspected, and a "
        "reception centre has opened in the sports hall for families who had to leave their houses.",
    ]),
    ("Football club signs young striker from regional league", [
        "Riverside Football Club has signed the nineteen-year-old striker Tom Becker from the regional "
        "league on a three-year contract, the club announced on Friday afternoon.",
        "Becker scored twenty-two goals last season and was named the league's young player of the year, "
        "attracting interest from several clubs in the divisions above.",
        "The manager said the young forward would be given time to settle in, but hoped he would make his "
        "debut in the cup match against the county champions next month.",
    ]),
    ("New bakery on Market Street sells out on its first morning", [
        "A new bakery run by two former teachers opened on Market Street on Saturday, and its sourdough "
        "loaves sold out within an hour of the doors opening at seven o'clock.",
        "Ana Silva and Jan de Vries spent two years learning to bake in the evenings before deciding to "
        "leave the classroom and take over the empty shop that once housed a shoe repairer.",
        "They plan to run bread-making classes for local children on Wednesday afternoons, and say they "
        "will give unsold bread to the food bank at the end of each day.",
    ]),
    ("Library extends opening hours after petition", [
        "The town library will open until nine in the evening on weekdays from next month, after more "
        "than two thousand residents signed a petition asking for longer hours.",
        "Students preparing for exams had complained that the library closed at five, leaving them "
        "nowhere quiet to study after school and college lectures had finished.",
        "The extra hours will be paid for by a grant from the regional education fund, and volunteers "
        "from the reading club have offered to help at the desk in the evenings.",
    ]),
    ("Bus company adds late services to the valley villages", [
        "The regional bus company will run two extra late-evening services to the valley villages from "
        "the first of June, in a trial that will last until the end of the summer.",
        "Villagers have long complained that the last bus left the town centre at half past seven, making "
        "it impossible to get home after an evening shift or a visit to the cinema.",
        "The company said the trial would become permanent if each late bus carried at least fifteen "
        "passengers on average over the three months of the experiment.",
    ]),
]
CHROME = set(HEADER + FOOTER)


def page(title: str, body: list[str]) -> str:
    """A scraped page, one paragraph per line: the site's header, the article, its footer."""
    return "\n".join([*HEADER, title, *body, *FOOTER])


def site_records() -> list[dict]:
    """Six pages of the site, then the same template on a one-page site and on a record
    without a url: only the six share a site."""
    records = [{"id": f"gazette-{i}", "url": f"https://www.{SITE}/news/{i}", "text": page(title, body)}
               for i, (title, body) in enumerate(ARTICLES)]
    title, body = ARTICLES[0]
    records.append({"id": "elsewhere", "url": "https://other.example/a", "text": page(title, body)})
    records.append({"id": "no-url", "text": page(title, body)})
    return records


def labels(record: dict) -> dict[str, str]:
    return {p["text"]: p["label"] for p in record["paragraphs"]}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def site(tmp_path_factory, shipped_model, run_cli) -> Path:
    """A directory with site.jsonl, its counts from pass 1 (counts.npz), and site.jsonl
    cleaned without the pass (plain.jsonl) and with it on 1 and 2 workers (jobs-N.jsonl)."""
    directory = tmp_path_factory.mktemp("site")
    lines = [json.dumps(record) for record in site_records()]
    (directory / "site.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    counted = run_cli("boilerplate", "count", "site.jsonl", "-o", "counts.npz", cwd=directory)
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.startswith("wrote counts.npz: 8 records, 6 of them on 1 site with 2+ pages;")
    plain = run_cli("clean", "--jsonl", "site.jsonl", "-o", "plain.jsonl", cwd=directory)
    assert plain.returncode == 0, plain.stderr
    for jobs in ("1", "2"):
        done = run_cli("clean", "--jsonl", "site.jsonl", "--boilerplate", "counts.npz", "--jobs", jobs,
                             "-o", f"jobs-{jobs}.jsonl", cwd=directory)
        assert done.returncode == 0, done.stderr
        assert done.stderr.startswith("filterkit: 8 records from 1 shard, 0 errors"), done.stderr
    return directory


def test_two_passes_relabel_the_sites_repeated_header_and_footer_and_keep_every_article(site):
    plain, cleaned = read_jsonl(site / "plain.jsonl"), read_jsonl(site / "jobs-1.jsonl")
    relabelled = 0
    for before, after, (_, body) in zip(plain[:6], cleaned[:6], ARTICLES):
        kept_chrome = [text for text, label in labels(before).items() if text in CHROME and label == "content"]
        assert {labels(after)[text] for text in kept_chrome} <= {"chrome"}
        assert all(label != "content" for text, label in labels(after).items() if text in CHROME)
        assert {labels(after)[text] for text in body} == {"content"}
        assert all(text in after["body"] for text in body) and not any(text in after["body"] for text in CHROME)
        relabelled += len(kept_chrome)
    assert relabelled >= 12, "the model removes the chrome by itself: this site tests little"


def test_one_page_of_another_site_and_a_record_without_a_url_are_left_as_the_model_labelled_them(site):
    plain, cleaned = read_jsonl(site / "plain.jsonl"), read_jsonl(site / "jobs-1.jsonl")
    assert cleaned[6:] == plain[6:]


def test_two_workers_write_the_same_bytes_as_one(site):
    assert (site / "jobs-2.jsonl").read_bytes() == (site / "jobs-1.jsonl").read_bytes()


def test_the_reason_says_on_how_many_other_pages_of_the_site_the_paragraph_is(site):
    relabel = RecordRelabeller(BoilerplateCounts.load(site / "counts.npz"))
    record = site_records()[2]
    document = relabel(record, Filter().classify(record["text"]))
    reasons = {p.text: d.reason for p, d in document.labelled() if d.label == "chrome" and "repeated" in d.reason}
    assert reasons and set(reasons) <= CHROME
    assert all(reason.startswith(f"repeated on 5 other pages of {SITE} (body score ") for reason in reasons.values())
    # The command line's records carry the same reason for each relabelled paragraph.
    cli_reasons = {p["text"]: p["reason"] for p in read_jsonl(site / "jobs-1.jsonl")[2]["paragraphs"]
                   if "repeated on" in p["reason"]}
    assert cli_reasons == reasons


@pytest.mark.parametrize("options, relabelled", [
    (["--boilerplate-min-documents", "5"], True),   # the header and footer are on 5 other pages
    (["--boilerplate-min-documents", "6"], False),
    (["--group-field", "id"], False),               # every record a site of its own
])
def test_the_options_reach_the_post_filter(site, tmp_path, options, relabelled):
    out = tmp_path / "out.jsonl"
    assert main(["clean", "--jsonl", str(site / "site.jsonl"), "--boilerplate", str(site / "counts.npz"),
                 *options, "-o", str(out)]) == 0
    expected = site / ("jobs-1.jsonl" if relabelled else "plain.jsonl")
    assert out.read_bytes() == expected.read_bytes()


# --- errors ----------------------------------------------------------------------------------


def truncated(site: Path, tmp_path: Path) -> Path:
    data = (site / "counts.npz").read_bytes()
    path = tmp_path / "counts.npz"
    path.write_bytes(data[: len(data) // 2])
    return path


def not_npz(site: Path, tmp_path: Path) -> Path:
    shutil.copy(site / "site.jsonl", tmp_path / "counts.npz")
    return tmp_path / "counts.npz"


def old_format(site: Path, tmp_path: Path) -> Path:
    path = tmp_path / "counts.npz"
    with np.load(site / "counts.npz") as data:
        np.savez(path, **{**data, "format_version": 0})
    return path


def missing(site: Path, tmp_path: Path) -> Path:
    return tmp_path / "counts.npz"


@pytest.mark.parametrize("make, message", [
    (missing, "counts.npz: No such file or directory"),
    (truncated, "counts.npz: not boilerplate counts (a truncated or corrupt file"),
    (not_npz, "counts.npz: not boilerplate counts (a truncated or corrupt file"),
    (old_format, "counts.npz: boilerplate counts of format 0, expected 1; count the corpus again"),
])
def test_counts_that_cannot_be_read_stop_the_run_before_any_output(site, tmp_path, run_cli, make, message):
    counts = make(site, tmp_path)
    result = run_cli("clean", "--jsonl", str(site / "site.jsonl"), "--boilerplate", str(counts),
                           "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("filterkit: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1  # no traceback
    assert not (tmp_path / "out.jsonl").exists()


def test_count_skips_unreadable_records_and_says_so(tmp_path, capsys):
    records = site_records()[:3]
    lines = [json.dumps(records[0]), "not json", json.dumps(records[1]), json.dumps({"url": "x"}),
             json.dumps(records[2])]
    (tmp_path / "site.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = main(["boilerplate", "count", str(tmp_path / "site.jsonl"), "-o", str(tmp_path / "counts.npz")])
    said = capsys.readouterr()
    assert status == 3
    assert "2 of 5 records could not be read and were not counted; the first, " in said.err
    assert "site.jsonl:2: not valid JSON" in said.err
    counts = BoilerplateCounts.load(tmp_path / "counts.npz")
    assert counts.group_size(SITE) == 3 and counts.occurrences(SITE, HEADER + FOOTER).tolist() == [3] * 6


def test_count_points_at_group_field_when_no_record_names_a_site(tmp_path, capsys):
    lines = [json.dumps({"site": SITE, "text": record["text"]}) for record in site_records()[:2]]
    (tmp_path / "site.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["boilerplate", "count", str(tmp_path / "site.jsonl"), "-o", str(tmp_path / "counts.npz")]) == 0
    said = capsys.readouterr().out
    assert "2 records, 0 of them on 0 sites with 2+ pages" in said and "'url' fields" in said
    assert "see --group-field" in said
