"""The article a page gives as structured data, for pages whose own blocks do not show it.

A page rendered by its scripts shows a scraper little but its chrome ('Loading…'), while
its JSON-LD often holds the article: an `articleBody`, or the steps of a how-to (`HowTo`
`step`, `Recipe` `recipeInstructions`). When what the page's own blocks keep is next to
nothing, the body is that structured text (as trafilatura does), and the result says so:
`metadata["body_source"] == "json-ld"`.
"""
from __future__ import annotations

import html
import json

from lxml import etree

from ..document import CONTENT, Decision, Document, Paragraph, kept_text
from .invisible import without_invisible_characters

# Document.metadata keys: the JSON-LD that may hold an article, and where a body came from.
STRUCTURED_BODY = "json_ld"
BODY_SOURCE = "body_source"
JSON_LD = "json-ld"
# A kept body shorter than this is next to none ...
NEXT_TO_NO_BODY_CHARS = 250
# ... and a structured article replaces it when it is at least this long, and twice as long.
MIN_STRUCTURED_CHARS = 100
STRUCTURED_REASON = "the page's own blocks hold next to no body: its article as its JSON-LD gives it"

_STEP_LISTS = ("step", "recipeInstructions")


def structured_article(root: etree._Element) -> tuple[str, ...]:
    """The paragraphs of the article in the page's JSON-LD (`article_in_json_ld`)."""
    return article_in_json_ld(json_ld_with_an_article(root))


def json_ld_with_an_article(root: etree._Element) -> tuple[str, ...]:
    """The page's JSON-LD scripts that may hold an article, unread: most pages never need
    them, and reading them is left until one does."""
    return tuple(text for script in root.iter("script")
                 if "ld+json" in (script.get("type") or "").lower()
                 and _may_hold_an_article(text := script.text or ""))


def _may_hold_an_article(text: str) -> bool:
    return "articleBody" in text or any(name in text for name in _STEP_LISTS)


def article_in_json_ld(scripts: tuple[str, ...]) -> tuple[str, ...]:
    """The paragraphs of the article in JSON-LD `scripts`: the longest `articleBody`,
    else the steps of the first how-to; () when there is neither."""
    bodies: list[str] = []
    steps: list[str] = []
    for text in scripts:
        _collect(_loaded(text), bodies, steps)
    if bodies:
        return _paragraphs(max(bodies, key=len))
    return tuple(p for step in steps for p in _paragraphs(step))


def _loaded(text: str):
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines inside strings
    except ValueError:
        return None


def _collect(data, bodies: list[str], steps: list[str]) -> None:
    """Every `articleBody` in `data` into `bodies`; the first how-to's steps into `steps`."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            body = item.get("articleBody")
            if isinstance(body, str) and body.strip():
                bodies.append(body)
            found = next((item[name] for name in _STEP_LISTS if item.get(name)), None)
            if found is not None and not steps:
                steps.extend(_step_texts(found))
            pending.extend(reversed([v for v in item.values() if isinstance(v, (list, dict))]))


def _step_texts(steps) -> list[str]:
    """The texts of how-to steps: strings, `HowToStep`s, `HowToSection`s of steps."""
    out: list[str] = []
    for step in steps if isinstance(steps, list) else [steps]:
        if isinstance(step, str):
            out.append(step)
        elif isinstance(step, dict) and isinstance(step.get("itemListElement"), list):
            out.extend(_step_texts(step["itemListElement"]))
        elif isinstance(step, dict) and isinstance(text := step.get("text") or step.get("name"), str):
            out.append(text)
    return out


def _paragraphs(text: str) -> tuple[str, ...]:
    """A structured text's paragraphs: its lines, or its blocks where it holds markup;
    entities decoded, white space as on screen."""
    if "<" in text and ">" in text:
        from .html import page_blocks, parse_html

        return tuple(page_blocks(parse_html(f"<html><body>{text}</body></html>")))
    lines = (" ".join(without_invisible_characters(line).split()) for line in html.unescape(text).splitlines())
    return tuple(line for line in lines if line)


def structured_body(document: Document, body: str) -> tuple[str, ...] | None:
    """The page's structured article, when `body` (what its own blocks keep) is next to
    none and the article is long enough to stand for it; else None."""
    scripts = document.metadata.get(STRUCTURED_BODY)
    if not scripts or len(body) >= NEXT_TO_NO_BODY_CHARS:
        return None
    paragraphs = article_in_json_ld(scripts)
    chars = sum(map(len, paragraphs))
    return paragraphs if chars >= max(MIN_STRUCTURED_CHARS, 2 * len(body)) else None


def body_or_structured(document: Document, body: str) -> str:
    """`body`, or where it is next to none, the page's structured article (`structured_body`)."""
    paragraphs = structured_body(document, body)
    return body if paragraphs is None else kept_text(paragraphs, [True] * len(paragraphs))


def with_structured_body(classified: Document) -> Document:
    """A classified page, or, where its kept blocks are next to no body, its structured
    article, every paragraph body and `metadata["body_source"]` saying so."""
    paragraphs = structured_body(classified, classified.body) if classified.is_classified else None
    if paragraphs is None:
        return classified
    metadata = {key: value for key, value in classified.metadata.items() if key != "explanations"}
    return Document(tuple(Paragraph(text, i) for i, text in enumerate(paragraphs)), title=classified.title,
                    source_format=classified.source_format,
                    decisions=tuple(Decision(CONTENT, 1.0, STRUCTURED_REASON) for _ in paragraphs),
                    metadata={**metadata, BODY_SOURCE: JSON_LD}, quality=classified.quality)
