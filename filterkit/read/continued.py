"""HTML blocks that continue one sentence, joined into one block.

Some pages set a sentence over several short lines: one `<p>` per line, or lines parted
by `<br>`. Read line by line, each piece looks like a headline or a related link. A
block broken off mid-sentence (ending in a word, a comma or a dash), followed by a block
of the same kind in the same place that starts in lower case with a few words, is the
same sentence going on: the two are one block.
"""
from __future__ import annotations

import re

# Block-level elements whose lines are prose; list items, cells and headings are not joined.
PROSE_TAGS = frozenset("p div blockquote dd section article main body".split())
# The DOM facts that count what the block holds, and so add up when blocks are joined.
ADDED_FACTS = ("link_chars", "links", "site_links", "external_links")
# A lone word in lower case is more often a label or a tag than a sentence going on.
MIN_CONTINUING_WORDS = 2
# A sentence broken off ends in a word, a comma or a dash; a form label ends in '*'.
_BROKEN_OFF = re.compile(r"[^\W_][\"'\u2019\u201d\u00bb)\]]?$|[,\u2013\u2014-]$")
_WORD = re.compile(r"[^\W\d_]+")


def join_continued_sentences(blocks: list) -> list:
    """`blocks` (text, DOM facts as a dict, container, form), each block that continues
    the sentence of the one before it joined to it with a space (the facts and form of
    the first, the counts in `ADDED_FACTS` added up, the links and images of both).
    Hidden blocks (facts `hidden`) are not on screen between two shown ones: the blocks
    before a block are those shown as it is."""
    joined: list = []
    last: dict[bool, int] = {}  # hidden or not: where the last such block is in `joined`
    for block in blocks:
        hidden = block[1].get("hidden", False)
        before = last.get(hidden)
        if before is not None and _continues(joined[before], block):
            joined[before] = _joined(joined[before], block)
        else:
            last[hidden] = len(joined)
            joined.append(block)
    return joined


def _continues(block, following) -> bool:
    text, facts, owner, _ = block
    next_text, next_facts, next_owner, _ = following
    return (_BROKEN_OFF.search(text) is not None and _goes_on(next_text)
            and _same_place(owner, next_owner)
            and (facts["ancestors"], facts["tokens"]) == (next_facts["ancestors"], next_facts["tokens"])
            and not _all_link_text(text, facts) and not _all_link_text(next_text, next_facts))


def _goes_on(text: str) -> bool:
    """Whether a block reads as a sentence going on: its first word all in lower case
    ('eMail' is a name), and a few words."""
    words = _WORD.findall(text)
    return text.split(None, 1)[0].islower() and len(words) >= MIN_CONTINUING_WORDS and text[:1].isalpha()


def _same_place(owner, next_owner) -> bool:
    """Lines of one prose element (parted by `<br>`), or sibling prose elements of one tag."""
    if owner is None or next_owner is None or owner.tag not in PROSE_TAGS:
        return False
    siblings = owner.tag == next_owner.tag and owner.parent_container is next_owner.parent_container
    return owner is next_owner or siblings


def _all_link_text(text: str, facts: dict) -> bool:
    return facts["link_chars"] >= len(text)


def _joined(block, following):
    text, facts, owner, form = block
    next_text, next_facts, _, next_form = following
    form = form.followed_by(next_form, len(text) + 1)
    text = f"{text} {next_text}"
    added = {name: facts[name] + next_facts[name] for name in ADDED_FACTS if name in facts}
    added["link_chars"] = min(added["link_chars"], len(text))
    return text, {**facts, **added}, owner, form
