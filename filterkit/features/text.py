"""Paragraphs → features: a scikit-learn transformer over paragraphs in their document.

A sample is one paragraph seen in its document: `X` is a sequence of `(Document, index)`
rows (see `paragraph_rows`). Per-document work (language, densest body run, repetition)
is done once for the consecutive rows of the same document.

Feature groups, all named by `get_feature_names_out`:
- shape: length, words, sentences, terminal punctuation, capitalisation, digits,
  links, handles, dates, bullets, stop-word density (jusText's stop lists);
- position: where the paragraph sits, and its distance to the densest run of prose;
- context: the same shape facts of the neighbours within `window` paragraphs;
- document: similarity to the title, repetition inside the document;
- lexical: a junk score from hashed word n-grams (a linear model fitted on the training
  paragraphs; out-of-fold on the training data, as `TargetEncoder` does), and its
  value for the neighbours. This is how 'Leave a Reply' or 'Also Read' are learned.
"""
from __future__ import annotations

import math
import re
from collections import Counter, OrderedDict
from functools import lru_cache
from itertools import chain, filterfalse, islice, repeat
from typing import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from ..document import Document

# Bump whenever a change would make a saved model read features differently.
FEATURE_VERSION = 4

STOPLIST_LANGUAGES = (
    "English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Polish",
    "Russian", "Swedish", "Czech", "Turkish", "Indonesian", "Danish", "Romanian", "Ukrainian",
)

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？](?=[\s\"'”’)\]]|$)")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|io|co|uk|de)\b", re.I)
_HANDLE = re.compile(r"(?<!\w)[@#]\w")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH} \d{{4}})",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪►–—]|\d{1,3}[.)])\s")
_TERMINAL = tuple('.!?…。！？"”’\')')

SHAPE_FEATURES = (
    "log_chars", "log_words", "sentences", "mean_word_length", "ends_terminal", "ends_colon",
    "ends_ellipsis", "starts_upper", "starts_bullet", "title_case_ratio", "upper_ratio",
    "digit_ratio", "punct_ratio", "has_url", "has_handle", "has_date", "has_copyright",
    "separators", "stopword_density", "commas_per_word", "bracketed",
    "exclamations", "questions", "conversational", "has_clock_time", "speaker_line",
)
LEXICAL_REACH = 6
_NEIGHBOUR_FEATURES = ("log_words", "ends_terminal", "stopword_density", "lexical_junk")
DOCUMENT_FEATURES = (
    "relative_position", "log_index", "log_index_from_end", "log_paragraphs",
    "words_before_share", "in_dense_run", "distance_to_dense_run", "dense_run_share",
    "window_log_words", "window_prose_share", "log_words_vs_median", "words_vs_max",
    "duplicates", "shared_opening", "title_similarity", "headline_like",
    "overlap_with_run", "overlap_with_document",
)


@lru_cache(maxsize=None)
def stoplist(language: str) -> frozenset[str]:
    import justext

    return frozenset(justext.get_stoplist(language))


def detect_language(tokens: Sequence[str]) -> str:
    """The language (of STOPLIST_LANGUAGES) whose stop list covers most of these tokens."""
    sample = Counter(tokens[:400])
    best, best_hits = "English", 0
    for language in STOPLIST_LANGUAGES:
        hits = sum(map(sample.__getitem__, stoplist(language).intersection(sample)))
        if hits > best_hits:
            best, best_hits = language, hits
    return best


def detect_stoplist(tokens: Sequence[str]) -> frozenset[str]:
    return stoplist(detect_language(tokens))


def paragraph_rows(documents: Sequence[Document]) -> list[tuple[Document, int]]:
    """The model's samples: every paragraph of every document, with its document."""
    return [(doc, i) for doc in documents for i in range(len(doc.paragraphs))]


def lexical_text(text: str) -> str:
    """What the lexical model reads: the opening and closing words, with edge markers and
    a length marker, so that word weights carry what the words say beyond 'short line'
    (a subheading and 'Also Read' are both short; only the words tell them apart)."""
    words = len(list(islice(_WORD.finditer(text), 9)))  # counted up to 9: past 8, it is long
    length = "xxlen1" if words <= 1 else "xxlen3" if words <= 3 else "xxlen8" if words <= 8 else "xxlenlong"
    text = text.lower()
    if len(text) > 200:
        text = f"{text[:150]} xxcut {text[-50:]}"
    return f"{length} xxbos {text} xxeos"


_PUNCTUATION = re.compile(r"[^\w\s]")
_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
# 'Sharon says', 'Jill Winger says:', 'admin wrote:' — who speaks next in a comment thread.
_SPEAKER = re.compile(r"\b(?:says|said|wrote|replied|commented)\s*:?$", re.I)
# Words of people talking to each other: comment threads, not articles.
_CONVERSATIONAL = frozenset("i me my mine im you your yours youre u thanks thank lol great love".split())
# Character ratios are read from the opening of a paragraph: enough to tell a menu or a
# date line from prose, and it keeps long paragraphs cheap.
_HEAD_CHARS = 300
# The first character of each word of `_WORD`.
_WORD_INITIAL = re.compile(r"\b\w")
# What separates the items of a menu or a breadcrumb trail: these characters, and a
# slash between spaces.
_SEPARATOR_CHARACTERS = "|•·»›"
_SPACED_SLASH = re.compile(r"\s/\s")


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _capitals(text: str) -> int:
    return sum(map(str.isupper, text))


def _digits(text: str) -> int:
    return sum(map(str.isdigit, text))


def _punctuation(text: str) -> int:
    return len(_PUNCTUATION.findall(text))


_CHARACTER_KINDS = (_letters, _capitals, _digits, _punctuation)
# For each kind, the ASCII characters not of it: deleting them from ASCII text leaves
# the characters of that kind, counted without a Python call per character.
_ASCII_NOT_OF_KIND = tuple(bytes(c for c in range(128) if not count(chr(c))) for count in _CHARACTER_KINDS)
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


def _character_counts(text: str) -> list[int]:
    """How many of `text`'s characters are letters, capitals, digits (as `str.isalpha`,
    `str.isupper` and `str.isdigit` tell) and punctuation (neither word nor space)."""
    ascii_text = text.encode("ascii", "ignore")
    counts = [len(ascii_text.translate(None, others)) for others in _ASCII_NOT_OF_KIND]
    if len(ascii_text) < len(text):
        beyond_ascii = _ASCII_RUNS.sub("", text)
        counts = [n + count(beyond_ascii) for n, count in zip(counts, _CHARACTER_KINDS)]
    return counts


def _separator_count(text: str) -> int:
    """How many separators `text` holds (no separator character is part of a spaced slash)."""
    spaced_slashes = len(_SPACED_SLASH.findall(text)) if "/" in text else 0
    return sum(map(text.count, _SEPARATOR_CHARACTERS)) + spaced_slashes


def _found(pattern: re.Pattern, text: str, marks: tuple[str, ...]) -> bool:
    """Whether `pattern` matches in `text`; every match holds one of `marks`, which are
    looked for first."""
    return any(map(text.__contains__, marks)) and pattern.search(text) is not None


# Shapes of recent paragraphs, by text: settling reads a document's kept paragraphs
# again (filterkit.settle), and a site's pages repeat their menus and footers. Long
# paragraphs are not kept: they are rarely repeated and would hold memory.
SHAPE_CACHE_SIZE = 2**15
SHAPE_CACHE_MAX_CHARS = 2000


def text_shape(text: str, tokens: list[str], stopwords: frozenset[str]) -> tuple[float, ...]:
    """`shape_features`, remembered for recent short texts."""
    if len(text) > SHAPE_CACHE_MAX_CHARS:
        return tuple(shape_features(text, tokens, stopwords))
    return _remembered_shape(text, tuple(tokens), stopwords)


@lru_cache(maxsize=SHAPE_CACHE_SIZE)
def _remembered_shape(text: str, tokens: tuple[str, ...], stopwords: frozenset[str]) -> tuple[float, ...]:
    return tuple(shape_features(text, tokens, stopwords))


def shape_features(text: str, tokens: list[str], stopwords: frozenset[str]) -> list[float]:
    n_chars = len(text)
    n_words = len(tokens)
    stripped = text.strip()
    head = text[:_HEAD_CHARS]
    head_chars = len(head) or 1
    letters, capitals, digits, punctuation = _character_counts(head)
    initials = _WORD_INITIAL.findall(head)
    per_word = 1.0 / n_words if n_words else 0.0
    return [
        math.log1p(n_chars),
        math.log1p(n_words),
        min(len(_SENTENCE_END.findall(text)), 20),
        sum(map(len, tokens)) * per_word,
        float(stripped.endswith(_TERMINAL)),
        float(stripped.endswith(":")),
        float(stripped.endswith(("…", "..."))),
        float(stripped[:1].isupper()),
        float(bool(_BULLET.match(text))),
        sum(map(str.isupper, initials)) / len(initials) if initials else 0.0,
        capitals / (letters or 1),
        digits / head_chars,
        punctuation / head_chars,
        float(_found(_URL, text, ("://", "."))),
        float(_found(_HANDLE, text, ("@", "#"))),
        float(bool(digits) and _DATE.search(head) is not None),
        float("©" in text or "(c)" in head.lower()),
        min(_separator_count(head), 10),
        sum(map(stopwords.__contains__, tokens)) * per_word,
        text.count(",") * per_word,
        float(stripped[:1] in "([" and stripped[-1:] in ")]"),
        min(text.count("!"), 5),
        min(text.count("?"), 5),
        sum(map(_CONVERSATIONAL.__contains__, tokens)) * per_word,
        float(bool(digits) and _found(_CLOCK_TIME, head, (":",))),
        float(n_words <= 8 and bool(_SPEAKER.search(stripped))),
    ]


class ParagraphFeatures(TransformerMixin, BaseEstimator):
    """Turn `(Document, index)` rows into a dense feature matrix.

    Parameters
    ----------
    window : neighbours on each side whose shape and lexical score are features.
    lexical : learn the hashed n-gram junk score (False drops those columns).
    n_hash_features : size of the hashed n-gram space.
    lexical_alpha : L2 regularisation of the lexical model.
    lexical_folds : folds for the out-of-fold lexical score of the training rows.
    """

    def __init__(self, window: int = 2, lexical: bool = True, n_hash_features: int = 2**18,
                 lexical_alpha: float = 2e-6, lexical_folds: int = 5, random_state: int = 0):
        self.window = window
        self.lexical = lexical
        self.n_hash_features = n_hash_features
        self.lexical_alpha = lexical_alpha
        self.lexical_folds = lexical_folds
        self.random_state = random_state

    # --- scikit-learn API ---------------------------------------------------------

    def fit(self, X, y=None):
        self._fit_lexical(X, y)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        # Like TargetEncoder: the training rows get out-of-fold lexical scores, so the
        # next step does not learn to trust a score that has seen the rows' labels.
        scores = self._fit_lexical(X, y, out_of_fold=True)
        return self._transform(X, scores)

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        return self._transform(X, self._lexical_scores(X))

    def get_feature_names_out(self, input_features=None):
        names = [*SHAPE_FEATURES, *DOCUMENT_FEATURES]
        if self.lexical:
            names += ["lexical_junk", "lexical_junk_above", "lexical_junk_below",
                      "in_fenced_run", "distance_to_fenced_run", "position_in_fenced_run",
                      *SEGMENT_FEATURES]
        for offset in neighbour_offsets(self.window):
            names += [f"{name}@{offset:+d}" for name in self._neighbour_features()]
        return np.asarray(names, dtype=object)

    # --- lexical score --------------------------------------------------------------

    def _fit_lexical(self, X, y, out_of_fold: bool = False):
        self.n_features_out_ = len(self.get_feature_names_out())
        if not self.lexical:
            self.lexical_model_ = None
            return None
        if y is None:
            raise ValueError("ParagraphFeatures needs labels to learn its lexical score")
        hashed = hashed_ngrams([lexical_text(doc.paragraphs[i].text) for doc, i in X], self.n_hash_features)
        self.lexical_model_, scores = fit_junk_model(hashed, y, self.lexical_alpha, self.lexical_folds,
                                                     self.random_state, out_of_fold)
        return scores

    def _lexical_scores(self, X):
        if not self.lexical:
            return None
        hashed = lexical_ngrams([doc.paragraphs[i].text for doc, i in X], self.n_hash_features)
        return self.lexical_model_.predict_proba(hashed)[:, 1]

    # --- features ---------------------------------------------------------------------

    def _neighbour_features(self) -> tuple[str, ...]:
        return _NEIGHBOUR_FEATURES if self.lexical else _NEIGHBOUR_FEATURES[:-1]

    def _transform(self, X, lexical_scores) -> np.ndarray:
        out = np.zeros((len(X), self.n_features_out_), dtype=np.float32)
        for doc, rows, indices in document_spans(X):
            lexical = None
            if lexical_scores is not None:
                lexical = document_values(len(doc.paragraphs), indices, lexical_scores[rows])
            out[rows] = self._document_matrix(doc, lexical)[indices]
        return out

    def _document_matrix(self, doc: Document, lexical) -> np.ndarray:
        texts = [p.text for p in doc.paragraphs]
        tokens = [_WORD.findall(t.lower()) for t in texts]
        stopwords = detect_stoplist(list(chain.from_iterable(tokens)))
        # Menus, share bars and comment threads repeat their lines: measure each text once.
        shapes = {t: text_shape(t, ts, stopwords) for t, ts in dict(zip(texts, tokens)).items()}
        shape = np.array([shapes[t] for t in texts], dtype=np.float64).reshape(len(texts), len(SHAPE_FEATURES))
        document = document_features(texts, tokens, shape, doc.title, stopwords)
        columns = [shape, document]
        neighbour_source = [shape[:, SHAPE_FEATURES.index(name)] for name in _NEIGHBOUR_FEATURES[:-1]]
        if lexical is not None:
            columns.append(np.column_stack([lexical, side_mean(lexical, -LEXICAL_REACH),
                                            side_mean(lexical, LEXICAL_REACH),
                                            fenced_run_features(texts, shape, lexical),
                                            segment_features(tokens, shape, lexical, stopwords)]))
            neighbour_source.append(lexical)
        neighbour_source = np.column_stack(neighbour_source)
        for offset in neighbour_offsets(self.window):
            columns.append(shift(neighbour_source, offset, fill=-1.0))
        return np.hstack(columns)


def hashed_ngrams(texts: list[str], n_features: int):
    """Word unigrams and bigrams hashed into `n_features` columns (l2-normalised), as
    `HashingVectorizer(ngram_range=(1, 2), lowercase=False, alternate_sign=False)` hashes
    them; identical texts are hashed once."""
    hasher = FeatureHasher(n_features=n_features, input_type="pair", alternate_sign=False)
    distinct = {text: k for k, text in enumerate(dict.fromkeys(texts))}
    hashed = hasher.transform(zip(word_ngrams(text), repeat(1)) for text in distinct)
    return normalize(hashed, norm="l2", copy=False)[[distinct[text] for text in texts]]


def word_ngrams(text: str) -> list[str]:
    """The words of `text`, then each two consecutive words joined by a space."""
    words = _WORD.findall(text)
    return words + list(map(" ".join, zip(words, words[1:])))


# Hashed rows of recent paragraphs, by text and width: settling reads a document's kept
# paragraphs again. Long paragraphs are not kept, as for shapes.
LEXICAL_CACHE_SIZE = 2**15
LEXICAL_CACHE_MAX_CHARS = 2000
_remembered_rows: OrderedDict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = OrderedDict()


def lexical_ngrams(texts: list[str], n_features: int) -> csr_matrix:
    """`hashed_ngrams` of the `lexical_text` of each text, the rows of recent texts remembered."""
    rows = {text: _remembered_rows.get((text, n_features)) for text in texts}
    unseen = [text for text, row in rows.items() if row is None]
    if unseen:
        hashed = hashed_ngrams([lexical_text(text) for text in unseen], n_features)
        for text, row in zip(unseen, _matrix_rows(hashed)):
            rows[text] = row
            if len(text) <= LEXICAL_CACHE_MAX_CHARS:
                _remembered_rows[text, n_features] = row
        while len(_remembered_rows) > LEXICAL_CACHE_SIZE:
            _remembered_rows.popitem(last=False)
    return _stacked_rows([rows[text] for text in texts], n_features)


def _matrix_rows(matrix: csr_matrix) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each row of `matrix` as its own column indices and values."""
    bounds = matrix.indptr.tolist()
    return [(matrix.indices[start:stop].copy(), matrix.data[start:stop].copy())
            for start, stop in zip(bounds, bounds[1:])]


def _stacked_rows(rows: list[tuple[np.ndarray, np.ndarray]], n_features: int) -> csr_matrix:
    """The CSR matrix of these rows (of `_matrix_rows`)."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(indices) for indices, _ in rows], out=indptr[1:])
    indices = np.concatenate([indices for indices, _ in rows])
    values = np.concatenate([values for _, values in rows])
    return csr_matrix((values, indices, indptr), shape=(len(rows), n_features))


def fit_junk_model(hashed, y, alpha: float, folds: int, random_state: int, out_of_fold: bool = True):
    """A logistic model of P(junk) on hashed words, and (when `out_of_fold`) its
    out-of-fold scores for the training rows, as `TargetEncoder` does: the next step must
    not learn to trust a score that has seen the rows' labels."""
    junk = 1 - np.asarray(y, dtype=int)
    model = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=20, tol=None, random_state=random_state)
    model.fit(hashed, junk)
    if not out_of_fold:
        return model, None
    splits = KFold(folds)  # rows come grouped by document: keep them together
    return model, cross_val_predict(model, hashed, junk, cv=splits, method="predict_proba")[:, 1]


def neighbour_offsets(window: int) -> list[int]:
    """The offsets of the neighbours within `window` paragraphs on each side."""
    return [o for o in range(-window, window + 1) if o]


def document_values(n: int, indices, values: np.ndarray) -> np.ndarray:
    """A per-paragraph value for all `n` paragraphs of a document, from the `values` of
    the rows asked for (`indices`); the paragraphs not asked for get their mean."""
    out = np.full(n, np.nan)
    out[indices] = values
    if np.isnan(out).any():
        out = np.where(np.isnan(out), np.nanmean(out), out)
    return out


def document_spans(X):
    """(document, slice of rows, paragraph indices) for each run of rows of one document."""
    start = 0
    while start < len(X):
        doc = X[start][0]
        stop = start
        while stop < len(X) and X[stop][0] is doc:
            stop += 1
        yield doc, slice(start, stop), [i for _, i in X[start:stop]]
        start = stop


# A short line the lexical model is this sure is junk ('3 Comments', 'Related Posts')
# fences the article off from what follows it.
FENCE_SCORE = 0.85
FENCE_WORDS = 8


def fenced_run_features(texts, shape: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    """The densest run of prose that does not cross a fence line: in it, signed distance
    to it, and relative position inside it."""
    words = np.expm1(shape[:, SHAPE_FEATURES.index("log_words")])
    values = prose_values(words, texts, shape[:, SHAPE_FEATURES.index("ends_terminal")])
    values = np.where((lexical >= FENCE_SCORE) & (words <= FENCE_WORDS), -200.0, values)
    start, stop = densest_run(values)
    distance = run_distance(len(texts), start, stop)
    position = np.clip((np.arange(len(texts)) - start) / max(stop - start, 1), -1.0, 2.0)
    return np.column_stack([(distance == 0).astype(float), np.sign(distance) * np.log1p(np.abs(distance)),
                            position])


SEGMENT_FEATURES = (
    "segment_is_main", "segment_side", "segment_word_share", "segment_conversational",
    "segment_overlap_with_main", "segment_lexical_junk", "segment_prose_share",
)


def segment_features(tokens, shape: np.ndarray, lexical: np.ndarray, stopwords) -> np.ndarray:
    """Facts about the block a paragraph sits in. Fence lines (short, surely junk) cut the
    document into segments; the main segment holds the most prose. A comment thread or a
    'Republish this article' block is a segment after the main one, talking among itself
    or about something else; the rest of an article after 'Also Read' is on its topic."""
    n = len(tokens)
    words = np.array([len(t) for t in tokens], dtype=np.float64)
    fence = (lexical >= FENCE_SCORE) & (words <= FENCE_WORDS)
    segment = np.cumsum(fence)  # a fence line opens the segment after it
    ends_terminal = shape[:, SHAPE_FEATURES.index("ends_terminal")] > 0
    prose_words = np.where(ends_terminal & (words >= 8), words, 0.0)
    count = segment.max() + 1
    segment_prose = np.bincount(segment, weights=prose_words, minlength=count)
    main = int(np.argmax(segment_prose))
    conversational = shape[:, SHAPE_FEATURES.index("conversational")] * words
    segment_words = [set(chain.from_iterable(tokens[i] for i in np.flatnonzero(segment == k))).difference(stopwords)
                     for k in range(count)]
    overlap = np.array([_share(seg_words, segment_words[main]) for seg_words in segment_words])
    seg_words_total = np.bincount(segment, weights=words, minlength=count)
    seg_size = np.bincount(segment, minlength=count)
    safe_words = np.maximum(seg_words_total, 1.0)
    columns = np.column_stack([
        (segment == main).astype(float),
        np.sign(segment - main),
        seg_words_total[segment] / max(words.sum(), 1.0),
        (np.bincount(segment, weights=conversational, minlength=count) / safe_words)[segment],
        overlap[segment],
        (np.bincount(segment, weights=lexical, minlength=count) / np.maximum(seg_size, 1))[segment],
        (segment_prose / safe_words)[segment],
    ])
    return columns.reshape(n, len(SEGMENT_FEATURES))


def side_mean(values: np.ndarray, reach: int) -> np.ndarray:
    """Mean of the |reach| values above (reach < 0) or below (reach > 0) each row, itself
    excluded; -1 where there are none. A comment section sits *below* junky lines."""
    n = len(values)
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(n)
    if reach < 0:
        lo, hi = np.clip(index + reach, 0, n), index
    else:
        lo, hi = index + 1, np.clip(index + 1 + reach, 0, n)
    count = hi - lo
    total = cumulative[hi] - cumulative[lo]
    return np.where(count > 0, total / np.maximum(count, 1), -1.0)


def shift(values: np.ndarray, offset: int, fill: float) -> np.ndarray:
    """Row i gets values[i + offset]; rows past either end get `fill`."""
    out = np.full_like(values, fill)
    n = len(values)
    if offset > 0 and offset < n:
        out[: n - offset] = values[offset:]
    elif offset < 0 and -offset < n:
        out[-offset:] = values[: n + offset]
    return out


def document_features(texts, tokens, shape: np.ndarray, title: str | None,
                      stopwords: frozenset[str] = frozenset()) -> np.ndarray:
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(DOCUMENT_FEATURES)))
    words = np.array([len(t) for t in tokens], dtype=np.float64)
    log_words = shape[:, SHAPE_FEATURES.index("log_words")]
    ends_terminal = shape[:, SHAPE_FEATURES.index("ends_terminal")]
    values = prose_values(words, texts, ends_terminal)
    prose = values > 0
    index = np.arange(n, dtype=np.float64)
    run_start, run_stop = densest_run(values)
    distance = run_distance(n, run_start, run_stop)
    total_words = words.sum() or 1.0
    duplicates, shared_opening = repetition(texts, tokens)
    title_tokens = _title_tokens(title, tokens, shape)
    in_run = (index >= run_start) & (index < run_stop)
    word_sets = [set(t) for t in tokens]
    run_overlap, document_overlap = topical_overlap(word_sets, in_run, stopwords)
    return np.column_stack([
        index / max(n - 1, 1),
        np.log1p(index),
        np.log1p(n - 1 - index),
        np.full(n, math.log1p(n)),
        (np.cumsum(words) - words) / total_words,
        (distance == 0).astype(float),
        np.sign(distance) * np.log1p(np.abs(distance)),
        np.full(n, words[run_start:run_stop].sum() / total_words),
        window_mean(log_words, 3),
        window_mean(prose.astype(float), 3),
        log_words - np.median(log_words),
        words / (words.max() or 1.0),
        duplicates,
        shared_opening,
        [_jaccard(words, title_tokens) for words in word_sets],
        ((words >= 3) & (words <= 25) & (ends_terminal == 0)).astype(float),
        run_overlap,
        document_overlap,
    ])


def topical_overlap(word_sets, in_run, stopwords) -> tuple[np.ndarray, np.ndarray]:
    """Share of a paragraph's content words (of its set of words) found in *other*
    paragraphs: of the densest run, and of the whole document. A subheading shares words
    with the article around it; 'Also Read', a menu or a teaser for another story does not."""
    content = [set(filterfalse(str.isdigit, words.difference(stopwords))) for words in word_sets]
    in_document = Counter(chain.from_iterable(content))
    in_run_count = Counter(chain.from_iterable(words for words, inside in zip(content, in_run) if inside))
    in_other_paragraphs = _counted_more_than_once(in_document)
    # A paragraph of the run finds its words in another of the run where they are twice.
    run_words, in_run_twice = set(in_run_count), _counted_more_than_once(in_run_count)
    run_overlap = [_share(words, in_run_twice if inside else run_words) for words, inside in zip(content, in_run)]
    document_overlap = [_share(words, in_other_paragraphs) for words in content]
    return np.array(run_overlap, dtype=np.float64), np.array(document_overlap, dtype=np.float64)


def _counted_more_than_once(counts: Counter) -> set:
    return {key for key, count in counts.items() if count > 1}


def _share(words: set, found: set) -> float:
    """The share of `words` in `found` (0 for no words)."""
    return len(words & found) / len(words) if words else 0.0


def window_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of values[i - window : i + window + 1], clipped at the document's edges."""
    n = len(values)
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    lo = np.clip(np.arange(n) - window, 0, n)
    hi = np.clip(np.arange(n) + window + 1, 0, n)
    return (cumulative[hi] - cumulative[lo]) / (hi - lo)


def prose_values(words: np.ndarray, texts, ends_terminal: np.ndarray) -> np.ndarray:
    """What each paragraph adds to a run of prose: its size (words, or characters / 6 for
    scripts without spaces, capped at 80) when it is a finished sentence of 8 or more,
    otherwise a penalty of -6."""
    size = np.maximum(words, np.array([len(t) for t in texts]) / 6.0)
    return np.where((size >= 8) & (ends_terminal > 0), np.minimum(size, 80.0), -6.0)


def run_distance(n: int, start: int, stop: int) -> np.ndarray:
    """Signed distance of each paragraph to the run [start, stop): 0 inside it."""
    index = np.arange(n, dtype=np.float64)
    return np.where(index < start, index - start, np.where(index >= stop, index - stop + 1, 0.0))


def densest_run(values: np.ndarray) -> tuple[int, int]:
    """The contiguous run [start, stop) with the largest sum (Kadane)."""
    best, best_span = -math.inf, (0, 0)
    current, start = 0.0, 0
    for i, value in enumerate(values.tolist()):
        if current <= 0:
            current, start = value, i
        else:
            current += value
        if current > best:
            best, best_span = current, (start, i + 1)
    return best_span


def repetition(texts, tokens) -> tuple[np.ndarray, np.ndarray]:
    """How often each paragraph's text, and its first four words, recur in the document."""
    normalised = [" ".join(t) for t in tokens]
    openings = [" ".join(t[:4]) if len(t) >= 4 else "" for t in tokens]
    text_counts, opening_counts = Counter(normalised), Counter(openings)
    duplicates = np.array([math.log1p(text_counts[k] - 1) if k else 0.0 for k in normalised])
    shared = np.array([float(bool(k) and opening_counts[k] > 1) for k in openings])
    return duplicates, shared


def _title_tokens(title, tokens, shape) -> set[str]:
    if title:
        return set(_WORD.findall(title.lower()))
    # No title given: a short first line without final punctuation is probably the headline.
    if tokens and 0 < len(tokens[0]) <= 25 and not shape[0, SHAPE_FEATURES.index("ends_terminal")]:
        return set(tokens[0])
    return set()


def _jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
