"""Training documents made from a text corpus's own pages, for two things scraped text
has that the corpus's renderings rarely show:

- a body that was already cleaned (only its body paragraphs): cleaning it again must
  keep it whole, so the model has to see bodies with no junk around them;
- junk lines inside the body, such as the "Also Read | headline" lines news sites put
  between paragraphs: made by moving a page's own short junk lines (from any of its
  renderings) in between its body paragraphs.

Both come only from the documents given, so cross-validation folds stay apart, and they
are training data only: evaluation measures the real renderings.
"""
from __future__ import annotations

import random
import zlib
from collections import defaultdict

from .corpus import LabelledDocument
from .document import CONTENT

SOURCE_RENDERING = "trafilatura-recall"
CLEANED_RENDERING = "cleaned"
INTERLEAVED_RENDERING = "interleaved"
MAX_MOVED_WORDS = 15  # longer junk (teasers, comments) is not what sits between body paragraphs
MAX_INSERTIONS = 3


def augmented_documents(documents: list[LabelledDocument], seed: int = 0) -> list[LabelledDocument]:
    """A cleaned and an interleaved document for every page of text with at least two body
    paragraphs, made from its trafilatura-recall rendering when it has one. Documents with
    the same id and domain are renderings of one page; a document without an id is a page."""
    renderings_of = defaultdict(list)
    for number, document in enumerate(documents):
        if document.doms is None:
            renderings_of[(document.domain, document.id) if document.id else number].append(document)
    made = []
    for page, renderings in renderings_of.items():
        source = next((d for d in renderings if d.rendering == SOURCE_RENDERING), renderings[0])
        if sum(source.is_body) < 2:
            continue
        made.append(cleaned(source))
        junk = short_junk(renderings)
        if junk:
            rng = random.Random(zlib.crc32(repr((page, seed)).encode()))
            made.append(interleaved(source, junk, rng))
    return made


def cleaned(source: LabelledDocument) -> LabelledDocument:
    texts = [text for text, body in zip(source.texts, source.is_body) if body]
    return _derived(source, texts, [CONTENT] * len(texts), CLEANED_RENDERING)


def short_junk(renderings: list[LabelledDocument]) -> list[tuple[str, str]]:
    """The page's distinct short junk lines (text, label), titles left out: a title line
    inside the body would be a repeated headline, which is a different pattern."""
    body = {t for d in renderings for t, b in zip(d.texts, d.is_body) if b}
    found = {}
    for document in renderings:
        for text, label in zip(document.texts, document.labels):
            if label not in (CONTENT, "title") and text not in body and 0 < len(text.split()) <= MAX_MOVED_WORDS:
                found.setdefault(text, label)
    return sorted(found.items())


def interleaved(source: LabelledDocument, junk: list[tuple[str, str]], rng: random.Random) -> LabelledDocument:
    """`source` with one to MAX_INSERTIONS runs of one or two junk lines put between two
    of its consecutive body paragraphs."""
    body = source.is_body
    gaps = [i for i in range(1, len(body)) if body[i - 1] and body[i]]
    if not gaps:
        return _derived(source, list(source.texts), list(source.labels), INTERLEAVED_RENDERING)
    chosen = set(rng.sample(gaps, min(len(gaps), rng.randint(1, MAX_INSERTIONS))))
    texts, labels = [], []
    for i, (text, label) in enumerate(zip(source.texts, source.labels)):
        if i in chosen:
            for moved, moved_label in rng.sample(junk, min(len(junk), rng.randint(1, 2))):
                texts.append(moved)
                labels.append(moved_label)
        texts.append(text)
        labels.append(label)
    return _derived(source, texts, labels, INTERLEAVED_RENDERING)


def _derived(source: LabelledDocument, texts: list[str], labels: list[str], rendering: str) -> LabelledDocument:
    return LabelledDocument(texts, labels, id=source.id, domain=source.domain, page_type=source.page_type,
                            rendering=rendering, title=source.title, reference=source.reference)
