"""Training documents made from a text corpus's own pages, for two things scraped text
has that the corpus's renderings rarely show:

- a body that was already cleaned (only its body paragraphs): cleaning it again must
  keep it whole, so the model has to see bodies with no junk around them;
- junk lines inside the body, such as the "Also Read | headline" lines news sites put
  between paragraphs: made by moving a page's own short junk lines (from any of its
  renderings) in between its body paragraphs.

An HTML page gets the second kind only (its chrome is always around it): its short junk
blocks moved in between its body blocks, in the body's own markup (tag, landmarks,
class/id words, containers), keeping their own text and links. Inside an article's
markup only the words tell an "Also Read:" line from a paragraph, and WCXB's pages
rarely show one there. The interleaved HTML document keeps the body's stretch of the
page and a few blocks on each side, so the extra training rows stay near the body's.

A third kind, `cues`, is for the lines a page's own junk seldom shows inside its body:
cue lines of every junk type and language in the lexicons ("ALSO READ | headline",
"Story continues below advertisement", "Leave a Reply", "Share this article"), written the
ways sites write them (case, separators, brackets), put between body paragraphs of the
page's trafilatura-recall rendering and of its body with its title. A related cue's headline is one
of the page's own junk lines; a lone cue ("Also Read") is sometimes followed by that
headline on a line of its own, labelled with it.

All come only from the documents given, so cross-validation folds stay apart, and they
are training data only: evaluation measures the real renderings.
"""
from __future__ import annotations

import random
import string
import zlib
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from ..document import CONTENT
from ..lexicons import ALL_LANGUAGES, lexicon_entries, load_lexicon
from ..read.blocks import DomFacts
from .corpus import LabelledDocument

SOURCE_RENDERING = "trafilatura-recall"
CLEANED_RENDERING = "cleaned"
INTERLEAVED_RENDERING = "interleaved"
CUED_RENDERING = "cued"
# What each kind of augmentation makes; `--augment` alone means the first two.
KINDS = ("cleaned", "interleaved", "cues")
DEFAULT_KINDS = ("cleaned", "interleaved")
DESCRIPTIONS = {
    "cleaned": "per text page, its body alone (all content)",
    "interleaved": "its trafilatura-recall rendering with 1-3 runs of the page's own short junk lines "
                   "moved between body paragraphs",
    "cues": "its trafilatura-recall rendering, and its body and title alone, each with 1-4 cue lines of the lexicons "
            "(every junk type and language, in the case, separators and brackets sites use; a related "
            "cue followed by one of the page's own junk lines as its headline) between body paragraphs",
}
MAX_MOVED_WORDS = 15  # longer junk (teasers, comments) is not what sits between body paragraphs
MAX_INSERTIONS = 3
HTML_CONTEXT_BLOCKS = 3  # blocks kept on each side of an HTML page's body stretch


class JunkLine(NamedTuple):
    text: str
    label: str
    dom: DomFacts | None = None  # where it sat in its HTML page


def augmentation_kinds(augment) -> tuple[str, ...]:
    """The kinds `augment` asks for: True for DEFAULT_KINDS, False or None for none, or
    names of KINDS (a sequence, or one string with commas)."""
    if augment is True:
        return DEFAULT_KINDS
    if not augment:
        return ()
    names = augment.split(",") if isinstance(augment, str) else list(augment)
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise ValueError(f"unknown augmentation {', '.join(map(repr, unknown))}; expected some of {', '.join(KINDS)}")
    return tuple(k for k in KINDS if k in names)


def describe(kinds: tuple[str, ...]) -> str:
    """What a model card says about its augmented training documents."""
    if not kinds:
        return "none"
    return ("filterkit.training.augment: " + "; ".join(DESCRIPTIONS[k] for k in kinds)
            + "; made from each fold's training pages only")


def augmented_documents(documents: list[LabelledDocument], seed: int = 0,
                        kinds: tuple[str, ...] = DEFAULT_KINDS) -> list[LabelledDocument]:
    """For every page of text with at least two body paragraphs, a document of each of
    `kinds`, made from its trafilatura-recall rendering when it has one; for every such
    HTML page an interleaved document. Documents with the same id and domain are
    renderings of one page; a document without an id is a page."""
    return [made for page, numbered in _pages(documents).items()
            for made in _made(page, [d for _, d in numbered], seed, kinds)]


def augmented_corpus(documents: list[LabelledDocument], seed: int = 0,
                     kinds: tuple[str, ...] = DEFAULT_KINDS) -> list[LabelledDocument]:
    """`documents` with what `augmented_documents` makes of each page right after the page.
    The word and markup scores are learned out of fold over consecutive rows
    (`features.text.fit_junk_model`): a page's copy far from it would sit in another fold, and
    those scores would have seen the page's own labels."""
    made_after = {max(number for number, _ in numbered): _made(page, [d for _, d in numbered], seed, kinds)
                  for page, numbered in _pages(documents).items()}
    return [d for number, document in enumerate(documents) for d in (document, *made_after.get(number, ()))]


def _pages(documents: list[LabelledDocument]) -> dict:
    """Each page's documents, numbered by their place in `documents`."""
    renderings_of = defaultdict(list)
    for number, document in enumerate(documents):
        page = (document.domain, document.id) if document.id else number
        renderings_of[page if document.doms is None else (page, "html")].append((number, document))
    return renderings_of


def _made(page, renderings: list[LabelledDocument], seed: int, kinds: tuple[str, ...]) -> list[LabelledDocument]:
    source = next((d for d in renderings if d.rendering == SOURCE_RENDERING), renderings[0])
    if sum(source.is_body) < 2:
        return []
    is_text = source.doms is None
    made = [cleaned(source)] if is_text and "cleaned" in kinds else []
    junk = short_junk(renderings)
    rng = random.Random(zlib.crc32(repr((page, seed)).encode()))
    if junk and "interleaved" in kinds:
        made.append(interleaved(source if is_text else body_stretch(source), junk, rng))
    if is_text and "cues" in kinds:
        made += [cued(stripped, headlines(junk), rng) for stripped in (source, body_and_title(source))]
    return made


def cleaned(source: LabelledDocument) -> LabelledDocument:
    texts = [text for text, body in zip(source.texts, source.is_body) if body]
    return _derived(source, texts, [CONTENT] * len(texts), CLEANED_RENDERING)


def body_and_title(source: LabelledDocument) -> LabelledDocument:
    """A rendering's body paragraphs and its title lines: an article as a scraper that
    dropped the page's chrome but kept its headline gives it."""
    kept = [(text, label) for text, label in zip(source.texts, source.labels) if label in (CONTENT, "title")]
    return _derived(source, [t for t, _ in kept], [label for _, label in kept], CUED_RENDERING)


def short_junk(renderings: list[LabelledDocument]) -> list[JunkLine]:
    """The page's distinct short junk lines, titles left out: a title line inside the body
    would be a repeated headline, which is a different pattern."""
    body = {t for d in renderings for t, b in zip(d.texts, d.is_body) if b}
    found = {}
    for document in renderings:
        doms = document.doms or [None] * len(document.texts)
        for text, label, dom in zip(document.texts, document.labels, doms):
            if label not in (CONTENT, "title") and text not in body and 0 < len(text.split()) <= MAX_MOVED_WORDS:
                found.setdefault(text, JunkLine(text, label, dom))
    return [found[text] for text in sorted(found)]


def body_stretch(page: LabelledDocument) -> LabelledDocument:
    """An HTML page's blocks from its first to its last body block, and HTML_CONTEXT_BLOCKS
    on each side."""
    body_at = [i for i, body in enumerate(page.is_body) if body]
    start, stop = max(body_at[0] - HTML_CONTEXT_BLOCKS, 0), body_at[-1] + 1 + HTML_CONTEXT_BLOCKS
    return _derived(page, page.texts[start:stop], page.labels[start:stop], page.rendering,
                    page.doms[start:stop])


def interleaved(source: LabelledDocument, junk: list[JunkLine], rng: random.Random) -> LabelledDocument:
    """`source` with one to MAX_INSERTIONS runs of one or two junk lines put between two
    of its consecutive body paragraphs (in the markup of the body block they precede)."""
    body = source.is_body
    gaps = [i for i in range(1, len(body)) if body[i - 1] and body[i]]
    chosen = set(rng.sample(gaps, min(len(gaps), rng.randint(1, MAX_INSERTIONS)))) if gaps else set()
    doms = source.doms or [None] * len(source.texts)
    texts, labels, moved_doms = [], [], []
    for i, (text, label, dom) in enumerate(zip(source.texts, source.labels, doms)):
        if i in chosen:
            for moved in rng.sample(junk, min(len(junk), rng.randint(1, 2))):
                texts.append(moved.text)
                labels.append(moved.label)
                moved_doms.append(in_body_markup(moved.dom, dom))
        texts.append(text)
        labels.append(label)
        moved_doms.append(dom)
    return _derived(source, texts, labels, INTERLEAVED_RENDERING, None if source.doms is None else moved_doms)


# The ways sites set a cue off from its headline, and write the cue itself.
SEPARATORS = (": ", ": ", " | ", " - ", " – ", " — ", " » ", " >> ", ":  ", " ")
BRACKETS = (("", ""), ("", ""), ("", ""), ("[", "]"), ("", ":"), ("**", "**"))  # "(" opens a meta cue
MIN_HEADLINE_WORDS = 3
MAX_CUE_LINES = 4
# How often a related opening cue has a headline after it on its line; how often another
# related cue has one on the next line.
HEADLINE_AFTER_CUE = 0.7
HEADLINE_UNDER_CUE = 0.3


def headlines(junk: list[JunkLine]) -> list[str]:
    """The page's own junk lines that can stand as a teaser's headline: a few words, no cue."""
    lexicon = load_lexicon(ALL_LANGUAGES)
    return [j.text for j in junk if len(j.text.split()) >= MIN_HEADLINE_WORDS and lexicon.match(j.text) is None]


@lru_cache(maxsize=1)
def cue_phrases() -> tuple[tuple[str, str, str], ...]:
    """(junk type, mode, phrase) of every lexicon; opening phrases that only make sense
    before more words ("by ", "about "), one- or two-letter ones, bylines' inner fragments
    (meta's `contains`: "is a staff writer"), and phrases the lexicons give to another type
    as well ("email") are left out."""
    lexicon = load_lexicon(ALL_LANGUAGES)
    phrases = []
    for junk_type, modes in lexicon_entries(ALL_LANGUAGES).items():
        for mode, listed in modes.items():
            if (junk_type, mode) == ("meta", "contains"):
                continue
            phrases += [(junk_type, mode, p.strip()) for p in listed
                        if not p.endswith(" ") and len(p.strip()) > 2
                        and getattr(lexicon.match(p), "junk_type", None) == junk_type]
    return tuple(sorted(set(phrases)))


def cue_line(rng: random.Random, phrases, headlines: list[str]) -> list[tuple[str, str]]:
    """One cue line as a site might write it, (text, junk type); a lone related cue may be
    followed by its headline on a line of its own."""
    junk_type = rng.choice(sorted({t for t, _, _ in phrases}))
    _, mode, phrase = rng.choice([p for p in phrases if p[0] == junk_type])
    written = rng.choice((phrase.capitalize(), phrase.upper(), string.capwords(phrase), phrase))
    opening, closing = rng.choice(BRACKETS)
    cue = f"{opening}{written}{closing}"
    if junk_type == "related" and mode == "start" and headlines and rng.random() < HEADLINE_AFTER_CUE:
        separator = " " if closing else rng.choice(SEPARATORS)
        return [(f"{cue}{separator}{rng.choice(headlines)}", junk_type)]
    if junk_type == "related" and headlines and rng.random() < HEADLINE_UNDER_CUE:
        return [(cue, junk_type), (rng.choice(headlines), junk_type)]
    return [(cue, junk_type)]


def cued(source: LabelledDocument, headlines: list[str], rng: random.Random) -> LabelledDocument:
    """`source` with one to MAX_CUE_LINES cue lines (`cue_line`) put between two of its
    consecutive body paragraphs."""
    phrases = cue_phrases()
    body = source.is_body
    gaps = [i for i in range(1, len(body)) if body[i - 1] and body[i]]
    chosen = set(rng.sample(gaps, min(len(gaps), rng.randint(1, MAX_CUE_LINES))))
    texts, labels = [], []
    for i, (text, label) in enumerate(zip(source.texts, source.labels)):
        if i in chosen:
            for line, junk_type in cue_line(rng, phrases, headlines):
                texts.append(line)
                labels.append(junk_type)
        texts.append(text)
        labels.append(label)
    return _derived(source, texts, labels, CUED_RENDERING)


def in_body_markup(junk: DomFacts | None, body: DomFacts | None) -> DomFacts | None:
    """A junk block's facts as if it sat where `body` sits: the body's element, landmarks,
    class/id words and containers; the junk's own links and own element's size."""
    if junk is None or body is None:
        return body
    own = junk.subtrees[:1] or body.subtrees[:1]
    return replace(body, link_chars=junk.link_chars, links=junk.links, subtrees=(*own, *body.subtrees[1:]))


def _derived(source: LabelledDocument, texts: list[str], labels: list[str], rendering: str,
             doms: list[DomFacts] | None = None) -> LabelledDocument:
    return LabelledDocument(texts, labels, id=source.id, domain=source.domain, page_type=source.page_type,
                            rendering=rendering, title=source.title, reference=source.reference, doms=doms)
