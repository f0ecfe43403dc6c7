"""The snippet metric of trafilatura's evaluation, and a reader for its `evaldata.json`.

Each page comes with snippets that a correct extraction contains (`with`) and snippets
that it does not (`without`). Per page, a `with` snippet found in the output is a true
positive and a missing one a false negative; a `without` snippet found is a false
positive and an absent one a true negative. The counts are summed over pages before
precision, recall, accuracy and F1 are taken. A snippet is found when, whitespace
normalised (every run of white space one space, both ends stripped), it is a substring
of the whitespace-normalised output, as trafilatura's `tests/eval_common.py` compares.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..read.invisible import without_invisible_characters

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Every run of white space one space, both ends stripped, and characters that show
    nothing (soft hyphens, zero-width spaces) left out, in snippets and outputs alike:
    'illus\u00adtrative' is the word a reader sees, whoever extracted it."""
    return _SPACE.sub(" ", without_invisible_characters(text)).strip()


@dataclass(frozen=True)
class EvalPage:
    """One page of the evaluation: where its bytes are and which snippets it has."""

    url: str
    path: Path  # html/<id>.html.gz under the evaluation directory
    with_: tuple[str, ...]
    without: tuple[str, ...]


def read_evaldata(directory: str | os.PathLike) -> list[EvalPage]:
    """The pages of an evaluation directory (`evaldata.json` and the files it names), in
    the file's order; a page whose file is missing raises, since the figures would
    silently move without it."""
    root = Path(directory)
    records = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, record in records.items():
        path = root / record["file"]
        if not path.is_file():
            raise FileNotFoundError(f"{url}: the page file {path} is missing")
        pages.append(EvalPage(url, path, tuple(record["with"]), tuple(record["without"])))
    return pages


@dataclass(frozen=True)
class SnippetCounts:
    """True and false positives and negatives of snippets, with the scores they give
    (each 0.0 when its denominator is empty, as trafilatura's evaluation does)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: "SnippetCounts") -> "SnippetCounts":
        return SnippetCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)

    def as_tuple(self) -> tuple[int, int, int, int]:
        return self.tp, self.fp, self.fn, self.tn

    @property
    def precision(self) -> float:
        return snippet_precision(*self.as_tuple())

    @property
    def recall(self) -> float:
        return snippet_recall(*self.as_tuple())

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    @property
    def f1(self) -> float:
        return snippet_f1(*self.as_tuple())


# On plain counts too, so that the gate's bootstrap scores resampled sums without objects.
def snippet_precision(tp, fp, fn, tn) -> float:
    return tp / (tp + fp) if tp + fp else 0.0


def snippet_recall(tp, fp, fn, tn) -> float:
    return tp / (tp + fn) if tp + fn else 0.0


def snippet_f1(tp, fp, fn, tn) -> float:
    return 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0


def page_counts(page: EvalPage, output: str | None) -> SnippetCounts:
    """One page's counts; no output (the extractor failed) finds no snippet."""
    found = normalise(output or "")
    tp = sum(normalise(s) in found for s in page.with_) if found else 0
    fp = sum(normalise(s) in found for s in page.without) if found else 0
    return SnippetCounts(tp, fp, len(page.with_) - tp, len(page.without) - fp)


def snippet_scores(pages: Iterable[EvalPage], outputs: Iterable[str | None]) -> SnippetCounts:
    """The counts summed over pages, each page with its output."""
    total = SnippetCounts()
    for page, output in zip(pages, outputs, strict=True):
        total += page_counts(page, output)
    return total
