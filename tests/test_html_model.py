"""HTML input end to end: a page's own blocks, the shipped HTML model, and what a user gets back."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

import filterkit

ARTICLE = [
    "The city council voted on Tuesday evening to extend the tram line from the central station "
    "to the new regional hospital, ending a debate that has divided the coalition for two years.",
    "The extension will add four stops and about three kilometres of track along Station Road and "
    "the old canal towpath. Construction is due to start next spring and to take eighteen months.",
    "Supporters argued that the hospital, which opened last autumn, is almost impossible to reach "
    "without a car, and that nurses on night shifts have been hit hardest by the lack of transport.",
    "Opponents on the council said the money would be better spent on more frequent buses, which "
    "could be running within months rather than years, and warned that the budget would overrun.",
    "The transport department estimates the cost at 48 million euros, two thirds of it covered by "
    "a regional grant. The rest will come from the city's own infrastructure fund over five years.",
]
CHROME = """
  <header class="site-header"><a class="logo" href="/">The Riverside Gazette</a>
    <nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
    <li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li>
    <li><a href="/contact">Contact us</a></li></ul></nav></header>"""
FOOTER = """
  <aside class="related-posts"><h3>Related stories</h3><ul>
    <li><a href="/a">Bus fares to rise again in January</a></li>
    <li><a href="/b">New cycle lanes open on the ring road</a></li></ul></aside>
  <div class="newsletter-signup"><p>Sign up for our newsletter and never miss a story!</p></div>
  <footer class="site-footer"><p>&copy; 2025 The Riverside Gazette. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>"""


def page(body: str, head: str = "<meta charset='utf-8'>") -> str:
    return (f"<!DOCTYPE html><html lang='en'><head>{head}<title>Tram line to reach new hospital | "
            f"The Riverside Gazette</title></head><body>{CHROME}<main>{body}</main>{FOOTER}</body></html>")


def article_html(paragraphs=ARTICLE) -> str:
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<article class='post'><h1>Tram line to reach new hospital</h1>"
            f"<p class='byline'>By Jane Doe, transport correspondent</p>{ps}</article>")


def _assert_article_only(body: str, paragraphs=ARTICLE) -> None:
    for paragraph in paragraphs:
        assert paragraph in body
    for junk in ("Contact us", "Bus fares to rise again", "Sign up for our newsletter", "All rights reserved",
                 "Privacy policy"):
        assert junk not in body


def test_an_article_page_is_read_as_its_dom_blocks_and_cleaned_by_the_html_model():
    document = filterkit.classify(page(article_html()))
    assert document.source_format == "html" and document.is_html_blocks
    assert document.paragraphs[0].dom.ancestors == ("header",)  # the logo, first in reading order
    _assert_article_only(document.body)


def test_title_author_and_date_come_from_the_page_metadata():
    head = ("<meta charset='utf-8'><meta name='author' content='Jane Doe'>"
            "<meta property='article:published_time' content='2025-03-04T09:00:00Z'>")
    document = filterkit.classify(page(article_html(), head))
    assert document.title == "Tram line to reach new hospital"
    assert document.author == "Jane Doe"
    assert document.date == "2025-03-04"


def test_cleaning_reads_the_title_alone_and_keeps_the_same_body():
    # clean() returns the body, so it skips the date search (a tenth of a page's work).
    head = ("<meta charset='utf-8'><meta name='author' content='Jane Doe'>"
            "<meta property='article:published_time' content='2025-03-04T09:00:00Z'>")
    markup = page(article_html(), head)
    cleaner = filterkit.Filter()
    [document] = cleaner.classify_many([markup], metadata=False)
    assert document.metadata == {"title": "Tram line to reach new hospital"}
    assert cleaner.clean(markup) == cleaner.classify(markup).body == document.body


def test_the_author_is_the_one_the_meta_tags_or_json_ld_name_not_a_byline_in_the_text():
    # The page's byline ("By Jane Doe, transport correspondent") is left alone: searching
    # the body for one costs a tenth of a page's work (see `filterkit.html.page_metadata`).
    assert filterkit.classify(page(article_html())).author is None
    json_ld = ("<script type='application/ld+json'>{\"@context\": \"https://schema.org\", "
               "\"@type\": \"NewsArticle\", \"author\": {\"@type\": \"Person\", \"name\": \"Jane Doe\"}}</script>")
    assert filterkit.classify(page(article_html(), json_ld)).author == "Jane Doe"


def test_page_metadata_reads_what_trafilatura_reads(wcxb_dir):
    """The same title, date, URL and site name as trafilatura.extract_metadata, and its
    author or none (where it found one only in the body text): held on real pages, so
    that a trafilatura upgrade that changes its steps shows here."""
    import trafilatura

    from filterkit.read.html import (
        METADATA_FIELDS,
        page_metadata,
        page_title,
        parse_html,
    )

    authors = 0
    for path in sorted((wcxb_dir / "html").glob("*.html.gz"))[::50]:
        tree = parse_html(gzip.decompress(path.read_bytes()))
        theirs = trafilatura.extract_metadata(tree, extensive=False)
        ours = page_metadata(tree)
        assert page_title(tree) == {k: v for k, v in ours.items() if k == "title"}
        for field in METADATA_FIELDS:
            expected = getattr(theirs, field) or None
            assert ours.get(field) in ((expected, None) if field == "author" else (expected,)), (path.name, field)
        authors += "author" in ours
    assert authors >= 5  # most pages that name an author name it in their meta tags


def test_a_trafilatura_without_the_metadata_steps_filterkit_calls_gets_its_public_call(monkeypatch):
    import types

    import trafilatura

    head = "<meta charset='utf-8'><meta name='author' content='Jane Doe'>"
    monkeypatch.setattr(trafilatura, "metadata", types.SimpleNamespace())  # its steps renamed
    document = filterkit.classify(page(article_html(), head))
    assert (document.title, document.author) == ("Tram line to reach new hospital", "Jane Doe")


def test_an_article_split_across_sections_is_kept_whole():
    first, second = ARTICLE[:3], ARTICLE[3:]
    body = ("<article><h1>Tram line to reach new hospital</h1>"
            f"<section class='part-one'>{''.join(f'<p>{p}</p>' for p in first)}</section>"
            "<div class='ad-slot'><p>Advertisement</p></div>"
            "<section class='part-two'><h2>Why opponents want buses instead</h2>"
            f"{''.join(f'<p>{p}</p>' for p in second)}</section></article>")
    cleaned = filterkit.clean(page(body))
    _assert_article_only(cleaned)
    assert cleaned.index(ARTICLE[2]) < cleaned.index(ARTICLE[3])  # reading order kept


POSTS = [
    ("river_rat", "Has anyone found a way to get to the new hospital without a car? The 14 bus takes "
                  "almost an hour from the station and only runs twice an hour after seven."),
    ("nightnurse", "I work nights there and it is a nightmare. I end up paying for a taxi most weeks, "
                   "which eats a real chunk of my wages. The tram cannot come soon enough for us."),
    ("canal_walker", "You can cycle along the towpath in about twenty minutes, but it is unlit and "
                     "muddy in winter, so I would not recommend it after dark or after heavy rain."),
]


def test_a_forum_thread_keeps_every_post():
    posts = "".join(f"<div class='post'><div class='post-author'><a href='/u/{user}'>{user}</a></div>"
                    f"<div class='post-body'><p>{text}</p></div></div>" for user, text in POSTS)
    body = f"<div class='thread'><h1>Getting to the new hospital</h1>{posts}</div>"
    cleaned = filterkit.clean(page(body))
    for _, text in POSTS:
        assert text in cleaned
    assert "Sign up for our newsletter" not in cleaned


POST_DATES = ("12 March 2025, 18:04", "12 March 2025, 19:31", "13 March 2025, 07:12")
LOGIN_NOTICE = "You must log in or register to reply here."


def test_forum_posts_under_log_in_links_are_kept():
    """Each post with its author, its date and a "Log in to reply" link beside it (issue 18):
    the posts are body, the log-in links are not."""
    posts = "".join(
        f"<div class='message' id='post-{i}'><div class='message-meta'>"
        f"<a class='username' href='/members/{user}'>{user}</a> <time>{date}</time></div>"
        f"<div class='message-content'><p>{text}</p></div><div class='message-actions'>"
        f"<a href='/login'>Log in to reply</a> <a href='/login'>Report</a></div></div>"
        for i, ((user, text), date) in enumerate(zip(POSTS, POST_DATES)))
    body = (f"<div class='thread'><h1>Getting to the new hospital</h1>{posts}"
            f"<p class='notice'>{LOGIN_NOTICE}</p></div>")
    cleaned = filterkit.clean(page(body))
    for _, text in POSTS:
        assert text in cleaned
    assert "Log in to reply" not in cleaned


def test_forum_posts_under_log_in_lines_are_kept_in_scraped_text():
    lines = ["Forums > Transport > Getting to the new hospital", "Getting to the new hospital"]
    for (user, text), date in zip(POSTS, POST_DATES):
        lines += [f"{user} {date}", text, "Log in to reply | Report"]
    lines += [LOGIN_NOTICE, "Home | Forums | Members | Contact"]
    cleaned = filterkit.clean("\n\n".join(lines))
    for _, text in POSTS:
        assert text in cleaned
    assert "Log in to reply" not in cleaned and "Members | Contact" not in cleaned


# A listicle shown as a gallery: the page's script shows one slide at a time, the
# others wait in display:none sections (issue 18). A hidden sign-up dialog waits too.
SLIDES = [
    ("A laundry bag that tells the truth", "This clever and funny design is perfect for anyone "
     "who puts off washing day. It holds two full loads and folds flat into a drawer when empty."),
    ("A pillow for side sleepers", "The curved shape keeps your neck straight when you sleep on "
     "your side, and the cover comes off for washing. Reviewers say it took a week to get used to."),
    ("A lamp that dims by itself", "It lowers its light over half an hour in the evening, so the "
     "room gets darker as bedtime comes. A small dial on the base sets how long the fade takes."),
    ("A kettle that remembers", "Set the temperature once for green tea and again for coffee, and "
     "it keeps both. The base shows how long ago the water boiled, so you never have to guess."),
]


def _gallery_page() -> str:
    shown, waiting = " class='gallery-slide is-active'", " class='gallery-slide' style='display: none'"
    slides = "".join(
        f"<section{waiting if i else shown}><h2>{i + 1}. {title}</h2><p>{text}</p>"
        f"<p class='slide-count'>{i + 1} / {len(SLIDES)}</p></section>"
        for i, (title, text) in enumerate(SLIDES))
    body = (f"<article><h1>Things we never knew we wanted</h1>"
            f"<p class='byline'>By Jane Doe</p><div class='gallery'>{slides}</div>"
            f"<button class='next'>Next</button></article>"
            f"<div class='modal newsletter-modal' style='display:none'><h3>Before you go!</h3>"
            f"<p>Join 50,000 readers and get our best finds in your inbox every Friday.</p>"
            f"<input type='email' placeholder='Your email'><button>Subscribe</button></div>")
    return page(body)


def test_a_gallery_whose_slides_wait_hidden_keeps_every_slide():
    cleaned = filterkit.clean(_gallery_page())
    for title, text in SLIDES:
        assert title in cleaned and text in cleaned
    assert "Join 50,000 readers" not in cleaned


def test_hidden_blocks_are_read_and_say_so():
    document = filterkit.classify(_gallery_page())
    hidden = {p.text for p in document.paragraphs if p.dom.hidden}
    assert SLIDES[1][1] in hidden and SLIDES[0][1] not in hidden


def test_malformed_and_truncated_html_still_gives_the_article():
    markup = page(article_html()).replace("</p>", "", 3).replace("</article>", "")
    truncated = markup[: markup.index(ARTICLE[-1]) + len(ARTICLE[-1]) // 2]
    cleaned = filterkit.clean(truncated)
    for paragraph in ARTICLE[:-1]:
        assert paragraph in cleaned
    assert "Contact us" not in cleaned


def test_a_menu_that_leaves_an_element_open_does_not_swallow_the_article():
    # Each menu item opens a dropdown <div> it never closes: browsers close it at </li>.
    menu = "".join(f'<li><div class="dropdown"><a href="/{s}">{s.title()}</a></li>'
                   for s in ("news", "sport", "culture"))
    markup = page(article_html()).replace('<li><a href="/">Home</a></li>', f'<li><a href="/">Home</a></li>{menu}')
    document = filterkit.classify(markup)
    article = [p for p in document.paragraphs if p.text == ARTICLE[0]][0]
    assert article.dom.ancestors == ("main", "article")
    _assert_article_only(document.body)


def test_missing_and_wrong_charsets_decode_the_text():
    text = ARTICLE[:]
    text[0] = text[0].replace("Tuesday evening", "Tuesday evening at the Café Müller")
    # Windows-1252 bytes with no declaration, and UTF-8 bytes that claim to be Latin-1.
    undeclared = page(article_html(text), head="").encode("cp1252")
    mislabelled = page(article_html(text), head="<meta charset='iso-8859-1'>").encode("utf-8")
    for markup in (undeclared, mislabelled):
        assert "the Café Müller" in filterkit.clean(markup)


def test_a_page_without_body_text_gives_a_clear_empty_result():
    scripts_only = "<html><head><script>var a = 1;</script><style>p {}</style></head><body></body></html>"
    document = filterkit.classify(scripts_only)
    assert document.paragraphs == () and document.body == ""
    chrome_only = f"<html><body>{CHROME}{FOOTER}</body></html>"
    for junk in ("Contact us", "Sign up for our newsletter", "All rights reserved"):
        assert junk not in filterkit.clean(chrome_only)


def test_cli_cleans_a_gzipped_html_file_and_reports_metadata_in_jsonl(tmp_path):
    path = tmp_path / "tram.html.gz"
    path.write_bytes(gzip.compress(page(article_html()).encode("utf-8")))
    run = subprocess.run([sys.executable, "-m", "filterkit", "clean", str(path)],
                         capture_output=True, text=True, check=True)
    _assert_article_only(run.stdout)
    record = json.dumps({"id": "p1", "html": page(article_html(), "<meta name='author' content='Jane Doe'>")})
    run = subprocess.run([sys.executable, "-m", "filterkit", "clean", "--jsonl", "--field", "html",
                          "--format", "html"], input=record + "\n", capture_output=True, text=True, check=True)
    out = json.loads(run.stdout)
    assert out["id"] == "p1" and out["author"] == "Jane Doe" and out["title"]
    _assert_article_only(out["body"])


@pytest.mark.parametrize("forced", ["html", "auto"])
def test_html_is_detected_or_forced(forced):
    document = filterkit.classify(page(article_html()), format=forced)
    assert document.source_format == "html"


def test_a_text_model_is_refused_as_the_html_model_and_the_reverse(shipped_model):
    from filterkit.errors import ModelError
    from filterkit.model.store import shipped_model_path

    text_model = shipped_model_path()
    with pytest.raises(ModelError, match="for text input"):
        filterkit.Filter(html_model=text_model, trusted=True).html_model
    with pytest.raises(ModelError, match="for html input"):
        filterkit.Filter(model=shipped_model_path("filterkit-html"), trusted=True).model
