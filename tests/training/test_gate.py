"""The quality gate: its comparisons on hand-made figures, and one small run on real pages."""
import gzip
import json

import numpy as np
import pytest

import filterkit
from filterkit.training import gate
from filterkit.training.gate import JUNK_LINES, Figure, Measured, data_digest, inline_documents, update, verdicts
from filterkit.training.snippets import EvalPage, read_evaldata, snippet_f1


def pinned(digest="d" * 64, **floors):
    return {"data": {"digest": digest},
            "figures": {name.replace("_", " "): {"floor": floor, "margin": margin}
                        for name, (floor, margin) in floors.items()}}


def problems(measured, baseline):
    return {v.name: v.problems for v in verdicts(measured, baseline)}


# --- floors and margins ---------------------------------------------------------------------


def test_a_figure_under_its_floor_by_more_than_the_margin_fails():
    result = problems({"html F1": Measured(0.9000, 0.01)}, pinned(html_F1=(0.9200, 0.0100)))
    assert result["html F1"] == ["-0.0200 vs floor"]


def test_a_figure_under_its_floor_within_the_margin_passes():
    baseline = pinned(html_F1=(0.9200, 0.0100))
    assert problems({"html F1": Measured(0.9100, 0.01)}, baseline) == {"html F1": []}
    assert problems({"html F1": Measured(0.9099, 0.01)}, baseline)["html F1"] != []


def test_a_figure_above_its_floor_passes():
    assert problems({"seeds content kept": Measured(1.0, 0.0)}, pinned(seeds_content_kept=(0.98, 0.0))) == \
        {"seeds content kept": []}


def test_a_figure_without_a_floor_and_a_floor_without_a_figure_fail():
    result = problems({"new figure": Measured(0.5, 0.1)}, pinned(old_figure=(0.5, 0.1)))
    assert result == {"new figure": ["no floor pinned: run with --update"], "old figure": ["not measured"]}


def test_the_margin_is_twice_the_bootstrap_deviation_and_zero_when_every_page_agrees():
    same = Figure(np.array([[3.0, 4.0]] * 10), gate.share)
    assert (same.value, same.margin()) == (0.75, 0.0)
    varied = Figure(np.array([[1.0, 1.0], [0.0, 1.0]] * 10), gate.share)
    assert varied.margin() == varied.margin() == pytest.approx(2 * np.sqrt(0.25 / 20), rel=0.25)


def test_a_gain_is_resampled_page_by_page_so_equal_outputs_have_no_noise():
    counts = np.array([[3, 1, 0, 2], [1, 0, 2, 3], [2, 2, 1, 1]], dtype=float)
    gain = gate.gain_figure(counts, counts, "unfiltered")
    assert (gain.value, gain.margin()) == (0.0, 0.0)
    better = counts + np.array([1, -1, -1, 1]) * (counts[:, 1:2] > 0)
    assert gate.gain_figure(better, counts, "unfiltered").value == \
        pytest.approx(snippet_f1(*better.sum(axis=0)) - snippet_f1(*counts.sum(axis=0)))


# --- the data digest -------------------------------------------------------------------------


def fake_shared(root):
    source = root / "data" / "trafilatura-eval-dev"
    (source / "html").mkdir(parents=True)
    (source / "html" / "a.html.gz").write_bytes(gzip.compress(b"<html><body><p>Body</p></body></html>"))
    record = {"file": "html/a.html.gz", "with": ["Body"], "without": ["Menu"]}
    (source / "evaldata.json").write_text(json.dumps({"https://a.example/": record}), encoding="utf-8")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_text("A body line\nMenu\n", encoding="utf-8")
    labels = {"file": "000.txt", "paragraphs": [{"text": "A body line", "label": "content"},
                                                 {"text": "Menu", "label": "chrome"}]}
    (seeds / "labels.jsonl").write_text(json.dumps(labels) + "\n", encoding="utf-8")
    return root


def digest_of(shared):
    source = shared / "data" / "trafilatura-eval-dev"
    return data_digest(source, read_evaldata(source), shared / "seeds")


def test_the_digest_covers_the_pages_and_the_seeds(tmp_path):
    shared = fake_shared(tmp_path)
    before = digest_of(shared)
    (shared / "seeds" / "000.txt").write_text("A body line\nMenu!\n", encoding="utf-8")
    after_seed = digest_of(shared)
    (shared / "data" / "trafilatura-eval-dev" / "html" / "a.html.gz").write_bytes(gzip.compress(b"<p>Other</p>"))
    assert len({before, after_seed, digest_of(shared)}) == 3


def test_the_gate_fails_on_other_data_before_measuring(tmp_path, monkeypatch, capsys):
    shared = fake_shared(tmp_path)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(pinned(html_F1=(0.9, 0.01))), encoding="utf-8")
    monkeypatch.setattr(gate, "measure", lambda *args: pytest.fail("measured on other data"))
    assert gate.main(["--shared", str(shared), "--baseline", str(baseline)]) == 1
    assert "floors were measured on other data" in capsys.readouterr().out


# --- pinning floors --------------------------------------------------------------------------


ABOUT = {"data": {"digest": "e" * 64}}


def test_update_refuses_to_lower_a_floor_without_the_flag(tmp_path):
    path = tmp_path / "baseline.json"
    baseline = pinned(html_F1=(0.92, 0.01))
    path.write_text(json.dumps(baseline), encoding="utf-8")
    lines = []
    assert update({"html F1": Measured(0.9199, 0.01)}, baseline, ABOUT, path, False, lines.append) == 1
    assert json.loads(path.read_text(encoding="utf-8")) == baseline
    said = "\n".join(lines)
    assert "REFUSED" in said and "html F1: 0.9199 < floor 0.9200" in said
    assert "--allow-lower" in said and "commit message" in said


def test_update_lowers_a_floor_with_the_flag_and_asks_for_a_line_in_the_commit_message(tmp_path):
    path = tmp_path / "baseline.json"
    lines = []
    assert update({"html F1": Measured(0.90, 0.02, ("trafilatura", 0.93))}, pinned(html_F1=(0.92, 0.01)),
                  ABOUT, path, True, lines.append) == 0
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["figures"] == {"html F1": {"floor": 0.90, "margin": 0.02,
                                              "beside": {"name": "trafilatura", "value": 0.93}}}
    assert written["data"] == ABOUT["data"]
    assert any("commit message" in line for line in lines)


def test_update_raises_floors_without_a_flag(tmp_path):
    path = tmp_path / "baseline.json"
    assert update({"html F1": Measured(0.95, 0.01)}, pinned(html_F1=(0.92, 0.01)), ABOUT, path, False,
                  lambda line: None) == 0
    assert json.loads(path.read_text(encoding="utf-8"))["figures"]["html F1"]["floor"] == 0.95


def test_dropping_a_figure_counts_as_lowering_its_floor(tmp_path):
    assert update({}, pinned(html_F1=(0.92, 0.01)), ABOUT, tmp_path / "b.json", False, lambda line: None) == 1


def test_the_command_pins_only_with_allow_lower_what_would_lower_a_floor(tmp_path, monkeypatch, capsys):
    shared = fake_shared(tmp_path)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(pinned(digest_of(shared), html_F1=(0.92, 0.01))), encoding="utf-8")
    monkeypatch.setattr(gate, "measure", lambda shared, cleaner: (
        {"html F1": Measured(0.80, 0.01)}, {"data": {"digest": "new"}, "margin": "2 sd", "measured": {}}))
    argv = ["--shared", str(shared), "--baseline", str(baseline), "--update"]
    assert gate.main(argv) == 1
    assert json.loads(baseline.read_text(encoding="utf-8"))["figures"]["html F1"]["floor"] == 0.92
    assert gate.main([*argv, "--allow-lower"]) == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))["figures"]["html F1"]["floor"] == 0.80
    assert gate.main(["--shared", str(shared), "--baseline", str(baseline)]) == 1  # the digest is now "new"
    assert "REFUSED" in capsys.readouterr().out


def test_a_model_trained_on_the_gates_source_is_refused():
    wcxb = {"training_data": {"name": "WCXB: Web Content eXtraction Benchmark, development split",
                              "changes": "pages rendered to text (trafilatura favor_recall with comments)"}}
    both = {"training_data": [wcxb["training_data"],
                              {"name": "trafilatura evaluation pages (tests/evaldata.json), the development half"}]}
    assert not gate.trained_on_source(wcxb)
    assert gate.trained_on_source(both)


def test_the_shipped_models_were_not_trained_on_the_gates_source(shipped_model):
    shipped = filterkit.Filter()
    assert not gate.trained_on_source(shipped.model.card)
    assert not gate.trained_on_source(shipped.html_model.card)


def test_update_takes_no_threshold(tmp_path):
    with pytest.raises(SystemExit):
        gate.main(["--shared", str(fake_shared(tmp_path)), "--update", "--threshold", "0.05"])


# --- inline junk ------------------------------------------------------------------------------


def test_inline_documents_put_one_junk_line_of_each_family_between_two_body_lines():
    page = EvalPage("https://a.example/", None, ("first", "second", "third"), ("menu",))
    lines = ["Menu", "The first line.", "Share", "The second line.", "The third line.", "Footer"]
    documents = inline_documents(page, lines)
    assert len(documents) == len(JUNK_LINES)
    for family, (body, junk, text) in zip(JUNK_LINES, documents):
        assert body == ["The first line.", "The second line.", "The third line."]
        assert junk in JUNK_LINES[family]
        parts = text.split("\n")
        assert parts.index(junk) in (1, 2) and [p for p in parts if p != junk] == body
    assert inline_documents(page, lines) == documents
    assert inline_documents(page, lines, seed=7) != documents or len(JUNK_LINES) < 2


def test_a_body_of_fewer_than_three_lines_makes_no_inline_document():
    page = EvalPage("https://a.example/", None, ("first", "second", "third"), ())
    assert inline_documents(page, ["The first and second line.", "The third line."]) == []


class _DropsShortLines:
    """A cleaner that keeps the input lines of 60 characters or more, as they came."""

    def clean(self, text):
        return "\n".join(line for line in text.split("\n") if len(line) >= 60)


def test_wrapped_inline_documents_count_a_line_kept_only_when_all_its_wrapped_lines_are():
    body = ["The council approved the new tram line on Tuesday after a long debate that "
            "went on for more than two years, with many objections from residents.",
            "Construction starts in spring and is expected to take three years, the city said "
            "in a statement on its website.",
            "Opponents had argued that the money would be better spent on buses in the suburbs."]
    page = EvalPage("https://a.example/", None, tuple(b[:30] for b in body), ())
    failures = []
    plain_junk, plain_body = gate.inline_figures([page], [body], _DropsShortLines(), failures)
    junk, kept = gate.inline_figures([page], [body], _DropsShortLines(), failures, width=40)
    assert failures == []
    # unwrapped, every body line is long and kept, and junk lines under 60 characters go
    assert plain_body.value == 1.0
    # wrapped at 40 columns every line is short: nothing is kept, every junk line is removed
    assert kept.value == 0.0 and junk.value == 1.0
    assert gate.wrapped(body[0], 40) == [
        "The council approved the new tram line", "on Tuesday after a long debate that went",
        "on for more than two years, with many", "objections from residents."]


# --- end to end -----------------------------------------------------------------------------------


@pytest.mark.requires_shared
def test_the_figures_on_a_few_pages_of_trafilaturas_evaluation(shared_dir, seeds_dir, shipped_model):
    pages = read_evaldata(shared_dir / gate.SOURCE)[:4]
    logged = []
    figures = gate.figures(pages, seeds_dir, filterkit.Filter(), logged.append)
    assert list(figures) == ["html F1", "text F1", "text F1 gain", "seeds content kept", "seeds junk removed",
                             "inline junk removed", "inline body kept",
                             "wrapped inline junk removed", "wrapped inline body kept"]
    measured = {name: figure.measured() for name, figure in figures.items()}
    assert all(0.0 <= m.value <= 1.0 for name, m in measured.items() if name != "text F1 gain")
    assert measured["html F1"].beside[0] == "trafilatura" and measured["text F1"].beside[0] == "unfiltered"
    assert measured["text F1 gain"].value == pytest.approx(
        measured["text F1"].value - measured["text F1"].beside[1], abs=2e-4)
    assert measured["seeds content kept"].detail == "61/61 lines"
    assert logged == []
    report = gate.report(verdicts(measured, gate.new_baseline(measured, {})))
    assert report.count("PASS") == len(measured)
