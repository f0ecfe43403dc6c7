"""Scores → reasons: which named features moved each paragraph's body score, in words.

The shipped model (gradient-boosted trees) has no per-paragraph attributions of its
own, so filterkit measures them, the same way for any model, by switching named groups
of feature columns (its words, its length, its position, ...) between the paragraph's
own values and those of other paragraphs of the same document and scoring again. A
group's effect is its Shapley value: the mean change of the body score when the group
is switched to the paragraph's own values, over random orders in which the groups are
switched and over background paragraphs of the document. Effects add up to the
paragraph's score minus the document's mean score: positive pushes towards body,
negative towards junk, compared with the rest of its own document. So a group that is
the same for every paragraph of a document (its length in paragraphs) never explains
why one paragraph of it was dropped, and a one-paragraph document has no explanation.

Effects are measured on the model's score before smoothing, and only the groups that
hold columns of the model in use are reported, so an explanation names only what the
model really reads.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

import numpy as np

from .document import Document
from .features.text import paragraph_rows
from .model.score import body_scores

# Background paragraphs per document and orders of the groups: enough for stable values,
# few enough to stay fast (each pair costs (groups + 1) x paragraphs rows to score).
MAX_BACKGROUND = 8
ORDERS = 6
TOP_REASONS = 3
# Effects smaller than this are not worth a reader's attention.
MIN_EFFECT = 0.01


@dataclass(frozen=True)
class FeatureGroup:
    """Named feature columns (shell-style patterns over feature names) and how to say them."""

    key: str
    patterns: tuple[str, ...]
    words: str  # a phrase about the paragraph; {fields} are filled from `_facts`


FEATURE_GROUPS = (
    FeatureGroup("lexical", ("lexical_junk",), "its words ({lexical:.0%} junk-like to the word model)"),
    FeatureGroup("neighbour_words", ("lexical_junk_above", "lexical_junk_below", "lexical_junk@*"),
                 "the words of the paragraphs around it"),
    FeatureGroup("length", ("log_chars", "log_words", "sentences", "mean_word_length",
                            "log_words_vs_median", "words_vs_max"), "its length ({words} words)"),
    FeatureGroup("punctuation", ("ends_terminal", "ends_colon", "ends_ellipsis", "punct_ratio",
                                 "commas_per_word", "bracketed", "exclamations", "questions"),
                 "its punctuation ({ending})"),
    FeatureGroup("capitals", ("starts_upper", "title_case_ratio", "upper_ratio", "headline_like"),
                 "its capitalisation ({title_case:.0%} of words capitalised)"),
    FeatureGroup("markers", ("has_url", "has_handle", "has_date", "has_copyright", "has_clock_time",
                             "digit_ratio", "separators", "starts_bullet"),
                 "links, handles, dates, digits, bullets or separators ({markers})"),
    FeatureGroup("style", ("stopword_density", "conversational", "speaker_line"),
                 "its share of function words ({stopwords:.0%}) and conversational tone"),
    FeatureGroup("position", ("relative_position", "log_index", "log_index_from_end",
                              "log_paragraphs", "words_before_share"),
                 "its position (paragraph {number} of {count})"),
    FeatureGroup("prose_run", ("in_dense_run", "distance_to_dense_run", "dense_run_share",
                               "window_log_words", "window_prose_share", "in_fenced_run",
                               "distance_to_fenced_run", "position_in_fenced_run"),
                 "its place relative to the main run of prose ({run})"),
    FeatureGroup("segment", ("segment_*",),
                 "the block it sits in (between short junk lines such as 'Related Posts')"),
    FeatureGroup("cues", ("cue_*",), "cue phrases that open it or its neighbours ('Also Read', 'Leave a Reply')"),
    FeatureGroup("topic", ("title_similarity", "overlap_with_run", "overlap_with_document"),
                 "words it shares with the title and the article ({overlap:.0%} found in the main run)"),
    FeatureGroup("repetition", ("duplicates", "shared_opening"), "repetition elsewhere in the page ({repeats})"),
    FeatureGroup("neighbour_shape", ("log_words@*", "ends_terminal@*", "stopword_density@*"),
                 "the length and ending of the paragraphs around it"),
    # the HTML model's DOM features (filterkit.domfeatures)
    FeatureGroup("markup", ("markup_junk", "markup_junk_above", "markup_junk_below", "markup_junk@*"),
                 "its tag, landmarks and class names ({markup:.0%} junk-like to the markup model)"),
    FeatureGroup("element", ("tag_*", "inside_*", "log_depth", "depth_vs_median", "link_density",
                             "log_links", "hidden", "link_density@*"),
                 "its HTML element (tag, nesting, links, hidden)"),
    FeatureGroup("container", ("container_*", "same_container_as_previous"), "the HTML container it sits in"),
    FeatureGroup("subtrees", ("subtree_*",),
                 "what the HTML elements around it hold (words, links, blocks)"),
    # the page's structure (filterkit.features.structure)
    FeatureGroup("region", ("region_*",), "its place relative to the page's article region"),
    FeatureGroup("cards", ("card_*", "own_run_*"),
                 "a run of same-shaped siblings it sits in (a grid of teaser cards, a list)"),
    FeatureGroup("link_targets", ("link_site_share", "link_external_share", "page_site_link_share"),
                 "where its links go (other pages of the site, other sites)"),
)
# Columns no group claims (a model with new features) are explained together.
OTHER = FeatureGroup("other", (), "other features of the model")


@dataclass(frozen=True)
class Reason:
    """One feature group's effect on one paragraph's body score."""

    group: str
    words: str
    effect: float  # its Shapley value: + pushes the body score up, - down

    @property
    def direction(self) -> str:
        return "body" if self.effect > 0 else "junk"

    def __str__(self) -> str:
        return f"{self.words} → {self.direction} {self.effect:+.2f}"


@dataclass(frozen=True)
class Explanation:
    """Why the model scored one paragraph as it did: its strongest reasons, strongest first."""

    score: float  # the model's body score, before smoothing
    reasons: tuple[Reason, ...]

    def __str__(self) -> str:
        return "; ".join(map(str, self.reasons)) or "no single feature group stands out"


def group_columns(feature_names) -> dict[str, np.ndarray]:
    """Each group's column indices among `feature_names`; groups the model lacks are left
    out, and columns no group claims form the group `other`."""
    names = [str(n) for n in feature_names]
    columns = {g.key: [i for i, n in enumerate(names) if any(fnmatchcase(n, p) for p in g.patterns)]
               for g in FEATURE_GROUPS}
    claimed = {i for indices in columns.values() for i in indices}
    columns[OTHER.key] = [i for i in range(len(names)) if i not in claimed]
    return {key: np.asarray(indices) for key, indices in columns.items() if indices}


def explain_document(pipeline, document: Document, top: int = TOP_REASONS) -> list[Explanation]:
    """One `Explanation` per paragraph of `document`, from a fitted features+model Pipeline."""
    if not document.paragraphs:
        return []
    features, model = pipeline[0], pipeline[1:]
    names = list(features.get_feature_names_out())
    matrix = features.transform(paragraph_rows([document]))
    scores = body_scores(model, matrix)
    effects = group_effects(model, matrix, group_columns(names))
    facts = [_facts(dict(zip(names, row)), len(document.paragraphs)) for row in matrix]
    return [Explanation(float(scores[i]), _top_reasons(effects, i, facts[i], top))
            for i in range(len(scores))]


def group_effects(model, matrix: np.ndarray, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each group's Shapley value for every row: its mean change of the score when it is
    switched from a background row's values to the row's own, over random orders of the
    groups (antithetic pairs) and background rows. They add up to the row's score minus
    the mean score of the background rows."""
    keys = list(columns)
    masks = _coalition_masks(matrix.shape[1], [columns[k] for k in keys])
    background = _background_rows(len(matrix))
    effects = np.zeros((len(keys), len(matrix)))
    for order, steps in masks:
        for b in background:
            # step k holds the row's own values for the first k groups of `order`
            stacked = np.where(steps[:, None, :], matrix[None, :, :], matrix[b][None, None, :])
            step_scores = body_scores(model, stacked.reshape(-1, matrix.shape[1])).reshape(len(steps), -1)
            effects[order] += np.diff(step_scores, axis=0)
    effects /= len(masks) * len(background)
    return dict(zip(keys, effects))


def _coalition_masks(n_features: int, groups: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """ORDERS random orders of the groups, each with its reverse, and for each the
    (groups + 1, features) masks of the columns switched on after 0, 1, ... groups."""
    rng = np.random.default_rng(0)
    orders = []
    for _ in range(ORDERS // 2):
        order = rng.permutation(len(groups))
        orders += [order, order[::-1]]
    result = []
    for order in orders:
        steps = np.zeros((len(groups) + 1, n_features), dtype=bool)
        for k, group in enumerate(order, 1):
            steps[k:, groups[group]] = True
        result.append((order, steps))
    return result


def _background_rows(n: int) -> np.ndarray:
    """Up to MAX_BACKGROUND rows spread evenly over the document (deterministic)."""
    return np.unique(np.linspace(0, n - 1, min(n, MAX_BACKGROUND)).round().astype(int))


def _top_reasons(effects: dict[str, np.ndarray], row: int, facts: dict, top: int) -> tuple[Reason, ...]:
    ranked = sorted(effects, key=lambda key: -abs(effects[key][row]))
    groups = {g.key: g for g in (*FEATURE_GROUPS, OTHER)}
    return tuple(Reason(key, groups[key].words.format(**facts), float(effects[key][row]))
                 for key in ranked[:top] if abs(effects[key][row]) >= MIN_EFFECT)


def _facts(row: dict, count: int) -> dict:
    """What the phrases quote, read back from a paragraph's feature values."""
    index = round(math.expm1(row["log_index"])) if "log_index" in row else 0
    markers = [name.removeprefix("has_") for name in ("has_url", "has_handle", "has_date", "has_copyright")
               if row.get(name)]
    return {
        "lexical": row.get("lexical_junk", 0.0),
        "markup": row.get("markup_junk", 0.0),
        "words": round(math.expm1(row.get("log_words", 0.0))),
        "ending": _ending(row),
        "title_case": row.get("title_case_ratio", 0.0),
        "markers": ", ".join(markers) or f"{row.get('digit_ratio', 0.0):.0%} digits",
        "stopwords": row.get("stopword_density", 0.0),
        "number": index + 1, "count": count,
        "run": _run_place(row.get("distance_to_dense_run", 0.0)),
        "overlap": row.get("overlap_with_run", 0.0),
        "repeats": "repeated" if row.get("duplicates", 0.0) > 0 else "not repeated",
    }


def _ending(row: dict) -> str:
    if row.get("ends_terminal"):
        return "ends a sentence"
    if row.get("ends_colon"):
        return "ends with a colon"
    return "no final punctuation"


def _run_place(distance: float) -> str:
    """distance_to_dense_run is sign(d) * log1p(|d|), d paragraphs from the run."""
    paragraphs = round(math.expm1(abs(distance)))
    if paragraphs == 0:
        return "inside it"
    return f"{paragraphs} paragraph{'s' * (paragraphs > 1)} {'before' if distance < 0 else 'after'} it"


def with_explanations(classified: Document, explanations: list[Explanation]) -> Document:
    """`classified` with each decision's reason followed by its explanation, and the
    explanations themselves in `metadata["explanations"]` (one per paragraph)."""
    decisions = [replace(d, reason=f"{d.reason}; why: {e}") for d, e in zip(classified.decisions, explanations)]
    explained = replace(classified, metadata={**classified.metadata, "explanations": tuple(explanations)})
    return explained.with_decisions(decisions)


def explain(pipeline, document: Document, classified: Document) -> Document:
    """`classified` (the decisions for `document`) with explanations from `pipeline`."""
    return with_explanations(classified, explain_document(pipeline, document))


def explanations(document: Document) -> tuple[Explanation, ...]:
    """The explanations of a document classified with `explain=True`."""
    try:
        return document.metadata["explanations"]
    except KeyError:
        raise ValueError("this document was classified without explanations; "
                         "use filterkit.classify(..., explain=True)") from None


__all__ = ["Explanation", "Reason", "FEATURE_GROUPS", "OTHER", "explain", "explain_document",
           "explanations", "group_columns"]
