"""Cue phrases of the junk types, per language, kept as data (`LANG.json` beside this file)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import JUNK_TYPES

_WORD = re.compile(r"\w+")

_EDGE_SYMBOLS = re.compile(r"[\W_]+")
CONTAINS_MAX_WORDS = 40


@dataclass(frozen=True)
class Cue:
    junk_type: str
    phrase: str

    @property
    def reason(self) -> str:
        return f"cue '{self.phrase.strip()}'"


class Lexicon:
    """Cue phrases for the junk types of one or more languages."""

    def __init__(self, entries: dict[str, dict[str, list[str]]]):
        # Opening phrases by their first character: a line is compared with few of them.
        self.start: dict[str, list[tuple[str, str]]] = {}
        self.whole: dict[str, str] = {}
        self.contains: list[tuple[str, str]] = []
        for junk_type, modes in entries.items():
            for phrase in modes.get("start", []):
                phrase = phrase.lower()
                if phrase:
                    self.start.setdefault(phrase[0], []).append((phrase, junk_type))
            for phrase in modes.get("whole", []):
                self.whole.setdefault(normalise_cue_text(phrase), junk_type)
            for phrase in modes.get("contains", []):
                self.contains.append((phrase.lower(), junk_type))
        # Most lines open with and contain none of the phrases: one call each tells, before
        # the loops that find the longest.
        self._openings = {first: tuple(p for p, _ in phrases) for first, phrases in self.start.items()}
        self._contained = tuple(p for p, _ in self.contains)

    def match(self, text: str) -> Cue | None:
        normalised = normalise_cue_text(text)
        if not normalised:
            return None
        if normalised in self.whole:
            return Cue(self.whole[normalised], normalised)
        best: Cue | None = None
        if normalised.startswith(self._openings.get(normalised[0], ())):
            for phrase, junk_type in self.start[normalised[0]]:
                if normalised.startswith(phrase) and _ends_at_word_edge(normalised, len(phrase)):
                    if best is None or len(phrase) > len(best.phrase):
                        best = Cue(junk_type, phrase)
        if any(map(normalised.__contains__, self._contained)) and len(_WORD.findall(normalised)) <= CONTAINS_MAX_WORDS:
            for phrase, junk_type in self.contains:
                if phrase in normalised and (best is None or len(phrase) > len(best.phrase)):
                    best = Cue(junk_type, phrase)
        return best


def normalise_cue_text(text: str) -> str:
    text = " ".join(text.lower().split())
    # Keep '(' as an opening: '(With inputs from agencies)' starts with '(with inputs'.
    if text.startswith("("):
        return text.rstrip(" .")
    # Symbols off both edges; the end's found from the reversed text, as a regex anchored
    # at the end would try every position.
    leading, trailing = _EDGE_SYMBOLS.match(text), _EDGE_SYMBOLS.match(text[::-1])
    return text[leading.end() if leading else 0:len(text) - (trailing.end() if trailing else 0)]


def _ends_at_word_edge(text: str, end: int) -> bool:
    return end >= len(text) or not (text[end].isalnum() and text[end - 1].isalnum())


@lru_cache(maxsize=None)
def load_lexicon(languages: tuple[str, ...] = ("en",)) -> Lexicon:
    """The merged cue lexicon of these languages (codes of files in filterkit/lexicons)."""
    return Lexicon(lexicon_entries(languages))


def lexicon_entries(languages: tuple[str, ...] = ("en",)) -> dict[str, dict[str, list[str]]]:
    """The phrases of these languages' lexicons: by junk type, then by mode (`start`,
    `whole`, `contains`), as the files hold them."""
    entries: dict[str, dict[str, list[str]]] = {t: {} for t in JUNK_TYPES if t != "title"}
    folder = resources.files("filterkit.lexicons")
    for language in languages:
        resource = folder / f"{language}.json"
        if not resource.is_file():
            continue
        data = json.loads(resource.read_text(encoding="utf-8"))
        for junk_type in entries:
            for mode, phrases in data.get(junk_type, {}).items():
                entries[junk_type].setdefault(mode, []).extend(phrases)
    return entries


LANGUAGE_CODES = {"English": "en", "German": "de", "French": "fr", "Spanish": "es"}


# Every lexicon at once, English first: where a phrase's language does not matter.
ALL_LANGUAGES = ("en", *sorted(c for c in LANGUAGE_CODES.values() if c != "en"))

