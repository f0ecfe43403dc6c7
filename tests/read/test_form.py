"""Block forms: what each block of a page is in its structure (heading, list item, table
cell, code, quote, paragraph) and its links and images, read in the same walk as its text
and DOM facts, which they leave as they were."""
from __future__ import annotations

from filterkit.read.blocks import dom_blocks, formed_blocks
from filterkit.read.form import MAX_COLSPAN, BlockForm, Image, Link
from filterkit.read.html import html_document, parse_html


def forms(body: str) -> dict[str, BlockForm]:
    return {text: form for text, _, form in formed_blocks(parse_html(f"<html><body>{body}</body></html>"))}


def test_headings_quotes_and_paragraphs():
    found = forms("<h3>Costs rise</h3><blockquote><p>We did not expect it.</p></blockquote><p>Plain.</p>")
    assert (found["Costs rise"].kind, found["Costs rise"].level) == ("heading", 3)
    assert found["We did not expect it."].kind == "quote"
    assert found["Plain."] == BlockForm()


def test_list_items_know_their_list_depth_and_number():
    found = forms("<ol start='4'><li>Four<ul><li>Inner</li></ul></li><li>Five</li></ol><ul><li>Dot</li></ul>")
    four, inner, five, dot = found["Four"], found["Inner"], found["Five"], found["Dot"]
    assert (four.kind, four.list_kind, four.depth, four.number) == ("item", "ol", 1, 4)
    assert (inner.list_kind, inner.depth, inner.number) == ("ul", 2, 1)
    assert (five.depth, five.number) == (1, 5)
    assert dot.list_kind == "ul" and dot.element != four.element


def test_the_blocks_of_one_item_share_it():
    found = forms("<ul><li>Before the list<ul><li>Inner</li></ul>and after it</li></ul>")
    assert found["Before the list"].element == found["and after it"].element != found["Inner"].element


def test_cells_know_their_table_row_column_and_header():
    found = forms("<table><thead><tr><td>Name</td><td>Age</td></tr></thead>"
                  "<tr><th>Ann</th><td colspan='2'>41</td><td>x</td></tr></table>"
                  "<table><tr><td>Other</td></tr></table>")
    assert [(found[t].row, found[t].column, found[t].header) for t in ("Name", "Age", "Ann", "41", "x")] == [
        (0, 0, True), (0, 1, True), (1, 0, True), (1, 1, False), (1, 3, False)]
    assert found["Name"].element == found["x"].element != found["Other"].element


def test_a_huge_or_broken_colspan_counts_as_a_bounded_number_of_columns():
    found = forms("<table><tr><td colspan='5000'>Wide</td><td colspan='-3'>Next</td><td>Last</td></tr></table>")
    assert (found["Next"].column, found["Last"].column) == (MAX_COLSPAN, MAX_COLSPAN + 1)


def test_code_keeps_the_page_s_white_space_exactly():
    code = 'def f(x):\n\tif x:\n        return  "a  b"\n'
    [(text, _, form)] = formed_blocks(parse_html(f"<html><body><pre><code>{code}</code></pre></body></html>"))
    assert text == 'def f(x): if x: return "a b"'  # the text the model reads, as before
    assert (form.kind, form.code) == ("code", code.rstrip("\n"))


def test_links_are_spans_of_the_block_s_text():
    [(text, _, form)] = formed_blocks(parse_html(
        "<html><body><p>See <a href='/a'> the\n report </a>and <a href='#'>x</a><a href='b'>more</a>.</p></body></html>"))
    assert text == "See the report and xmore."
    assert [(text[k.start:k.end], k.href) for k in form.links] == [("the report", "/a"), ("x", "#"), ("more", "b")]


def test_a_link_around_blocks_is_a_link_of_each():
    found = forms("<a href='/story'><h3>Headline</h3><p>Teaser text</p></a>")
    assert found["Headline"].links == (Link(0, 8, "/story"),)
    assert found["Teaser text"].links == (Link(0, 11, "/story"),)


def test_an_image_outside_any_text_comes_with_the_next_block():
    found = forms("<figure><img src='/a.png' alt=' A  chart '><figcaption>Costs</figcaption></figure>"
                  "<p>Text <img src='data:image/gif;base64,R0lG' data-src='/b.png' alt='b'> on.</p>")
    assert found["Costs"].images == (Image(0, "A chart", "/a.png"),)
    assert found["Text on."].images == (Image(5, "b", "/b.png"),)


def test_a_sentence_joined_over_two_blocks_keeps_the_links_of_both():
    found = forms("<p>The council will <a href='/vote'>vote</a> on</p><p>the plan on <a href='/tue'>Tuesday</a></p>")
    [(text, form)] = found.items()
    assert text == "The council will vote on the plan on Tuesday"
    assert [text[k.start:k.end] for k in form.links] == ["vote", "Tuesday"]


def test_forms_leave_the_texts_and_dom_facts_as_they_were():
    page = ("<html><body><nav><ul><li><a href='/'>Home</a></li></ul></nav><article><h1>Title</h1>"
            "<p>Body <a href='/x'>link</a> text.</p><table><tr><td>a</td></tr></table></article></body></html>")
    assert dom_blocks(parse_html(page)) == [(text, facts) for text, facts, _ in formed_blocks(parse_html(page))]
    document = html_document(page)
    assert [p.form.kind for p in document.paragraphs] == ["item", "heading", "paragraph", "cell"]
