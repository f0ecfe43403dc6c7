"""Training through the CLI, as a user retrains: build a corpus from WCXB pages, train on it,
clean with the result; for the text model (renderings of scraped text, with and without
augmentation) and the HTML model (DOM blocks, compared with trafilatura on the same pages)."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import numpy as np
import pytest

from filterkit.training.augment import CLEANED_RENDERING, INTERLEAVED_RENDERING
from filterkit.training.corpus import RENDERINGS, read_labelled
from filterkit.training.operating_point import RELATIVE_THRESHOLDS


def filterkit(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "filterkit", *args], capture_output=True, text=True,
                          check=check)


@pytest.mark.slow
@pytest.mark.requires_shared
def test_build_train_clean_and_compare_an_html_model(tmp_path, wcxb_dir):
    corpus = tmp_path / "corpus-html.jsonl"
    filterkit("corpus", "build", str(wcxb_dir), "-o", str(corpus), "--renderings", "html", "--limit", "16")
    documents = list(read_labelled(corpus))
    assert len(documents) == 16 and all(d.rendering == "html" and d.doms for d in documents)

    model = tmp_path / "html-model.joblib"
    trained = filterkit("train", str(corpus), "-o", str(model), "--folds", "2", "--wcxb")
    card = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["input"] == "html" and "+dom" in str(card["feature_version"])
    assert "DOM text blocks" in card["training_data"]["changes"] and card["training_data"]["license"] == "CC-BY-4.0"
    assert "saved" in trained.stdout

    # The trained HTML model cleans a page; it is refused unless trusted, like any model file.
    page = tmp_path / "page.html"
    page.write_bytes(gzip.decompress((wcxb_dir / "html" / f"{documents[0].id}.html.gz").read_bytes()))
    refused = filterkit("clean", "--html-model", str(model), str(page), check=False)
    assert refused.returncode != 0 and "trust" in refused.stderr.lower()
    cleaned = filterkit("clean", "--html-model", str(model), "--trust-model", str(page))
    assert cleaned.stdout.strip()
    # Training chose the presets too, with their cross-validated figures.
    assert set(card["presets"]) == {"precision", "recall"}
    assert card["presets"]["recall"]["cross_validated"]["all"]["documents"] == 16

    compared = filterkit("evaluate", str(corpus), "--folds", "2", "--compare-trafilatura", str(wcxb_dir),
                         "--json", "-")
    peers = json.loads(compared.stdout)["peers"]
    assert set(peers) == {"filterkit", "trafilatura", "trafilatura-precision", "trafilatura-recall"}
    for scores in peers.values():
        assert scores["all"]["pages"] == 16 and 0.0 <= scores["all"]["f1"] <= 1.0


@pytest.mark.slow
@pytest.mark.requires_shared
def test_build_train_and_clean_with_a_text_model(tmp_path, wcxb_dir):
    corpus = tmp_path / "corpus.jsonl"
    filterkit("corpus", "build", str(wcxb_dir), "-o", str(corpus), "--limit", "12")
    documents = list(read_labelled(corpus))
    assert sorted({d.rendering for d in documents}) == sorted(RENDERINGS) and len(documents) == 36

    cards = {}
    for name, options in (("augmented", ("--augment",)), ("plain", ())):
        model = tmp_path / f"{name}.joblib"
        filterkit("train", str(corpus), "-o", str(model), "--folds", "2", "--wcxb", "--save-scores",
                  str(tmp_path / f"{name}.npz"), *options)
        cards[name] = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    augmented, plain = cards["augmented"], cards["plain"]
    assert augmented["input"] == plain["input"] == "text"
    assert "moved between body paragraphs" in augmented["training_data"]["augmentation"]
    assert plain["training_data"]["augmentation"] == "none"
    # The card lists the corpus's renderings: augmented documents are training data only.
    assert augmented["training_data"]["renderings"] == sorted(RENDERINGS)
    assert not {CLEANED_RENDERING, INTERLEAVED_RENDERING} & {r["rendering"] for r in augmented["metrics"]["rows"]}
    assert augmented["relative_threshold"] in RELATIVE_THRESHOLDS
    assert augmented["sha256"] != plain["sha256"]
    # The out-of-fold scores behind the card's figures, one per paragraph of the corpus.
    saved = np.load(tmp_path / "augmented.npz")
    assert list(saved["id"]) == [d.id for d in documents] and list(saved["rendering"]) == [d.rendering for d in documents]
    assert saved["offsets"][-1] == len(saved["scores"]) == sum(len(d.texts) for d in documents)
    assert ((0 <= saved["scores"]) & (saved["scores"] <= 1)).all()

    article = "\n".join(documents[0].texts)
    cleaned = subprocess.run([sys.executable, "-m", "filterkit", "clean", "--model", str(tmp_path / "augmented.joblib"),
                              "--trust-model"], input=article, capture_output=True, text=True, check=True)
    kept = cleaned.stdout.strip().split("\n\n")
    assert kept and all(paragraph in documents[0].texts for paragraph in kept)
    # Its output read back is settled: cleaning it again changes nothing (filterkit.settle).
    again = subprocess.run([sys.executable, "-m", "filterkit", "clean", "--model", str(tmp_path / "augmented.joblib"),
                            "--trust-model"], input=cleaned.stdout, capture_output=True, text=True, check=True)
    assert again.stdout == cleaned.stdout
