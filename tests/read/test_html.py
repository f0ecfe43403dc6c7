"""parse_html and page_blocks: a page as a naive scraper sees it, minus invisible text."""
from __future__ import annotations

import pytest
from lxml import etree

from filterkit.errors import InputError
from filterkit.read.blocks import dom_blocks
from filterkit.read.html import page_blocks, page_language, parse_html

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tram line to reach new hospital | Riverside Gazette</title>
  <style>body { font-family: Georgia, serif; } .ad { display: block; }</style>
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({page: "article"});</script>
</head>
<body>
  <header>
    <a class="logo" href="/">Riverside Gazette</a>
    <nav>
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/news">News</a></li>
        <li><a href="/sport">Sport</a></li>
      </ul>
    </nav>
  </header>
  <main>
    <article>
      <h1>Tram line to reach new hospital by 2027</h1>
      <p class="byline">By <a href="/staff/jane-doe">Jane Doe</a>, transport correspondent</p>
      <p>The city council voted on Tuesday to extend the
         <a href="/tags/tram">tram line</a> to the new hospital, a project
         that will cost <b>&euro;48 million</b> and take about eighteen months.</p>
      <p>Work will start in the spring. The route will run along:</p>
      <ul>
        <li>Station Road, between the bus depot and the river;</li>
        <li>the old canal towpath;</li>
        <li>Hospital Avenue, ending at the main entrance.</li>
      </ul>
      <p>Opponents say the money would be better spent on buses.<script>trackRead("p3")</script> The
         council disagrees.</p>
    </article>
    <noscript>Please enable JavaScript to read comments.</noscript>
    <template><p>Template comment placeholder</p></template>
  </main>
  <footer>
    <p>&copy; 2025 Riverside Gazette. All rights reserved.</p>
    <p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p>
  </footer>
</body>
</html>
"""


def test_noscript_content_is_read_as_a_scraper_reads_it():
    # Script-rendered forums serve their posts inside <noscript> for crawlers.
    page = ("<html><body><div id='app'></div><noscript><div class='post'><p>First post of the "
            "thread.</p></div><div class='post'><p>A reply to it.</p></div></noscript></body></html>")
    assert page_blocks(parse_html(page)) == ["First post of the thread.", "A reply to it."]


def test_blocks_of_a_realistic_page_in_document_order():
    assert page_blocks(parse_html(PAGE)) == [
        "Riverside Gazette",
        "Home",
        "News",
        "Sport",
        "Tram line to reach new hospital by 2027",
        "By Jane Doe, transport correspondent",
        "The city council voted on Tuesday to extend the tram line to the new hospital, "
        "a project that will cost \u20ac48 million and take about eighteen months.",
        "Work will start in the spring. The route will run along:",
        "Station Road, between the bus depot and the river;",
        "the old canal towpath;",
        "Hospital Avenue, ending at the main entrance.",
        "Opponents say the money would be better spent on buses. The council disagrees.",
        "Please enable JavaScript to read comments.",  # <noscript>: what a scraper sees
        "\u00a9 2025 Riverside Gazette. All rights reserved.",
        "Privacy | Terms",
    ]


def test_bytes_and_str_give_the_same_blocks():
    assert page_blocks(parse_html(PAGE.encode("utf-8"))) == page_blocks(parse_html(PAGE))


def test_invisible_text_never_appears():
    page = """<html><head><title>Page title</title>
    <style>p { color: red }</style></head><body>
    <p>Visible one.</p>
    <script type="application/ld+json">{"headline": "SCRIPT-TEXT"}</script>
    <style>.x { content: "STYLE-TEXT" }</style>
    <template><div>TEMPLATE-TEXT</div></template>
    <div hidden>HIDDEN-ATTR-TEXT <p>nested HIDDEN-ATTR-CHILD</p></div>
    <div style="color: red; DISPLAY : none">DISPLAY-NONE-TEXT</div>
    <span style="visibility:hidden">VISIBILITY-TEXT</span>
    <!-- COMMENT-TEXT -->
    <svg><text>SVG-TEXT</text></svg>
    <select><option>OPTION-TEXT</option></select>
    <p>Visible two.</p>
    </body></html>"""
    blocks = page_blocks(parse_html(page))
    text = " ".join(blocks)
    assert "TEXT" not in text and "Page title" not in text
    assert blocks == ["Visible one.", "Visible two."]


ARTICLE_TEXT = (
    "The council voted on Tuesday to extend the tram line to the new hospital, a decision "
    "that residents of the eastern districts have waited on for more than a decade. "
) * 6


def test_a_react_pages_streamed_article_is_read_in_its_place():
    # React 18 streams a late part as <div hidden id="S:n">; its script moves it into
    # <template id="B:n">. A scraped snapshot holds both, the part at the end of <body>.
    page = f"""<html><body>
    <nav><a href="/">Home</a></nav>
    <main><template id="B:0"></template><p>Loading...</p></main>
    <footer><p>About us</p></footer>
    <div hidden id="S:0"><article><h1>Tram line to reach hospital</h1><p>{ARTICLE_TEXT}</p></article></div>
    <script>$RC("B:0", "S:0")</script>
    </body></html>"""
    blocks = page_blocks(parse_html(page))
    assert blocks == ["Home", "Tram line to reach hospital", ARTICLE_TEXT.strip(), "Loading...", "About us"]


def test_a_streamed_part_without_its_placeholder_is_read_where_it_is():
    page = f'<html><body><p>Menu</p><div hidden id="S:1f"><p>{ARTICLE_TEXT}</p></div></body></html>'
    assert page_blocks(parse_html(page)) == ["Menu", ARTICLE_TEXT.strip()]


def test_a_page_that_shows_no_text_shows_the_hidden_wrapper_around_its_text():
    # Sites hide the page until their fonts and styles load, then show it by script.
    page = f"""<html><body>
    <div style="visibility:hidden;min-height:100vh"><h1>Tram line</h1><p>{ARTICLE_TEXT}</p>
      <div style="display:none"><p>Newsletter popup</p></div></div>
    <p>Cookie settings</p></body></html>"""
    assert page_blocks(parse_html(page)) == ["Tram line", ARTICLE_TEXT.strip(), "Cookie settings"]


def test_hidden_text_that_is_not_most_of_the_page_stays_hidden():
    menu = " ".join(f"<li>Section {i}</li>" for i in range(40))
    article = f'<html><body><ul style="display:none">{menu}</ul><p>{ARTICLE_TEXT}</p></body></html>'
    assert page_blocks(parse_html(article)) == [ARTICLE_TEXT.strip()]
    # Nor does a dialog that holds a copy of the article, on a page that shows it.
    dialog = f'<html><body><p>{ARTICLE_TEXT}</p><div style="display:none" role="dialog"><p>Republish: {ARTICLE_TEXT * 2}</p></div></body></html>'
    assert page_blocks(parse_html(dialog)) == [ARTICLE_TEXT.strip()]
    # A page with no text of its own does not show a hidden notice as its text.
    notice = '<html><body><div hidden><p>Please enable cookies to continue.</p></div></body></html>'
    assert page_blocks(parse_html(notice)) == []


def test_aria_hidden_text_is_on_screen_and_the_model_is_told():
    # aria-hidden hides from screen readers only: carousel slides, icons, visual copies.
    page = '<div class="slide" aria-hidden="true"><p>Second slide</p></div><div aria-hidden="false"><p>Shown</p></div>'
    blocks = dom_blocks(parse_html(page))
    assert [text for text, _ in blocks] == ["Second slide", "Shown"]
    assert blocks[0][1].tokens.split() == ["slide", "ariahidden"]
    assert "ariahidden" not in blocks[1][1].tokens


# A menu item whose dropdown <div> is never closed, as on a real blog's header: libxml2
# ignores the </li>, </ul>, </nav> and </header> after it, so everything below would
# sit inside the menu; browsers close the <div> at </li>.
UNCLOSED_MENU = """<html><head><meta charset="{charset}"><title>Tram line</title></head><body>
<header><nav><ul>
  <li class="menu-item"><div class="dropdown"><a href="#">Life</a>
    <ul><li><a href="/family">Family</a></li><li><a href="/home">Home</a></li></ul></li>
  <li class="menu-item"><div class="dropdown"><a href="#">Work</a>
    <ul><li><a href="/income">Income</a></li></ul></li>
</ul></nav></header>
<main><article><h1>Tram line to reach hospital</h1><p>{body}</p></article></main>
<footer><p>Contact</p></footer>
</body></html>"""


def _facts(page) -> dict:
    return {text: facts for text, facts in dom_blocks(parse_html(page))}


def test_an_element_left_open_in_a_menu_does_not_put_the_article_in_the_menu():
    facts = _facts(UNCLOSED_MENU.format(charset="utf-8", body=ARTICLE_TEXT))
    assert list(facts) == ["Life", "Family", "Home", "Work", "Income", "Tram line to reach hospital",
                           ARTICLE_TEXT.strip(), "Contact"]
    assert facts["Family"].ancestors[:2] == ("header", "nav")
    assert facts[ARTICLE_TEXT.strip()].ancestors == ("main", "article")
    assert facts["Contact"].ancestors == ("footer",)


def test_a_page_in_a_declared_legacy_charset_is_mended_too():
    body = "路面電車が病院まで延びる。" * 8
    page = UNCLOSED_MENU.format(charset="shift_jis", body=body).encode("shift_jis")
    assert _facts(page)[body].ancestors == ("main", "article")


def test_mending_a_page_keeps_noscript_content_and_what_follows_it():
    # `<iframe/>` is not self-closing in HTML: read as markup, it would hold the rest of
    # the page as its text. Inside <noscript> a browser with scripts on reads it as text.
    page = UNCLOSED_MENU.format(charset="utf-8", body=ARTICLE_TEXT).replace(
        "<main>", '<noscript><iframe src="https://example.com/tag" /></noscript>'
                  "<noscript><p>Enable JavaScript for comments.</p></noscript><main>")
    facts = _facts(page)
    assert "Enable JavaScript for comments." in facts
    assert facts[ARTICLE_TEXT.strip()].ancestors == ("main", "article")


def test_tail_text_after_a_skipped_element_is_kept():
    page = (
        "<p>Before the script <script>var x = 1;</script>and after it, "
        '<span hidden>secret</span>after the hidden span, '
        '<b style="display:none">gone</b>after the hidden bold.</p>'
    )
    assert page_blocks(parse_html(page)) == [
        "Before the script and after it, after the hidden span, after the hidden bold."
    ]


def test_inline_markup_stays_in_one_block_and_br_splits():
    page = "<p>A <a href='#'>link</a>, <b>bold</b>, <i>italic</i> and <code>code</code>.<br>Next line</p>"
    assert page_blocks(parse_html(page)) == ["A link, bold, italic and code.", "Next line"]


@pytest.mark.parametrize("page, expected", [
    ("<html><body><p>Truncated paragraph with <b>bold and <a href=x>a link",
     ["Truncated paragraph with bold and a link"]),
    ("<p>one<p>two<li>three<div>four</span></p>five", ["one", "two", "three", "four", "five"]),
    ("<div><p>Unclosed div and a stray </td></tr> end tag</div><p>after",
     ["Unclosed div and a stray end tag", "after"]),
    ("no markup at all, just text", ["no markup at all, just text"]),
    ("<td>cell one<td>cell two", ["cell one", "cell two"]),
])
def test_malformed_or_truncated_html_still_yields_blocks(page, expected):
    # Where libxml2's recovery puts block boundaries may vary; the text may not.
    got = page_blocks(parse_html(page))
    assert "".join("".join(got).split()) == "".join("".join(expected).split())
    assert got[0].startswith(expected[0]) and got[-1].endswith(expected[-1])


@pytest.mark.parametrize("markup", ["", "   \n", b"", "<!-- only a comment -->"])
def test_empty_input_raises_input_error(markup):
    with pytest.raises(InputError):
        parse_html(markup)


def test_declared_windows_1252_bytes_decode():
    page = ('<html><head><meta charset="windows-1252"></head>'
            "<body><p>Caf\u00e9 \u201cna\u00efve\u201d \u2013 5\u20ac</p></body></html>")
    assert page_blocks(parse_html(page.encode("cp1252"))) == ["Caf\u00e9 \u201cna\u00efve\u201d \u2013 5\u20ac"]


def test_http_equiv_charset_declaration():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            "</head><body><p>Gr\u00fc\u00dfe aus K\u00f6ln</p></body></html>")
    assert page_blocks(parse_html(page.encode("latin-1"))) == ["Gr\u00fc\u00dfe aus K\u00f6ln"]


@pytest.mark.parametrize("prefix", ["", "<html><head><title>t</title></head><body>", "\ufeff"])
def test_undeclared_utf8_bytes_decode_as_utf8(prefix):
    # Many saved pages carry their charset only in the HTTP header: libxml2 alone
    # would read these bytes as Latin-1 ("CafÃ©").
    page = prefix + "<p>Caf\u00e9 \u2014 \u201cna\u00efve\u201d, \u65e5\u672c</p>"
    assert page_blocks(parse_html(page.encode("utf-8"))) == ["Caf\u00e9 \u2014 \u201cna\u00efve\u201d, \u65e5\u672c"]


def test_str_with_an_xml_encoding_declaration():
    page = '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Caf\u00e9</p></body></html>'
    assert page_blocks(parse_html(page)) == ["Caf\u00e9"]


def test_nesting_deeper_than_libxml2s_default_limit_keeps_all_text():
    depth = 1000  # libxml2 silently stops at 256 levels unless told otherwise
    page = "<body><p>before</p>" + "<div>" * depth + "<p>deep</p>" + "</div>" * depth + "<p>after</p>"
    assert page_blocks(parse_html(page)) == ["before", "deep", "after"]


def test_nesting_5000_divs_deep_does_not_crash():
    depth = 5000
    page = "<body><p>before</p>" + "<div>" * depth + "<p>deep</p>" + "</div>" * depth + "<p>after</p>"
    try:
        blocks = page_blocks(parse_html(page))
    except InputError as exc:  # beyond what libxml2 parses: a typed error, never a partial page
        assert "depth" in str(exc).lower()
    else:
        assert blocks == ["before", "deep", "after"]


def test_walk_is_iterative_on_a_5000_level_tree():
    root = etree.Element("html")
    node = etree.SubElement(root, "body")
    for _ in range(5000):
        node = etree.SubElement(node, "div")
    node.text = "deep"
    node.tail = "tail"
    assert page_blocks(root) == ["deep", "tail"]


# --- what a page shows, read as shown ------------------------------------------------------

def test_ruby_annotations_are_not_body_text():
    page = ("<html><body><p>\u6628\u65e5<ruby>\u5b50<rp>(</rp><rt>\u3053</rt><rp>)</rp></ruby>"
            "\u4f9b\u305f\u3061\u304c<ruby>\u6f22\u5b57<rtc><rt>\u304b\u3093\u3058</rt></rtc></ruby>"
            "\u3092\u5b66\u3093\u3060\u3002</p></body></html>")
    assert page_blocks(parse_html(page)) == ["\u6628\u65e5\u5b50\u4f9b\u305f\u3061\u304c\u6f22\u5b57"
                                             "\u3092\u5b66\u3093\u3060\u3002"]


SPLIT_SENTENCES = """<!DOCTYPE html><html><body><main><article>
<h1>Council backs tram line</h1>
<p>The council voted on Tuesday night to extend</p>
<p>the tram line to the new hospital,</p>
<p>ending a debate that has divided residents for two years.</p>
<p class="poem">Residents gathered outside the town hall<br>
and cheered when the result was read out<br>
by the mayor.</p>
<p>Work starts in the spring.</p>
<ul><li>home</li><li>about us</li></ul>
<form><p>Name *</p><p>eMail address *</p></form>
</article></main></body></html>"""


def test_a_sentence_set_over_short_lines_is_one_block():
    assert page_blocks(parse_html(SPLIT_SENTENCES)) == [
        "Council backs tram line",
        "The council voted on Tuesday night to extend the tram line to the new hospital, "
        "ending a debate that has divided residents for two years.",
        "Residents gathered outside the town hall and cheered when the result was read out by the mayor.",
        "Work starts in the spring.",
        "home", "about us",  # list items stay apart
        "Name *", "eMail address *",  # labels are no sentence
    ]


def test_a_joined_sentence_adds_up_its_links():
    page = ("<html><body><p>Read the <a href='/plan'>full plan</a></p>"
            "<p>on the <a href='/council'>council website</a> today</p></body></html>")
    [(text, facts)] = dom_blocks(parse_html(page))
    assert text == "Read the full plan on the council website today"
    assert (facts.links, facts.link_chars) == (2, len("full plan") + len("council website"))


# --- structured data: the article a script-rendered page gives as JSON-LD -----------------

def _json_ld_page(data: dict, shown: str = "<p>Loading\u2026</p>") -> str:
    import json

    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>City approves new tram line | The Daily Courier</title>
<script type="application/ld+json">{json.dumps(data)}</script>
<script src="/static/app.js"></script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div id="root">{shown}</div>
<footer>\u00a9 2024 The Daily Courier. All rights reserved.</footer></body></html>"""


ARTICLE_BODY = [
    "The city council voted on Tuesday night to extend the tram line to the new hospital, "
    "ending a debate that has divided residents for two years.",
    "Construction is expected to start in the spring and to take about eighteen months, "
    "according to the transport department.",
    "Opponents of the plan say the money would be better spent on the existing bus network, "
    "which has lost a third of its routes since 2019.",
]
NEWS_ARTICLE = {"@context": "https://schema.org", "@graph": [
    {"@type": "WebSite", "name": "The Daily Courier"},
    {"@type": "NewsArticle", "headline": "City approves new tram line",
     "author": {"@type": "Person", "name": "Maria Lopez"},
     "articleBody": "\n\n".join(ARTICLE_BODY)}]}
HOW_TO = {"@context": "https://schema.org", "@type": "HowTo", "name": "How to bleed a radiator",
          "step": [{"@type": "HowToSection", "name": "Before you start", "itemListElement": [
              {"@type": "HowToStep", "text": "Turn the heating off and wait until the radiators are cold."}]},
              {"@type": "HowToStep", "name": "Open the valve",
               "text": "Hold a cloth under the valve and turn the key a quarter turn anticlockwise."},
              {"@type": "HowToStep", "text": "Close the valve as soon as water instead of air comes out, "
                                             "then check the boiler pressure."}]}


def test_structured_article_is_read_from_json_ld():
    from filterkit.read.structured import structured_article

    assert structured_article(parse_html(_json_ld_page(NEWS_ARTICLE))) == tuple(ARTICLE_BODY)
    assert structured_article(parse_html(_json_ld_page(HOW_TO))) == (
        "Turn the heating off and wait until the radiators are cold.",
        "Hold a cloth under the valve and turn the key a quarter turn anticlockwise.",
        "Close the valve as soon as water instead of air comes out, then check the boiler pressure.")


def test_structured_article_in_markup_or_broken_json():
    from filterkit.read.structured import structured_article

    markup = {"@type": "Article", "articleBody": "<p>First &amp; foremost.</p><p>Second paragraph.</p>"}
    assert structured_article(parse_html(_json_ld_page(markup))) == ("First & foremost.", "Second paragraph.")
    broken = _json_ld_page(NEWS_ARTICLE).replace('"@graph"', '"@graph" oops')
    assert structured_article(parse_html(broken)) == ()


@pytest.mark.usefixtures("shipped_model")
@pytest.mark.parametrize("data, body", [(NEWS_ARTICLE, ARTICLE_BODY), (HOW_TO, None)])
def test_a_page_showing_next_to_no_body_gives_its_json_ld_article(data, body):
    import filterkit
    from filterkit.read.structured import structured_article

    page = _json_ld_page(data)
    body = body or list(structured_article(parse_html(page)))
    assert filterkit.clean(page) == "\n\n".join(body)
    document = filterkit.classify(page)
    assert document.metadata["body_source"] == "json-ld"
    assert document.body == "\n\n".join(body)
    assert all(d.is_content and "JSON-LD" in d.reason for d in document.decisions)
    assert filterkit.classify(page, explain=True).body == document.body


@pytest.mark.usefixtures("shipped_model")
def test_a_page_that_shows_its_article_keeps_its_own_blocks():
    import filterkit

    shown = "".join(f"<p>{p}</p>" for p in ARTICLE_BODY[:2])
    page = _json_ld_page(NEWS_ARTICLE, f"<article><h1>City approves new tram line</h1>{shown}</article>")
    document = filterkit.classify(page)
    assert "body_source" not in document.metadata
    assert document.body == "\n\n".join(ARTICLE_BODY[:2])


# --- HTML is told by its markup, wherever the markup starts ---------------------------------

PAGE_OPENINGS = [
    "\ufeff<!DOCTYPE html>\n<html><body><p>Body.</p></body></html>",
    "\n\n  \t<!doctype html><html><body><p>Body.</p></body></html>",
    "<br />\n<b>Warning</b>:  mysqli_connect(): (HY000/2002): Connection refused in "
    "<b>/var/www/html/wp-includes/class-wpdb.php</b> on line <b>1982</b><br />\n"
    "<!DOCTYPE html>\n<html lang=\"de\"><head><title>T</title></head><body><p>Body.</p></body></html>",
    "Warning: Cannot modify header information - headers already sent by (output started at "
    "/home/site/public_html/wp-config.php:1) in /home/site/public_html/wp-includes/pluggable.php "
    "on line 1435\n<html><head><title>T</title></head><body><p>Body.</p></body></html>",
    "Deprecated: Function create_function() is deprecated in /srv/www/index.php on line 12\n"
    "Notice: Undefined index: page in /srv/www/index.php on line 40\n"
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html><body><p>Body.</p></body></html>",
    "Some stray text line\n<html>\n<head><title>T</title></head><body><p>Body.</p></body></html>",
]


@pytest.mark.parametrize("page", PAGE_OPENINGS)
def test_a_page_is_html_whatever_comes_before_its_markup(page):
    from filterkit.read import to_document

    assert to_document(page).source_format == "html"
    assert to_document(page.encode("utf-8")).source_format == "html"
    assert "Body." in to_document(page).texts


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_page_bytes_with_a_byte_order_mark_are_html(encoding):
    from filterkit.read import to_document

    document = to_document("<!DOCTYPE html><html><body><p>Caf\u00e9 cr\u00e8me.</p></body></html>".encode(encoding))
    assert document.source_format == "html" and document.texts == ["Caf\u00e9 cr\u00e8me."]


@pytest.mark.parametrize("text", [
    "To start a page, type <html> and then close it with </html> at the end.\nThat is all.",
    "A normal article about markup.\nIts second line mentions a <div> element.",
    "Line one\nLine two <!DOCTYPE html> inside a sentence.",
])
def test_prose_that_mentions_markup_is_text(text):
    from filterkit.read import to_document

    assert to_document(text).source_format == "text"


def test_the_language_is_the_one_the_page_declares():
    assert page_language(parse_html("<html lang=' de-CH '><body><p>Text</p></body></html>")) == "de-CH"
    meta = "<html><head><meta http-equiv='Content-Language' content='fr'></head><body><p>Texte</p></body></html>"
    assert page_language(parse_html(meta)) == "fr"
    assert page_language(parse_html("<html><body><p>Text</p></body></html>")) is None
