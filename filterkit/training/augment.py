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

Both come only from the documents given, so cross-validation folds stay apart, and they
are training data only: evaluation measures the real renderings.
"""
from __future__ import annotations

import random
import zlib
from collections import defaultdict
from dataclasses import replace
from typing import NamedTuple

from ..document import CONTENT
from ..read.blocks import DomFacts
from .corpus import LabelledDocument

SOURCE_RENDERING = "trafilatura-recall"
CLEANED_RENDERING = "cleaned"
INTERLEAVED_RENDERING = "interleaved"
MAX_MOVED_WORDS = 15  # longer junk (teasers, comments) is not what sits between body paragraphs
MAX_INSERTIONS = 3
HTML_CONTEXT_BLOCKS = 3  # blocks kept on each side of an HTML page's body stretch


class JunkLine(NamedTuple):
    text: str
    label: str
    dom: DomFacts | None = None  # where it sat in its HTML page


def augmented_documents(documents: list[LabelledDocument], seed: int = 0) -> list[LabelledDocument]:
    """A cleaned and an interleaved document for every page of text with at least two body
    paragraphs, made from its trafilatura-recall rendering when it has one, and an
    interleaved document for every such HTML page. Documents with the same id and domain
    are renderings of one page; a document without an id is a page."""
    return [made for page, numbered in _pages(documents).items()
            for made in _made(page, [d for _, d in numbered], seed)]


def augmented_corpus(documents: list[LabelledDocument], seed: int = 0) -> list[LabelledDocument]:
    """`documents` with what `augmented_documents` makes of each page right after the page.
    The word and markup scores are learned out of fold over consecutive rows
    (`features.text.fit_junk_model`): a page's copy far from it would sit in another fold, and
    those scores would have seen the page's own labels."""
    made_after = {max(number for number, _ in numbered): _made(page, [d for _, d in numbered], seed)
                  for page, numbered in _pages(documents).items()}
    return [d for number, document in enumerate(documents) for d in (document, *made_after.get(number, ()))]


def _pages(documents: list[LabelledDocument]) -> dict:
    """Each page's documents, numbered by their place in `documents`."""
    renderings_of = defaultdict(list)
    for number, document in enumerate(documents):
        page = (document.domain, document.id) if document.id else number
        renderings_of[page if document.doms is None else (page, "html")].append((number, document))
    return renderings_of


def _made(page, renderings: list[LabelledDocument], seed: int) -> list[LabelledDocument]:
    source = next((d for d in renderings if d.rendering == SOURCE_RENDERING), renderings[0])
    if sum(source.is_body) < 2:
        return []
    made = [] if source.doms is not None else [cleaned(source)]
    junk = short_junk(renderings)
    if junk:
        rng = random.Random(zlib.crc32(repr((page, seed)).encode()))
        made.append(interleaved(source if source.doms is None else body_stretch(source), junk, rng))
    return made


def cleaned(source: LabelledDocument) -> LabelledDocument:
    texts = [text for text, body in zip(source.texts, source.is_body) if body]
    return _derived(source, texts, [CONTENT] * len(texts), CLEANED_RENDERING)


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
