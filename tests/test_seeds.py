"""The seed articles: scraped text exactly as the people filterkit is built for receive it."""
import json

import pytest

import filterkit

pytestmark = pytest.mark.requires_shared


@pytest.fixture(scope="module")
def seed_results(seeds_dir):
    results = []
    for line in (seeds_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = filterkit.classify((seeds_dir / record["file"]).read_text(encoding="utf-8"))
        emitted = {l.strip() for l in doc.body.splitlines() if l.strip()}
        labels = {p.text.strip(): d.label for p, d in doc.labelled()}
        results += [(p["text"], p["label"], p["text"] in emitted, labels.get(p["text"])) for p in record["paragraphs"]]
    return results


def test_every_content_line_of_the_seeds_survives_cleaning(seed_results):
    lost = [text for text, label, kept, _ in seed_results if label == "content" and not kept]
    assert lost == []
    assert sum(label == "content" for _, label, _, _ in seed_results) == 61


def test_seed_junk_is_removed(seed_results):
    junk = [(text, kept) for text, label, kept, _ in seed_results if label != "content"]
    assert len(junk) == 24
    assert [text for text, kept in junk if kept] == []


def test_removed_seed_junk_gets_its_hand_labelled_type(seed_results):
    typed = sum(label == got for _, label, kept, got in seed_results if label != "content")
    assert typed >= MIN_JUNK_TYPED


MIN_JUNK_TYPED = 20
