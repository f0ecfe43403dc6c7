"""The corpus pass that counts repeated paragraphs per site, and the post-filter that uses it."""
import json

import numpy as np
import pytest

from filterkit.document import Decision, Document
from filterkit.scale.boilerplate import (
    BoilerplateCounter,
    BoilerplateCounts,
    BoilerplateFilter,
    RecordRelabeller,
    count_corpus,
    count_items,
    normalise,
    outside_body,
    paragraph_keys,
    run_lengths,
    source_group,
)
from filterkit.scale.records import read_records

SKIP = "Skip to main content"
MENU = "Home | News | Sport | Culture | Contact"
ACCOUNT = "Subscribe | Log in"
FOLLOW = "Follow us on Facebook and Instagram"
FOOTER = "© 2024 Riverside Gazette Ltd. All rights reserved."
NEWSLETTER = "Get our 5 best stories every morning: sign up to the newsletter."
ARTICLES = [
    ["The council approved the new bridge on Tuesday after a long debate about its cost.",
     "Work is expected to start in spring and to take two years."],
    ["Heavy rain flooded the lower town overnight, closing three schools.",
     "Residents were advised to stay away from the river banks until the water recedes."],
    ["The local football club signed a young striker from the regional league.",
     "Fans greeted the news warmly at the weekend's open training session."],
    ["A new bakery opened on Market Street, run by two former teachers.",
     "Their sourdough sold out within an hour of opening on the first morning."],
]


def site_page(number: int, article: list[str]) -> list[str]:
    newsletter = NEWSLETTER.replace("5", str(number + 3))  # the digits differ, the normal form does not
    return [SKIP, MENU, ACCOUNT, *article, newsletter, FOLLOW, FOOTER]


SITE = [site_page(i, a) for i, a in enumerate(ARTICLES)]  # four pages of one site


def kept_everything(texts: list[str]) -> Document:
    """A document as a classifier that kept every paragraph would return it."""
    return Document.from_texts(texts).with_decisions(
        [Decision("content", 0.9, "body score 0.90") for _ in texts])


def site_counts(pages: list[list[str]], group: str = "gazette.example") -> BoilerplateCounts:
    return count_corpus((group, page) for page in pages)


# --- normalisation and groups ----------------------------------------------------------------


def test_normalise_lowercases_strips_accents_punctuation_and_maps_digits_to_zero():
    assert normalise("  Café  au LAIT — 12,50 €!  ") == "cafe au lait 00 00"
    assert normalise("Sign up – 2 FREE issues!") == normalise("sign up: 3 free   issues")
    assert normalise("naïve résumé") == "naive resume"
    assert normalise("snake_case\tand\nlines") == "snake case and lines"


def test_punctuation_only_paragraphs_have_no_key():
    assert normalise("* * * | —") == ""
    assert paragraph_keys("a.example", ["* * *", "Share"])[0] is None
    assert paragraph_keys("a.example", ["* * *", "Share"])[1] is not None


def test_keys_are_per_group_and_equal_for_equal_normal_forms():
    [a], [b], [c] = (paragraph_keys(g, [t]) for g, t in
                     [("a.example", "Read more!"), ("a.example", "read MORE"), ("b.example", "Read more!")])
    assert a == b != c
    assert 0 <= a < 2 ** 64


def test_source_group_is_the_host_of_a_url_or_the_value_of_another_field():
    assert source_group({"url": "https://www.news.example/2024/a.html"}) == "news.example"
    assert source_group({"url": "http://blog.news.example:8080/x"}) == "blog.news.example"
    assert source_group({"site": "gazette"}, "site") == "gazette"
    assert source_group({"text": "no url"}) is None
    assert source_group({"url": ""}) is None


# --- counting ----------------------------------------------------------------------------


def test_counts_are_documents_per_group_and_a_repeat_inside_one_document_counts_once():
    counts = count_corpus([
        ("a.example", ["Share", "Share", "Story one"]),
        ("a.example", ["Share", "Story two"]),
        ("b.example", ["Share", "Story three"]),
    ], min_documents=1)
    assert counts.occurrences("a.example", ["share", "Story one", "Unseen"]).tolist() == [2, 1, 0]
    assert counts.occurrences("b.example", ["Share"]).tolist() == [1]
    assert counts.group_size("a.example") == 2
    assert counts.group_size("b.example") == 1
    assert counts.group_size("c.example") == 0


def test_default_counts_keep_only_what_occurs_on_two_documents():
    counts = site_counts(SITE)
    assert counts.occurrences("gazette.example", [MENU, FOOTER, ARTICLES[0][0]]).tolist() == [4, 4, 0]
    assert len(counts) == 6  # the three lines above the article and the three below


def test_a_small_buffer_gives_the_same_counts_as_one_merge():
    documents = [("gazette.example", page) for page in SITE] * 3
    small = count_corpus(documents, min_documents=1, buffer_size=3)
    large = count_corpus(documents, min_documents=1)
    assert np.array_equal(small.keys, large.keys)
    assert np.array_equal(small.documents, large.documents)
    assert small.occurrences("gazette.example", [MENU]).tolist() == [12]


def test_counts_of_two_shards_merge_into_the_counts_of_both():
    pages = SITE
    first = count_corpus((("gazette.example", p) for p in pages[:2]), min_documents=1)
    second = count_corpus((("gazette.example", p) for p in pages[2:]), min_documents=1)
    both = count_corpus((("gazette.example", p) for p in pages), min_documents=1)
    merged = first.merged(second)
    assert np.array_equal(merged.keys, both.keys) and np.array_equal(merged.documents, both.documents)
    assert merged.group_size("gazette.example") == 4
    assert merged.pruned(2).occurrences("gazette.example", [MENU, ARTICLES[3][1]]).tolist() == [4, 0]


def test_a_document_without_a_group_is_not_counted():
    counter = BoilerplateCounter()
    counter.add(None, ["Share"])
    counter.add("a.example", ["Share"])
    assert counter.counts(min_documents=1).occurrences("a.example", ["Share"]).tolist() == [1]


def test_save_and_load_round_trip(tmp_path):
    counts = site_counts(SITE)
    path = tmp_path / "counts.npz"
    counts.save(path)
    loaded = BoilerplateCounts.load(path)
    assert np.array_equal(loaded.keys, counts.keys) and np.array_equal(loaded.documents, counts.documents)
    assert loaded.keys.dtype == np.uint64
    assert loaded.group_size("gazette.example") == 4
    assert loaded.occurrences("gazette.example", [FOOTER]).tolist() == [4]
    assert [p.name for p in tmp_path.iterdir()] == ["counts.npz"]


def test_counts_of_another_format_are_refused_with_what_to_do(tmp_path):
    path = tmp_path / "old.npz"
    np.savez(path, format_version=0, keys=np.zeros(0, np.uint64), documents=np.zeros(0, np.uint32),
             group_keys=np.zeros(0, np.uint64), group_documents=np.zeros(0, np.uint32))
    with pytest.raises(ValueError, match="count the corpus again"):
        BoilerplateCounts.load(path)


# --- the post-filter ------------------------------------------------------------------------


def test_shared_menu_footer_and_newsletter_are_relabelled_chrome_and_articles_kept():
    pages = SITE
    counts = site_counts(pages)
    document = kept_everything(pages[1])
    relabelled = BoilerplateFilter(min_documents=2).relabel(document, counts, "gazette.example")
    labels = {p.text: d for p, d in relabelled.labelled()}
    for chrome in (*pages[1][:3], *pages[1][-3:]):
        assert labels[chrome].label == "chrome"
        assert labels[chrome].reason.startswith("repeated on 3 other pages of gazette.example")
        assert labels[chrome].score == 0.9
    assert relabelled.body == "\n\n".join(ARTICLES[1])
    assert relabelled.paragraphs == document.paragraphs


def test_junk_stays_as_the_classifier_labelled_it():
    pages = SITE
    document = Document.from_texts(pages[0]).with_decisions(
        [Decision("chrome", 0.1, "body score 0.10 < 0.30; navigation")] +
        [Decision("content", 0.9) for _ in pages[0][1:]])
    relabelled = BoilerplateFilter().relabel(document, site_counts(pages), "gazette.example")
    assert relabelled.decisions[0] == document.decisions[0]
    assert relabelled.decisions[-1].label == "chrome"


def test_nothing_is_relabelled_in_a_group_of_one_page():
    page = site_page(0, ARTICLES[0])
    counts = count_corpus([("gazette.example", page), ("other.example", site_page(1, ARTICLES[1]))],
                          min_documents=1)
    document = kept_everything(page)
    assert BoilerplateFilter(min_documents=1, min_group_documents=1).relabel(
        document, counts, "gazette.example") == document


def test_nothing_is_relabelled_without_a_group_or_with_too_few_other_pages():
    pages = SITE
    counts = site_counts(pages)
    document = kept_everything(pages[0])
    assert BoilerplateFilter().relabel(document, counts, None) == document
    assert BoilerplateFilter().relabel(document, counts, "unknown.example") == document
    assert BoilerplateFilter(min_documents=4).relabel(document, counts, "gazette.example") == document
    assert BoilerplateFilter(min_group_documents=5).relabel(document, counts, "gazette.example") == document


def test_a_document_outside_the_counted_corpus_counts_every_occurrence_as_another_page():
    counts = site_counts([site_page(i, a) for i, a in enumerate(ARTICLES[:2])])
    new_page = kept_everything(site_page(7, ARTICLES[3]))
    inside = BoilerplateFilter(min_documents=2).relabel(new_page, counts, "gazette.example")
    outside = BoilerplateFilter(min_documents=2).relabel(new_page, counts, "gazette.example", counted=False)
    assert inside == new_page
    assert outside.decisions[0].label == "chrome"
    assert outside.decisions[0].reason.startswith("repeated on 2 other pages")


def test_long_paragraphs_are_left_alone_above_max_words():
    pages = SITE
    relabelled = BoilerplateFilter(max_words=6).relabel(kept_everything(pages[2]), site_counts(pages),
                                                        "gazette.example")
    labels = [d.label for d in relabelled.decisions]
    assert labels[:3] == ["chrome"] * 3  # 4, 5 and 3 words once normalised
    # The newsletter (12 words) and the footer (7) stay, and so the line between them,
    # which is no longer outside the body.
    assert labels[-3:] == ["content"] * 3


def test_a_page_whose_body_is_mostly_repeated_is_a_duplicate_and_left_alone():
    report = ["A long report on the harbour's history, from the first fishing huts to the container port.",
              "It draws on letters, council minutes and the memories of three generations of dockers."]
    pages = [[MENU, *report, FOOTER], [MENU, *report, FOOTER], [MENU, *ARTICLES[0], FOOTER]]
    counts = site_counts(pages)
    guarded = BoilerplateFilter(min_documents=1, min_run=1, max_repeated_share=0.5)
    assert guarded.relabel(kept_everything(pages[0]), counts, "gazette.example") == kept_everything(pages[0])
    unguarded = BoilerplateFilter(min_documents=1, min_run=1).relabel(kept_everything(pages[0]), counts,
                                                                      "gazette.example")
    assert unguarded.body == ""
    other_article = guarded.relabel(kept_everything(pages[2]), counts, "gazette.example")
    assert other_article.body == "\n\n".join(ARTICLES[0])


def test_a_lone_template_line_inside_the_body_is_kept_and_a_run_at_the_edge_is_not():
    # A shop's template: 'Condition:' and 'Returns:' recur on every product page, between
    # each page's own values; the menu and footer recur around them.
    products = [["Blue kettle, 1.7 litres", "Brass lamp with linen shade", "Oak chopping board"],
                ["Used, light scratches", "New in box", "Refurbished by the seller"]]
    pages = [[SKIP, MENU, title, "Condition:", condition, "Returns:", returns, FOOTER, NEWSLETTER]
             for title, condition, returns in zip(*products, ("Within a month", "None accepted", "Two weeks"))]
    counts = site_counts(pages)
    lone = BoilerplateFilter(min_documents=1, min_run=2, edges_only=False).relabel(
        kept_everything(pages[0]), counts, "gazette.example")
    assert [d.label for d in lone.decisions] == ["chrome", "chrome"] + ["content"] * 5 + ["chrome", "chrome"]
    inside = BoilerplateFilter(min_documents=1, min_run=1, edges_only=True).relabel(
        kept_everything(pages[0]), counts, "gazette.example")
    assert inside.body == "\n\n".join(pages[0][2:7])
    anywhere = BoilerplateFilter(min_documents=1, min_run=1, edges_only=False).relabel(
        kept_everything(pages[0]), counts, "gazette.example")
    assert anywhere.body == "\n\n".join(pages[0][2:7:2])


def test_run_lengths_and_the_span_outside_the_body():
    assert run_lengths(np.array([1, 1, 0, 1, 0, 1, 1, 1], bool)).tolist() == [2, 2, 0, 1, 0, 3, 3, 3]
    assert run_lengths(np.zeros(0, bool)).tolist() == []
    assert outside_body(np.array([0, 1, 0, 1, 0], bool)).tolist() == [True, False, False, False, True]
    assert outside_body(np.zeros(3, bool)).tolist() == [True, True, True]


def test_an_unclassified_document_is_refused_and_bad_parameters_too():
    counts = site_counts(SITE)
    with pytest.raises(ValueError, match="not been classified"):
        BoilerplateFilter().relabel(Document.from_texts([MENU]), counts, "gazette.example")
    with pytest.raises(ValueError):
        BoilerplateFilter(min_documents=0)
    with pytest.raises(ValueError):
        BoilerplateFilter(max_repeated_share=1.5)


def test_pass_one_over_jsonl_records_then_the_relabeller_while_cleaning(tmp_path):
    pages = SITE
    lines = [json.dumps({"url": f"https://www.gazette.example/news/{i}", "text": "\n\n".join(page)})
             for i, page in enumerate(pages)]
    lines += [json.dumps({"text": MENU}), "not json", json.dumps({"url": "https://other.example/", "text": MENU})]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = count_items(read_records([str(path)], "text", "text"))
    assert counts.group_size("gazette.example") == 4
    assert counts.occurrences("gazette.example", [MENU, FOOTER, ARTICLES[2][0]]).tolist() == [4, 4, 0]
    relabel = RecordRelabeller(counts, BoilerplateFilter(min_documents=3))
    document = relabel({"url": "https://gazette.example/news/2"}, kept_everything(pages[2]))
    assert document.body == "\n\n".join(ARTICLES[2])
    assert relabel({"text": "no url"}, kept_everything(pages[2])) == kept_everything(pages[2])
