"""Paragraph, Decision, Document: what was read kept apart from what was decided."""
from __future__ import annotations

import dataclasses

import pytest

from filterkit.document import (
    CONTENT,
    JUNK_TYPES,
    LABELS,
    Decision,
    Document,
    Paragraph,
)

TEXTS = [
    "Hamas says 'no point' to truce talks as Israel plans to capture all of Gaza",
    "A senior Hamas official has declared an end to negotiations over a Gaza ceasefire.",
    "Also Read",
    "Bassem Naim, speaking to the BBC, said there was no point in engaging with new proposals.",
    "Share on Facebook Share on X",
]
LABELS_OF_TEXTS = ["title", CONTENT, "related", CONTENT, "chrome"]


def classified() -> Document:
    decisions = [Decision(label, 0.9 if label == CONTENT else 0.1) for label in LABELS_OF_TEXTS]
    return Document.from_texts(TEXTS).with_decisions(decisions)


@pytest.mark.parametrize("label", ["body", "junk", "Content", "", "nav"])
def test_decision_rejects_unknown_labels(label):
    with pytest.raises(ValueError, match="unknown label"):
        Decision(label, 0.5)


@pytest.mark.parametrize("label", LABELS)
def test_decision_accepts_every_known_label(label):
    decision = Decision(label, 0.5, reason="test")
    assert decision.is_content == (label == CONTENT)


def test_labels_are_content_and_the_junk_types():
    assert LABELS == (CONTENT, *JUNK_TYPES)
    assert CONTENT not in JUNK_TYPES


def test_body_joins_content_paragraphs_in_order_by_a_blank_line():
    assert classified().body == f"{TEXTS[1]}\n\n{TEXTS[3]}"
    assert [p.index for p in classified().body_paragraphs()] == [1, 3]


def test_body_of_a_document_without_content_is_empty():
    doc = Document.from_texts(TEXTS[:1]).with_decisions([Decision("title", 0.0)])
    assert doc.body == ""
    assert doc.junk_ratio == 1.0


def test_junk_ratio_is_the_share_of_junk_characters():
    junk = sum(len(t) for t, label in zip(TEXTS, LABELS_OF_TEXTS) if label != CONTENT)
    assert classified().junk_ratio == pytest.approx(junk / sum(map(len, TEXTS)))
    all_content = Document.from_texts(TEXTS).with_decisions([Decision(CONTENT, 1.0)] * len(TEXTS))
    assert all_content.junk_ratio == 0.0


def test_unclassified_document_refuses_body_and_junk_ratio():
    doc = Document.from_texts(TEXTS)
    assert not doc.is_classified
    with pytest.raises(ValueError, match="not been classified"):
        doc.body
    with pytest.raises(ValueError, match="not been classified"):
        doc.junk_ratio
    with pytest.raises(ValueError):
        list(doc.labelled())


@pytest.mark.parametrize("count", [1, len(TEXTS) - 1, len(TEXTS) + 1])
def test_decision_count_must_match_paragraphs(count):
    doc = Document.from_texts(TEXTS)
    with pytest.raises(ValueError, match="decisions for"):
        doc.with_decisions([Decision(CONTENT, 1.0)] * count)
    with pytest.raises(ValueError, match="decisions for"):
        Document(doc.paragraphs, decisions=(Decision(CONTENT, 1.0),) * count)


def test_classifying_never_edits_the_paragraphs():
    doc = Document.from_texts(TEXTS, title="Hamas says no point")
    done = doc.with_decisions([Decision(CONTENT, 1.0)] * len(TEXTS))
    assert done.paragraphs == doc.paragraphs
    assert doc.decisions == () and not doc.is_classified
    assert done.is_classified and done.title == "Hamas says no point"
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.paragraphs[0].text = "edited"  # type: ignore[misc]


def test_from_texts_numbers_paragraphs_and_keeps_text_exactly():
    texts = ["  leading spaces", "line\nbreak", "tab\tinside "]
    doc = Document.from_texts(texts)
    assert doc.paragraphs == tuple(Paragraph(t, i) for i, t in enumerate(texts))
    assert doc.texts == texts


def test_empty_document_is_not_classified():
    doc = Document.from_texts([])
    assert not doc.is_classified
    assert doc.with_decisions([]).body == ""
