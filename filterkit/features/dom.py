"""HTML blocks → features: the text features of `ParagraphFeatures` plus what the DOM says.

A sample is a `(Document, index)` row whose paragraph carries `DomFacts` (see
`filterkit.blocks`). The DOM groups, named by `get_feature_names_out`:
- element: the block's own tag, the landmarks above it (nav, footer, aside, article...),
  depth, link density;
- markup words: a junk score learned from hashed class/id words and tag path
  ('comment', 'related', 'share', 'footer'), out-of-fold on the training rows like the
  text's lexical score, and its value for the neighbours;
- container: the blocks that share the block's class/id path and depth (a menu, a
  comment list, the article's paragraphs): their size in words;
- subtrees: for each of the block's nearest block-level ancestors, the words, link
  density, blocks and words per block of its subtree, and its share of the page's words
  (text and link density, as boilerpipe and readability read them);
- structure (with `structure=True`): the block's place relative to the page's article
  region, the run of same-shaped cards it is part of, where its links go
  (`filterkit.features.structure`).
"""
from __future__ import annotations

import math
from itertools import chain

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..read.blocks import LANDMARK_TAGS, SUBTREE_LEVELS, DomFacts
from .structure import STRUCTURE_FEATURES, structure_features
from .text import (
    ParagraphFeatures,
    document_spans,
    document_values,
    fit_junk_model,
    hashed_ngrams,
    neighbour_offsets,
    shift,
    side_mean,
)

# Bump whenever a change would make a saved HTML model read features differently.
# 2: aria-hidden blocks are read, marked by an "ariahidden" class/id word; 3: a page whose
# end tags libxml2 could not match is read as browsers build it (`filterkit.html._parse`);
# 4: the page's structure (`structure=True`: article region, card runs, link targets);
# 5: blocks the page hides from the screen are read, marked `hidden` (a feature, and a
# "stylehidden" class/id word).
DOM_FEATURE_VERSION = 5

TAG_GROUPS = {
    "p": "p", "h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4_6", "h5": "h4_6", "h6": "h4_6",
    "li": "li", "td": "cell", "th": "cell", "tr": "cell", "pre": "pre", "blockquote": "quote",
    "div": "div", "dd": "dl", "dt": "dl", "figcaption": "caption", "caption": "caption",
}
TAG_FEATURES = tuple(f"tag_{g}" for g in dict.fromkeys([*TAG_GROUPS.values(), "other"]))
ELEMENT_FEATURES = (
    *TAG_FEATURES, *(f"inside_{a}" for a in LANDMARK_TAGS),
    "log_depth", "depth_vs_median", "link_density", "log_links", "hidden",
)
CONTAINER_FEATURES = (
    "container_log_blocks", "container_log_words", "container_word_share",
    "container_markup_junk", "same_container_as_previous",
)
SUBTREE_FEATURES = tuple(
    f"{name}@up{level}" for level in range(SUBTREE_LEVELS)
    for name in ("subtree_log_words", "subtree_word_share", "subtree_link_density",
                 "subtree_log_blocks", "subtree_words_per_block")
)
MARKUP_REACH = 4


def markup_text(facts: DomFacts) -> str:
    """What the markup-words model reads: tag, landmarks and class/id words."""
    landmarks = " ".join(f"xxin{a}" for a in facts.ancestors)
    return f"xxtag{facts.tag} {landmarks} {facts.tokens}"


class BlockFeatures(TransformerMixin, BaseEstimator):
    """Turn `(Document, index)` rows of HTML blocks into a dense feature matrix.

    Parameters
    ----------
    window : neighbours on each side whose facts are features (text and markup).
    n_hash_features : size of the hashed space of markup words.
    markup_alpha : L2 regularisation of the markup-words model.
    markup_folds : folds for the out-of-fold markup score of the training rows.
    random_state : seed of the linear models.
    structure : read the page's structure too (`filterkit.features.structure`).
    """

    def __init__(self, window: int = 2, n_hash_features: int = 2**18, markup_alpha: float = 2e-6,
                 markup_folds: int = 5, random_state: int = 0, structure: bool = True):
        self.window = window
        self.n_hash_features = n_hash_features
        self.markup_alpha = markup_alpha
        self.markup_folds = markup_folds
        self.random_state = random_state
        self.structure = structure

    def __setstate__(self, state):
        state.setdefault("structure", False)  # models saved before the parameter read no structure
        super().__setstate__(state)

    # --- scikit-learn API -------------------------------------------------------------

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        if y is None:
            raise ValueError("BlockFeatures needs labels to learn its text and markup scores")
        self.text_features_ = ParagraphFeatures(window=self.window, random_state=self.random_state)
        text = self.text_features_.fit_transform(X, y)
        markup = self._fit_markup(X, y)
        self.n_features_out_ = len(self.get_feature_names_out())
        return np.hstack([text, self._dom_matrix(X, markup)]).astype(np.float32)

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        text = self.text_features_.transform(X)
        markup = self._markup_scores(X)
        return np.hstack([text, self._dom_matrix(X, markup)]).astype(np.float32)

    def get_feature_names_out(self, input_features=None):
        names = list(ParagraphFeatures(window=self.window).get_feature_names_out())
        names += [*ELEMENT_FEATURES, "markup_junk", "markup_junk_above", "markup_junk_below",
                  *CONTAINER_FEATURES, *SUBTREE_FEATURES]
        for offset in neighbour_offsets(self.window):
            names += [f"{name}@{offset:+d}" for name in ("markup_junk", "link_density")]
        if self.structure:
            names += STRUCTURE_FEATURES
        return np.asarray(names, dtype=object)

    # --- markup words ---------------------------------------------------------------

    def _hashed(self, X):
        return hashed_ngrams([markup_text(_facts(doc, i)) for doc, i in X], self.n_hash_features)

    def _markup_scores(self, X) -> np.ndarray:
        """The markup model's junk score of each row, scored once per distinct markup (the
        blocks of a list, a menu or an article's paragraphs share theirs)."""
        texts = [markup_text(_facts(doc, i)) for doc, i in X]
        distinct = {text: k for k, text in enumerate(dict.fromkeys(texts))}
        scores = self.markup_model_.predict_proba(hashed_ngrams(list(distinct), self.n_hash_features))[:, 1]
        return scores[[distinct[text] for text in texts]]

    def _fit_markup(self, X, y) -> np.ndarray:
        self.markup_model_, scores = fit_junk_model(self._hashed(X), y, self.markup_alpha, self.markup_folds,
                                                    self.random_state)
        return scores

    # --- DOM features -----------------------------------------------------------------

    def _dom_matrix(self, X, markup: np.ndarray) -> np.ndarray:
        width = self.n_features_out_ - len(self.text_features_.get_feature_names_out())
        out = np.zeros((len(X), width), dtype=np.float64)
        for doc, rows, indices in document_spans(X):
            scores = document_values(len(doc.paragraphs), indices, markup[rows])
            out[rows] = self._document_matrix(doc, scores)[indices]
        return out

    def _document_matrix(self, doc, markup: np.ndarray) -> np.ndarray:
        facts = [_facts(doc, i) for i in range(len(doc.paragraphs))]
        texts = [p.text for p in doc.paragraphs]
        words = np.array([len(text.split()) for text in texts], dtype=np.float64)
        element = element_features(facts, texts)
        link_density = element[:, ELEMENT_FEATURES.index("link_density")]
        columns = [
            element,
            np.column_stack([markup, side_mean(markup, -MARKUP_REACH), side_mean(markup, MARKUP_REACH)]),
            container_features(facts, words, markup),
            subtree_features(facts, words),
        ]
        neighbours = np.column_stack([markup, link_density])
        for offset in neighbour_offsets(self.window):
            columns.append(shift(neighbours, offset, fill=-1.0))
        if self.structure:
            columns.append(structure_features(facts, texts, words))
        return np.hstack(columns)


def _facts(doc, i: int) -> DomFacts:
    facts = doc.paragraphs[i].dom
    if facts is None:
        raise ValueError("the HTML model reads blocks of an HTML page; this paragraph has no DOM facts "
                         "(use the text model for text input)")
    return facts


def element_features(facts: list[DomFacts], texts: list[str]) -> np.ndarray:
    n = len(facts)
    out = np.zeros((n, len(ELEMENT_FEATURES)))
    depths = np.array([f.depth for f in facts], dtype=np.float64)
    median_depth = float(np.median(depths)) if n else 0.0
    landmark_column = {a: len(TAG_FEATURES) + k for k, a in enumerate(LANDMARK_TAGS)}
    base = len(TAG_FEATURES) + len(LANDMARK_TAGS)
    for row, (f, text) in enumerate(zip(facts, texts)):
        out[row, TAG_FEATURES.index(f"tag_{TAG_GROUPS.get(f.tag, 'other')}")] = 1.0
        for a in f.ancestors:
            out[row, landmark_column[a]] = 1.0
        out[row, base:] = (math.log1p(f.depth), f.depth - median_depth,
                           f.link_chars / max(len(text), 1), math.log1p(f.links), float(f.hidden))
    return out


def container_features(facts: list[DomFacts], words: np.ndarray, markup: np.ndarray) -> np.ndarray:
    """Facts of the block's container: the blocks with the same class/id path and depth.
    `words`: each block's word count."""
    numbers: dict[tuple, int] = {}
    container = np.array([numbers.setdefault((f.tokens, f.depth), len(numbers)) for f in facts], dtype=np.intp)
    out = np.zeros((len(facts), len(CONTAINER_FEATURES)))
    if not len(facts):
        return out
    blocks = np.bincount(container)
    container_words = np.bincount(container, weights=words)
    mean_markup = np.zeros(len(blocks))
    alone = blocks[container] == 1
    mean_markup[container[alone]] = markup[alone]
    for number in np.flatnonzero(blocks > 1):  # as numpy sums them, to the last bit
        mean_markup[number] = markup[container == number].mean()
    out[:, 0] = _log1p(blocks.astype(np.float64))[container]
    out[:, 1] = _log1p(container_words)[container]
    out[:, 2] = container_words[container] / (words.sum() or 1.0)
    out[:, 3] = mean_markup[container]
    out[1:, 4] = container[1:] == container[:-1]
    return out


def subtree_features(facts: list[DomFacts], words: np.ndarray) -> np.ndarray:
    """What each of a block's nearest block-level ancestors holds; -1 above the page's top.
    `words`: each block's word count."""
    n = len(facts)
    out = np.full((n, SUBTREE_LEVELS, len(SUBTREE_FEATURES) // SUBTREE_LEVELS), -1.0)
    levels = [f.subtrees[:SUBTREE_LEVELS] for f in facts]
    counts = np.fromiter(map(len, levels), dtype=np.intp, count=n)
    if counts.sum():
        page_words = int(words.sum()) or 1
        held, chars, link_chars, blocks = np.array(list(chain.from_iterable(levels)), dtype=np.float64).T
        rows = np.repeat(np.arange(n), counts)
        out[rows, np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)] = np.column_stack([
            _log1p(held), held / page_words, link_chars / np.maximum(chars, 1),
            _log1p(blocks), _log1p(held / np.maximum(blocks, 1)),
        ])
    return out.reshape(n, -1)


def _log1p(values: np.ndarray) -> np.ndarray:
    """log(1 + x) of each value, as `math.log1p` gives it (numpy's may differ in the last bit)."""
    return np.fromiter(map(math.log1p, values.tolist()), dtype=np.float64, count=len(values))
