"""dom_blocks: a page's own blocks, in reading order, with the DOM facts the HTML model reads."""
from __future__ import annotations

from filterkit.read.blocks import DomFacts, dom_blocks
from filterkit.read.html import page_blocks, parse_html

PAGE = """<!DOCTYPE html>
<html><head><title>Tram line | Gazette</title><script>var x = "never text";</script></head>
<body>
  <header class="site-header"><nav id="main-menu"><ul>
    <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  </ul></nav></header>
  <main><article class="post-content">
    <h1>Tram line to reach new hospital</h1>
    <p>The council voted on Tuesday to extend the <a href="/tram">tram line</a> to the new hospital.</p>
    <h2>What happens next</h2>
    <ul><li>Station Road first;</li><li>then the towpath.</li></ul>
    <table><tr><td>Cost</td><td>48 million</td></tr></table>
    <pre>route = ["Station Road", "Towpath"]</pre>
  </article>
  <section class="comments-area"><div class="comment-body"><p>Great news, finally!</p></div></section>
  <div style="display:none"><p>Hidden promo</p></div>
  </main>
  <footer><p>&copy; 2025 Gazette</p></footer>
</body></html>
"""


def _blocks():
    return dom_blocks(parse_html(PAGE))


def _facts(text: str) -> DomFacts:
    return dict(_blocks())[text]


def test_blocks_come_in_reading_order_without_script_and_hidden_text_marked_hidden():
    assert [text for text, _ in _blocks()] == [
        "Home", "News", "Tram line to reach new hospital",
        "The council voted on Tuesday to extend the tram line to the new hospital.",
        "What happens next", "Station Road first;", "then the towpath.", "Cost", "48 million",
        'route = ["Station Road", "Towpath"]', "Great news, finally!", "Hidden promo", "© 2025 Gazette",
    ]
    assert [text for text, facts in _blocks() if facts.hidden] == ["Hidden promo"]
    assert "stylehidden" in _facts("Hidden promo").tokens.split()
    assert "stylehidden" not in _facts("© 2025 Gazette").tokens.split()


def test_the_whole_page_rendering_is_what_the_screen_shows():
    assert "Hidden promo" not in page_blocks(parse_html(PAGE))
    assert "Great news, finally!" in page_blocks(parse_html(PAGE))


HIDDEN_SLIDES = """<html><body><main><div class="gallery">
  <section class="slide active"><h2>1. A laundry bag</h2><p>It folds flat in a drawer.</p></section>
  <section class="slide" style="display: none"><h2>2. A pillow</h2><p>For those who sleep on their side.</p></section>
  <section class="slide" hidden><h2>3. A lamp</h2><p>It dims <span style="display:none">(ad)</span>by itself at night.</p></section>
</div>
<nav class="menu"><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<div class="mobile-menu" style="display:none"><nav><a href="/">Home</a> <a href="/shop">Shop</a></nav></div>
</main></body></html>"""


def test_hidden_slides_are_read_and_hidden_copies_of_shown_text_are_not():
    blocks = dom_blocks(parse_html(HIDDEN_SLIDES))
    assert [(text, facts.hidden) for text, facts in blocks] == [
        ("1. A laundry bag", False), ("It folds flat in a drawer.", False),
        ("2. A pillow", True), ("For those who sleep on their side.", True),
        ("3. A lamp", True), ("It dims by itself at night.", True),  # hidden inside a line: not text
        ("Home Shop", False),
    ]


def test_each_block_knows_its_own_tag_and_landmarks():
    assert _facts("Home").tag == "li"
    assert _facts("Home").ancestors == ("header", "nav", "ul", "li")
    assert _facts("Tram line to reach new hospital").tag == "h1"
    assert _facts("Station Road first;").ancestors == ("main", "article", "ul", "li")
    assert _facts("48 million").tag == "td"
    assert "table" in _facts("48 million").ancestors
    assert _facts('route = ["Station Road", "Towpath"]').tag == "pre"
    assert _facts("© 2025 Gazette").ancestors == ("footer",)


def test_class_and_id_words_of_the_ancestors_are_kept_nearest_last():
    assert _facts("Home").tokens == "site header main menu"
    assert _facts("Great news, finally!").tokens.split() == ["comments", "area", "comment", "body"]


def test_link_text_is_counted_per_block():
    menu = _facts("Home")
    assert (menu.link_chars, menu.links) == (4, 1)
    sentence = _facts("The council voted on Tuesday to extend the tram line to the new hospital.")
    assert (sentence.link_chars, sentence.links) == (len("tram line"), 1)
    assert _facts("What happens next").link_chars == 0


def test_subtrees_describe_the_distinct_containers_around_a_block():
    words, chars, link_chars, blocks = _facts("Home").subtrees[0]
    assert (words, chars, link_chars, blocks) == (1, 4, 4, 1)  # the <li> itself
    # Its next distinct container is the menu: two items, all link text.
    assert _facts("Home").subtrees[1][1:] == (len("Home") + len("News"), len("HomeNews"), 2)
    sentence = "The council voted on Tuesday to extend the tram line to the new hospital."
    article = _facts(sentence).subtrees[1]
    # The article holds eight blocks, most of them words, and few of its characters are links.
    assert article[3] == 8 and article[2] / article[1] < 0.1
    # Wrappers that hold nothing more (the <ul> around "Home" and "News" inside <nav>) are
    # not repeated: each level is a larger container.
    for _, facts in _blocks():
        assert all(a != b for a, b in zip(facts.subtrees, facts.subtrees[1:]))
        assert all(a[1] <= b[1] for a, b in zip(facts.subtrees, facts.subtrees[1:]))


def test_dom_facts_survive_a_json_round_trip():
    for _, facts in _blocks():
        assert DomFacts.from_json(facts.to_json()) == facts


def test_any_run_of_whitespace_in_a_block_becomes_one_space():
    page = "<p>\n  Two\u00a0 words,\tthen\u2003a line\r\nbreak.<br>And <b> bold </b> text  </p>"
    assert [text for text, _ in dom_blocks(parse_html(page))] == ["Two words, then a line break.", "And bold text"]
    # The <p> holds both blocks: their words and characters as shown.
    assert dom_blocks(parse_html(page))[0][1].subtrees[0][:2] == (6 + 3, len("Two words, then a line break.")
                                                                    + len("And bold text"))


def test_hidden_blocks_between_the_lines_of_one_sentence_do_not_split_it():
    markup = ("<html><body><div class='story'><p>The council voted on Tuesday to extend</p>"
              "<div class='tooltip' style='display:none'><p>What is a tram?</p></div>"
              "<p>the tram line to the new hospital.</p></div></body></html>")
    blocks = dom_blocks(parse_html(markup))
    assert [(text, facts.hidden) for text, facts in blocks] == [
        ("The council voted on Tuesday to extend the tram line to the new hospital.", False),
        ("What is a tram?", True),
    ]


def test_shown_text_around_a_hidden_block_stays_one_line():
    markup = ("<html><body><div class='menu'>Resources <div hidden><a href='/a'>Archive</a></div>"
              "Blog Case studies</div></body></html>")
    blocks = dom_blocks(parse_html(markup))
    assert [(text, facts.hidden) for text, facts in blocks] == [
        ("Archive", True), ("Resources Blog Case studies", False)]
    assert page_blocks(parse_html(markup)) == ["Resources Blog Case studies"]
