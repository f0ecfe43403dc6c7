"""The labelled JSONL format, and labelling real WCXB pages."""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest

from filterkit.errors import InputError
from filterkit.training.corpus import (
    HTML_RENDERING,
    RECORD_LABELS,
    RENDERINGS,
    LabelledDocument,
    label_page,
    read_labelled,
    teaser_labels,
    wcxb_pages,
    write_labelled,
)

RECORD = {
    "id": "0042",
    "domain": "riverside-gazette.example",
    "page_type": "article",
    "rendering": "trafilatura-recall",
    "title": "Tram line to reach new hospital by 2027",
    "reference": "The city council voted on Tuesday to extend the tram line.\nWork will start in the spring.",
    "paragraphs": [
        {"text": "Tram line to reach new hospital by 2027", "label": "title"},
        {"text": "The city council voted on Tuesday to extend the tram line.", "label": "content"},
        {"text": "Share on Facebook", "label": "junk"},
        {"text": "Work will start in the spring.", "label": "content"},
        {"text": "Related: Hospital car park fees to rise", "label": "related"},
    ],
    "split": "dev",
    "annotator": {"name": "auto", "version": 2},
}


def test_json_round_trip_keeps_every_field_including_extra_ones():
    doc = LabelledDocument.from_json(RECORD)
    assert doc.extra == {"split": "dev", "annotator": {"name": "auto", "version": 2}}
    assert doc.labels == ["title", "content", "junk", "content", "related"]
    assert doc.is_body == [False, True, False, True, False]
    assert doc.to_json() == RECORD
    assert LabelledDocument.from_json(json.loads(json.dumps(doc.to_json()))) == doc


def test_only_paragraphs_are_required():
    doc = LabelledDocument.from_json({"paragraphs": [{"text": "x", "label": "content"}]})
    assert (doc.id, doc.domain, doc.title, doc.reference) == ("", "", None, None)
    assert doc.document().texts == ["x"]


def test_unknown_label_and_length_mismatch_are_rejected():
    with pytest.raises(ValueError, match="unknown labels"):
        LabelledDocument(["a"], ["body"])
    with pytest.raises(ValueError, match="labels"):
        LabelledDocument(["a", "b"], ["content"])


def test_write_then_read_labelled_file(tmp_path):
    docs = [LabelledDocument.from_json(RECORD),
            LabelledDocument(["Caf\u00e9 \u201cquoted\u201d"], ["content"], id="2")]
    path = tmp_path / "corpus.jsonl"
    assert write_labelled(docs, path) == 2
    assert list(read_labelled(path)) == docs
    assert "Caf\u00e9" in path.read_text(encoding="utf-8")  # not \\u-escaped
    assert not (tmp_path / "corpus.jsonl.tmp").exists()


def test_read_labelled_gzip_and_blank_lines(tmp_path):
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps(RECORD) + "\n\n" + json.dumps(RECORD) + "\n")
    assert len(list(read_labelled(path))) == 2


@pytest.mark.parametrize("bad_line", [
    '{"id": "x", "paragraphs": [{"text": "a", "label": "content"}',      # truncated JSON
    '{"id": "x", "paragraphs": [{"text": "a"}]}',                         # no label
    '{"id": "x", "paragraphs": "not a list"}',                            # wrong type
    '{"id": "x", "paragraphs": [{"text": "a", "label": "body"}]}',        # unknown label
    '["a", "list"]',                                                      # not an object
])
def test_read_labelled_reports_the_line_number_of_a_malformed_line(tmp_path, bad_line):
    path = tmp_path / "corpus.jsonl"
    good = json.dumps(RECORD)
    path.write_text(f"{good}\n\n{good}\n{bad_line}\n{good}\n", encoding="utf-8")
    docs = read_labelled(path)
    assert next(docs).id == "0042" and next(docs).id == "0042"
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:4: not a labelled record"):
        next(docs)


# --- real WCXB pages -------------------------------------------------------------------

WORD = re.compile(r"\w+")


def word_recall(texts, reference: str) -> float:
    reference_words = Counter(WORD.findall(reference.lower()))
    got = Counter(w for t in texts for w in WORD.findall(t.lower()))
    return sum((reference_words & got).values()) / max(1, sum(reference_words.values()))


@pytest.mark.slow
@pytest.mark.requires_shared
def test_label_page_on_real_wcxb_articles(wcxb_dir):
    pages = wcxb_pages(wcxb_dir)
    assert len(pages) > 1000
    articles = [p for p in pages if p.page_type == "article" and p.main_content][:8]
    recalls = []
    for page in articles:
        documents = label_page(page)
        assert [d.rendering for d in documents] == list(RENDERINGS)
        for doc in documents:
            assert doc.id == page.id and doc.domain == page.domain
            assert doc.reference == page.main_content and doc.page_type == "article"
            assert set(doc.labels) <= {"content", "junk", "title", "related"} <= set(RECORD_LABELS)
            assert len(doc.texts) == len(doc.labels) and "content" in doc.labels
            # What the corpus writes, it can read back.
            assert LabelledDocument.from_json(json.loads(json.dumps(doc.to_json()))) == doc
        by_rendering = {d.rendering: d for d in documents}
        recall_doc = by_rendering["trafilatura-recall"]
        content = [t for t, label in zip(recall_doc.texts, recall_doc.labels) if label == "content"]
        recalls.append(word_recall(content, page.main_content))
        # The naive whole-page rendering holds at least as much navigation as the extractors'.
        assert len(by_rendering["page"].texts) >= len(recall_doc.texts) - 1
    assert sum(recalls) / len(recalls) > 0.8, recalls


def test_a_teaser_line_is_related_junk_even_where_the_alignment_found_it_in_the_body():
    texts = [
        "Also Read",
        "ALSO READ | Troops to stay in Gaza indefinitely, says minister",
        "Read more: 2025 tax brackets and federal income tax rates",
        "- See also: A Brief History of Photography",
        "Up Next",
        "Recommended Books for Managers",  # a subheading that opens with a cue word
        "Read more about how many calories you should eat a day.",
        "Related to the council's plan, the mayor said the budget would be published in June.",
        "Also Read: a line the alignment already called junk",
    ]
    labels = ["content"] * 8 + ["junk"]
    assert teaser_labels(texts, labels) == ["related"] * 5 + ["content"] * 3 + ["junk"]


@pytest.mark.requires_shared
def test_html_rendering_labels_the_pages_own_blocks_with_their_dom_facts(wcxb_dir):
    page = next(p for p in wcxb_pages(wcxb_dir) if p.page_type == "article")
    (document,) = label_page(page, (HTML_RENDERING,))
    assert document.rendering == HTML_RENDERING and len(document.doms) == len(document.texts)
    body = [t for t, label in zip(document.texts, document.labels) if label == "content"]
    assert word_recall(body, page.main_content) > 0.8
    # Body blocks sit in containers with little link text; most junk blocks do not.
    def link_density(dom):
        return dom.subtrees[1][2] / max(dom.subtrees[1][1], 1) if len(dom.subtrees) > 1 else 1.0
    body_density = [link_density(d) for d, label in zip(document.doms, document.labels) if label == "content"]
    assert sum(density < 0.2 for density in body_density) > len(body_density) / 2
    # DOM facts survive the labelled format, and the Document the model reads carries them.
    again = LabelledDocument.from_json(json.loads(json.dumps(document.to_json())))
    assert again == document
    assert [p.dom for p in again.document().paragraphs] == document.doms


@pytest.mark.requires_shared
def test_wcxb_pages_reads_ids_domains_and_types(wcxb_dir):
    pages = wcxb_pages(wcxb_dir)
    assert [p.id for p in pages] == sorted(p.id for p in pages)
    assert all(p.html_path.exists() and p.domain for p in pages[:50])
    assert {p.page_type for p in pages} >= {"article", "forum", "product"}


def test_wcxb_pages_rejects_a_directory_without_ground_truth(tmp_path):
    with pytest.raises(InputError, match="ground-truth"):
        wcxb_pages(tmp_path)
