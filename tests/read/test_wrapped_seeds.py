"""The seed articles hard-wrapped (72 and 80 columns, `textwrap`) or with a single newline
between paragraphs: every content line's text survives cleaning and every junk line goes,
as for the seeds as scraped (tests/test_seeds.py)."""
from __future__ import annotations

import json
import textwrap

import pytest

import filterkit

pytestmark = [pytest.mark.requires_shared, pytest.mark.usefixtures("shipped_model")]

LAYOUTS = {
    "single newline": (None, "\n"),
    "wrapped at 72, single newline": (72, "\n"),
    "wrapped at 72, blank line": (72, "\n\n"),
    "wrapped at 80, single newline": (80, "\n"),
    "wrapped at 80, blank line": (80, "\n\n"),
}


def _lines(paragraph: str, width: int | None) -> list[str]:
    return textwrap.wrap(paragraph, width) if width else [paragraph]


@pytest.fixture(scope="module")
def seed_records(seeds_dir):
    return [json.loads(line) for line in (seeds_dir / "labels.jsonl").read_text("utf-8").splitlines()]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_content_line_survives_and_every_junk_line_goes(seed_records, layout):
    width, separator = LAYOUTS[layout]
    lost, kept = [], []
    for record in seed_records:
        paragraphs = record["paragraphs"]
        text = separator.join("\n".join(_lines(p["text"], width)) for p in paragraphs)
        emitted = {line.strip() for line in filterkit.clean(text).splitlines() if line.strip()}
        for paragraph in paragraphs:
            lines = [line.strip() for line in _lines(paragraph["text"], width)]
            if paragraph["label"] == "content" and not all(line in emitted for line in lines):
                lost.append(paragraph["text"])
            if paragraph["label"] != "content" and any(line in emitted for line in lines):
                kept.append(paragraph["text"])
    assert (lost, kept) == ([], [])
    assert sum(p["label"] == "content" for r in seed_records for p in r["paragraphs"]) == 61
