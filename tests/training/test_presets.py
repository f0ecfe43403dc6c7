"""The named operating points (`precision`, `recall`) chosen on out-of-fold scores, and
adding them to an existing model card."""
import json
import shutil

import numpy as np
import pytest

from filterkit import Filter
from filterkit.decide.operating_point import OperatingPoint
from filterkit.model.store import load_model
from filterkit.training import presets
from filterkit.training.corpus import LabelledDocument
from filterkit.training.evaluate import WordCounts, report
from filterkit.training.presets import add_presets, choose_presets, point_figures, scored_documents

BODY = ["The council voted on Tuesday to extend the tram line to the new hospital by 2028.",
        "Construction is expected to cost 240 million euros, shared between city and region.",
        "Residents along the route will be consulted in the spring, the mayor said."]
# Junk told from the body by its score alone: no cue of the lexicons names it (on a page
# with no paragraph over the threshold, a named one would not be kept whatever its score).
JUNK = ["Pictures from the city archive, 1998", "Map data and imagery by the regional office",
        "Printed from the Riverside Gazette website"]


def _page(i: int, body_scores, junk_scores) -> tuple[LabelledDocument, np.ndarray]:
    """A text page: three body paragraphs and three junk lines, with given scores."""
    texts = [f"{t} ({i})" for t in BODY] + JUNK
    labels = ["content"] * 3 + ["chrome"] * 3
    document = LabelledDocument(texts, labels, id=f"p{i}", domain=f"d{i}", page_type="article",
                                rendering="trafilatura", reference="\n".join(texts[:3]))
    return document, np.array([*body_scores, *junk_scores], dtype=float)


def _corpus():
    """Pages where body scores spread from 0.2 to 0.95 and junk from 0.05 to 0.7: a higher
    threshold trades body for less junk."""
    rng = np.random.default_rng(5)
    pages = [_page(i, rng.uniform(0.2, 0.95, 3), rng.uniform(0.05, 0.7, 3)) for i in range(40)]
    return [d for d, _ in pages], [s for _, s in pages]


OWN = OperatingPoint(0.45)


def test_precision_keeps_less_junk_and_recall_loses_less_body_than_the_own_point():
    documents, scores = _corpus()
    chosen = choose_presets(documents, scores, OWN)
    counts = [WordCounts(d.texts, d.reference) for d in documents]
    own = point_figures(documents, scores, counts, OWN)["all"]
    precise, broad = chosen["precision"]["cross_validated"]["all"], chosen["recall"]["cross_validated"]["all"]
    assert precise["word_precision"] >= own["word_precision"] and broad["word_recall"] >= own["word_recall"]
    assert chosen["precision"]["threshold"] > chosen["recall"]["threshold"]
    assert broad["word_recall"] > precise["word_recall"] and precise["word_precision"] > broad["word_precision"]
    assert "F0.5" in chosen["precision"]["rule"] and "F2" in chosen["recall"]["rule"]
    assert OperatingPoint.from_card({"presets": chosen}, preset="recall") == OperatingPoint(
        chosen["recall"]["threshold"], chosen["recall"]["relative_threshold"],
        OperatingPoint.from_card(chosen["recall"]).smoother)


def test_each_preset_maximises_its_f_beta_over_the_grid():
    documents, scores = _corpus()
    counts = [WordCounts(d.texts, d.reference) for d in documents]
    chosen = choose_presets(documents, scores, OWN, counts)

    def mean_fbeta(point, beta):
        figures = point_figures(documents, scores, counts, point)["all"]
        return presets.fbeta(np.array(figures["word_precision"]), np.array(figures["word_recall"]), beta)

    for name, (beta, _) in presets.PRESET_RULES.items():
        best = OperatingPoint.from_card(chosen[name])
        assert mean_fbeta(best, beta) >= mean_fbeta(OWN, beta) - 1e-3  # figures are rounded to 4 places


def test_the_presets_name_the_runtimes_presets():
    from filterkit.decide.operating_point import PRESETS

    assert tuple(presets.PRESET_RULES) == PRESETS


def test_saved_scores_are_matched_to_their_corpus_documents(tmp_path):
    documents, scores = _corpus()
    path = tmp_path / "scores.npz"
    report(documents[:5], scores[:5], OWN).save_scores(documents[:5], path)
    chosen, loaded = scored_documents(list(reversed(documents)), path)
    assert [d.id for d in chosen] == [d.id for d in documents[:5]]
    assert all(np.array_equal(a, b) for a, b in zip(loaded, scores[:5]))
    shorter = [LabelledDocument(d.texts[:5], d.labels[:5], id=d.id, rendering=d.rendering) for d in documents]
    with pytest.raises(ValueError, match="p0 \\(trafilatura\\) has 5 paragraphs, not 6"):
        scored_documents(shorter, path)
    with pytest.raises(ValueError, match="is not in the corpus"):
        scored_documents(documents[10:], path)


def test_presets_added_to_a_copied_shipped_card_load_and_cut(tmp_path, shipped_model):
    model = tmp_path / "copy.joblib"
    shutil.copyfile(shipped_model, model)
    shutil.copyfile(shipped_model.with_suffix(".json"), model.with_suffix(".json"))
    documents, scores = _corpus()
    scores_path = tmp_path / "scores.npz"
    report(documents, scores, OWN).save_scores(documents, scores_path)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(d.to_json()) + "\n" for d in documents), encoding="utf-8")

    assert presets.main(["--corpus", str(corpus), "--scores", str(scores_path), "--card", str(model)]) == 0
    card = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert set(card["presets"]) == {"precision", "recall"}
    assert "## Presets" in model.with_suffix(".md").read_text(encoding="utf-8")
    assert load_model(model, trusted=True).card["presets"] == card["presets"]  # the hash still holds
    recall = Filter(model, trusted=True, recall=True)
    assert recall.threshold == card["presets"]["recall"]["threshold"]
