"""Junk → junk type: say *what kind* of junk each non-body paragraph is.

The body/junk decision is the model's; this step only names the junk, from cue
lexicons kept as data (`filterkit/lexicons/LANG.json`) and the paragraph's place:
1. its own cue ('Leave a Reply' → comment, 'Also Read' → related), longest cue wins;
2. on an HTML page, a block in the page's comment section (class/id words such as
   `comment-list` or `disqus`, outside the comment form) is a comment;
3. a headline just before the body is the title, and so is any repeat of it;
4. otherwise the type of the nearest cue above it in the same run of junk
   (the headlines under 'Recent News' are related);
5. otherwise its shape: a short line is chrome, a headline after the body a teaser,
   prose after the body a comment.
A comment is the text of a comment when no cue of its own typed it (`is_comment_text`):
'Leave a Reply' and 'Reply' are prompts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..document import CONTENT, Decision, Document, Paragraph
from ..features.text import detect_language
from ..lexicons import LANGUAGE_CODES, load_lexicon
from .quality import document_quality

if TYPE_CHECKING:
    from .settle import Settled

_WORD = re.compile(r"\w+")
TITLE_SIMILARITY = 0.6
MAX_TITLE_LINES = 3
MAX_INHERIT_DISTANCE = 15
# Cue types whose heading makes the headlines under it teasers rather than the title.
TEASER_HEADINGS = frozenset({"related", "promo", "comment"})
# Cue lines that may stand between a headline and the body without ending the search.
PASSED_OVER = frozenset({"meta", "chrome"})
# Class/id words of a page's comment section (WordPress, Disqus and most forums).
_COMMENT_SECTION = re.compile(r"\b(?:comment\w*|disqus\w*)\b")
IN_COMMENT_SECTION = "in the page's comment section"
# The reason of a paragraph typed by a cue phrase of its own (see `Cue.reason`), alone or
# after why it fell ("body score 0.12 < 0.50; cue 'reply'").
_OWN_CUE = re.compile(r"(?:^|; )cue '")


@dataclass(frozen=True)
class Typed:
    junk_type: str
    reason: str


class JunkTyper:
    """Assign a junk type, with a reason, to every paragraph the model did not keep."""

    def __init__(self, language: str = "English"):
        code = LANGUAGE_CODES.get(language)
        self.lexicon = load_lexicon(("en",) if code in (None, "en") else ("en", code))

    def assign(self, texts: list[str], is_body: list[bool], title: str | None = None,
               in_comments: list[bool] | None = None) -> list[Typed | None]:
        """A `Typed` for each junk paragraph, None for body paragraphs. `in_comments`:
        whether each paragraph sits in the page's comment section (`in_comment_section`)."""
        cues = [None if body else self.lexicon.match(t) for t, body in zip(texts, is_body)]
        typed: list[Typed | None] = [None] * len(texts)
        for i, cue in enumerate(cues):
            if cue is not None:
                typed[i] = Typed(cue.junk_type, cue.reason)
            elif in_comments and in_comments[i] and not is_body[i]:
                typed[i] = Typed("comment", IN_COMMENT_SECTION)
        for i in self._title_lines(texts, is_body, cues, title):
            typed[i] = Typed("title", "headline before the body" if title is None else "repeats the title")
        last_body = max((i for i, b in enumerate(is_body) if b), default=-1)
        for i, text in enumerate(texts):
            if is_body[i] or typed[i] is not None:
                continue
            typed[i] = self._inherited(i, typed, is_body) or _by_shape(text, after_body=i > last_body)
        return typed

    def _title_lines(self, texts, is_body, cues, title) -> list[int]:
        if title:
            title_words = set(_WORD.findall(title.lower()))
            return [i for i, t in enumerate(texts)
                    if not is_body[i] and _jaccard(set(_WORD.findall(t.lower())), title_words) >= TITLE_SIMILARITY]
        first_body = next((i for i, b in enumerate(is_body) if b), len(texts))
        lines: list[int] = []
        for i in range(first_body - 1, -1, -1):
            if cues[i] is not None and cues[i].junk_type in PASSED_OVER:
                continue  # a byline or 'Skip to content' between the headline and the body
            if cues[i] is not None or not _headline_like(texts[i]) or len(lines) == MAX_TITLE_LINES:
                break
            lines.append(i)
        above = min(lines, default=0) - 1
        while above >= 0 and cues[above] is not None and cues[above].junk_type in PASSED_OVER:
            above -= 1
        if not lines or (above >= 0 and cues[above] is not None and cues[above].junk_type in TEASER_HEADINGS):
            return []  # headlines under 'Also Read' or 'Advertisement' are teasers, not the title
        headline = set(_WORD.findall(texts[min(lines)].lower()))
        repeats = [i for i, t in enumerate(texts) if not is_body[i] and i not in lines
                   and _jaccard(set(_WORD.findall(t.lower())), headline) >= 0.9]
        return sorted(lines) + repeats

    @staticmethod
    def _inherited(i: int, typed, is_body) -> Typed | None:
        for j in range(i - 1, max(i - MAX_INHERIT_DISTANCE, -1), -1):
            if is_body[j]:
                return None
            above = typed[j]
            if above is not None and above.reason.startswith("cue") and above.junk_type != "title":
                return Typed(above.junk_type, f"under {above.reason}")
        return None


def _headline_like(text: str) -> bool:
    words = _WORD.findall(text)
    return 3 <= len(words) <= 30 and not text.rstrip().endswith((".", ":", ";", ","))


def _by_shape(text: str, after_body: bool) -> Typed:
    n_words = len(_WORD.findall(text))
    if n_words <= 3:
        return Typed("chrome", "short line")
    if after_body and _headline_like(text):
        return Typed("related", "headline after the body")
    if after_body and n_words >= 15:
        return Typed("comment", "prose after the body")
    return Typed("chrome", "outside the body")


# A body line is taken for the title only when it is the title, not merely about it.
TITLE_REPEAT_SIMILARITY = 0.85


def repeats_title(text: str, title: str | None) -> bool:
    """Whether a paragraph is the document's known title again (case and punctuation aside)."""
    if not title:
        return False
    return _jaccard(set(_WORD.findall(text.lower())), set(_WORD.findall(title.lower()))) >= TITLE_REPEAT_SIMILARITY


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def in_comment_section(paragraph: Paragraph) -> bool:
    """Whether an HTML block sits in its page's comment section, outside the comment form."""
    dom = paragraph.dom
    return dom is not None and "form" not in dom.ancestors and bool(_COMMENT_SECTION.search(dom.tokens))


def is_comment_text(decision: Decision) -> bool:
    """Whether a paragraph is the text of a comment: typed comment, but not by a cue
    phrase of its own ('Leave a Reply', 'Reply' are prompts to comment)."""
    return decision.label == "comment" and not _OWN_CUE.search(decision.reason)


def labelled(document: Document, settled: Settled) -> Document:
    """The document with a decision per paragraph: kept paragraphs are content, and each
    other one gets its junk type and a reason (why it fell, and what kind of junk it is)."""
    texts = document.texts
    is_body = settled.kept.tolist()
    in_comments = [in_comment_section(p) for p in document.paragraphs] if document.is_html_blocks else None
    typed = typer_for(texts).assign(texts, is_body, document.title, in_comments)
    decisions = []
    for score, threshold, body, dropped_on, junk in zip(settled.scores, settled.thresholds, is_body,
                                                        settled.dropped_on, typed):
        if body:
            decisions.append(Decision(CONTENT, float(score), f"body score {score:.2f}"))
        elif score >= threshold:
            decisions.append(Decision(junk.junk_type, float(score), junk.reason))
        else:
            again = " once the kept text was read again" if dropped_on > 1 else ""
            decisions.append(Decision(junk.junk_type, float(score),
                                      f"body score {score:.2f} < {threshold:.2f}{again}; {junk.reason}"))
    title = document.title or next(
        (p.text.strip() for p, d in zip(document.paragraphs, decisions) if d.label == "title"), None)
    quality = document_quality([len(text) for text in texts], settled.scores, settled.thresholds, settled.kept)
    return replace(document.with_decisions(decisions, title=title), quality=quality)


def typer_for(texts: list[str]) -> JunkTyper:
    """The junk typer for the language of a document's first 400 words."""
    tokens: list[str] = []
    for text in texts:
        tokens += _WORD.findall(text.lower())
        if len(tokens) >= 400:
            break
    return _typer(detect_language(tokens))


@lru_cache(maxsize=None)
def _typer(language: str) -> JunkTyper:
    return JunkTyper(language)
