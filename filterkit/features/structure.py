"""The page's structure around each HTML block: where it sits relative to the article's
region, whether it is part of a run of same-shaped cards, and where its links go.

What gives away a teaser grid, a video list or a latest-news sidebar whose items read
like prose is not each item's words but where it sits: after the article's own container
ends, in a run of sibling subtrees of one shape (a headline link and a line or two of
text), each a link to another page of the same site. These features read that from the
blocks' `DomFacts` (`containers`, `shapes`, `site_links`, `external_links`), per page:

- region: the article region, the block-level element with the most prose under it
  (readability's top candidate: a prose block counts for its parent in full, for the
  parent's parent half and a third above that, times one minus the element's link
  density); whether the block is inside it, before or after it, how far in blocks, how
  many DOM steps up to the element both share and down from there to the region, and
  whether it sits in a sibling subtree of the region;
- cards: the lowest element above the block that holds two blocks or more and has a
  sibling of its shape (same tag and class words): how many siblings share it, how many
  blocks each holds, their words per card, link share, and the share of them that link
  to another page of the site; and the run of the block's own element;
- links: the share of the block's links that go to another page of its site, and to
  another site.

A page read without these facts (a corpus built before them) gets -1 everywhere.
"""
from __future__ import annotations

import math
from itertools import chain
from dataclasses import dataclass

import numpy as np

REGION_FEATURES = (
    "region_inside", "region_before", "region_after", "region_log_block_distance",
    "region_steps_up", "region_steps_down", "region_sibling_subtree",
    "region_word_share", "region_link_density",
)
CARD_FEATURES = (
    "card_log_run", "card_log_blocks", "card_log_words", "card_link_share", "card_linked_share",
    "card_site_link_share", "card_first_block", "card_steps_up",
    "own_run_log_length", "own_run_link_share",
)
LINK_FEATURES = ("link_site_share", "link_external_share", "page_site_link_share")
STRUCTURE_FEATURES = (*REGION_FEATURES, *CARD_FEATURES, *LINK_FEATURES)

PROSE_MIN_WORDS = 8
PROSE_MAX_LINK_DENSITY = 0.3
# A prose block's points go to its element's parent in full, and less further up.
REGION_SHARES = (0.0, 1.0, 0.5, 1 / 3)
# A sibling of the top candidate with this share of its points is part of the article.
SIBLING_SHARE = 0.2


@dataclass
class _Element:
    """A block-level element of the page, from the blocks inside it."""

    parent: int
    shape: int
    chain: tuple[int, ...]  # its own chain of element numbers, outermost first
    words: int = 0
    chars: int = 0
    link_chars: int = 0
    links: int = 0
    site_links: int = 0
    blocks: int = 0
    first: int = -1
    last: int = -1
    points: float = 0.0


def _elements(facts, words: np.ndarray, chars: np.ndarray) -> dict[int, _Element]:
    """The block-level elements above the blocks, in the order the walk met them, each
    summed over the blocks inside it."""
    depths = np.fromiter((len(f.containers) for f in facts), dtype=np.intp, count=len(facts))
    numbers = np.fromiter(chain.from_iterable(f.containers for f in facts), dtype=np.int64, count=depths.sum())
    rows = np.repeat(np.arange(len(facts)), depths)
    distinct, first, inverse = np.unique(numbers, return_index=True, return_inverse=True)
    per_block = np.column_stack([words, chars, [f.link_chars for f in facts], [links_of(f) for f in facts],
                                 [f.site_links for f in facts], np.ones(len(facts))])
    totals = _sums(inverse, per_block[rows], len(distinct)).astype(np.int64).tolist()
    last = np.zeros(len(distinct), dtype=np.intp)
    np.maximum.at(last, inverse, rows)
    starts = np.cumsum(depths) - depths
    elements: dict[int, _Element] = {}
    for k in np.argsort(first, kind="stable").tolist():
        row = int(rows[first[k]])
        f, level = facts[row], int(first[k] - starts[row])
        element = _Element(f.containers[level - 1] if level else -1, f.shapes[level], f.containers[:level + 1],
                           first=row, last=int(last[k]))
        (element.words, element.chars, element.link_chars, element.links, element.site_links,
         element.blocks) = totals[k]
        elements[int(distinct[k])] = element
    return elements


def _region(facts, elements: dict[int, _Element], words: np.ndarray, chars: np.ndarray) -> list[int]:
    """The numbers of the elements that hold the article, as readability finds them: the
    element with the most prose under it (its top candidate), and those of its siblings
    whose prose scores at least SIBLING_SHARE of it (an article split into sections around
    an ad slot); [] on a page without prose."""
    for row, f in enumerate(facts):
        if words[row] < PROSE_MIN_WORDS or f.link_chars > PROSE_MAX_LINK_DENSITY * max(chars[row], 1):
            continue
        points = 1.0 + min(words[row], 100) / 10
        for up, share in enumerate(REGION_SHARES):
            if share and up < len(f.containers):
                elements[f.containers[-1 - up]].points += share * points
    values = {number: e.points * (1.0 - e.link_chars / max(e.chars, 1)) for number, e in elements.items()}
    best = max(values, key=values.get, default=None)
    if best is None or values[best] <= 0:
        return []
    parent = elements[best].parent
    return [best] + [number for number, e in elements.items() if number != best and e.parent == parent
                     and values[number] >= SIBLING_SHARE * values[best]]


def _shared_prefix(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def structure_features(facts, texts: list[str], words: np.ndarray) -> np.ndarray:
    """The STRUCTURE_FEATURES of a page's blocks (`facts`: their DomFacts, `words`: their
    word counts)."""
    n = len(facts)
    out = np.full((n, len(STRUCTURE_FEATURES)), -1.0)
    if not n or not any(f.containers for f in facts):
        return out
    chars = np.array([len(t) for t in texts], dtype=np.float64)
    elements = _elements(facts, words, chars)
    out[:, len(REGION_FEATURES) + len(CARD_FEATURES):] = link_features(facts)
    region = _region(facts, elements, words, chars)
    if region:
        out[:, :len(REGION_FEATURES)] = region_features(facts, elements, region, words)
    out[:, len(REGION_FEATURES):len(REGION_FEATURES) + len(CARD_FEATURES)] = card_features(facts, elements)
    return out


def region_features(facts, elements: dict[int, _Element], region: list[int], words: np.ndarray) -> np.ndarray:
    """Each block's place relative to the article region (`_region`: the top candidate
    first, then its siblings in the article)."""
    out = np.zeros((len(facts), len(REGION_FEATURES)))
    parts = [elements[number] for number in region]
    top = parts[0]
    first, last = min(p.first for p in parts), max(p.last for p in parts)
    region_words = sum(p.words for p in parts)
    link_density = sum(p.link_chars for p in parts) / max(sum(p.chars for p in parts), 1)
    page_words = max(float(words.sum()), 1.0)
    for row, f in enumerate(facts):
        part = next((p for p in parts if _shared_prefix(f.containers, p.chain) == len(p.chain)), None)
        inside = part is not None
        chain = part.chain if inside else top.chain
        shared = _shared_prefix(f.containers, chain)
        distance = 0 if inside else (first - row if row < first else row - last)
        steps_down = len(chain) - shared
        out[row] = (inside, row < first, row > last, math.log1p(max(distance, 0)),
                    len(f.containers) - shared, steps_down, not inside and steps_down == 1,
                    region_words / page_words, link_density)
    return out


def _runs(elements: dict[int, _Element]) -> dict[tuple[int, int], tuple[int, float, float, float, float]]:
    """Each run of sibling elements of one shape (cards of a grid, items of a list), by
    (parent, shape): how many, their link share, log words per card, the share of them
    that hold a link, and the share of their links that go to another page of the site."""
    keys = [(e.parent, e.shape) for e in elements.values()]
    run_of = {key: k for k, key in enumerate(dict.fromkeys(keys))}
    members = np.array([run_of[key] for key in keys], dtype=np.intp)
    length, link_chars, chars, words, linked, links, site_links = _sums(members, np.array(
        [(1, e.link_chars, e.chars, e.words, e.links > 0, e.links, e.site_links) for e in elements.values()],
        dtype=np.float64).reshape(-1, 7), len(run_of)).T
    table = np.column_stack([
        length, link_chars / np.maximum(chars, 1), words / length, linked / length,
        site_links / np.maximum(links, 1),
    ]).tolist()
    return {key: (int(length), link_share, math.log1p(words_per_card), linked_share, site_link_share)
            for key, (length, link_share, words_per_card, linked_share, site_link_share) in zip(run_of, table)}


def _sums(groups: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Each column of `values` (a row per member) summed over the members of each of
    `count` groups (`groups`: a member's group), in the members' order: a row per group."""
    return np.column_stack([np.bincount(groups, weights=column, minlength=count) for column in values.T])


def card_features(facts, elements: dict[int, _Element]) -> np.ndarray:
    runs = _runs(elements)
    out = np.full((len(facts), len(CARD_FEATURES)), -1.0)
    for row, f in enumerate(facts):
        if not f.containers:
            continue
        own = elements[f.containers[-1]]
        own_run = runs[(own.parent, own.shape)]
        out[row, 8:] = (math.log1p(own_run[0]), own_run[1])
        for up in range(1, len(f.containers)):
            card = elements[f.containers[-1 - up]]
            length, link_share, log_words_per_card, linked_share, site_link_share = runs[(card.parent, card.shape)]
            if card.blocks < 2 or length < 2:
                continue
            out[row, :8] = (math.log1p(length), math.log1p(card.blocks), log_words_per_card,
                            link_share, linked_share, site_link_share, card.first == row, up)
            break
    return out


def links_of(f) -> int:
    """A block's links, the one around it included (`<a><h3>headline</h3></a>`: `links`
    counts only the links inside a block)."""
    return max(f.links, f.site_links + f.external_links)


def link_features(facts) -> np.ndarray:
    links = np.array([links_of(f) for f in facts], dtype=np.float64)
    site = np.array([f.site_links for f in facts], dtype=np.float64)
    external = np.array([f.external_links for f in facts], dtype=np.float64)
    total = links.sum()
    page_share = site.sum() / total if total else 0.0
    return np.column_stack([site / np.maximum(links, 1), external / np.maximum(links, 1),
                            np.full(len(facts), page_share)])
