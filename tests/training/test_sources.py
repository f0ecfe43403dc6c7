"""A second source annotated with snippets: partial block labels, the snippet score of kept
blocks, and training that reads unlabelled blocks without learning them."""
import gzip
import json

import numpy as np
import pytest

from filterkit.training.corpus import CONTENT, JUNK, UNLABELLED, LabelledDocument
from filterkit.training.evaluate import document_weighted, fit
from filterkit.training.snippets import read_evaldata
from filterkit.training.sources import (
    SNIPPET_SOURCE,
    holding,
    label_snippet_page,
    pages_by_id,
    snippet_counts,
    snippet_counts_at,
    snippet_f1s,
    snippet_labels,
    source_of,
    weighted,
)

BODY = [
    "The library on Mill Street will close for six weeks from Monday while its heating is replaced.",
    "Books can be returned at the town hall, and the mobile library will stop outside the school on Thursdays.",
    "The council said the work had been planned for two years and would cut the building's energy use by half.",
]
PAGE = (
    "<html><head><title>Library closes for repairs</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/events'>Events</a></nav>"
    "<article><h1>Library closes for repairs</h1>" + "".join(f"<p>{p}</p>" for p in BODY) + "</article>"
    "<div class='comments'><p>Comments are moderated and may take a day to appear.</p>"
    "<p>Posted by Anna: about time, it was freezing in there last winter.</p></div>"
    "<footer><p>© 2025 Town Courier</p></footer></body></html>"
)


@pytest.fixture
def evaldir(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "1.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "evaldata.json").write_text(json.dumps({"https://www.towncourier.example/library": {
        "file": "html/1.html.gz",
        "with": ["heating is replaced", "mobile library will stop"],
        "without": ["Comments are moderated", "Town Courier"],
    }}))
    return tmp_path


def test_a_block_holding_a_with_snippet_is_body_a_without_one_junk_the_rest_unlabelled():
    texts = ["Home Events", BODY[0], BODY[1], "Comments are moderated.", "Say both: heating is replaced, Comments"]
    labels = snippet_labels(texts, ["heating is replaced", "mobile   library"], ["Comments"])
    assert labels == [UNLABELLED, CONTENT, CONTENT, JUNK, UNLABELLED]  # the last holds both


def test_a_snippet_no_block_holds_whole_marks_the_consecutive_blocks_that_do():
    blocks = ["Read the full", "story here today", "unrelated"]
    assert holding(blocks, "full story here") == [0, 1]
    assert holding(blocks, "not on the page") == []
    assert holding(blocks, "") == []


def test_an_evaluation_page_becomes_a_partly_labelled_html_document(evaldir):
    page = read_evaldata(evaldir)[0]
    document = label_snippet_page(page)
    assert source_of(document) == SNIPPET_SOURCE and document.domain == "towncourier.example"
    assert document.doms is not None and len(document.doms) == len(document.texts)
    labelled = dict(zip(document.texts, document.labels))
    assert labelled[BODY[0]] == labelled[BODY[1]] == CONTENT
    assert labelled[BODY[2]] == UNLABELLED
    assert labelled["Comments are moderated and may take a day to appear."] == JUNK
    # the record survives the labelled format
    again = LabelledDocument.from_json(json.loads(json.dumps(document.to_json())))
    assert again.labels == document.labels and source_of(again) == SNIPPET_SOURCE


def test_kept_blocks_are_scored_as_the_cleaned_page_is(evaldir):
    pages = read_evaldata(evaldir)
    document = label_snippet_page(pages[0])
    by_id = pages_by_id(pages)
    body_only = np.array([t in BODY for t in document.texts])
    everything = np.ones(len(document.texts), dtype=bool)
    assert snippet_counts([document], [body_only], by_id).as_tuple() == (2, 0, 0, 2)
    assert snippet_counts([document], [everything], by_id).as_tuple() == (2, 2, 0, 0)
    counts = snippet_counts_at([document], [np.array([body_only, everything])], by_id)
    assert counts.tolist() == [[2, 0, 0, 2], [2, 2, 0, 0]]
    assert snippet_f1s(counts).tolist() == [1.0, pytest.approx(2 / 3)]


def test_unlabelled_blocks_are_read_but_not_learned(evaldir, monkeypatch):
    document = label_snippet_page(read_evaldata(evaldir)[0])
    seen = {}

    class Spy:
        def fit(self, rows, labels, **params):
            seen.update(rows=rows, labels=list(labels), params=params)
            return self

    monkeypatch.setattr("filterkit.training.evaluate.make_pipeline", lambda *a, **k: Spy())
    fit(weighted([document], 3.0))
    labelled = [i for i, known in enumerate(document.is_labelled) if known]
    assert [i for _, i in seen["rows"]] == labelled and len(labelled) == 4
    assert seen["labels"] == [int(document.labels[i] == CONTENT) for i in labelled]
    assert seen["params"]["classifier__sample_weight"].tolist() == [3.0] * 4
    assert seen["rows"][0][0].paragraphs[0].text == document.texts[0]  # read with its whole page


def test_a_source_can_count_more_in_training():
    documents = [LabelledDocument(["a", "b"], [CONTENT, JUNK]), LabelledDocument(["c"], [CONTENT])]
    assert document_weighted(documents, None) is None
    heavier = weighted(documents[1:], 5.0)
    assert document_weighted([documents[0], *heavier], None).tolist() == [1.0, 1.0, 5.0]
    assert document_weighted([documents[0], *heavier], np.array([2.0, 2.0, 2.0])).tolist() == [2.0, 2.0, 10.0]


def test_a_card_trained_on_both_sources_credits_both():
    from filterkit.training.sources import TRAFILATURA_EVAL_CREDIT
    from filterkit.training.train import WCXB_CREDIT, card_markdown

    page = card_markdown({"training_data": {"sources": [WCXB_CREDIT, TRAFILATURA_EVAL_CREDIT]},
                          "metrics": {"sources": "| measured | source |"}})
    assert "Murrough Foley, 2026), licensed CC-BY-4.0" in page
    assert "Adrien Barbaresi and contributors; https://github.com/adbar/trafilatura), licensed Apache-2.0" in page
    assert "## Measured on each source" in page
    # a card of one source reads as before
    assert "Murrough Foley, 2026), licensed CC-BY-4.0" in card_markdown({"training_data": WCXB_CREDIT})


def test_the_operating_point_chosen_on_both_sources_serves_both(evaldir):
    from filterkit.training.sources import two_source_point

    pages = read_evaldata(evaldir)
    snippet = label_snippet_page(pages[0])
    # the snippet page's body scores 0.8, its moderation notice 0.6, the rest 0.1
    snippet_scores = np.array([0.8 if t in BODY else 0.6 if t.startswith("Comments are") else 0.1
                               for t in snippet.texts])
    wcxb = LabelledDocument([BODY[0], "Share this article"], [CONTENT, JUNK], reference=BODY[0],
                            page_type="article", rendering="html")
    point = two_source_point([wcxb], [np.array([0.9, 0.3])], [snippet], [snippet_scores], pages)
    assert 0.6 < point.threshold <= 0.8
    kept = point.read(snippet.document(), snippet_scores).kept
    assert snippet_counts([snippet], [kept], pages_by_id(pages)).as_tuple() == (2, 0, 0, 2)
