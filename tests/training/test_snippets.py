"""The snippet metric of trafilatura's evaluation, on hand-made pages."""
import gzip
import json
from pathlib import Path

import pytest

from filterkit.training.snippets import EvalPage, SnippetCounts, normalise, page_counts, read_evaldata, \
    snippet_scores


def page(with_=(), without=()):
    return EvalPage("https://example.org/a", Path("html/a.html.gz"), tuple(with_), tuple(without))


def test_normalise_makes_every_run_of_white_space_one_space_and_strips_the_ends():
    assert normalise("  one\n\ttwo \u00a0 three\r\n") == "one two three"


def test_with_snippets_found_are_true_positives_and_missing_ones_false_negatives():
    counts = page_counts(page(with_=["the council voted", "cycle lanes"]), "The plan: the council voted on Tuesday.")
    assert counts == SnippetCounts(tp=1, fp=0, fn=1, tn=0)


def test_without_snippets_found_are_false_positives_and_absent_ones_true_negatives():
    counts = page_counts(page(without=["Leave a Reply", "Share this"]), "Body text.\nLeave a Reply")
    assert counts == SnippetCounts(tp=0, fp=1, fn=0, tn=1)


def test_snippets_match_across_line_breaks_and_spacing_but_not_case():
    p = page(with_=["ends here. The next  paragraph", "Upper Case"])
    counts = page_counts(p, "It ends here.\n\nThe next paragraph begins.\nupper case")
    assert (counts.tp, counts.fn) == (1, 1)


def test_no_output_finds_no_snippet():
    p = page(with_=["a body line"], without=["a junk line"])
    assert page_counts(p, None) == page_counts(p, "") == SnippetCounts(tp=0, fp=0, fn=1, tn=1)


def test_counts_are_summed_over_pages_before_the_scores_are_taken():
    pages = [page(with_=["alpha", "beta"], without=["junk"]), page(with_=["gamma"], without=["menu", "footer"])]
    total = snippet_scores(pages, ["alpha beta junk", "menu"])
    assert total == SnippetCounts(tp=2, fp=2, fn=1, tn=1)
    assert total.precision == 2 / 4
    assert total.recall == 2 / 3
    assert total.accuracy == 3 / 6
    assert total.f1 == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))


def test_scores_of_empty_counts_are_zero():
    empty = SnippetCounts()
    assert (empty.precision, empty.recall, empty.accuracy, empty.f1) == (0.0, 0.0, 0.0, 0.0)


def test_a_missing_output_is_an_error_not_a_shorter_sum():
    with pytest.raises(ValueError):
        snippet_scores([page(with_=["a"]), page(with_=["b"])], ["a"])


def test_read_evaldata_gives_the_pages_in_the_file_order(tmp_path):
    (tmp_path / "html").mkdir()
    records = {
        "https://b.example/x": {"file": "html/b.html.gz", "with": ["body b"], "without": ["menu b"]},
        "https://a.example/y": {"file": "html/a.html.gz", "with": ["body a", "more a"], "without": []},
    }
    for record in records.values():
        (tmp_path / record["file"]).write_bytes(gzip.compress(b"<html></html>"))
    (tmp_path / "evaldata.json").write_text(json.dumps(records), encoding="utf-8")
    pages = read_evaldata(tmp_path)
    assert [p.url for p in pages] == list(records)
    assert pages[1] == EvalPage("https://a.example/y", tmp_path / "html/a.html.gz", ("body a", "more a"), ())


def test_read_evaldata_refuses_a_page_whose_file_is_missing(tmp_path):
    records = {"https://a.example/": {"file": "html/gone.html.gz", "with": ["x"], "without": ["y"]}}
    (tmp_path / "evaldata.json").write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="gone.html.gz"):
        read_evaldata(tmp_path)


def test_a_word_with_a_soft_hyphen_is_the_word_a_reader_sees_on_either_side():
    counts = page_counts(page(with_=["plan was approved"], without=["illus\u00adtrative"]),
                         "The plan was ap\u00adproved on Tuesday.")
    assert counts == SnippetCounts(tp=1, fp=0, fn=0, tn=1)
    assert page_counts(page(without=["illus\u00adtrative"]), "Image illustrative").fp == 1
