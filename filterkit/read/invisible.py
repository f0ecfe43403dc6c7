"""Characters a browser draws as nothing, removed from text as it is read.

A soft hyphen (U+00AD) shows only where a line breaks; a zero-width space (U+200B), the
word joiner (U+2060) and U+FEFF (a byte-order mark, or inside text a zero-width no-break
space) never show. Left in, they split the words a reader sees: 'ap\u00adproved' is
'approved' on screen. The zero-width joiner and non-joiner (U+200D, U+200C) change how
their neighbours are drawn where characters join or combine (Persian and Arabic, Indic
scripts, emoji sequences), so they are kept between two such characters and removed
elsewhere (between Latin letters, next to a space or punctuation).
"""
from __future__ import annotations

import re
import unicodedata

_NEVER_SHOWN = "\u00ad\u200b\u2060\ufeff"
_JOINERS = "\u200c\u200d"
_INVISIBLE = re.compile(f"[{_NEVER_SHOWN}{_JOINERS}]")
_REMOVE_NEVER_SHOWN = str.maketrans(dict.fromkeys(_NEVER_SHOWN))
_JOINER = re.compile(f"[{_JOINERS}]")
# Latin, Greek, Cyrillic and Armenian (and their combining marks) end here: their
# letters are drawn the same with or without a joiner between them.
_LAST_NON_JOINING = 0x058F
_NON_JOINING_CATEGORIES = ("Z", "P", "C")


def without_invisible_characters(text: str) -> str:
    """`text` as a browser shows it: without soft hyphens and zero-width characters,
    but the joiners that change how their neighbours are drawn. Removing twice changes
    nothing more."""
    if not _INVISIBLE.search(text):
        return text  # nearly every text: one scan, no copy
    text = text.translate(_REMOVE_NEVER_SHOWN)
    return _JOINER.sub(lambda match: match.group() if _between_joining(text, match.start()) else "", text)


def _between_joining(text: str, at: int) -> bool:
    """Whether the joiner at `at` sits between two characters it can change."""
    return 0 < at < len(text) - 1 and _can_join(text[at - 1]) and _can_join(text[at + 1])


def _can_join(character: str) -> bool:
    return (ord(character) > _LAST_NON_JOINING
            and unicodedata.category(character)[0] not in _NON_JOINING_CATEGORIES)
