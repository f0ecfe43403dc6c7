"""Repeated boilerplate across a corpus: text on many pages of one site is chrome.

Two passes. Pass 1 (`BoilerplateCounter`) reads every document of a corpus and counts,
per source group (a site: the host of a `url` field, or the value of any field the
user names), on how many distinct documents each normalised paragraph occurs. Pass 2
(`BoilerplateFilter`) takes a classified `Document` and relabels as `chrome` the body
paragraphs that occur on at least `min_documents` other documents of its group.

    counts = count_items(read_records(paths, "text", "auto"), group_field="url")  # pass 1
    counts.save("counts.npz")

    relabel = RecordRelabeller(BoilerplateCounts.load("counts.npz"), BoilerplateFilter())
    document = relabel(record, filter.classify(record["text"]))                # pass 2

(`read_records` from `filterkit.records`; for documents that are not JSONL records,
`count_corpus((group, texts) for ...)` and `BoilerplateFilter().relabel(document,
counts, group)`.) The filter's defaults and what they gain on wcxb-dev (little) are in
`docs/boilerplate-signal.md`.

Paragraphs are normalised as CCNet does for deduplication (lower case, accents
stripped, digits to 0, punctuation and symbols dropped, whitespace collapsed) and
hashed with the group into one 64-bit key (BLAKE2b). Counts live in two sorted NumPy
arrays: 12 bytes per distinct (group, paragraph) pair (an 8-byte key and a 4-byte
document count), plus about 100 bytes per group for its document count. While counting,
new keys wait in a buffer of `buffer_size` 8-byte entries and are merged into the
sorted arrays when it fills; a merge briefly needs about three times the arrays. A
million documents of 50 distinct paragraphs each, none shared, would take 600 MB; saved
counts keep only pairs seen on two or more documents, usually a small fraction.
Two different (group, paragraph) pairs share a key with probability about n / 2**64
for n keys: negligible, and a collision only inflates one paragraph's count.
"""
from __future__ import annotations

import os
import re
import unicodedata
import zipfile
import zlib
from array import array
from hashlib import blake2b
from typing import Iterable
from urllib.parse import urlsplit

import numpy as np
from sklearn.base import BaseEstimator

from ..document import Decision, Document
from ..errors import InputError

KEY_DTYPE = np.uint64
COUNT_DTYPE = np.uint32
_DIGIT = re.compile(r"\d")
_NOT_WORD = re.compile(r"[\W_]+")
FORMAT_VERSION = 1


# --- normalisation and hashing ---------------------------------------------------------------


def normalise(text: str) -> str:
    """CCNet-style normal form for finding repeats: 'Sign up – 2 FREE issues!' and
    'sign up 3 free issues' both become 'sign up 0 free issues'."""
    text = text.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = _DIGIT.sub("0", text)
    return _NOT_WORD.sub(" ", text).strip()


def _hash(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def group_key(group: str) -> int:
    """The 64-bit key of a source group."""
    return _hash(group)


def paragraph_keys(group: str, texts: Iterable[str]) -> list[int | None]:
    """One 64-bit key per paragraph, for its normal form within `group`; None for a
    paragraph with nothing left after normalisation (only punctuation or symbols)."""
    keys = []
    for text in texts:
        normal = normalise(text)
        keys.append(_hash(f"{group}\x00{normal}") if normal else None)
    return keys


def source_group(record: dict, field: str = "url") -> str | None:
    """The group a record's document belongs to: the host (without 'www.') when the
    field holds a URL, otherwise the field's value itself; None when it has neither."""
    value = record.get(field)
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value).strip()
    if "://" in value:
        host = urlsplit(value).hostname
        return host.removeprefix("www.") if host else None
    return value or None


# --- counts ------------------------------------------------------------------------------


class BoilerplateCounts:
    """On how many documents of each group each normalised paragraph occurs.

    `keys` (sorted, unique uint64) and `documents` (uint32) are parallel arrays;
    `group_keys` (sorted, unique) and `group_documents` give each group's number of
    documents. Build with `BoilerplateCounter`; `save`/`load` an `.npz` file."""

    def __init__(self, keys, documents, group_keys, group_documents):
        self.keys = np.asarray(keys, dtype=KEY_DTYPE)
        self.documents = np.asarray(documents, dtype=COUNT_DTYPE)
        self.group_keys = np.asarray(group_keys, dtype=KEY_DTYPE)
        self.group_documents = np.asarray(group_documents, dtype=COUNT_DTYPE)
        if self.keys.shape != self.documents.shape or self.group_keys.shape != self.group_documents.shape:
            raise ValueError("keys and their counts must have the same length")

    def __len__(self) -> int:
        return len(self.keys)

    def group_size(self, group: str | None) -> int:
        """How many documents of `group` were counted (0 when none, or when pruned)."""
        if group is None:
            return 0
        return int(_lookup(self.group_keys, self.group_documents, np.array([group_key(group)], KEY_DTYPE))[0])

    def occurrences(self, group: str | None, texts: Iterable[str]) -> np.ndarray:
        """For each paragraph, on how many counted documents of `group` it occurs."""
        keys = paragraph_keys(group, texts) if group is not None else [None for _ in texts]
        found = np.array([k if k is not None else 0 for k in keys], dtype=KEY_DTYPE)
        counts = _lookup(self.keys, self.documents, found)
        counts[[k is None for k in keys]] = 0
        return counts

    def pruned(self, min_documents: int = 2) -> "BoilerplateCounts":
        """Only the paragraphs seen on at least `min_documents` documents, and only the
        groups with that many documents. Merge counts of several shards before pruning."""
        keep = self.documents >= min_documents
        keep_groups = self.group_documents >= min_documents
        return BoilerplateCounts(self.keys[keep], self.documents[keep],
                                 self.group_keys[keep_groups], self.group_documents[keep_groups])

    def merged(self, other: "BoilerplateCounts") -> "BoilerplateCounts":
        """The counts of two disjoint sets of documents (e.g. two shards counted apart)."""
        keys, documents = _merge(self.keys, self.documents, other.keys, other.documents)
        group_keys, group_documents = _merge(self.group_keys, self.group_documents,
                                             other.group_keys, other.group_documents)
        return BoilerplateCounts(keys, documents, group_keys, group_documents)

    def save(self, path: str | os.PathLike) -> None:
        """Write an `.npz` file (atomically: under a temporary name, then renamed)."""
        path = os.fspath(path)
        tmp = f"{path}.tmp.npz"
        try:
            np.savez_compressed(tmp, format_version=FORMAT_VERSION, keys=self.keys, documents=self.documents,
                                group_keys=self.group_keys, group_documents=self.group_documents)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "BoilerplateCounts":
        """Counts that `save` wrote. InputError when the file holds no such counts (truncated,
        corrupt, another kind of file); ValueError when they are of another format version."""
        arrays = _read_npz(path)
        version = int(arrays["format_version"]) if "format_version" in arrays else None
        if version != FORMAT_VERSION:
            raise ValueError(f"{path}: boilerplate counts of format {version}, expected "
                             f"{FORMAT_VERSION}; count the corpus again with this filterkit")
        try:
            return cls(*(arrays[name] for name in _ARRAYS))
        except (KeyError, ValueError) as exc:
            raise _not_counts(path) from exc


_ARRAYS = ("keys", "documents", "group_keys", "group_documents")
# What np.load raises on a file that is not a complete .npz of plain arrays.
_NPZ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, TypeError, ValueError)


def _read_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except _NPZ_ERRORS as exc:
        raise _not_counts(path) from exc


def _not_counts(path: str | os.PathLike) -> InputError:
    return InputError(f"{os.fspath(path)}: not boilerplate counts (a truncated or corrupt file, or "
                      "not written by `filterkit boilerplate count`); count the corpus again")


def _lookup(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """values[keys == w] for each w in wanted, 0 where absent (keys sorted)."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, values[at], 0).astype(np.int64)


def _merge(keys_a, counts_a, keys_b, counts_b) -> tuple[np.ndarray, np.ndarray]:
    """Sum two key → count tables (each sorted and unique) into one."""
    keys, inverse = np.unique(np.concatenate([keys_a, keys_b]), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([counts_a, counts_b]), minlength=len(keys))
    return keys.astype(KEY_DTYPE), counts.astype(COUNT_DTYPE)


class BoilerplateCounter:
    """Pass 1: add every document of a corpus (its group and paragraph texts), then
    take `counts()`. Memory: see the module's docstring."""

    def __init__(self, buffer_size: int = 1 << 22):
        if buffer_size < 1:
            raise ValueError(f"buffer_size must be at least 1, got {buffer_size}")
        self.buffer_size = buffer_size
        self._buffer = array("Q")
        self._keys = np.zeros(0, KEY_DTYPE)
        self._documents = np.zeros(0, COUNT_DTYPE)
        self._groups: dict[int, int] = {}

    def add(self, group: str | None, texts: Iterable[str]) -> None:
        """Count one document. A document without a group is not counted."""
        if group is None:
            return
        gkey = group_key(group)
        self._groups[gkey] = self._groups.get(gkey, 0) + 1
        # A paragraph repeated inside one document counts once: the signal is across pages.
        self._buffer.extend({k for k in paragraph_keys(group, texts) if k is not None})
        if len(self._buffer) >= self.buffer_size:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        keys, counts = np.unique(np.frombuffer(self._buffer, dtype=KEY_DTYPE), return_counts=True)
        self._keys, self._documents = _merge(self._keys, self._documents, keys, counts)
        self._buffer = array("Q")

    def counts(self, min_documents: int = 2) -> BoilerplateCounts:
        """The counts so far, keeping only what occurs on at least `min_documents`
        documents (1 keeps everything, for merging with other shards' counts later)."""
        self._flush()
        groups = np.array(sorted(self._groups), dtype=KEY_DTYPE)
        sizes = np.array([self._groups[int(g)] for g in groups], dtype=COUNT_DTYPE)
        return BoilerplateCounts(self._keys, self._documents, groups, sizes).pruned(min_documents)


def count_corpus(documents: Iterable[tuple[str | None, Iterable[str]]], min_documents: int = 2,
                 buffer_size: int = 1 << 22) -> BoilerplateCounts:
    """Pass 1 in one call: `documents` yields (group, paragraph texts) pairs."""
    counter = BoilerplateCounter(buffer_size)
    for group, texts in documents:
        counter.add(group, texts)
    return counter.counts(min_documents)


def count_items(items: Iterable, group_field: str = "url", min_documents: int = 2,
                buffer_size: int = 1 << 22) -> BoilerplateCounts:
    """Pass 1 over JSON Lines records as `filterkit.records.read_records` yields them
    (objects with `.record` and `.document`): an item that could not be read, or whose
    record has no group, is not counted. Reading the records the way cleaning reads them
    makes the counted paragraphs the very paragraphs the post-filter will look up."""
    return count_corpus(((source_group(item.record, group_field), item.document.texts)
                         for item in items if item.document is not None and item.record is not None),
                        min_documents, buffer_size)


# --- the post-filter ---------------------------------------------------------------------


class BoilerplateFilter(BaseEstimator):
    """Pass 2: relabel as `chrome` the body paragraphs of a classified document that
    occur on at least `min_documents` other documents of its group.

    min_documents: how many other documents of the group must hold the paragraph.
    max_words: paragraphs longer than this are left alone (None: no limit).
    min_group_documents: apply only to groups with at least this many documents.
    min_run: relabel only runs of at least this many consecutive repeated paragraphs
        (a menu or a footer), not a lone repeated line between unique ones (a
        template's 'Condition:' or 'Note:' inside the body).
    edges_only: relabel only before the first and after the last body paragraph that
        stays body: the frame around the article, not template lines inside it.
    max_repeated_share: apply only when at most this share of the document's body
        characters would be relabelled; a page whose body is mostly repeated is more
        likely a duplicate or near-duplicate page than a page made of chrome.
    """

    def __init__(self, min_documents: int = 1, max_words: int | None = 50, min_group_documents: int = 2,
                 min_run: int = 3, edges_only: bool = True, max_repeated_share: float = 1.0):
        if min_documents < 1 or min_run < 1:
            raise ValueError(f"min_documents and min_run must be at least 1, got {min_documents} and {min_run}")
        if not 0.0 <= max_repeated_share <= 1.0:
            raise ValueError(f"max_repeated_share must lie in [0, 1], got {max_repeated_share}")
        self.min_documents = min_documents
        self.max_words = max_words
        self.min_group_documents = min_group_documents
        self.min_run = min_run
        self.edges_only = edges_only
        self.max_repeated_share = max_repeated_share

    def repeated(self, texts: list[str], is_body: Iterable[bool], others: np.ndarray,
                 group_size: int) -> np.ndarray:
        """Which paragraphs to relabel, given for each how many *other* documents of the
        group hold it, and the group's number of documents."""
        is_body = np.fromiter(is_body, dtype=bool, count=len(texts))
        if group_size < max(self.min_group_documents, self.min_documents + 1):
            return np.zeros(len(texts), dtype=bool)
        repeats = np.asarray(others) >= self.min_documents
        hits = is_body & repeats & (run_lengths(repeats) >= self.min_run)
        if self.max_words is not None:
            hits &= np.array([hit and len(normalise(t).split()) <= self.max_words for t, hit in zip(texts, hits)],
                             dtype=bool)
        if self.edges_only:
            hits &= outside_body(is_body & ~hits)
        lengths = np.array([len(t) for t in texts])
        body_chars = lengths[is_body].sum()
        if body_chars and lengths[hits].sum() / body_chars > self.max_repeated_share:
            return np.zeros(len(texts), dtype=bool)
        return hits

    def relabel(self, document: Document, counts: BoilerplateCounts, group: str | None,
                counted: bool = True) -> Document:
        """The document with its repeated body paragraphs relabelled `chrome`.

        counted: the counts include this document (the usual two passes over one
        corpus), so one occurrence of each of its paragraphs is its own."""
        labelled = list(document.labelled())
        own = 1 if counted else 0
        texts = document.texts
        others = counts.occurrences(group, texts) - own
        group_size = counts.group_size(group) - own + 1
        hits = self.repeated(texts, (d.is_content for _, d in labelled), others, group_size)
        if not hits.any():
            return document
        decisions = [
            Decision("chrome", d.score, f"repeated on {n} other pages of {group} (body score {d.score:.2f})")
            if hit else d
            for d, hit, n in zip(document.decisions, hits, others)
        ]
        return document.with_decisions(decisions)


def run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each true flag, the length of the run of consecutive true flags it is in (0 for false)."""
    flags = np.asarray(flags, dtype=bool)
    edges = np.flatnonzero(np.diff(np.concatenate([[False], flags, [False]]).astype(np.int8)))
    lengths = np.zeros(len(flags), dtype=np.int64)
    for start, stop in zip(edges[::2], edges[1::2]):
        lengths[start:stop] = stop - start
    return lengths


def outside_body(anchors: np.ndarray) -> np.ndarray:
    """True before the first and after the last true anchor (everywhere when there is none)."""
    anchors = np.asarray(anchors, dtype=bool)
    if not anchors.any():
        return np.ones(len(anchors), dtype=bool)
    first, last = np.flatnonzero(anchors)[[0, -1]]
    position = np.arange(len(anchors))
    return (position < first) | (position > last)


class RecordRelabeller:
    """The post-filter for records being cleaned: `relabeller(record, document)` relabels
    the document with the counts of the group named by the record's `group_field`."""

    def __init__(self, counts: BoilerplateCounts, filter: BoilerplateFilter | None = None,
                 group_field: str = "url"):
        self.counts = counts
        self.filter = filter if filter is not None else BoilerplateFilter()
        self.group_field = group_field

    def __call__(self, record: dict, document: Document) -> Document:
        return self.filter.relabel(document, self.counts, source_group(record, self.group_field))
