"""HTML → text blocks: parse a page with lxml and render it as ordered blocks of text.

`page_blocks` walks the whole DOM (navigation, footers and all), the way a naive
scraper or a browser's innerText sees a page. Script, style, hidden and template
nodes never become text. The walk is iterative, so deep nesting cannot overflow.
"""
from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from .errors import InputError

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
SKIPPED_TAGS = frozenset(
    "script style noscript template svg math iframe object embed head select canvas audio video".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACES = re.compile(r"\s+")


def parse_html(markup: str | bytes) -> etree._Element:
    """Parse a page leniently; raise `InputError` when nothing parseable is left."""
    if isinstance(markup, str):
        # lxml refuses str input that carries an XML encoding declaration.
        markup = markup.encode("utf-8")
        encoding = "utf-8"
    else:
        # Bytes that are valid UTF-8 are UTF-8: without a charset declaration libxml2
        # would read them as Latin-1 (mojibake). Anything else: the page's declaration.
        encoding = "utf-8" if _is_utf8(markup) else None
    # huge_tree: without it libxml2 silently stops parsing at 256 levels of nesting.
    parser = lxml_html.HTMLParser(
        encoding=encoding, remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}") from exc
    if root is None:
        raise InputError("cannot parse HTML: the document is empty")
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            # libxml2 stopped part-way (e.g. nesting deeper than 2048): do not pass off
            # the part it read as the page.
            raise InputError(f"cannot parse HTML past line {error.line}: {error.message.strip()}")
    return root


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def is_hidden(element: etree._Element) -> bool:
    attrs = element.attrib
    return (
        "hidden" in attrs
        or attrs.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(attrs.get("style", "")))
    )


def page_blocks(root: etree._Element) -> list[str]:
    """Every visible block of text on the page, in document order."""
    blocks: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(pending)).strip()
        if text:
            blocks.append(text)
        pending.clear()

    skipped = None
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in SKIPPED_TAGS or not tag or is_hidden(element):
                walker.skip_subtree()
                # Keep its tail here and ignore its "end" event, which lxml may or may
                # not still send (lxml 6 does: taking the tail there too doubled it).
                skipped = element
                if element.tail:
                    pending.append(element.tail)
                continue
            if tag in BLOCK_TAGS:
                flush()
            if element.text:
                pending.append(element.text)
        elif element is skipped:
            skipped = None
        else:
            if tag in BLOCK_TAGS:
                flush()
            if element.tail:
                pending.append(element.tail)
    flush()
    return blocks


_HTML_MARKERS = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section)\b", re.I)


def looks_like_html(text: str) -> bool:
    """True when the opening of the input is markup rather than prose."""
    head = text[:2000].lstrip()
    return head.startswith("<") and len(_HTML_MARKERS.findall(head)) >= 1


def html_document(markup: str | bytes):
    """A page as a Document: trafilatura's high-recall extraction, one paragraph per line.

    The text model was trained on exactly this rendering; title, author and date come
    from trafilatura's metadata.
    """
    import trafilatura

    from .document import Document
    from .segment import segment_text

    tree = parse_html(markup)
    metadata = trafilatura.extract_metadata(tree)
    text = trafilatura.extract(tree, favor_recall=True, include_comments=True) or ""
    paragraphs = segment_text(text, mode="line").paragraphs
    info = {}
    if metadata is not None:
        info = {k: getattr(metadata, k) for k in ("title", "author", "date", "url", "sitename")
                if getattr(metadata, k, None)}
    return Document(paragraphs, title=info.get("title"), source_format="html", metadata=info)
