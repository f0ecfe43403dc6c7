"""HTML → text blocks: parse a page with lxml and render it as ordered blocks of text.

`page_blocks` walks the whole DOM (navigation, footers and all), the way a naive
scraper or a browser's innerText sees a page. Script, style, hidden and template
nodes never become text, but for hidden content the page's own scripts show at once
(`filterkit.blocks.dom_blocks`). The walk is iterative, so deep nesting cannot overflow.
"""
from __future__ import annotations

import codecs
import re

from lxml import etree
from lxml import html as lxml_html

from ..document import Document
from ..errors import InputError
from ..limits import Limits
from .blocks import dom_blocks, formed_blocks
from .encoding import byte_order_mark_codec, encode_utf8
from .invisible import without_invisible_characters
from .structured import STRUCTURED_BODY, json_ld_with_an_article


def parse_html(markup: str | bytes) -> etree._Element:
    """Parse a page leniently; raise `InputError` when nothing parseable is left (only
    whitespace, comments or NULs) or when libxml2 cannot read all of it.

    Bytes are decoded here whenever their encoding is known without libxml2: a
    byte-order mark, valid UTF-8, or Windows-1252 (declared as such or as Latin-1, or not
    declared at all, as browsers read it). Other bytes are left to libxml2 and the
    page's declared charset. Control characters are not text a page shows, and lxml
    (so trafilatura) fails on them: the whitespace-like ones (form feed, vertical tab,
    separators) become spaces and the others, NUL included, are removed; libxml2 would
    turn NUL into U+FFFD. A page whose markup libxml2 reads differently from browsers
    is read as browsers build it (`_as_browsers_build_it`).
    """
    root = _parse(markup)
    if root is None:
        raise InputError("cannot parse HTML: the document is empty")
    return root


def _parse(markup: str | bytes) -> etree._Element | None:
    """`parse_html`, but None for a page without a single element."""
    if isinstance(markup, bytes):
        markup = _decoded(markup)
    root, mismatched = _parse_with_libxml2(markup)
    if root is None or not mismatched:
        return root
    mended, _ = _parse_with_libxml2(_as_browsers_build_it(markup))
    return root if mended is None else mended


def _parse_with_libxml2(markup: str | bytes) -> tuple[etree._Element | None, bool]:
    """The page's tree as libxml2 builds it, and whether an end tag did not match the
    element it would close there."""
    if isinstance(markup, str):
        # lxml refuses str input that carries an XML encoding declaration. A leading
        # U+FEFF is a byte-order mark decoded as text: a decoder would have dropped it.
        markup = encode_utf8(_without_control_characters(markup.removeprefix("\ufeff")))
        encoding = "utf-8"
    else:
        encoding = None
    # huge_tree: without it libxml2 silently stops parsing at 256 levels of nesting.
    parser = lxml_html.HTMLParser(
        encoding=encoding, remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root = etree.fromstring(markup, parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}") from exc
    if root is None:
        return None, False
    mismatched = False
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            # libxml2 stopped part-way (e.g. nesting deeper than 2048): do not pass off
            # the part it read as the page. Its hint names an option that is already on.
            reason = error.message.strip().removesuffix(", use XML_PARSE_HUGE option")
            raise InputError(f"cannot parse HTML past line {error.line}: {reason} "
                             "(libxml2's own limit); the page is refused rather than cut short")
        mismatched = mismatched or error.type_name == "ERR_TAG_NAME_MISMATCH"
    if encoding is None:
        _clean_text_nodes(root)  # libxml2 decoded it: control characters are still there
    return root, mismatched


def _as_browsers_build_it(markup: str | bytes) -> str | bytes:
    """The page serialized from the tree a browser builds (HTML5 tree construction, by
    lexbor), which libxml2 reads back as it is; the page unchanged if lexbor cannot.

    libxml2 builds its tree by older rules where they differ. An end tag such as `</li>`
    or `</nav>` cannot close an open `<div>`: libxml2 ignores it, so one `<div>` left
    open in a menu item puts the rest of the page, article and all, inside the menu.
    Browsers close the `<div>` there. Only a page where libxml2 met an end tag it could
    not match is read again (473 of WCXB's 1,497 pages; on 22 of them blocks of the
    article had been inside a menu, header or footer). libxml2 reads the page first
    because lexbor is slow on pathological nesting, which libxml2 refuses at once. As a
    browser with scripts on, lexbor keeps `<noscript>` content as raw text, serialized
    unchanged: a `<noscript><iframe/>` does not swallow the rest of the page.
    """
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    try:
        serialized = LexborHTMLParser(markup, scripting=True, encoding=isinstance(markup, bytes)).html
    except (SelectolaxError, RuntimeError):  # lexbor's "cannot parse": libxml2's tree stands
        return markup
    return serialized or markup


def _clean_text_nodes(root: etree._Element) -> None:
    for element in root.iter():
        for name in ("text", "tail"):
            value = getattr(element, name)
            if value and _CONTROL_CHARACTERS.search(value):
                setattr(element, name, _without_control_characters(value))


def check_tree(root: etree._Element, limits: Limits) -> None:
    """Refuse a parsed page with more elements, or deeper nesting, than `limits` allow;
    the walk stops at the first limit passed."""
    elements = depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        elements += 1
        depth += 1
        if elements > limits.max_html_elements or depth > limits.max_html_depth:
            limits.check("max_html_elements", elements, f"the page has more than {elements - 1:,} elements")
            limits.check("max_html_depth", depth, f"the page nests elements more than {depth - 1:,} levels deep")


# The labels that mean windows-1252 to a browser (WHATWG Encoding, "windows-1252").
WINDOWS_1252_LABELS = frozenset(
    "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252".split()
)
_CHARSET_DECLARATION = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']\s*([\w.:-]+)""", re.I)
# Windows-1252 as browsers decode it: the five bytes it leaves undefined are C1 controls.
_C1_CONTROLS = "filterkit.c1-controls"
codecs.register_error(_C1_CONTROLS, lambda exc: (exc.object[exc.start:exc.end].decode("latin-1"), exc.end))


def _decoded(data: bytes) -> str | bytes:
    """The page's text when its encoding is known without libxml2, else its bytes
    without NULs."""
    codec = byte_order_mark_codec(data)
    if codec:
        # A byte-order mark names the encoding whatever the page declares, as it does
        # for browsers; like them (and libxml2), show bad bytes as U+FFFD.
        return data.decode(codec, errors="replace")
    try:
        # Valid UTF-8 is UTF-8: without a declaration libxml2 would read Latin-1 (mojibake).
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _declared_charset(data) in (None, *WINDOWS_1252_LABELS):
        # libxml2 would read Latin-1, and the quotes, dashes and euro signs of
        # Windows-1252 would become control codes.
        return data.decode("cp1252", errors=_C1_CONTROLS)
    # Without a byte-order mark a page is in an ASCII-compatible encoding (libxml2 reads
    # no other), where a zero byte is always NUL.
    return data.replace(b"\x00", b"")


_CONTROL_SPACES = re.compile(r"[\x0b\x0c\x1c-\x1f]")
_CONTROL_OTHERS = re.compile(r"[\x00-\x08\x0e-\x1b\ufffe\uffff]")


_CONTROL_CHARACTERS = re.compile(f"{_CONTROL_SPACES.pattern}|{_CONTROL_OTHERS.pattern}")


def _without_control_characters(text: str) -> str:
    if not _CONTROL_CHARACTERS.search(text):
        return text  # nearly every page: one scan instead of two rewrites of the whole page
    return _CONTROL_OTHERS.sub("", _CONTROL_SPACES.sub(" ", text))


def _declared_charset(markup: bytes) -> str | None:
    """The charset a page declares (meta charset, http-equiv or XML declaration), lower-case."""
    match = _CHARSET_DECLARATION.search(markup)
    return (match.group(1) or match.group(2)).decode("ascii").lower() if match else None


def with_transport_charset(data: bytes, charset: str | None) -> str | bytes:
    """A page's bytes decoded with the charset its HTTP header named, when the page
    itself names none (no byte-order mark, no declaration); else the bytes as they are,
    for `html_document` to decode. Bad bytes become U+FFFD, as browsers show them; an
    unknown charset leaves the bytes to the page's own rules."""
    if not charset or byte_order_mark_codec(data) or _declared_charset(data):
        return data
    label = charset.strip().lower()
    if label in WINDOWS_1252_LABELS:
        return data.decode("cp1252", errors=_C1_CONTROLS)
    try:
        return data.decode(label, errors="replace")
    except LookupError:
        return data


def page_blocks(root: etree._Element) -> list[str]:
    """Every visible block of text on the page, in document order: the whole page as a
    naive scraper or a browser's innerText sees it, navigation and footers included."""
    return [text for text, facts in dom_blocks(root) if not facts.hidden]


_HTML_MARKERS = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|script|style|noscript|link)\b",
    re.I)
# Where a page's markup opens: a doctype, or an <html>, <head> or <body> tag that starts a
# line. Server warnings, a stray line of text or a byte-order mark can come first.
_DOCUMENT_START = re.compile(r"^[^\S\n]*<(?:!doctype\s+html|html|head|body)\b", re.I | re.M)
# How much of the input's opening is read to tell: PHP warnings and notices printed before
# the page run to a few hundred characters each.
HTML_OPENING_CHARS = 8192


def looks_like_html(text: str) -> bool:
    """True when the input is a page rather than prose: it opens with markup, or its
    markup opens a line of its opening (after a server's warnings or a stray line)."""
    head = text[:HTML_OPENING_CHARS].lstrip().lstrip("\ufeff").lstrip()
    if head.startswith("<") and _HTML_MARKERS.search(head[:2000]):
        return True
    return bool(_DOCUMENT_START.search(head))


def opening_text(data: bytes) -> str:
    """The opening of a page's bytes as text, enough for `looks_like_html`: decoded with
    the codec its byte-order mark names (UTF-16 pages included), else as Latin-1."""
    head = data[:2 * HTML_OPENING_CHARS]
    codec = byte_order_mark_codec(head)
    return head.decode(codec, errors="ignore") if codec else head.decode("latin-1")


def html_document(markup: str | bytes, limits: Limits | None = None, *, metadata: bool = True) -> Document:
    """A page as a Document of its own DOM blocks (see `filterkit.blocks`), each with its
    DOM facts.

    Title, author, date, URL and site name come from trafilatura's metadata, the
    language from the page's declaration (`page_language`); with
    `metadata=False` only the title (which the model reads), for callers that want the
    body alone: the date search costs more than a tenth of the work on a page. The page's
    JSON-LD that may hold its article is kept too, unread, for a page whose own blocks
    turn out to hold next to no body (`filterkit.read.structured`). A page with no text
    (blank, or only scripts and styles) is a Document without paragraphs.
    `limits`: refuse a page with too many elements, too deep a nesting or too many
    blocks, before trafilatura reads it.
    """
    from .blocks import block_paragraphs

    tree = _parse(markup)
    if tree is None:
        return Document((), source_format="html")
    if limits is not None:
        check_tree(tree, limits)
    blocks = formed_blocks(tree)
    if limits is not None:
        limits.check("max_paragraphs", len(blocks), f"the page has {len(blocks):,} text blocks")
    info = page_metadata(tree) if metadata else page_title(tree)
    info.update(_readable(info))
    if metadata and (language := page_language(tree)):
        info["language"] = language
    article = json_ld_with_an_article(tree)
    if article:
        info[STRUCTURED_BODY] = article
    return Document(block_paragraphs(blocks), title=info.get("title"), source_format="html",
                    metadata=info)


METADATA_FIELDS = ("title", "author", "date", "url", "sitename")
_CONTENT_LANGUAGE = etree.XPath("//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
                                "='content-language']/@content")


def page_language(tree: etree._Element) -> str | None:
    """The language the page declares (`<html lang>`, else a Content-Language meta tag),
    as declared; None when it declares none."""
    declared = tree.get("lang") or next(iter(_CONTENT_LANGUAGE(tree)), None)
    return declared.strip() or None if declared else None


# The fields read as text: without the characters no reader sees, as the blocks are.
_TEXT_FIELDS = ("title", "author", "sitename")


def _readable(info: dict) -> dict:
    return {key: without_invisible_characters(info[key]) for key in _TEXT_FIELDS if key in info}


def page_metadata(tree: etree._Element) -> dict:
    """Title, author, date, URL and site name, as `trafilatura.extract_metadata(tree,
    extensive=False)` reads them; missing ones left out.

    These are its steps for the five fields, in its order (trafilatura 2.3; a test holds
    the two to the same answers), less two. Its categories, tags and licence, which
    filterkit does not use, cost a quarter of its time. Its search of the page's body for
    an author, where the meta tags and JSON-LD name none, costs a tenth of all filterkit's
    work on a page: the author is the one those name, or none.
    """
    import trafilatura

    steps = _trafilatura_steps()
    if steps is None:  # a trafilatura whose steps differ: its public call
        return _metadata_fields(trafilatura.extract_metadata(tree, extensive=False))
    traf, date_params = steps
    found = _titled(traf, tree)
    found.url = found.url or traf.extract_url(tree)
    # extensive=False: htmldate's extensive date search alone costs more than the rest of
    # filterkit's work on a page; dates in meta tags, JSON-LD, URLs and <time> are still found.
    found.date = traf.find_date(tree, **date_params, url=found.url)
    found.sitename = _sitename(traf, tree, found.sitename, found.url)
    found.clean_and_trim()
    return _metadata_fields(found)


def page_title(tree: etree._Element) -> dict:
    """The title alone, as `page_metadata` reads it."""
    steps = _trafilatura_steps()
    if steps is None:
        return {k: v for k, v in page_metadata(tree).items() if k == "title"}
    found = _titled(steps[0], tree)
    found.clean_and_trim()
    return {"title": found.title} if found.title else {}


def _titled(traf, tree: etree._Element):
    """trafilatura's first steps (`traf`: its metadata module): meta tags, then JSON-LD,
    then <title> and headings for a title."""
    found = traf.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # trafilatura's rule: one word is not an author's name
    try:
        found = traf.extract_meta_json(tree, found)
    except Exception:  # trafilatura's own guard: its JSON-LD reader has known bugs
        pass
    found.title = found.title or traf.extract_title(tree)
    return found


_STEPS = ("examine_meta", "extract_meta_json", "extract_title", "extract_url", "find_date",
          "extract_sitename", "META_URL")


def _trafilatura_steps():
    """trafilatura's metadata module and its date settings, or None when this trafilatura
    lacks one of the steps `page_metadata` runs."""
    try:
        from trafilatura import metadata as traf
        from trafilatura.settings import set_date_params
    except ImportError:
        return None
    if not all(hasattr(traf, step) for step in _STEPS):
        return None
    return traf, set_date_params(extensive=False)


def _metadata_fields(metadata) -> dict:
    return {k: getattr(metadata, k) for k in METADATA_FIELDS if getattr(metadata, k, None)}


def _sitename(traf, tree: etree._Element, declared: str | None, url: str | None) -> str | None:
    """trafilatura's site name (`traf`: its metadata module): the declared one, else a part
    of <title> with a dot in it (both without a leading @, capitalised unless a domain),
    else the URL's host."""
    name = declared or traf.extract_sitename(tree)
    if name:
        name = name.lstrip("@")
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        return name
    match = traf.META_URL.match(url) if url else None
    return match[1] if match else None
