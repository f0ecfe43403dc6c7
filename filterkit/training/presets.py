"""Named operating points beside a model's own, chosen on out-of-fold scores.

`precision` keeps less junk: of the points (threshold, relative threshold, smoothing) of
the grid the model's own point is searched on (`operating_point.search_operating_point`)
whose mean word precision is at least the own point's, the one with the best mean word
F0.5. `recall` loses less body: of those whose mean word recall is at least the own
point's, the best mean word F2. Means weigh page types as the own point's objective does
(`operating_objective`: for the HTML model, all pages and article pages half each); each
document is read once (text is read again at run time, which can drop a little more).
The card records each point with its rule and its cross-validated word precision, recall
and F1, over all documents and article pages:

    "presets": {"precision": {"threshold": ..., "relative_threshold": ..., "smoothing": {...},
                              "rule": ..., "cross_validated": {"all": {...}, "article": {...}}},
                "recall": {...}}

`filterkit train` adds them; to add them to an existing card from the out-of-fold scores
`filterkit evaluate CORPUS --save-scores SCORES.npz` saved (cross-validated: not with
--model or --shipped-model, whose scores are of documents the model was trained on). The
model file, whose hash the card holds, is not touched, so the card still loads:

    python -m filterkit.training.presets --corpus CORPUS --scores SCORES.npz --card models/NAME.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ..decide.operating_point import OperatingPoint
from ..model.store import card_path_for
from .corpus import LabelledDocument
from .evaluate import ARTICLE, WordCounts, fbeta
from .operating_point import THRESHOLDS, operating_objective, search_operating_point

# Per preset: the F-beta it maximises, and the measure it may not lower (0: precision, 1: recall).
PRESET_RULES = {"precision": (0.5, 0), "recall": (2.0, 1)}
MEASURES = ("precision", "recall")


def preset_rule(beta: float, floor: int) -> str:
    return (f"best mean word F{beta:g} among the points whose mean word {MEASURES[floor]} is at least "
            "the card's own point's, on the out-of-fold scores, page types weighted as for the own point, "
            "one reading")


def choose_presets(documents: list[LabelledDocument], scores: list[np.ndarray], own: OperatingPoint,
                   counts: list[WordCounts] | None = None) -> dict[str, dict]:
    """Each preset's operating point (as `OperatingPoint.to_dict()`), its rule and its
    cross-validated figures (`point_figures`); `own`: the card's own operating point."""
    counts = counts or [WordCounts(d.texts, d.reference or "") for d in documents]
    readable = [d.document() for d in documents]
    objective = operating_objective(documents)
    own_kept = [own.read(d, s).kept[None, :] for d, s in zip(readable, scores)]
    floors = [objective(measure)[0] for measure in _precision_recall(counts, own_kept)]

    def values(point: OperatingPoint, beta: float, floor: int) -> np.ndarray:
        masks = [point.kept_at(d, s, THRESHOLDS) for d, s in zip(readable, scores)]
        precision, recall = _precision_recall(counts, masks)
        held = objective([precision, recall][floor]) >= floors[floor] - 1e-12
        return np.where(held, objective(fbeta(precision, recall, beta)), -np.inf)

    presets = {}
    for name, (beta, floor) in PRESET_RULES.items():
        point = search_operating_point(lambda p, beta=beta, floor=floor: values(p, beta, floor))
        if not np.isfinite(values(point, beta, floor)[THRESHOLDS.index(point.threshold)]):
            point = own  # no point of the grid holds the floor: the own point does
        presets[name] = {**point.to_dict(), "rule": preset_rule(beta, floor),
                         "cross_validated": point_figures(documents, scores, counts, point)}
    return presets


def _precision_recall(counts: list[WordCounts], masks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Word precision and recall, a (documents, masks) array each; a document without
    reference words has the precision of its recall (1 when it keeps nothing, else 0)."""
    precisions, recalls = [], []
    for c, m in zip(counts, masks):
        precision, recall = c.precision_recall(m)
        precisions.append(recall if precision is None else precision)
        recalls.append(recall)
    return np.array(precisions), np.array(recalls)


def point_figures(documents: list[LabelledDocument], scores: list[np.ndarray], counts: list[WordCounts],
                  point: OperatingPoint) -> dict[str, dict]:
    """Mean word precision, recall and F1 per document at `point` (one reading), over all
    documents and over article pages."""
    kept = [point.read(d.document(), s).kept[None, :] for d, s in zip(documents, scores)]
    precision, recall = (values[:, 0] for values in _precision_recall(counts, kept))
    f1 = fbeta(precision, recall, 1.0)
    groups = {"all": np.ones(len(documents), bool),
              ARTICLE: np.array([d.page_type == ARTICLE for d in documents], bool)}
    return {name: {"documents": int(members.sum()), "word_precision": round(float(precision[members].mean()), 4),
                   "word_recall": round(float(recall[members].mean()), 4),
                   "word_f1": round(float(f1[members].mean()), 4)}
            for name, members in groups.items() if members.any()}


# --- adding presets to an existing card ------------------------------------------------------


def scored_documents(documents: list[LabelledDocument],
                     scores_path) -> tuple[list[LabelledDocument], list[np.ndarray]]:
    """The corpus documents that `Report.save_scores` saved scores of, in its order, with
    their scores; `ValueError` when the file does not match the corpus."""
    saved = np.load(scores_path)
    offsets, flat = saved["offsets"], saved["scores"]
    by_key: dict[tuple[str, str], LabelledDocument] = {}
    for d in documents:
        if (d.id, d.rendering) in by_key:
            raise ValueError(f"the corpus holds document {d.id} ({d.rendering}) twice")
        by_key[(d.id, d.rendering)] = d
    chosen, scores = [], []
    for i, key in enumerate(zip(saved["id"].tolist(), saved["rendering"].tolist())):
        document = by_key.get(key)
        size = int(offsets[i + 1] - offsets[i])
        if document is None or len(document.texts) != size:
            found = ("is not in the corpus" if document is None
                     else f"has {len(document.texts)} paragraphs, not {size}")
            raise ValueError(f"{scores_path}: document {key[0]} ({key[1]}) {found}: "
                             "give the corpus the scores were saved from")
        chosen.append(document)
        scores.append(flat[offsets[i]:offsets[i + 1]])
    return chosen, scores


def add_presets(card_path, documents: list[LabelledDocument], scores: list[np.ndarray]) -> dict:
    """Choose the presets on these out-of-fold scores and write them into the card at
    `card_path` (and its `.md` beside it); the card as written."""
    from .train import card_markdown

    path = Path(card_path)
    card = json.loads(path.read_text(encoding="utf-8"))
    card["presets"] = choose_presets(documents, scores, OperatingPoint.from_card(card))
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
    path.with_suffix(".md").write_text(card_markdown(card), encoding="utf-8")
    return card


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m filterkit.training.presets", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, help="the labelled corpus the scores were saved from")
    parser.add_argument("--scores", required=True,
                        help="out-of-fold scores from `filterkit evaluate --save-scores`")
    parser.add_argument("--card", required=True,
                        help="the model card to add the presets to (NAME.json or NAME.joblib)")
    args = parser.parse_args(argv)
    from .train import load_corpus

    card_path = Path(args.card)
    if card_path.suffix != ".json":
        card_path = card_path_for(card_path)
    documents, scores = scored_documents(load_corpus(args.corpus), args.scores)
    card = add_presets(card_path, documents, scores)
    own = point_figures(documents, scores, [WordCounts(d.texts, d.reference or "") for d in documents],
                        OperatingPoint.from_card(card))
    print(f"the card's own point, one reading: {json.dumps(own)}")
    for name, preset in card["presets"].items():
        print(f"{name}: {json.dumps({k: v for k, v in preset.items() if k != 'rule'})}")
    print(f"written to {card_path} and {card_path.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
