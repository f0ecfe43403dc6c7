"""The library calls users rely on: clean, classify, Filter, on realistic articles."""
import json
from pathlib import Path

import pytest

import filterkit
from filterkit import Document, Filter, InputError, UntrustedModelError
from filterkit.document import LABELS

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "scraped-article.txt").read_text(encoding="utf-8")
EXAMPLE_LINES = [line for line in EXAMPLE.splitlines() if line.strip()]


def test_clean_returns_input_paragraphs_unchanged_and_in_order():
    body = filterkit.clean(EXAMPLE).split("\n\n")
    assert body, "the example article has a body"
    positions = [EXAMPLE_LINES.index(p) for p in body]
    assert positions == sorted(positions)


def test_the_example_articles_body_is_kept_and_its_chrome_dropped():
    kept = set(filterkit.clean(EXAMPLE).split("\n\n"))
    for line in EXAMPLE_LINES:
        if line.startswith(("The city council on Tuesday", "The plan, which passed", "Opponents had argued",
                            "The project is expected to cost")):
            assert line in kept, line
    for junk in ("Leave a Reply", "Scroll to Top", "Skip to content",
                 "Your email address will not be published. Required fields are marked *"):
        assert junk not in kept


def test_classify_labels_every_paragraph_with_a_score_and_a_reason():
    doc = filterkit.classify(EXAMPLE)
    assert isinstance(doc, Document) and len(doc.decisions) == len(EXAMPLE_LINES)
    assert [p.text for p in doc.paragraphs] == EXAMPLE_LINES
    for decision in doc.decisions:
        assert decision.label in LABELS and 0.0 <= decision.score <= 1.0 and decision.reason
    labels = dict((p.text, d.label) for p, d in doc.labelled())
    assert labels["Leave a Reply"] == "comment"
    assert labels["Scroll to Top"] == "chrome"
    assert doc.title == EXAMPLE_LINES[0]
    assert 0.0 < doc.junk_ratio < 0.5


def test_the_threshold_trades_junk_for_body():
    everything = filterkit.clean(EXAMPLE, threshold=0.0).split("\n\n")
    strict = filterkit.clean(EXAMPLE, threshold=0.99).split("\n\n")
    assert everything == EXAMPLE_LINES
    assert len(strict) < len(filterkit.clean(EXAMPLE).split("\n\n")) <= len(everything)
    with pytest.raises(ValueError):
        Filter(threshold=1.5)


def test_batches_give_the_same_decisions_as_one_document_at_a_time():
    texts = [EXAMPLE, "\n".join(EXAMPLE_LINES[:8]), EXAMPLE.replace("\n\n", "\n")]
    f = Filter()
    one_by_one = [f.classify(t).decisions for t in texts]
    batched = [d.decisions for d in f.classify_many(texts, batch_size=2)]
    assert batched == one_by_one
    assert list(f.clean_many(texts)) == [f.clean(t) for t in texts]


def test_clean_gives_exactly_the_body_classify_keeps():
    body = "".join(f"<p>{line}</p>" for line in EXAMPLE_LINES[3:12])
    page = (f"<html><head><title>{EXAMPLE_LINES[0]}</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
            f"<li><a href='/news'>News</a></li></ul></nav><article><h1>{EXAMPLE_LINES[0]}</h1>{body}</article>"
            "<footer><p>Copyright 2025. All rights reserved.</p></footer></body></html>")
    sources = [EXAMPLE, "\n".join(EXAMPLE_LINES[3:]), "", page, page.encode()]
    f = Filter()
    bodies = list(f.clean_many(sources, batch_size=2))
    assert bodies == [f.classify(source).body for source in sources]
    assert all(bodies[i] for i in (0, 1, 3, 4)) and bodies[2] == ""


def test_empty_input_is_an_empty_document_not_an_error():
    doc = filterkit.classify("  \n\n \n")
    assert doc.paragraphs == () and doc.body == "" and doc.junk_ratio == 0.0
    assert filterkit.clean("") == ""


def test_bytes_are_decoded_and_bytes_that_are_not_utf8_refused_when_strict():
    assert filterkit.clean(EXAMPLE.encode("utf-8")) == filterkit.clean(EXAMPLE)
    assert filterkit.clean(EXAMPLE.encode("utf-16")) == filterkit.clean(EXAMPLE)
    with pytest.raises(InputError, match="UTF-8"):
        Filter(strict_encoding=True).clean(b"caf\xe9 au lait\n\xff\xfe\xfa")
    with pytest.raises(InputError, match="binary"):
        filterkit.clean(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xd8" * 20)


def test_html_input_gives_the_article_and_its_title():
    paragraphs = "".join(f"<p>{line}</p>" for line in EXAMPLE_LINES[3:10])
    page = (f"<html><head><title>Cycle network approved</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{EXAMPLE_LINES[0]}</h1>"
            f"{paragraphs}</article><footer>© 2025 The City Courier</footer></body></html>")
    doc = filterkit.classify(page)
    assert doc.source_format == "html" and doc.title
    assert EXAMPLE_LINES[3] in doc.body and "© 2025" not in doc.body


def test_a_model_file_from_elsewhere_needs_trust(tmp_path):
    foreign = tmp_path / "model.joblib"
    foreign.write_bytes(b"not even a pickle")
    card = {"format_version": 1, "feature_version": 1, "sha256": "0" * 64,
            "versions": {"scikit-learn": "1.9.1", "numpy": "2.4.6"}}
    (tmp_path / "model.json").write_text(json.dumps(card))
    with pytest.raises(UntrustedModelError, match="trust"):
        Filter(model=foreign).clean(EXAMPLE)


def test_a_line_repeating_the_known_title_goes_to_the_title_not_the_body():
    doc = Document.from_texts(EXAMPLE_LINES, title=EXAMPLE_LINES[0])
    classified = filterkit.classify(doc)
    assert classified.decisions[0].label == "title"
    assert EXAMPLE_LINES[0] not in classified.body.split("\n\n")
    assert classified.title == EXAMPLE_LINES[0]
