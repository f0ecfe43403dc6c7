"""The feature extractor: a scikit-learn transformer over paragraphs in their documents."""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from filterkit.document import Document
from filterkit.features.cues import CueFeatures
from filterkit.features.text import (
    SHAPE_FEATURES,
    ParagraphFeatures,
    densest_run,
    hashed_ngrams,
    lexical_ngrams,
    lexical_text,
    paragraph_rows,
    shape_features,
    stoplist,
    text_shape,
)
from filterkit.model.pipeline import forget_seen_texts, make_pipeline
from filterkit.read import to_document

ARTICLE = Document.from_texts([
    "Home", "World", "Sport",
    "Storm closes coastal roads as rivers rise",
    "Heavy rain forced the closure of three coastal roads on Tuesday, officials said, and more is expected.",
    "Residents were told to avoid unnecessary travel until the water level drops below the warning mark.",
    "Engineers will inspect the sea wall on Friday, the council said in a statement on its website.",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "© 2025 Coast News. All rights reserved.",
])
LABELS = [0, 0, 0, 0, 1, 1, 1, 0, 0, 0]


def names(transformer):
    return list(transformer.get_feature_names_out())


def column(transformer, matrix, name):
    return matrix[:, names(transformer).index(name)]


def test_one_row_per_paragraph_and_a_name_per_column():
    rows = paragraph_rows([ARTICLE, ARTICLE])
    features = ParagraphFeatures().fit(rows, LABELS * 2)
    matrix = features.transform(rows)
    assert matrix.shape == (20, len(names(features)))
    assert len(set(names(features))) == len(names(features))
    assert np.isfinite(matrix).all()


def test_shape_features_tell_prose_from_a_menu_item():
    english = stoplist("English")
    text = ARTICLE.paragraphs[4].text
    prose = dict(zip(SHAPE_FEATURES, shape_features(text, text.lower().replace(",", "").split(), english)))
    menu = dict(zip(SHAPE_FEATURES, shape_features("Newsletter", ["newsletter"], english)))
    assert prose["log_words"] > menu["log_words"]
    assert prose["ends_terminal"] == 1.0 and menu["ends_terminal"] == 0.0
    assert prose["stopword_density"] > 0.2 and menu["stopword_density"] == 0.0
    assert prose["sentences"] == 1 and menu["starts_upper"] == 1.0


def test_context_and_position_come_from_the_paragraphs_own_document():
    short = Document.from_texts(["Leave a Reply"])
    rows = paragraph_rows([ARTICLE, short])
    features = ParagraphFeatures(lexical=False).fit(rows, LABELS + [0])
    matrix = features.transform(rows)
    assert column(features, matrix, "in_dense_run")[4:7].tolist() == [1, 1, 1]
    assert column(features, matrix, "in_dense_run")[:3].tolist() == [0, 0, 0]
    assert column(features, matrix, "log_words@-1")[10] == -1.0  # no neighbour in its own document
    assert column(features, matrix, "log_paragraphs")[10] == pytest.approx(np.log1p(1))


def test_the_lexical_score_is_learned_from_labels():
    junk = ["Leave a Reply", "Also Read", "Share this article", "Related Posts"]
    body = ["The minister said the talks would continue next week in the capital.",
            "Prices rose by three percent in the year to March, the office said."]
    docs = [Document.from_texts(junk + body) for _ in range(20)]
    features = ParagraphFeatures(lexical_folds=2).fit(paragraph_rows(docs), ([0] * 4 + [1] * 2) * 20)
    test = Document.from_texts(["Leave a Reply", "The minister said prices rose in the capital."])
    lexical = column(features, features.transform(paragraph_rows([test])), "lexical_junk")
    assert lexical[0] > 0.8 > 0.2 > lexical[1]


def test_scikit_learn_conventions():
    features = ParagraphFeatures(window=1)
    assert clone(features).get_params()["window"] == 1
    with pytest.raises(NotFittedError):
        features.transform(paragraph_rows([ARTICLE]))
    with pytest.raises(ValueError, match="labels"):
        ParagraphFeatures().fit(paragraph_rows([ARTICLE]))


def test_densest_run_finds_the_article_between_menus_and_footers():
    assert densest_run(np.array([-6, -6, 40, 35, -6, 30, -6, -6])) == (2, 6)
    assert densest_run(np.array([-1.0])) == (0, 1)


def test_cue_features_mark_the_cue_phrase_of_a_paragraph_and_of_its_neighbours():
    news = Document.from_texts([
        "Heavy rain forced the closure of three coastal roads on Tuesday, officials said.",
        "ALSO READ | Storm warning extended to the weekend",
        "Residents were told to avoid unnecessary travel until the water level drops.",
        "Leave a Reply",
        "Lire aussi : la tempête s'éloigne",
    ])
    rows = paragraph_rows([news])
    cues = CueFeatures(window=1).fit(rows)
    matrix = cues.transform(rows)
    assert matrix.shape == (5, len(names(cues))) == (5, 15)
    assert column(cues, matrix, "cue_related").tolist() == [0, 1, 0, 0, 1]  # French too
    assert column(cues, matrix, "cue_comment").tolist() == [0, 0, 0, 1, 0]
    assert column(cues, matrix, "cue_related@-1").tolist() == [0, 0, 1, 0, 0]
    assert column(cues, matrix, "cue_related@+1").tolist() == [1, 0, 0, 1, 0]
    assert column(cues, matrix, "cue_comment@+1").tolist() == [0, 0, 1, 0, 0]
    assert matrix[0].sum() == 1  # prose opens with no cue: only its neighbour's


def test_the_text_model_reads_paragraph_and_cue_features_under_their_own_names():
    pipeline = make_pipeline("gbt", input="text")
    rows = paragraph_rows([ARTICLE, ARTICLE])
    features = pipeline[0].fit(rows, LABELS * 2)
    assert {"lexical_junk", "cue_comment", "cue_chrome@-1"} <= set(names(features))
    matrix = features.transform(rows)
    assert column(features, matrix, "cue_comment")[7] == 1.0  # Leave a Reply


def test_the_html_model_reads_text_dom_and_cue_features_under_their_own_names():
    page = to_document(
        "<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav><article>"
        + "".join(f"<p>{p.text}</p>" for p in ARTICLE.paragraphs[3:7])
        + "</article><section class='comments'><h3>Leave a Reply</h3><p>Your email address will not be "
          "published.</p></section></body></html>", format="html")
    texts = [p.text for p in page.paragraphs]
    labels = [int(p.dom.tag == "p" and "article" in p.dom.ancestors) for p in page.paragraphs]
    pipeline = make_pipeline("gbt", input="html")
    rows = paragraph_rows([page, page])
    features = pipeline[0].fit(rows, labels * 2)
    assert {"lexical_junk", "markup_junk", "inside_nav", "cue_comment", "cue_comment@-1"} <= set(names(features))
    matrix = features.transform(rows)
    reply = texts.index("Leave a Reply")
    assert column(features, matrix, "cue_comment")[reply] == 1.0
    assert column(features, matrix, "cue_comment@-1")[reply + 1] == 1.0
    assert column(features, matrix, "inside_nav")[texts.index("Home")] == 1.0


def test_remembered_hashed_words_are_the_hashed_words():
    texts = [p.text for p in ARTICLE.paragraphs] + ["Home", "Also Read", "Home", "word " * 600 + "end."]
    expected = hashed_ngrams([lexical_text(text) for text in texts], 2**18).toarray()
    forget_seen_texts()
    cold = lexical_ngrams(texts, 2**18).toarray()
    warm = lexical_ngrams(list(reversed(texts)), 2**18).toarray()[::-1]
    assert (cold == expected).all() and (warm == expected).all()
    assert (lexical_ngrams(texts[:3], 2**10).toarray() == hashed_ngrams(
        [lexical_text(text) for text in texts[:3]], 2**10).toarray()).all()


def test_remembered_shapes_are_the_shapes():
    english = stoplist("English")
    forget_seen_texts()
    for text in [ARTICLE.paragraphs[4].text, "Home", "x" * 5000 + " end."]:
        words = text.lower().replace(",", "").replace(".", "").split()
        assert list(text_shape(text, words, english)) == shape_features(text, words, english)
        assert text_shape(text, words, english) == text_shape(text, words, english)
