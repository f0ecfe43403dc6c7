"""Junk types: cues from the lexicon files, titles, inheritance under a heading, shape."""
from filterkit.decide.junktypes import JunkTyper
from filterkit.lexicons import load_lexicon, normalise_cue_text


def types(texts, is_body, title=None, language="English"):
    return [t.junk_type if t else "content" for t in JunkTyper(language).assign(texts, is_body, title)]


ARTICLE = [
    "Storm closes coastal roads as rivers rise",
    "Heavy rain forced the closure of three coastal roads on Tuesday, officials said.",
    "Residents were told to avoid unnecessary travel until the water level drops.",
    "Related Stories",
    "Flood barriers tested ahead of winter season",
    "Council approves new drainage plan for harbour district",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Scroll to Top",
]
BODY = [False, True, True, False, False, False, False, False, False]


def test_cues_headings_and_titles_give_each_junk_line_its_type():
    assert types(ARTICLE, BODY) == [
        "title", "content", "content", "related", "related", "related", "comment", "comment", "chrome",
    ]


def test_a_known_title_is_matched_wherever_it_repeats():
    texts = ["Menu", "Storm closes coastal roads as rivers rise", "Heavy rain closed roads on Tuesday.",
             "Storm closes coastal roads as rivers rise | Daily Coast"]
    got = types(texts, [False, False, True, False], title="Storm closes coastal roads as rivers rise")
    assert got == ["chrome", "title", "content", "title"]


def test_inheritance_stops_at_body_paragraphs():
    texts = ["Also Read", "Ministers meet to discuss the budget",
             "The meeting lasted four hours and ended without a statement from either side.",
             "Teachers strike over pay in three regions"]
    got = types(texts, [False, False, True, False])
    assert got[:3] == ["related", "related", "content"]
    assert got[3] == "related"  # a headline after the body, by shape, not inherited
    reasons = [t.reason for t in JunkTyper().assign(texts, [False, False, True, False]) if t]
    assert reasons[1].startswith("under cue") and reasons[2] == "headline after the body"


def test_bylines_credits_and_promos():
    texts = ["By Jane Doe", "Body text of the article goes here with enough words to be prose.",
             "(With inputs from agencies)", "Sign up for our newsletter to get the latest stories",
             "Advertisement"]
    assert types(texts, [False, True, False, False, False]) == ["meta", "content", "meta", "promo", "promo"]


def test_other_languages_use_their_lexicon_and_english():
    texts = ["Der Regen hielt den ganzen Tag an und die Straßen wurden gesperrt.", "Lesen Sie auch",
             "Schreibe einen Kommentar", "Scroll to Top"]
    assert types(texts, [True, False, False, False], language="German")[1:] == ["related", "comment", "chrome"]


def test_longest_cue_wins_and_contains_cues_skip_long_paragraphs():
    lexicon = load_lexicon(("en",))
    assert lexicon.match("About Us").junk_type == "chrome"
    assert lexicon.match("About J. Williams").junk_type == "meta"
    long_prose = " ".join(["The council said the plan was funded."] * 10) + " All rights reserved by nobody."
    assert lexicon.match(long_prose) is None


def test_cue_text_is_compared_lower_cased_with_spaces_and_edge_symbols_folded():
    assert normalise_cue_text("  »» ALSO   READ:\t«« ") == "also read"
    assert normalise_cue_text("*** ___ ---") == ""
    assert normalise_cue_text("_Share_") == "share"
    assert normalise_cue_text("(With inputs from Agencies) .") == "(with inputs from agencies)"
    lexicon = load_lexicon(("en",))
    assert lexicon.match("►► Also Read | Council approves new budget").junk_type == "related"
    assert lexicon.match("Copyright 2025 Example Media — all rights reserved.").junk_type == "chrome"
    assert lexicon.match("Alsoread this") is None  # an opening must end at a word's edge


def test_a_headline_under_a_navigation_line_is_still_the_title():
    texts = ["Home | News | Sport", "Storm closes coastal roads as rivers rise",
             "Heavy rain forced the closure of three coastal roads on Tuesday, officials said."]
    assert types(texts, [False, False, True]) == ["chrome", "title", "content"]


def test_blocks_of_a_pages_comment_section_are_comments_and_its_prompts_are_not_comment_text():
    import filterkit
    from filterkit.decide.junktypes import is_comment_text

    article = "".join(f"<p>{p} The survey ran from March to May across the northern districts.</p>"
                      for p in ARTICLE[1:3] * 3)
    page = ("<html><body><article><h1>Storm closes coastal roads as rivers rise</h1>" + article + "</article>"
            "<section class='comments-area'><h2>2 Comments</h2><ol class='comment-list'>"
            "<li class='comment'><p class='comment-author'>Brendan</p><p>Good to see the council finally "
            "acting on drainage after what happened to our street last winter.</p></li>"
            "<li class='comment'><p class='comment-author'>Aoife</p><p>The coastal road floods every "
            "year and nothing changes, I will believe the new plan when I see it.</p></li></ol>"
            "<form class='comment-form'><p>Leave a Reply</p><p>Name *</p></form></section></body></html>")
    document = filterkit.classify(page)
    decisions = {p.text: d for p, d in document.labelled()}
    for comment in ("Good to see the council finally acting on drainage after what happened to our street "
                    "last winter.", "The coastal road floods every year and nothing changes, I will believe "
                    "the new plan when I see it."):
        assert decisions[comment].label == "comment" and is_comment_text(decisions[comment])
    assert decisions["Leave a Reply"].label == "comment" and not is_comment_text(decisions["Leave a Reply"])
    assert not decisions["Name *"].is_content and not is_comment_text(decisions["Name *"])
