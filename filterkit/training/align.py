"""Label paragraphs body / not-body by aligning their words with a reference text.

The paragraphs' words and the reference's words are aligned as two sequences
(difflib's longest-matching-blocks, monotone), so every stretch of the reference is
used at most once: a teaser that repeats the article's first sentence, a repeated
title or a share bar cannot claim words that the real paragraph already matched.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher

WORD = re.compile(r"\w+")
# A paragraph's share of an aligned run shorter than this is chance (stop words, a
# name) unless the paragraph is all of it and the run covers a whole reference line:
# a subheading, or a spec line the page split into "Weight" | "2 oz".
MIN_RUN = 3
BODY_COVERAGE = 0.5


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


@dataclass(frozen=True)
class Alignment:
    coverage: tuple[float, ...]  # share of each paragraph's words aligned with the reference

    def labels(self, min_coverage: float = BODY_COVERAGE) -> list[bool]:
        return [c >= min_coverage for c in self.coverage]


def align(paragraphs: list[str], reference: str) -> Alignment:
    vocabulary: dict[str, int] = {}

    def encode(tokens: list[str]) -> list[int]:
        return [vocabulary.setdefault(t, len(vocabulary)) for t in tokens]

    para_tokens = [encode(words(p)) for p in paragraphs]
    starts, doc = [], []
    for tokens in para_tokens:
        starts.append(len(doc))
        doc.extend(tokens)
    ref_lines = [encode(words(line)) for line in reference.split("\n")]
    ref = [t for line in ref_lines for t in line]
    line_edges = _line_edges(ref_lines)

    matched = [0] * len(paragraphs)
    matcher = SequenceMatcher(None, doc, ref, autojunk=False)
    line_starts = sorted(start for start, _ in line_edges)
    line_stop = dict(line_edges)
    for a, b, size in matcher.get_matching_blocks():
        for i, (start, n) in _pieces(starts, para_tokens, a, size):
            offset = b + (start - a)
            if n >= MIN_RUN or (n == len(para_tokens[i]) and
                                _run_covers_line(b, size, offset, line_starts, line_stop)):
                matched[i] += n
    coverage = tuple(m / len(t) if t else 0.0 for m, t in zip(matched, para_tokens))
    return Alignment(coverage)


def _run_covers_line(b: int, size: int, offset: int, line_starts, line_stop) -> bool:
    """Whether the aligned run ref[b:b+size] covers the whole reference line holding
    ref[offset]: true for a subheading, or a spec line split into 'Weight' | '2 oz';
    false for a menu item that a run spilling over from a body sentence happens to reach."""
    k = bisect_right(line_starts, offset) - 1
    if k < 0:
        return False
    line_start = line_starts[k]
    return b <= line_start and line_stop[line_start] <= b + size


def _line_edges(ref_lines: list[list[int]]) -> set[tuple[int, int]]:
    edges, position = set(), 0
    for line in ref_lines:
        if line:
            edges.add((position, position + len(line)))
        position += len(line)
    return edges


def _pieces(starts, para_tokens, a: int, size: int):
    """Split the matched run doc[a:a+size] at paragraph boundaries: yield (para, (start, n))."""
    end = a + size
    i = max(bisect_right(starts, a) - 1, 0)
    while i < len(starts) and starts[i] < end:
        lo, hi = max(a, starts[i]), min(end, starts[i] + len(para_tokens[i]))
        if lo < hi:
            yield i, (lo, hi - lo)
        i += 1
