"""The output formats: the kept blocks of a page with their structure (markdown, json, xml,
html), comments apart, and txt unchanged; on pages written for these tests and cleaned by
the shipped model, and on pages whose decisions are set by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

import filterkit
from filterkit.document import CONTENT, Decision
from filterkit.read.html import html_document
from filterkit.report.formats import PLAIN, Rendering, record_fields, render

PAGES = Path(__file__).parent / "pages"
# For each page: what its markdown must hold (headings, list items with their nesting,
# table rows with their cells together), and what it must not (menu, related links, footer).
KEPT = {
    "recipe.html": [
        "## Ingredients", "## Method", "- 500 g strong white bread flour",
        "- 400 g lukewarm water, divided into two parts:\n    - 360 g for mixing the dough\n"
        "    - 40 g held back for the salt\n- 100 g active sourdough starter",
        "1. Mix the flour", "4. Oil the tin generously",
        "| Stage | Time | Temperature |\n| --- | --- | --- |\n| Mix and rest | 30 minutes | 20 °C |",
        "| Bake | 25 minutes | 220 °C \\| fan 200 °C |",
        "> The dough should wobble like a waterbed",
    ],
    "howto.html": [
        "## What you need", "### What each directive does",
        "1. A user with sudo rights on the server.\n2. The application's log directory, for example:\n"
        "    - /var/log/shopfront/access.log for requests",
        "3. The name of the systemd unit",
        "| Directive | Meaning |\n| --- | --- |\n| daily | rotate once a day |",
        "| missingok | do not complain when a log file is missing |",
    ],
}
DROPPED = {
    "recipe.html": ["Baking school", "About us", "You may also like", "Olive and rosemary fougasse",
                    "Privacy policy", "All rights reserved", "Share on Facebook", "Made this for my daughter"],
    "howto.html": ["Cheat sheets", "Related guides", "Keeping journald from filling the disk", "Imprint",
                   "paged at 3 am", "Subscribe", "delaycompress saved me"],
}
COMMENTS = {
    "recipe.html": ["Made this for my daughter's birthday", "Can I use whole wheat flour",
                    "Third time baking it now"],
    "howto.html": ["the bit about delaycompress saved me", "copytruncate is an option",
                   "Good point, lena."],
}


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def classified(shipped_model):
    return {name: filterkit.classify(page(name)) for name in KEPT}


def pre_text(markup: str) -> str:
    """The text of the page's <pre>, exactly as a browser has it."""
    [pre] = lxml_html.fromstring(markup).iter("pre")
    return pre.text_content()


@pytest.mark.parametrize("name", sorted(KEPT))
def test_markdown_keeps_headings_lists_tables_and_code_and_drops_menu_related_and_footer(classified, name):
    markdown = classified[name].render("markdown")
    for kept in KEPT[name]:
        assert kept in markdown
    for dropped in DROPPED[name]:
        assert dropped not in markdown


@pytest.mark.parametrize("name", sorted(KEPT))
def test_a_code_sample_comes_out_fenced_byte_for_byte(classified, name):
    code = pre_text(page(name))
    assert "\n    " in code or "\n\t" in code  # the page's code is indented
    assert f"```\n{code}\n```" in classified[name].render("markdown")


@pytest.mark.parametrize("name", sorted(KEPT))
def test_json_holds_the_comments_apart_from_the_body(classified, name):
    fields = json.loads(classified[name].render("json", comments=True))
    for comment in COMMENTS[name]:
        assert comment in fields["comments"]
        assert comment not in fields["text"]
    assert "Leave a Reply" not in fields["comments"]  # a prompt, not a comment
    assert fields["text"] == classified[name].body
    assert json.loads(classified[name].render("json"))["comments"] is None


def test_json_gives_the_page_metadata_and_labels_when_asked(classified):
    document = classified["recipe.html"]
    fields = json.loads(document.render("json", text_format="markdown", paragraphs=True))
    assert {k: fields[k] for k in ("title", "author", "date", "url", "sitename", "language")} == {
        "title": "Slow-rise sourdough focaccia", "author": "Maren Holt", "date": "2025-03-14",
        "url": "https://crumbkitchen.example/recipes/slow-rise-focaccia", "sitename": "The Crumb Kitchen",
        "language": "en-GB"}
    assert fields["text"] == document.render("markdown")
    assert [p["label"] for p in fields["paragraphs"]] == [d.label for d in document.decisions]


def test_txt_is_the_body_unchanged_and_comments_come_after_it_only_when_asked(classified):
    document = classified["recipe.html"]
    assert render(document, PLAIN) == document.body == filterkit.clean(page("recipe.html"))
    assert filterkit.clean(page("recipe.html"), output_format="txt") == document.body
    with_comments = document.render("txt", comments=True)
    body, comments = with_comments.split("\n\n----- comments -----\n\n")
    assert body == document.body
    assert "Third time baking it now" in comments
    assert "Third time baking it now" not in document.render("markdown")


@pytest.mark.parametrize("name", sorted(KEPT))
def test_xml_is_well_formed_with_main_and_comments(classified, name):
    doc = etree.fromstring(classified[name].render("xml", comments=True))
    assert doc.tag == "doc" and [child.tag for child in doc] == ["main", "comments"]
    main, comments = doc
    assert main.find("code").text == pre_text(page(name))
    assert main.findall(".//list/item/list/item")  # the nested list
    assert main.find("table/row/cell[@role='head']") is not None
    assert COMMENTS[name][0] in "".join(comments.itertext())
    assert COMMENTS[name][0] not in "".join(main.itertext())


@pytest.mark.parametrize("name", sorted(KEPT))
def test_html_is_a_page_with_the_body_in_article(classified, name):
    markup = classified[name].render("html")
    tree = lxml_html.document_fromstring(markup)
    [article] = tree.iter("article")
    assert [el.text_content() for el in article.iter("pre")] == [pre_text(page(name))]
    assert article.find(".//table/tr/th") is not None
    assert article.findall(".//li/ul/li")
    assert not list(tree.iter("section"))  # no comments unless asked


def test_links_and_images_when_asked():
    document = decided("<p>Read <a href='https://example.org/a'>the report</a> now, it is long.</p>"
                       "<figure><img src='/chart.png' alt='A chart'><figcaption>Costs by year</figcaption></figure>")
    assert document.render("markdown") == "Read the report now, it is long.\n\nCosts by year"
    assert document.render("markdown", links=True, images=True) == (
        "Read [the report](https://example.org/a) now, it is long.\n\n![A chart](/chart.png) Costs by year")
    doc = etree.fromstring(document.render("xml", links=True, images=True))
    assert doc.find("main/p/ref").attrib == {"target": "https://example.org/a"}
    assert doc.find("main/p/graphic").attrib == {"src": "/chart.png", "alt": "A chart"}


def test_a_dropped_table_row_is_left_out_and_the_kept_cells_stay_in_their_columns():
    document = decided("<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2023</td><td>4 | 5</td></tr>"
                       "<tr><td>Advertisement</td><td>Buy now</td></tr><tr><td>2024</td><td></td></tr></table>",
                       drop={"Advertisement", "Buy now"})
    assert document.render("markdown") == ("| Year | Cost |\n| --- | --- |\n| 2023 | 4 \\| 5 |\n| 2024 |  |")


def test_list_items_whose_outer_item_was_dropped_are_not_indented():
    document = decided("<ol start='3'><li>Menu<ul><li>Kept inner one</li><li>Kept inner two</li></ul></li>"
                       "<li>Kept outer</li></ol>", drop={"Menu"})
    assert document.render("markdown") == "- Kept inner one\n- Kept inner two\n4. Kept outer"


def test_markup_escapes_the_text():
    document = decided("<p>Use a &lt;b&gt; tag &amp; &quot;quotes&quot;.</p><pre>if a &lt; b:\n    print(\"&amp;\")</pre>")
    doc = etree.fromstring(document.render("xml"))
    assert doc.find("main/p").text == 'Use a <b> tag & "quotes".'
    assert doc.find("main/code").text == 'if a < b:\n    print("&")'
    article = lxml_html.document_fromstring(document.render("html")).find(".//article")
    assert article.find("p").text == 'Use a <b> tag & "quotes".'


def test_a_code_sample_holding_a_fence_gets_a_longer_one():
    document = decided("<pre>```\nquoted\n```</pre>")
    assert document.render("markdown") == "````\n```\nquoted\n```\n````"


def test_text_input_in_markdown_is_its_kept_paragraphs(shipped_model):
    text = ("Council approves cycle lanes\n\nThe council voted on Tuesday to build protected cycle lanes "
            "along the high street, after two years of consultation with residents and shops.\n\n"
            "Work starts in the spring and should take about eight months, the council said.")
    document = filterkit.classify(text)
    assert document.render("markdown") == document.body
    assert json.loads(filterkit.clean(text, output_format="json"))["text"] == document.body


def test_a_record_holds_the_body_in_the_format_and_json_adds_its_fields(classified):
    document = classified["recipe.html"]
    markdown = record_fields(document, Rendering("markdown", comments=True))
    assert markdown["body"] == document.render("markdown")
    assert "Third time baking it now" in markdown["comments"]
    fields = record_fields(document, Rendering("json"))
    assert fields["body"] == document.body and fields["sitename"] == "The Crumb Kitchen"
    assert "text" not in fields and "paragraphs" not in fields


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown output format"):
        Rendering("docx")
    with pytest.raises(ValueError, match="unknown text format"):
        Rendering("json", text_format="xml")


def decided(body: str, drop: set[str] = frozenset()):
    """A page of `body` whose blocks are all kept, but those whose text is in `drop`."""
    document = html_document(f"<html><body>{body}</body></html>")
    return document.with_decisions(
        Decision("chrome", 0.0) if p.text in drop else Decision(CONTENT, 1.0) for p in document.paragraphs)

