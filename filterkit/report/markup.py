"""The xml and html output formats (`filterkit.report.formats`): the kept blocks as
elements, built as a tree and serialized by lxml, so the document is well-formed and
its text escaped.

xml is trafilatura's: `<doc>` with the page's metadata as attributes, `<main>` and
`<comments>` holding `<head rend="h2">`, `<p>`, `<list rend="ul">` of `<item>`,
`<table>` of `<row>` of `<cell>` (`role="head"` in a header row), `<code>`, `<quote>`,
`<ref target>` and `<graphic src alt>`. html is a page with the body in `<article>`
(h1-h6, p, ul/ol, table, pre, blockquote) and the comments in `<section id="comments">`.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..document import Document, Paragraph
from .formats import Rendering, comment_paragraphs, form_of, list_levels, segments, table_rows, units

METADATA_ATTRIBUTES = ("title", "author", "date", "url", "sitename", "language")


@dataclass(frozen=True)
class Vocabulary:
    """The element names of one output format."""

    heading: str
    paragraph: str
    quote: str
    list: str
    item: str
    table: str
    row: str
    cell: str
    header_cell: str
    line_break: str
    link: str
    link_target: str
    image: str


XML = Vocabulary("head", "p", "quote", "list", "item", "table", "row", "cell", "cell", "lb",
                 "ref", "target", "graphic")
HTML = Vocabulary("h", "p", "blockquote", "ul", "li", "table", "tr", "td", "th", "br",
                  "a", "href", "img")


def markup(document: Document, rendering: Rendering) -> str:
    """The classified document as xml or html (`rendering.output_format`)."""
    comments = comment_paragraphs(document) if rendering.comments else []
    if rendering.output_format == "xml":
        return _xml(document, comments, rendering)
    return _html(document, comments, rendering)


def _xml(document: Document, comments: list[Paragraph], rendering: Rendering) -> str:
    doc = etree.Element("doc")
    for name in METADATA_ATTRIBUTES:
        value = document.title if name == "title" else document.metadata.get(name)
        if value:
            doc.set(name, str(value))
    _write(etree.SubElement(doc, "main"), document.body_paragraphs(), XML, rendering)
    if rendering.comments:
        _write(etree.SubElement(doc, "comments"), comments, XML, rendering)
    return etree.tostring(doc, encoding="unicode", pretty_print=True)


def _html(document: Document, comments: list[Paragraph], rendering: Rendering) -> str:
    page = etree.Element("html")
    head = etree.SubElement(page, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    if document.title:
        etree.SubElement(head, "title").text = document.title
    body = etree.SubElement(page, "body")
    _write(etree.SubElement(body, "article"), document.body_paragraphs(), HTML, rendering)
    if comments:
        _write(etree.SubElement(body, "section", id="comments"), comments, HTML, rendering)
    return "<!DOCTYPE html>\n" + etree.tostring(page, encoding="unicode", method="html", pretty_print=True)


def _write(parent: etree._Element, paragraphs: list[Paragraph], names: Vocabulary, rendering: Rendering) -> None:
    for kind, group in units(paragraphs):
        if kind == "heading":
            level = form_of(group[0]).level
            element = etree.SubElement(parent, f"h{level}" if names is HTML else names.heading)
            if names is XML:
                element.set("rend", f"h{level}")
            _fill(element, group[0], names, rendering)
        elif kind == "item":
            _list(parent, group, names, rendering)
        elif kind == "cell":
            _table(parent, group, names, rendering)
        elif kind == "code":
            _code(parent, group, names)
        else:
            container = etree.SubElement(parent, names.quote) if kind == "quote" else parent
            for paragraph in group:
                _fill(etree.SubElement(container, names.paragraph), paragraph, names, rendering)


def _list(parent: etree._Element, items: list[Paragraph], names: Vocabulary, rendering: Rendering) -> None:
    """A run of list items as lists, an item's deeper items in a list inside it."""
    open_lists: list[etree._Element] = []  # by level
    item = None
    for paragraph, level, first in list_levels(items):
        if not first and item is not None:
            etree.SubElement(item, names.line_break)
            _fill(item, paragraph, names, rendering)
            continue
        del open_lists[level + 1:]
        if len(open_lists) <= level:
            holder = item if item is not None and open_lists else parent
            open_lists.append(_new_list(holder, form_of(paragraph).list_kind, names))
        item = etree.SubElement(open_lists[level], names.item)
        _fill(item, paragraph, names, rendering)


def _new_list(parent: etree._Element, list_kind: str, names: Vocabulary) -> etree._Element:
    if names is HTML:
        return etree.SubElement(parent, list_kind or "ul")
    return etree.SubElement(parent, names.list, rend=list_kind or "ul")


def _table(parent: etree._Element, cells: list[Paragraph], names: Vocabulary, rendering: Rendering) -> None:
    table = etree.SubElement(parent, names.table)
    for row, header in table_rows(cells):
        row_element = etree.SubElement(table, names.row)
        for blocks in row:
            cell = etree.SubElement(row_element, names.header_cell if header else names.cell)
            if header and names is XML:
                cell.set("role", "head")
            for n, paragraph in enumerate(blocks):
                _append_text(cell, " " if n else "")
                _fill(cell, paragraph, names, rendering)


def _code(parent: etree._Element, group: list[Paragraph], names: Vocabulary) -> None:
    code = "\n".join(form_of(p).code for p in group)
    if names is HTML:
        etree.SubElement(etree.SubElement(parent, "pre"), "code").text = code
    else:
        etree.SubElement(parent, "code").text = code


def _fill(element: etree._Element, paragraph: Paragraph, names: Vocabulary, rendering: Rendering) -> None:
    """Append a paragraph's text to `element`, its links and images as elements when asked."""
    for segment in segments(paragraph, rendering):
        if segment[0] == "text":
            _append_text(element, segment[1])
        elif segment[0] == "link":
            link = etree.SubElement(element, names.link)
            link.set(names.link_target, segment[2])
            link.text = segment[1]
        else:
            etree.SubElement(element, names.image, src=segment[1].src, alt=segment[1].alt)


def _append_text(element: etree._Element, text: str) -> None:
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text
