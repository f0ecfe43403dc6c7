"""HTML page → ordered text blocks, each with the DOM facts the HTML model reads.

A block is the text between two block-level boundaries: a paragraph, a heading, a list
item, a table cell, a `pre`, or the loose text of a `div`. Its `DomFacts` say where it
sits (its own tag, the tags and class/id words of its ancestors, depth), how much of it
is link text, and what the elements around it hold: words, characters, link characters
and blocks in the subtree of each of its nearest block-level ancestors (the article's
container holds many words and few links; a menu's, the reverse). Script, style,
and template nodes never become text. What the page's markup hides from the screen is
read, marked `hidden` (a collapsed answer or a slide not shown yet can be the article;
the model decides), but for hidden copies of text shown elsewhere; hidden content the
page's own scripts show at once (`shown_by_script`) is read as shown. The walk is
iterative, so deep nesting cannot overflow the stack.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from ..document import Paragraph
from .continued import join_continued_sentences
from .form import FORM_TAGS, BlockForm, FormReader, inline_marks
from .invisible import without_invisible_characters

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
# Not text a reader or a scraper sees. <noscript> is: script-rendered sites (forums,
# single-page apps) serve their whole content there for crawlers and readers without
# JavaScript, and scrapers such as trafilatura read it.
# Nor are ruby annotations (`rt`, `rtc`) and their fallback parentheses (`rp`): the
# reading drawn small above the text, not text of its own.
SKIPPED_TAGS = frozenset(
    "script style template svg math iframe object embed head select canvas audio video "
    "rt rtc rp".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TOKEN = re.compile(r"[a-z]+")
# Ancestors that say what a block is part of; the model sees each as a flag.
LANDMARK_TAGS = (
    "article", "main", "section", "nav", "header", "footer", "aside", "form", "ul", "ol",
    "li", "table", "blockquote", "figure", "a", "button", "label", "dl", "noscript",
)
_LANDMARKS = frozenset(LANDMARK_TAGS)
_ROLE_TAGS = {"navigation": "nav", "banner": "header", "contentinfo": "footer",
              "complementary": "aside", "main": "main", "article": "article"}
MAX_TOKENS = 12  # class/id tokens kept per element: enough for any real class list
SUBTREE_LEVELS = 4  # block-level ancestors whose subtrees a block's facts describe


@dataclass(frozen=True, slots=True)
class DomFacts:
    """Where a block sits in its page, and what the page's markup says about it."""

    tag: str                 # the block's own element
    ancestors: tuple[str, ...]  # landmark tags above it (see LANDMARK_TAGS), outermost first
    tokens: str              # class/id words of the block and its ancestors, nearest last
    depth: int               # nesting depth of the block's element
    link_chars: int          # characters of the block inside <a>
    links: int               # <a> elements in the block
    # (words, characters, link characters, blocks) in the subtree of each of the
    # block's nearest SUBTREE_LEVELS distinct block-level containers, its own element first.
    subtrees: tuple[tuple[int, int, int, int], ...] = ()
    # The page's structure (`filterkit.features.structure` reads it): the block-level
    # elements the block sits in, outermost first, each by its number in the page
    # (document order) and its shape (a hash of its tag and class words); and its links
    # to other pages of the page's own site and to other sites (see `link_target`).
    containers: tuple[int, ...] = ()
    shapes: tuple[int, ...] = ()
    site_links: int = 0
    external_links: int = 0
    # Inside an element the page's own markup hides from the screen (`is_hidden`):
    # a collapsed answer, a tab or a slide not shown yet, a dialog, a mobile menu.
    hidden: bool = False

    def to_json(self) -> dict:
        return {"tag": self.tag, "ancestors": list(self.ancestors), "tokens": self.tokens,
                "depth": self.depth, "link_chars": self.link_chars, "links": self.links,
                "subtrees": [list(s) for s in self.subtrees], "containers": list(self.containers),
                "shapes": list(self.shapes), "site_links": self.site_links,
                "external_links": self.external_links, "hidden": self.hidden}

    @classmethod
    def from_json(cls, record: dict) -> "DomFacts":
        return cls(str(record["tag"]), tuple(record["ancestors"]), str(record["tokens"]),
                   int(record["depth"]), int(record["link_chars"]), int(record["links"]),
                   tuple(tuple(int(v) for v in s) for s in record.get("subtrees", ())),
                   tuple(int(v) for v in record.get("containers", ())),
                   tuple(int(v) for v in record.get("shapes", ())),
                   int(record.get("site_links", 0)), int(record.get("external_links", 0)),
                   bool(record.get("hidden", False)))


class _Open:
    """An element the walk is inside: what it inherits from its ancestors (landmarks,
    class/id words, nearest block-level container), and, for a block-level element,
    what its subtree has shown so far."""

    __slots__ = ("tag", "landmarks", "tokens", "hidden", "container", "parent_container",
                 "words", "chars", "link_chars", "blocks", "serial", "shape")

    def __init__(self, tag: str, attrs, parent: "_Open | None", serial: int = 0,
                 hidden: bool = False) -> None:
        self.tag = tag
        landmark = _landmark(tag, attrs)
        inherited = parent.landmarks if parent else ()
        self.landmarks = (*inherited, landmark) if landmark else inherited
        self.hidden = hidden or (parent.hidden if parent else False)
        own = _element_tokens(attrs.get("class", ""), attrs.get("id", ""), attrs.get("role"),
                              attrs.get("aria-hidden") == "true", hidden)
        above = parent.tokens if parent else ""
        self.tokens = f"{above} {own}" if above and own else above or own
        self.parent_container = parent.container if parent else None
        self.container = self if tag in BLOCK_TAGS else self.parent_container
        self.words = self.chars = self.link_chars = self.blocks = 0
        self.serial = serial
        self.shape = _shape(tag, attrs.get("class", "")) if self.container is self else 0

    def chain(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The numbers and shapes of this block-level element and those above it, outermost first."""
        serials, shapes = [], []
        container = self
        while container is not None:
            serials.append(container.serial)
            shapes.append(container.shape)
            container = container.parent_container
        return tuple(reversed(serials)), tuple(reversed(shapes))

    def count(self, words: int, chars: int, link_chars: int, blocks: int = 1) -> None:
        self.words += words
        self.chars += chars
        self.link_chars += link_chars
        self.blocks += blocks

    def close(self) -> None:
        """Leaving a block-level element: its subtree is complete; add it to its container's."""
        if self.container is self and self.parent_container is not None:
            self.parent_container.count(self.words, self.chars, self.link_chars, self.blocks)

    def subtree(self) -> tuple[int, int, int, int]:
        return (self.words, self.chars, self.link_chars, self.blocks)


# A page showing less text than this shows next to none; and a hidden notice on such a
# page, shorter than this, stays hidden.
MIN_SHOWN_CHARS = 500
# React's streamed rendering sends a server-rendered part of the page late, as
# <div hidden id="S:n">, and a script moves it into the placeholder <template id="B:n">
# left where it belongs (Next.js and other React 18 sites serve whole articles this way).
_STREAMED_PART = re.compile(r"S:([0-9a-f]+)")
_PLACEHOLDERS = etree.XPath(".//template[starts-with(@id, 'B:')]")
# Text a page's markup holds, but not inside elements no reader sees whatever the styles.
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(%s)]" % " or ".join(f"ancestor::{tag}" for tag in sorted(SKIPPED_TAGS)))
_TEXT = etree.XPath("string()")


def place_streamed_parts(root: etree._Element, hidden: list[etree._Element]) -> bool:
    """Move each streamed part of a React page among the `hidden` elements
    (`<div hidden id="S:n">`) into its placeholder (`<template id="B:n">`), shown, as the
    page's script does on arrival; a part without its placeholder is shown where it is.
    Whether there was any."""
    parts = [(el, match) for el in hidden
             if el.tag == "div" and (match := _STREAMED_PART.fullmatch(el.get("id") or ""))]
    if not parts:
        return False
    # One pass over the page for all placeholders, the first of each id, as getElementById.
    placeholders: dict[str, etree._Element] = {}
    for template in _PLACEHOLDERS(root):
        placeholders.setdefault(template.get("id"), template)
    for part, match in parts:
        part.attrib.pop("hidden", None)
        placeholder = placeholders.get(f"B:{match.group(1)}")
        if placeholder is not None and placeholder.getparent() is not None:
            placeholder.addprevious(part)  # lxml moves the element; its tail stays behind
            placeholder.getparent().remove(placeholder)
    return True


def shown_by_script(hidden: list[etree._Element], visible_chars: int) -> frozenset:
    """On a page that shows next to no text (`visible_chars`), the one element among the
    `hidden` ones that holds most of its text, if any: a page is not served to show
    nothing, so its scripts show that element at once (sites keep the page invisible
    until their styles load). A page that shows its text keeps its hidden parts hidden,
    however large: menus, and dialogs that hold a copy of the article."""
    if not hidden or visible_chars >= MIN_SHOWN_CHARS:
        return frozenset()
    # string() counts the text of scripts inside too: an upper bound, exact text only for
    # the one candidate.
    bounds = [len(_TEXT(element)) for element in hidden]
    largest = max(range(len(hidden)), key=bounds.__getitem__)
    rest = max(visible_chars + sum(bounds) - bounds[largest], MIN_SHOWN_CHARS)
    if bounds[largest] <= rest:
        return frozenset()
    chars = sum(len(text.strip()) for text in _VISIBLE_TEXT(hidden[largest]))
    return frozenset([hidden[largest]]) if chars > rest else frozenset()


def is_hidden(attrs) -> bool:
    """Whether an element's attributes (`element.attrib`) hide it from the screen.
    aria-hidden does not: it hides an element from screen readers only (carousel slides,
    icons, a visual copy of a heading), so it is one of the block's class/id words."""
    return "hidden" in attrs or ("style" in attrs and bool(_HIDDEN_STYLE.search(attrs["style"])))


@lru_cache(maxsize=4096)  # a page repeats its class lists, and a site its pages'
def _element_tokens(classes: str, ident: str, role: str | None, aria_hidden: bool = False,
                    style_hidden: bool = False) -> str:
    """An element's class/id words (its role, and whether it is aria-hidden or hidden from
    the screen), space-separated."""
    words = _TOKEN.findall(f"{classes} {ident}".lower())[:MAX_TOKENS]
    if role:
        words.append(f"role{role.lower()}")
    if aria_hidden:
        words.append("ariahidden")
    if style_hidden:
        words.append("stylehidden")
    return " ".join(words)


@lru_cache(maxsize=4096)
def _shape(tag: str, classes: str) -> int:
    """An element's shape: its tag and class words (numbers left out, so that the cards of
    a grid, `item-1`, `item-2`, share one)."""
    return zlib.crc32(f"{tag} {' '.join(_TOKEN.findall(classes.lower()))}".encode()) & 0x7FFFFFFF


_SITE_LABELS = frozenset("co com org net ac gov edu ne or go".split())


def site_of(host: str) -> str:
    """The site a host belongs to: its last two labels (three under `co.uk`-like suffixes)."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SITE_LABELS and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


_PAGE_URL = etree.XPath("(//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"
                        " | //base/@href)")
_LINK_HREFS = etree.XPath("//a/@href")


def page_site(root: etree._Element) -> str:
    """The page's own site, from its canonical URL (or og:url, or base), else the site most
    of its absolute links go to; "" when neither says."""
    for url in _PAGE_URL(root):
        host = _host(str(url))
        if host:
            return site_of(host)
    sites = Counter(site_of(host) for href in _LINK_HREFS(root) if (host := _host(str(href))))
    return sites.most_common(1)[0][0] if sites else ""


@lru_cache(maxsize=4096)  # a page repeats its links, and a site its pages'
def _host(href: str) -> str:
    href = href.strip()
    if not href.startswith(("http://", "https://", "//")):
        return ""
    try:
        return urlsplit(href).hostname or ""
    except ValueError:
        return ""


def link_target(href: str | None, site: str) -> str:
    """Where a link goes: "site" (another page of the page's own site: a relative path, or
    an absolute URL on its site), "external" (another site), or "" (this page: a fragment,
    a script, mail, no href)."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return ""
    host = _host(href)
    if not host:
        return "site" if ":" not in href.split("/", 1)[0] else ""
    return "site" if site and site_of(host) == site else "external"


def _landmark(tag: str, attrs) -> str | None:
    if tag in _LANDMARKS:
        return tag
    return _ROLE_TAGS.get((attrs.get("role") or "").lower())


class _BlockWriter:
    """Collects the text of the block being read and emits it at the next boundary."""

    def __init__(self) -> None:
        # (text, its DomFacts but the subtrees, the container whose subtrees they are,
        # its form)
        self.blocks: list[tuple[str, dict, _Open | None, BlockForm]] = []
        self.pieces: list[str] = []
        self.forms = FormReader()
        # Where links open and close and images stand among the pieces (`inline_marks`),
        # and the links the walk is inside, innermost last.
        self.marks: list[tuple[int, tuple]] = []
        self.open_hrefs: list[str] = []
        self.link_chars = 0
        self.links = 0
        self.site_links = 0
        self.external_links = 0
        self.open_targets: list[str] = []  # of the links the walk is inside, innermost last

    def link(self, target: str, counted: bool = True) -> None:
        self.links += counted
        if target == "site":
            self.site_links += 1
        elif target == "external":
            self.external_links += 1

    def add(self, text: str, in_link: bool) -> None:
        self.pieces.append(text)
        if in_link:
            self.link_chars += len(text.strip())

    def mark(self, mark: tuple) -> None:
        """A link opening (("link", href)) or closing (("end",)), or an image
        (("image", alt, src)), where the block's text has reached."""
        if mark[0] == "link":
            self.open_hrefs.append(mark[1])
        elif mark[0] == "end":
            self.open_hrefs.pop()
        self.marks.append((len(self.pieces), mark))

    def flush(self, stack: list[_Open]) -> None:
        if not self.pieces:
            # an <a> around this boundary counts for neither side's block
            self.links = self.site_links = self.external_links = 0
            if self.marks:
                self._carry_marks(shown=False)
            return
        raw = "".join(self.pieces)
        # Most pieces between two boundaries are the page's indentation: no invisible
        # character is white space, so there is nothing to remove from it.
        words = [] if raw.isspace() else without_invisible_characters(raw).split()
        if words:
            text = " ".join(words)  # runs of whitespace become one space, as on screen
            if not self.site_links + self.external_links and self.open_targets:
                self.link(self.open_targets[-1], counted=False)  # a link around a block: <a><h3>
            top = stack[-1] if stack else None
            owner = top.container if top else None
            link_chars = min(self.link_chars, len(text))
            if owner is not None:
                owner.count(len(words), len(text), link_chars)
            containers, shapes = owner.chain() if owner else ((), ())
            facts = dict(
                tag=owner.tag if owner else "body",
                ancestors=top.landmarks if top else (),
                tokens=top.tokens if top else "",
                depth=len(stack),
                link_chars=link_chars,
                links=self.links,
                containers=containers,
                shapes=shapes,
                site_links=self.site_links,
                external_links=self.external_links,
                hidden=top.hidden if top else False,
            )
            inline = inline_marks(self.pieces, self.marks, text) if self.marks else ((), ())
            form = self.forms.form(text, raw, *inline)
            self.blocks.append((text, facts, owner, form))
        if self.marks:  # nearly every block has none; a link open has its mark
            self._carry_marks(shown=bool(words))
        self.pieces.clear()
        self.link_chars = 0
        self.links = self.site_links = self.external_links = 0

    def set_aside(self) -> tuple:
        """The text read so far of the block being read, taken out of the way: a hidden
        element inside it makes blocks of its own, and the shown text goes on after it
        as one line (`resume`), as on screen."""
        pending = (self.pieces, self.marks, self.link_chars, self.links, self.site_links,
                   self.external_links)
        self.pieces, self.marks = [], [(0, ("link", href)) for href in self.open_hrefs]
        self.link_chars = self.links = self.site_links = self.external_links = 0
        return pending

    def resume(self, pending: tuple) -> None:
        (self.pieces, self.marks, self.link_chars, self.links, self.site_links,
         self.external_links) = pending

    def _carry_marks(self, shown: bool) -> None:
        """Start the next block's marks: the links still open around it, and the images
        of a block that showed no text."""
        images = [] if shown else [(0, mark) for _, mark in self.marks if mark[0] == "image"]
        self.marks = images + [(0, ("link", href)) for href in self.open_hrefs]


def dom_blocks(root: etree._Element) -> list[tuple[str, DomFacts]]:
    """Every block of text on the page, in document order, with its DOM facts
    (`formed_blocks`, without the forms)."""
    return [(text, facts) for text, facts, _ in formed_blocks(root)]


def formed_blocks(root: etree._Element) -> list[tuple[str, DomFacts, BlockForm]]:
    """Every block of text on the page, in document order, with its DOM facts and its
    form (`filterkit.read.form`); those the page hides from the screen are marked
    `hidden`, but for copies of text shown elsewhere (`without_hidden_copies`).

    Hidden content the page's scripts show at once is read as shown: a React page's
    streamed parts, moved into place (`place_streamed_parts`, which changes `root`), and
    on a page that shows next to no text, the hidden element that holds most of it
    (`shown_by_script`)."""
    blocks, hidden = _walk(root)
    if place_streamed_parts(root, hidden):
        blocks, hidden = _walk(root)
    shown = shown_by_script(hidden, sum(len(text) for text, facts, *_ in blocks if not facts["hidden"]))
    if shown:
        blocks, _ = _walk(root, shown)
    blocks = join_continued_sentences(without_hidden_copies(blocks))
    # Subtrees are complete only now that the walk has left every element (lxml's
    # tree closes what the page left open, so each start has its end).
    return [(text, DomFacts(**facts, subtrees=_distinct_subtrees(owner)), form)
            for text, facts, owner, form in blocks]


def without_hidden_copies(blocks: list) -> list:
    """`blocks` (text, DOM facts as a dict, ...) but the hidden ones whose text a shown
    block holds too: the mobile copy of a menu, a dialog holding a copy of the article."""
    shown = {text for text, facts, *_ in blocks if not facts["hidden"]}
    return [block for block in blocks if not (block[1]["hidden"] and block[0] in shown)]


def _walk(root: etree._Element, shown: frozenset = frozenset()):
    """The blocks of text (text, DOM facts but the subtrees, container) of the page, those
    the page hides marked `hidden` (but inside the elements `shown`), and the outermost
    hidden elements."""
    writer = _BlockWriter()
    stack: list[_Open] = []
    site = page_site(root)
    serials = 0
    open_links = 0
    skipped = None
    hidden = []
    set_aside = []  # the shown text read before each hidden element the walk is inside
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            attrs = element.attrib
            hides = (bool(tag) and tag not in SKIPPED_TAGS and is_hidden(attrs)
                     and element not in shown)
            outermost_hidden = hides and not (stack and stack[-1].hidden)
            if outermost_hidden:
                hidden.append(element)
            # Hidden text inside a line (an inline element) is not a block of its own.
            if tag in SKIPPED_TAGS or not tag or (hides and tag not in BLOCK_TAGS):
                walker.skip_subtree()
                skipped = element  # lxml may or may not send its "end": ignore it
                if element.tail:
                    writer.add(element.tail, open_links > 0)
                continue
            if outermost_hidden:
                set_aside.append(writer.set_aside())
            elif tag in BLOCK_TAGS:
                writer.flush(stack)
            serials += tag in BLOCK_TAGS
            stack.append(_Open(tag, attrs, stack[-1] if stack else None, serials, hides))
            if tag in FORM_TAGS:
                writer.forms.start(tag, attrs)
            if tag == "a":
                open_links += 1
                writer.open_targets.append(link_target(attrs.get("href"), site))
                writer.link(writer.open_targets[-1])
                writer.mark(("link", (attrs.get("href") or "").strip()))
            elif tag == "img":
                writer.mark(_image(attrs))
            if element.text:
                writer.add(element.text, open_links > 0)
        elif element is skipped:
            skipped = None
        else:
            tag = stack[-1].tag
            if tag in BLOCK_TAGS:
                writer.flush(stack)
            closed = stack.pop()
            closed.close()
            if closed.hidden and not (stack and stack[-1].hidden):
                writer.resume(set_aside.pop())
            if tag in FORM_TAGS:
                writer.forms.end()
            if tag == "a":
                open_links -= 1
                writer.open_targets.pop()
                writer.mark(("end",))
            if element.tail:
                writer.add(element.tail, open_links > 0)
    writer.flush(stack)
    return writer.blocks, hidden


def _image(attrs) -> tuple:
    """An image's mark (`_BlockWriter.mark`): its alt text and source, the lazy-loaded
    one where `src` holds a placeholder written into the page (`data:`), or none."""
    sources = ((attrs.get(name) or "").strip() for name in ("src", "data-src"))
    source = next((s for s in sources if s and not s.startswith("data:")), "")
    return ("image", " ".join((attrs.get("alt") or "").split()), source)


def _distinct_subtrees(owner: _Open | None) -> tuple[tuple[int, int, int, int], ...]:
    """The first SUBTREE_LEVELS distinct subtrees from the block's own container up: a
    wrapper that holds nothing more than the element inside it is the same container."""
    subtrees: list[tuple[int, int, int, int]] = []
    container = owner
    while container is not None:
        subtree = container.subtree()
        if not subtrees or subtree != subtrees[-1]:
            subtrees.append(subtree)
            if len(subtrees) == SUBTREE_LEVELS:
                break
        container = container.parent_container
    return tuple(subtrees)


def block_paragraphs(blocks: list[tuple[str, DomFacts, BlockForm]]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text, i, dom=facts, form=form) for i, (text, facts, form) in enumerate(blocks))
