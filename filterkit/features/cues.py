"""Paragraphs → cue features: which junk type's cue phrase a paragraph and its neighbours
open with, from the cue lexicons kept as data (`filterkit/lexicons`, see `junktypes`).

The lexicons name junk types; these columns only say that a cue is there. How much a cue
counts, and where ('Also Read' between two body paragraphs, 'Related' under the article),
the model learns from the training data, as it learns the weights of hashed words. They
matter most where the words are rare in the training data and the place misleads: a
short 'ALSO READ | headline' line inside the body reads like a subheading.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..document import JUNK_TYPES
from ..lexicons import ALL_LANGUAGES, load_lexicon
from .text import document_spans

# Bump whenever a change would make a saved model read these columns differently.
CUE_FEATURE_VERSION = 1
CUE_TYPES = tuple(t for t in JUNK_TYPES if t != "title")


class CueFeatures(TransformerMixin, BaseEstimator):
    """Turn `(Document, index)` rows into one-hot cue types of the paragraph and of its
    neighbours within `window` paragraphs (every lexicon at once: a cue is one phrase).

    Parameters
    ----------
    window : neighbours on each side whose cue type is a feature.
    """

    def __init__(self, window: int = 1):
        self.window = window

    def fit(self, X, y=None):
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        lexicon = load_lexicon(ALL_LANGUAGES)
        out = np.zeros((len(X), self.n_features_out_), dtype=np.float32)
        for doc, rows, indices in document_spans(X):
            codes = _cue_codes([p.text for p in doc.paragraphs], lexicon)
            out[rows] = self._document_matrix(codes)[indices]
        return out

    def get_feature_names_out(self, input_features=None):
        names = [f"cue_{t}" for t in CUE_TYPES]
        for offset in self._offsets():
            names += [f"cue_{t}@{offset:+d}" for t in CUE_TYPES]
        return np.asarray(names, dtype=object)

    def _offsets(self) -> list[int]:
        return [o for o in range(-self.window, self.window + 1) if o]

    def _document_matrix(self, codes: np.ndarray) -> np.ndarray:
        """codes: each paragraph's index in CUE_TYPES, or -1 where it opens with no cue."""
        n = len(codes)
        columns = [_one_hot(codes)]
        for offset in self._offsets():
            shifted = np.full(n, -1)
            source = np.arange(n) + offset
            inside = (source >= 0) & (source < n)
            shifted[inside] = codes[source[inside]]
            columns.append(_one_hot(shifted))
        return np.hstack(columns)


def _cue_codes(texts: list[str], lexicon) -> np.ndarray:
    return np.array([_cue_code(t) if len(t) <= CUE_CACHE_MAX_CHARS else _match_code(t, lexicon) for t in texts],
                    dtype=int)


# Codes of recent paragraphs, by text: settling reads a document's kept paragraphs again
# (filterkit.settle), and a site's pages repeat their menus and footers.
CUE_CACHE_MAX_CHARS = 2000


@lru_cache(maxsize=2**15)
def _cue_code(text: str) -> int:
    return _match_code(text, load_lexicon(ALL_LANGUAGES))


def _match_code(text: str, lexicon) -> int:
    cue = lexicon.match(text)
    return -1 if cue is None else CUE_TYPES.index(cue.junk_type)


def _one_hot(codes: np.ndarray) -> np.ndarray:
    out = np.zeros((len(codes), len(CUE_TYPES)), dtype=np.float32)
    has = codes >= 0
    out[np.flatnonzero(has), codes[has]] = 1.0
    return out
