"""Explanations: the feature groups that moved a paragraph's body score, measured on the
shipped model (Shapley values of feature groups against the paragraph's own document),
and the `classify --explain` / `--labelled` options of the command line."""
from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline

import filterkit
from filterkit.cli import main
from filterkit.explain import (
    FEATURE_GROUPS,
    OTHER,
    explain_document,
    explanations,
    group_columns,
    group_effects,
)
from filterkit.features.dom import BlockFeatures
from filterkit.features.text import ParagraphFeatures, paragraph_rows
from filterkit.filter import default_filter
from filterkit.read import to_document
from filterkit.training.corpus import read_labelled

pytestmark = pytest.mark.usefixtures("shipped_model")

NAV_LINE = "Home | News | Sport | Weather | Contact"


@pytest.fixture(scope="module")
def pipeline():
    return default_filter().model.pipeline


@pytest.fixture(scope="module")
def seed_text(seeds_dir):
    return lambda prefix: next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _reasons_of(pipeline, text: str, line: str):
    document = to_document(text, "text")
    index = document.texts.index(line)
    return explain_document(pipeline, document)[index].reasons


@pytest.mark.parametrize("features", [ParagraphFeatures(), BlockFeatures()], ids=["text", "html"])
def test_every_feature_belongs_to_exactly_one_named_group(features):
    names = list(features.get_feature_names_out())
    columns = group_columns(names)
    claimed = sorted(i for cols in columns.values() for i in cols)
    assert claimed == list(range(len(names)))  # each column once: no overlaps, none left out
    assert OTHER.key not in columns


def test_features_no_group_claims_are_explained_together():
    columns = group_columns(["log_words", "brand_new_feature", "another_one"])
    assert {k: list(v) for k, v in columns.items()} == {"length": [0], OTHER.key: [1, 2]}


def test_group_effects_add_up_to_the_score_minus_the_background_mean(pipeline, articles):
    document = to_document(articles(1, seed=3)[0], "text")
    matrix = pipeline[0].transform(paragraph_rows([document]))
    model = pipeline[1:]
    scores = model.predict_proba(matrix)[:, 1]
    effects = group_effects(model, matrix, group_columns(pipeline[0].get_feature_names_out()))
    total = np.sum(list(effects.values()), axis=0)
    # every background row is a paragraph of this short document
    assert len(document.paragraphs) <= 8
    np.testing.assert_allclose(total, scores - scores.mean(), atol=1e-6)


@pytest.mark.requires_shared
def test_a_comment_prompt_is_dropped_for_its_words(pipeline, seed_text):
    reasons = _reasons_of(pipeline, seed_text("004"), "Leave a Reply")
    assert all(r.direction == "junk" for r in reasons)
    [words] = [r for r in reasons if r.group == "lexical"]
    assert "junk-like to the word model" in words.words


@pytest.mark.requires_shared
def test_a_navigation_line_at_the_top_is_dropped_for_what_it_is_and_where(pipeline, seed_text):
    reasons = _reasons_of(pipeline, f"{NAV_LINE}\n{seed_text('000')}", NAV_LINE)
    assert reasons and all(r.direction == "junk" for r in reasons)
    # its menu words, its separators or its place before the article
    assert reasons[0].group in {"lexical", "cues", "position", "punctuation", "capitals"}


@pytest.mark.requires_shared
def test_body_paragraphs_are_kept_for_reasons_that_push_towards_body(pipeline, seed_text):
    document = to_document(seed_text("004"), "text")
    explained = explain_document(pipeline, document)
    body = [e for e in explained if e.score > 0.9]
    assert len(body) >= 10
    assert all(e.reasons[0].direction == "body" for e in body)


def test_the_words_quote_the_paragraphs_own_feature_values(pipeline, articles):
    text = articles(1, seed=5)[0]
    document = to_document(text, "text")
    checked = 0
    for paragraph, explanation in zip(document.paragraphs, explain_document(pipeline, document)):
        for reason in explanation.reasons:
            if reason.group == "length":
                assert f"({len(paragraph.text.split())} words)" in reason.words
            if reason.group == "position":
                assert f"(paragraph {paragraph.index + 1} of {len(document.paragraphs)})" in reason.words
            checked += reason.group in ("length", "position")
    assert checked >= 2


def test_only_groups_the_model_reads_are_named(articles):
    """A model without the lexical features is never explained by words it cannot see."""
    documents = [to_document(a, "text") for a in articles(30, seed=1)]
    rows = paragraph_rows(documents)
    labels = [int(len(d.paragraphs[i].text) > 120) for d, i in rows]
    model = Pipeline([("features", ParagraphFeatures(lexical=False)),
                      ("classifier", HistGradientBoostingClassifier(max_iter=20))]).fit(rows, labels)
    seen = {r.group for e in explain_document(model, documents[0], top=20) for r in e.reasons}
    assert "length" in seen
    assert not seen & {"lexical", "neighbour_words", "segment"}


def test_classify_with_explain_keeps_the_decisions_and_adds_the_reasons(articles):
    text = articles(1, seed=2)[0]
    plain = filterkit.classify(text)
    explained = filterkit.classify(text, explain=True)
    assert [(d.label, d.score) for d in explained.decisions] == [(d.label, d.score) for d in plain.decisions]
    whys = explanations(explained)
    assert len(whys) == len(plain.paragraphs)
    for before, after, why in zip(plain.decisions, explained.decisions, whys):
        assert after.reason == f"{before.reason}; why: {why}"
    with pytest.raises(ValueError, match="explain=True"):
        explanations(plain)


def test_an_empty_document_has_no_explanations():
    assert explanations(filterkit.classify("", explain=True)) == ()


def _filterkit(capsys, *args):
    """Run the command line in this process: (exit status, stdout, stderr)."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_classify_explain_adds_a_why_column_and_field(tmp_path, articles, capsys):
    article = tmp_path / "a.txt"
    article.write_text(articles(1, seed=4)[0], encoding="utf-8")
    status, out, err = _filterkit(capsys, "classify", "--explain", str(article))
    assert status == 0, err
    header, *rows = out.splitlines()
    assert header == "doc\tindex\tlabel\tscore\ttext\twhy"
    assert all(len(row.split("\t")) == 6 for row in rows)
    assert any("→ junk" in row.split("\t")[5] for row in rows)
    status, out, err = _filterkit(capsys, "classify", "--jsonl", "--explain", str(article))
    records = [json.loads(line) for line in out.splitlines()]
    groups = {g.key for g in FEATURE_GROUPS}
    assert all(r["why"] and {w["group"] for w in r["why"]} <= groups for r in records)
    assert all("; why: " in r["reason"] for r in records)


def test_cli_labelled_output_is_read_by_read_labelled_and_evaluate(tmp_path, articles, capsys):
    paths = []
    for i, text in enumerate(articles(3, seed=6)):
        paths.append(tmp_path / f"article-{i}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    labelled = tmp_path / "labelled.jsonl"
    status, _, err = _filterkit(capsys, "classify", "--labelled", "-o", str(labelled), *map(str, paths))
    assert status == 0, err
    documents = list(read_labelled(labelled))
    assert [d.id for d in documents] == list(map(str, paths))
    expected = filterkit.classify(paths[0].read_text(encoding="utf-8"))
    assert documents[0].labels == [d.label for d in expected.decisions]
    # a user corrects a label and evaluates the shipped model against the corrections
    records = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines()]
    records[0]["paragraphs"][0]["label"] = "content"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    status, out, err = _filterkit(capsys, "evaluate", "--shipped-model", "--json", "-", str(labelled))
    assert status == 0, err
    overall = next(r for r in json.loads(out)["rows"] if r["rendering"] == "all" and r["page_type"] == "all")
    assert overall["documents"] == 3
    assert overall["retention"] < 1.0  # the corrected paragraph is body the model dropped
