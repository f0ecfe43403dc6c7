"""Reading the kept text again until it settles: what makes cleaning idempotent."""
import numpy as np

from filterkit.decide.operating_point import Reading
from filterkit.decide.settle import kept_part, settle
from filterkit.document import Document

THRESHOLD = 0.5
# A model that reads context, as filterkit's does: a short line between two kept
# paragraphs looks like a subheading while junk surrounds the article, and less like
# one once the junk is gone.
BASE = {
    "Home | News | Sport": 0.05,
    "Storm closes coastal roads": 0.45,
    "Heavy rain forced the closure of three coastal roads on Tuesday, officials said.": 0.9,
    "Residents were told to avoid unnecessary travel until the water level drops.": 0.9,
    "Leave a Reply": 0.05,
}


def context_scores(document: Document) -> np.ndarray:
    texts = document.texts
    junk_around = sum(BASE[t] < 0.2 for t in texts)
    return np.array([BASE[t] + (0.1 if BASE[t] < 0.6 and junk_around else 0.0) for t in texts])


def score(documents):
    return [context_scores(d) for d in documents]


def decide(document, scores):
    return Reading(scores >= THRESHOLD, scores, THRESHOLD)


PAGE = Document.from_texts(list(BASE))


def test_a_paragraph_kept_only_thanks_to_the_junk_around_it_goes_on_the_second_reading():
    [first] = settle(score, [PAGE], score([PAGE]), decide, max_readings=1)
    assert first.kept.tolist() == [False, True, True, True, False]

    [settled] = settle(score, [PAGE], score([PAGE]), decide)
    assert settled.kept.tolist() == [False, False, True, True, False]
    assert settled.dropped_on.tolist() == [1, 2, 0, 0, 1]
    assert settled.scores[1] == 0.45 and settled.thresholds[1] == THRESHOLD


def test_the_settled_output_read_again_keeps_all_of_it():
    [settled] = settle(score, [PAGE], score([PAGE]), decide)
    output = kept_part(PAGE, settled.kept)
    [again] = settle(score, [output], score([output]), decide)
    assert again.kept.all() and again.dropped_on.tolist() == [0, 0]
    assert output.texts == [p.text for p, k in zip(PAGE.paragraphs, settled.kept) if k]


def test_documents_that_drop_nothing_or_everything_are_not_read_again():
    calls = []

    def counting(documents):
        calls.append(len(documents))
        return score(documents)

    clean = Document.from_texts(list(BASE)[2:4])
    chrome = Document.from_texts(["Home | News | Sport", "Leave a Reply"])
    done = settle(counting, [clean, chrome, Document(())], score([clean, chrome, Document(())]), decide)
    assert calls == []
    assert [d.kept.tolist() for d in done] == [[True, True], [False, False], []]
