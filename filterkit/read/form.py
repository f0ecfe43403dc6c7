"""What a block is in its page's structure: a heading, a list item, a table cell, code,
a quote or a paragraph, with its links and images.

The walk that reads a page's blocks (`filterkit.read.blocks`) follows the elements that
give a block its form (`FormReader`) and records a `BlockForm` beside each block's text
and DOM facts. The model never reads it: it is there to write the kept blocks out with
their structure (`filterkit.report.formats`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .invisible import without_invisible_characters

HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# The element that makes a block what it is; the innermost one above a block wins.
KIND_OF = {"pre": "code", "li": "item", "td": "cell", "th": "cell", "blockquote": "quote",
           **{tag: "heading" for tag in HEADINGS}}
LISTS = frozenset(("ul", "ol", "menu"))
# A cell spans at most this many columns (a page's colspan="1000" makes no table wider).
MAX_COLSPAN = 64
# The elements `FormReader` follows.
FORM_TAGS = frozenset((*KIND_OF, *LISTS, "table", "tr", "thead"))


@dataclass(frozen=True, slots=True)
class Link:
    """A link over `text[start:end]` of its block."""

    start: int
    end: int
    href: str


@dataclass(frozen=True, slots=True)
class Image:
    """An image at `text[at]` of its block (an image outside any block's text comes
    with the block after it)."""

    at: int
    alt: str
    src: str


@dataclass(frozen=True, slots=True)
class BlockForm:
    """A block's place in its page's structure.

    kind: paragraph, heading, item, cell, code or quote. element: the page's number of
    the element that makes it so (its li, table, pre, blockquote or heading): blocks of
    one list item, cell or code sample share it. level: a heading's 1-6. A list item's
    list_kind (ul, ol), depth (1: not inside another item) and number in its list. A
    cell's row and column in its table, and whether it is a header cell. code: a `pre`
    block's text exactly as in the page.
    """

    kind: str = "paragraph"
    element: int = 0
    level: int = 0
    list_kind: str = ""
    depth: int = 0
    number: int = 0
    row: int = 0
    column: int = 0
    header: bool = False
    code: str = ""
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()

    def followed_by(self, other: "BlockForm", offset: int) -> "BlockForm":
        """This form, for this block joined to `other`'s, whose text starts at `offset`."""
        links = tuple(Link(k.start + offset, k.end + offset, k.href) for k in other.links)
        images = tuple(Image(i.at + offset, i.alt, i.src) for i in other.images)
        return replace(self, links=self.links + links, images=self.images + images)


PARAGRAPH = BlockForm()


class _Open:
    """An element the walk is inside that gives its blocks their form."""

    __slots__ = ("tag", "serial", "count", "start", "number", "depth", "ordered", "row", "column", "header")

    def __init__(self, tag: str, serial: int) -> None:
        self.tag = tag
        self.serial = serial
        self.count = 0       # a list's items, a table's rows, a row's columns so far
        self.start = 1       # an ordered list's first number
        self.number = self.depth = self.row = self.column = 0
        self.ordered = self.header = False


class FormReader:
    """Follows the elements of FORM_TAGS a walk is inside (`start`, `end` as it enters
    and leaves each), and gives the form of the block being read (`form`)."""

    def __init__(self) -> None:
        self.open: list[_Open] = []
        self.serials = 0

    def start(self, tag: str, attrs) -> None:
        """Entering an element of FORM_TAGS."""
        self.serials += 1
        element = _Open(tag, self.serials)
        if tag in LISTS:
            element.start = _whole_number(attrs.get("start"), 1)
        elif tag == "li":
            self._enter_item(element)
        elif tag == "tr":
            table = self._nearest(("table",))
            if table is not None:
                table.count += 1
                element.row = table.count - 1
        elif tag in ("td", "th"):
            self._enter_cell(element, attrs)
        self.open.append(element)

    def _enter_item(self, item: _Open) -> None:
        parent = self._nearest(LISTS)
        if parent is not None:
            parent.count += 1
            item.number = parent.start + parent.count - 1
        item.ordered = parent is not None and parent.tag == "ol"
        item.depth = 1 + sum(1 for element in self.open if element.tag == "li")

    def _enter_cell(self, cell: _Open, attrs) -> None:
        row = self._nearest(("tr",))
        if row is not None:
            cell.row, cell.column = row.row, row.count
            row.count += min(max(_whole_number(attrs.get("colspan"), 1), 1), MAX_COLSPAN)
        cell.header = cell.tag == "th" or self._nearest(("thead",)) is not None

    def end(self) -> None:
        """Leaving an element of FORM_TAGS."""
        self.open.pop()

    def _nearest(self, tags) -> _Open | None:
        for element in reversed(self.open):
            if element.tag in tags:
                return element
        return None

    def form(self, text: str, raw: str, links: tuple[Link, ...], images: tuple[Image, ...]) -> BlockForm:
        """The form of a block of `text` (`raw`: the text as in the page) read now."""
        maker = self._nearest(KIND_OF)
        if maker is None:
            return replace(PARAGRAPH, links=links, images=images) if links or images else PARAGRAPH
        kind = KIND_OF[maker.tag]
        if kind == "heading":
            return BlockForm(kind, maker.serial, level=int(maker.tag[1]), links=links, images=images)
        if kind == "item":
            return BlockForm(kind, maker.serial, list_kind="ol" if maker.ordered else "ul", depth=maker.depth,
                             number=maker.number, links=links, images=images)
        if kind == "cell":
            table = self._nearest(("table",))
            return BlockForm(kind, table.serial if table else maker.serial, row=maker.row, column=maker.column,
                             header=maker.header, links=links, images=images)
        if kind == "code":
            return BlockForm(kind, maker.serial, code=raw.strip("\r\n"), links=links, images=images)
        return BlockForm(kind, maker.serial, links=links, images=images)


def _whole_number(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def inline_marks(pieces: list[str], marks: list[tuple[int, tuple]], text: str) -> tuple[tuple[Link, ...], tuple[Image, ...]]:
    """The links and images of a block of `text` read from `pieces`; `marks`: (before
    which piece, ("link", href) | ("end",) | ("image", alt, src)), in order."""
    offsets = shown_lengths(pieces, {at for at, _ in marks})
    links: list[Link] = []
    images: list[Image] = []
    opened: list[tuple[int, str]] = []
    for at, mark in marks:
        if mark[0] == "link":
            opened.append((at, mark[1]))
        elif mark[0] == "end" and opened:
            start, href = opened.pop()
            _add_link(links, text, offsets[start], offsets[at], href)
        elif mark[0] == "image" and mark[2]:
            place = min(offsets[at], len(text))
            place += place < len(text) and text[place] == " "  # after the space before it
            images.append(Image(place, mark[1], mark[2]))
    for start, href in opened:  # links that go on past the block
        _add_link(links, text, offsets[start], len(text), href)
    return tuple(sorted(links, key=lambda link: link.start)), tuple(images)


def shown_lengths(pieces: list[str], wanted: set[int]) -> dict[int, int]:
    """For each number in `wanted`, the length of the text the pieces before it show
    (invisible characters left out, runs of white space one space, as a block's text)."""
    lengths: dict[int, int] = {}
    length = 0
    space = False  # white space since the last word
    for at in range(max(wanted) + 1):
        if at in wanted:
            lengths[at] = length
        if at == len(pieces):
            break
        piece = without_invisible_characters(pieces[at])
        for n, word in enumerate(piece.split()):
            if length and (n or space or piece[0].isspace()):
                length += 1
            length += len(word)
            space = False
        space = space or piece[-1:].isspace()
    return lengths


def _add_link(links: list[Link], text: str, start: int, end: int, href: str) -> None:
    start, end = min(start, len(text)), min(end, len(text))
    while start < end and text[start] == " ":
        start += 1
    if start < end and href:
        links.append(Link(start, end, href))
