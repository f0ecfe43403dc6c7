"""Does the repeated-boilerplate post-filter help? Measured on wcxb-dev, grouped by domain.

    OMP_NUM_THREADS=1 python benchmarks/boilerplate_gain.py /work/data/corpus.jsonl \
        --oof /work/data/oof_text.npz

1. Out-of-fold body scores of the text model (5-fold GroupKFold by domain), computed
   once and cached in `--oof` (about 20 minutes on one core); the cache is keyed by the
   corpus file's hash, the fold count and the feature version.
2. Per rendering, the boilerplate counts of the corpus's own pages (unlabelled text
   only, grouped by domain), as a user's pass 1 over their corpus would make them.
3. The post-filter's hyper-parameters chosen on the domains of the training folds
   (GroupKFold by domain again) and applied to the held-out domains, so no figure is
   measured on the pages it was tuned on: one setting for all renderings, a setting per
   rendering, and, for comparison, a learned post-filter on the same facts.
4. Word F1, paragraph precision and retention with and without the post-filter, on
   pages of domains with 2+ pages and on all pages, per rendering. Pages without a
   reference body are counted but not scored (as `filterkit corpus build` skips them).
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from filterkit.decide.operating_point import OperatingPoint
from filterkit.decide.smooth import Smoother
from filterkit.features.text import FEATURE_VERSION
from filterkit.scale.boilerplate import (
    BoilerplateFilter,
    count_corpus,
    outside_body,
    run_lengths,
)
from filterkit.training.evaluate import WordCounts, cross_validated_scores, report
from filterkit.training.operating_point import choose_operating_point
from filterkit.training.train import load_corpus

# Ordered from the most to the least conservative: on a tie the first wins.
GRID = {
    "min_documents": (5, 3, 2, 1),
    "min_group_documents": (5, 3, 2),
    "max_words": (5, 10, 20, 50, None),
    "min_run": (3, 2, 1),
    "edges_only": (True, False),
    "max_repeated_share": (0.5, 1.0),
}
RENDERINGS = ("trafilatura-recall", "trafilatura", "page")


def corpus_key(path: Path) -> str:
    """Identifies the corpus file and feature version the cached scores belong to."""
    digest = hashlib.blake2b(f"features v{FEATURE_VERSION}".encode(), digest_size=8)
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_or_compute_oof(documents, corpus: Path, cache: Path, folds: int) -> list[np.ndarray]:
    key = corpus_key(corpus)
    if cache.exists():
        saved = np.load(cache, allow_pickle=False)
        if str(saved["corpus_key"]) == key and int(saved["folds"]) == folds:
            return np.split(saved["scores"], saved["offsets"][1:-1])
        print(f"{cache}: computed on another corpus or fold count; recomputing", file=sys.stderr)
    started = time.perf_counter()
    log = lambda message: print(f"[{time.perf_counter() - started:.0f}s] {message}", file=sys.stderr, flush=True)
    scores = cross_validated_scores(documents, kind="gbt", folds=folds, log=log)
    offsets = np.cumsum([0] + [len(s) for s in scores])
    np.savez(cache, scores=np.concatenate(scores), offsets=offsets, corpus_key=key, folds=folds,
             ids=np.array([f"{d.id}/{d.rendering}" for d in documents]))
    return scores


@dataclass
class Baseline:
    """The text model's decisions on every document, and what the post-filter sees."""

    documents: list
    scores: list[np.ndarray]      # smoothed out-of-fold body scores
    kept: list[np.ndarray]        # scores >= threshold: the decisions without the post-filter
    others: list[np.ndarray]      # per paragraph: on how many other pages of the domain it occurs
    group_sizes: list[int]        # pages of the document's domain in its rendering
    threshold: float
    smoother: Smoother

    def evaluated(self) -> list[int]:
        """Documents with a reference body; a page without one is counted (its text is
        part of the user's corpus) but not scored, as in `filterkit corpus build`."""
        return [i for i, d in enumerate(self.documents) if (d.reference or "").strip()]

    def multi_page(self) -> list[int]:
        return [i for i in self.evaluated() if self.group_sizes[i] >= 2]


def baseline(documents, scores, threshold: float, smoother: Smoother) -> Baseline:
    """Counts per rendering (a user's corpus is scraped one way), from the pages' text alone."""
    smoothed = [smoother.smooth(s) for s in scores]
    others: list = [None] * len(documents)
    sizes = [0] * len(documents)
    for rendering in sorted({d.rendering for d in documents}):
        members = [i for i, d in enumerate(documents) if d.rendering == rendering]
        counts = count_corpus((documents[i].domain or None, documents[i].texts) for i in members)
        for i in members:
            group = documents[i].domain or None
            others[i] = counts.occurrences(group, documents[i].texts) - 1
            sizes[i] = counts.group_size(group)
    kept = [s >= threshold for s in smoothed]
    return Baseline(documents, smoothed, kept, others, sizes, threshold, smoother)


def grid() -> list[dict]:
    return [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]


def relabelled(base: Baseline, i: int, params: dict | np.ndarray | None) -> np.ndarray:
    """The paragraphs of document i the post-filter relabels junk: with a setting of
    `BoilerplateFilter`, as a learned model decided (a mask), or none (None)."""
    if params is None:
        return np.zeros(len(base.kept[i]), dtype=bool)
    if isinstance(params, np.ndarray):
        return params
    return BoilerplateFilter(**params).repeated(base.documents[i].texts, base.kept[i], base.others[i],
                                                base.group_sizes[i])


def f1_table(base: Baseline, indices: list[int], counts: list[WordCounts], candidates: list[dict]) -> np.ndarray:
    """Word F1 of each document (rows) under each candidate setting (columns), then no post-filter."""
    table = np.zeros((len(indices), len(candidates) + 1))
    for row, i in enumerate(indices):
        masks = [base.kept[i] & ~relabelled(base, i, params) for params in candidates] + [base.kept[i]]
        table[row] = counts[i].f1(np.array(masks))
    return table


def nested_choice(base: Baseline, indices: list[int], gain: np.ndarray, candidates: list[dict],
                  folds: int) -> tuple[dict, list]:
    """For each document of `indices` (rows of `gain`: word-F1 change per candidate),
    the setting chosen on the other folds' domains (GroupKFold by domain), and the choices."""
    groups = [base.documents[i].domain for i in indices]
    chosen, choices = {}, []
    for train, test in GroupKFold(n_splits=folds).split(indices, groups=groups):
        mean_gain = gain[train].mean(axis=0)
        best = int(np.argmax(mean_gain))  # the first, most conservative, on a tie
        params = candidates[best] if mean_gain[best] > 0 else None
        choices.append({"params": params, "train_gain": round(float(mean_gain[best]), 5),
                        "test_domains": len({groups[t] for t in test})})
        for t in test:
            chosen[indices[t]] = params
    return chosen, choices


def tuned(base: Baseline, counts: list[WordCounts], folds: int) -> dict:
    """Nested choices: one setting for every rendering, and one per rendering."""
    indices = base.multi_page()
    candidates = grid()
    table = f1_table(base, indices, counts, candidates)
    gain = table[:, :-1] - table[:, -1:]
    pooled = nested_choice(base, indices, gain, candidates, folds)
    per_rendering, choices = {}, {}
    for rendering in RENDERINGS:
        rows = [row for row, i in enumerate(indices) if base.documents[i].rendering == rendering]
        chosen, choices[rendering] = nested_choice(base, [indices[r] for r in rows], gain[rows], candidates, folds)
        per_rendering.update(chosen)
    return {"one setting for all renderings": pooled, "a setting per rendering": (per_rendering, choices)}


def repeat_features(base: Baseline, i: int) -> np.ndarray:
    """What a learned post-filter sees of each paragraph: the model's score and the
    repetition facts the rules use, as numbers."""
    document, others, size = base.documents[i], base.others[i], base.group_sizes[i]
    repeats = others >= 1
    n = len(others)
    return np.column_stack([
        base.scores[i], np.log1p(np.maximum(others, 0)), np.maximum(others, 0) / max(size - 1, 1),
        np.log1p(run_lengths(repeats)), outside_body(base.kept[i] & ~repeats),
        np.log1p([len(t.split()) for t in document.texts]), np.full(n, np.log(size)),
        np.arange(n) / max(n - 1, 1), np.full(n, RENDERINGS.index(document.rendering)),
    ])


def learned_choice(base: Baseline, folds: int) -> tuple[dict, None]:
    """Not a rule but a model: gradient-boosted trees decide, for each kept paragraph
    that recurs on another page of its domain, whether it is body; trained on the other
    folds' domains (GroupKFold by domain) and applied to the held-out ones."""
    indices = base.multi_page()
    candidates = {i: base.kept[i] & (base.others[i] >= 1) for i in indices}
    features = {i: repeat_features(base, i) for i in indices}
    groups = [base.documents[i].domain for i in indices]
    chosen = {}
    for train, test in GroupKFold(n_splits=folds).split(indices, groups=groups):
        train_docs = [indices[t] for t in train]
        x = np.concatenate([features[i][candidates[i]] for i in train_docs])
        y = np.concatenate([np.asarray(base.documents[i].is_body)[candidates[i]] for i in train_docs])
        # Weighted by words, as word F1 weighs them: losing a long body paragraph costs more.
        words = np.expm1(x[:, 5]) + 1
        model = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(x, y, sample_weight=words)
        for t in test:
            i = indices[t]
            mask = np.zeros(len(candidates[i]), dtype=bool)
            if candidates[i].any():
                mask[candidates[i]] = model.predict_proba(features[i][candidates[i]])[:, 1] < 0.5
            chosen[i] = mask
    return chosen, None


def filtered_scores(base: Baseline, chosen: dict) -> list[np.ndarray]:
    """Scores with every relabelled paragraph at 0, so the threshold drops it."""
    out = []
    for i, scores in enumerate(base.scores):
        out.append(np.where(relabelled(base, i, chosen.get(i)), 0.0, scores))
    return out


def compare(base: Baseline, chosen: dict, counts: list[WordCounts], indices: list[int]) -> list[dict]:
    """Per rendering and overall: the report's figures without and with the post-filter."""
    documents = [base.documents[i] for i in indices]
    subset_counts = [counts[i] for i in indices]
    flat = OperatingPoint(base.threshold)  # no smoothing: the scores are already smoothed
    without = report(documents, [base.scores[i] for i in indices], flat, subset_counts)
    after = filtered_scores(base, chosen)
    with_filter = report(documents, [after[i] for i in indices], flat, subset_counts)
    rows = []
    for rendering in (*RENDERINGS, "all"):
        a, b = without.row(rendering), with_filter.row(rendering)
        rows.append({"rendering": rendering, "documents": a.documents,
                     "precision": (a.precision, b.precision), "retention": (a.retention, b.retention),
                     "word_f1": (a.word_f1, b.word_f1), "input_f1": a.unfiltered_f1, "oracle_f1": a.oracle_f1})
    return rows


def relabel_audit(base: Baseline, chosen: dict) -> dict:
    """What the post-filter removed, per the alignment labels: junk it got right, body it lost."""
    audit = {r: {"relabelled": 0, "junk": 0, "body_words_lost": 0, "junk_words_removed": 0} for r in RENDERINGS}
    for i in base.evaluated():
        document = base.documents[i]
        hits = relabelled(base, i, chosen.get(i))
        entry = audit[document.rendering]
        for text, body in zip(np.array(document.texts, dtype=object)[hits], np.array(document.is_body)[hits]):
            entry["relabelled"] += 1
            entry["junk"] += int(not body)
            entry["body_words_lost" if body else "junk_words_removed"] += len(text.split())
    return audit


def bootstrap_gain(base: Baseline, chosen: dict, counts: list[WordCounts], indices: list[int],
                   rounds: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Mean word-F1 change per document, with a 95% interval resampling domains."""
    delta = defaultdict(list)
    for i in indices:
        before, after = counts[i].f1(np.array([base.kept[i], base.kept[i] & ~relabelled(base, i, chosen.get(i))]))
        delta[base.documents[i].domain or base.documents[i].id].append(after - before)
    domains = list(delta)
    sums = np.array([sum(delta[d]) for d in domains])
    sizes = np.array([len(delta[d]) for d in domains])
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(domains), size=(rounds, len(domains)))
    means = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(sums.sum() / sizes.sum()), float(low), float(high)


def evaluation(base: Baseline, chosen: dict, counts: list[WordCounts]) -> dict:
    multi = base.multi_page()
    return {
        "multi_page": compare(base, chosen, counts, multi),
        "all_pages": compare(base, chosen, counts, base.evaluated()),
        "relabelled": relabel_audit(base, chosen),
        "gain_interval_multi_page": {
            r: bootstrap_gain(base, chosen, counts, [i for i in multi if base.documents[i].rendering == r])
            for r in RENDERINGS},
    }


def markdown(result: dict) -> str:
    lines = ["| pages | rendering | docs | para P | + filter | retention | + filter | word F1 | + filter | "
             "change (95% interval) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for subset, name in (("multi_page", "domains with 2+ pages"), ("all_pages", "all")):
        for r in result[subset]:
            (p0, p1), (r0, r1), (f0, f1) = r["precision"], r["retention"], r["word_f1"]
            interval = result["gain_interval_multi_page"].get(r["rendering"]) if subset == "multi_page" else None
            change = f"{f1 - f0:+.4f}" + (f" ({interval[1]:+.4f} to {interval[2]:+.4f})" if interval else "")
            lines.append(f"| {name} | {r['rendering']} | {r['documents']} | {p0:.3f} | {p1:.3f} | {r0:.3f} | "
                         f"{r1:.3f} | {f0:.4f} | {f1:.4f} | {change} |")
    lines += ["", "| rendering | paragraphs relabelled | of them junk | junk words removed | body words lost |",
              "| --- | --- | --- | --- | --- |"]
    for rendering, a in result["relabelled"].items():
        share = a["junk"] / a["relabelled"] if a["relabelled"] else 0.0
        lines.append(f"| {rendering} | {a['relabelled']} | {a['junk']} ({share:.0%}) | {a['junk_words_removed']} | "
                     f"{a['body_words_lost']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--oof", type=Path, default=Path("oof_text.npz"), help="cache of out-of-fold scores")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only-oof", action="store_true", help="compute the cached scores and stop")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    documents = load_corpus(args.corpus)
    scores = load_or_compute_oof(documents, args.corpus, args.oof, args.folds)
    if args.only_oof:
        return 0
    counts = [WordCounts(d.texts, d.reference or "") for d in documents]
    scored = [i for i, d in enumerate(documents) if (d.reference or "").strip()]
    point = choose_operating_point([documents[i] for i in scored], [scores[i] for i in scored],
                                   [counts[i] for i in scored])
    threshold, smoother = point.threshold, point.smoother  # the post-filter is measured without the relative threshold
    base = baseline(documents, scores, threshold, smoother)
    print(f"operating point of the text model: threshold {threshold:.2f}, smoothing {smoother.to_dict()}\n")
    defaults = BoilerplateFilter().get_params()
    strategies = {**tuned(base, counts, args.folds),
                  "a learned post-filter (trees on score and repetition features)": learned_choice(base, args.folds),
                  f"the library's defaults {defaults} (not tuned here; chosen after the runs above)":
                  ({i: defaults for i in base.multi_page()}, None)}
    results = {"threshold": threshold, "smoothing": smoother.to_dict()}
    for name, (chosen, choices) in strategies.items():
        results[name] = {"choices": choices, **evaluation(base, chosen, counts)}
        print(f"### {name}\n")
        print(f"chosen per outer fold: {json.dumps(choices)}\n" if choices else "", end="")
        print(markdown(results[name]) + "\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
