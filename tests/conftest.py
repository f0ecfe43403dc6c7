"""Shared test set-up: where ../shared is, and which filterkit is under test.

`../shared` (WCXB dev data, the seed articles) sits beside the checkout on every
developer machine and in CI. Tests that need it are marked `requires_shared` (or use
the `shared_dir`, `seeds_dir`, `wcxb_dir` fixtures) and are skipped when it is absent.

Which filterkit is imported is decided by sys.path alone (pytest runs with
--import-mode=importlib, see pyproject.toml): `python -m pytest` from the repo root
tests the checkout; .ci/run sets PYTHONSAFEPATH=1 and so tests the installed package,
and sets FILTERKIT_TEST_INSTALLED=1 so that this file refuses to test the checkout.
"""
from __future__ import annotations

import importlib.util
import io
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_MISSING = "../shared (WCXB dev data and seeds) is not beside this checkout; CI has it"


def find_shared() -> Path | None:
    """`../shared` beside the repository root, or None when it is not there."""
    shared = REPO_ROOT.parent / "shared"
    return shared if shared.is_dir() else None


requires_shared = pytest.mark.requires_shared


def _filterkit_location() -> Path | None:
    spec = importlib.util.find_spec("filterkit")  # locates without importing
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def _is_checkout(location: Path) -> bool:
    return location == REPO_ROOT / "filterkit"


def pytest_report_header(config):
    location = _filterkit_location()
    if location is None:
        return "filterkit: NOT IMPORTABLE"
    where = "this checkout" if _is_checkout(location) else "installed package"
    shared = find_shared()
    return [
        f"filterkit under test: {location} ({where})",
        f"shared data: {shared if shared else 'absent: requires_shared tests skip'}",
    ]


def pytest_configure(config):
    if os.environ.get("FILTERKIT_TEST_INSTALLED") == "1":
        location = _filterkit_location()
        if location is None or _is_checkout(location):
            raise pytest.UsageError(
                f"FILTERKIT_TEST_INSTALLED=1 but filterkit resolves to {location}, not an "
                "installed package: run with PYTHONSAFEPATH=1 (Python >= 3.11) after "
                "`pip install .`"
            )


def pytest_collection_modifyitems(config, items):
    if find_shared() is not None:
        return
    skip = pytest.mark.skip(reason=SHARED_MISSING)
    for item in items:
        if "requires_shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    """The shipped model's path; tests that clean with it skip while it is not trained."""
    from filterkit.model.store import shipped_model_path

    path = shipped_model_path()
    if not path.is_file():
        if os.environ.get("FILTERKIT_TEST_INSTALLED") == "1":
            pytest.fail(f"the installed filterkit has no shipped model at {path}")
        pytest.skip(f"the shipped model {path} has not been trained yet")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    shared = find_shared()
    if shared is None:
        pytest.skip(SHARED_MISSING)
    return shared


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    seeds = shared_dir / "seeds"
    if not (seeds / "labels.jsonl").is_file():
        pytest.skip(SHARED_MISSING)
    return seeds


@pytest.fixture(scope="session")
def wcxb_dir(shared_dir: Path) -> Path:
    wcxb = shared_dir / "data" / "wcxb-dev"
    if not (wcxb / "ground-truth").is_dir():
        pytest.skip(SHARED_MISSING)
    return wcxb


# --- scraped articles at corpus scale -------------------------------------------------------

_TOPICS = [
    ("Council approves new cycle lanes for {place}", [
        "The city council of {place} voted on Tuesday night to build {n} kilometres of protected "
        "cycle lanes through the centre, ending a debate that has divided residents for two years.",
        "The plan, which will cost an estimated {n} million euros, replaces two lanes of traffic on "
        "the ring road with separated bike paths and widens pavements outside the central station.",
        "Supporters say the lanes will cut congestion and make the streets safer for children "
        "cycling to school, said councillor {name}, who chairs the transport committee.",
        "Opponents, including the local chamber of commerce, warned that removing parking spaces "
        "would hurt small businesses that depend on passing trade.",
    ]),
    ("Storm leaves thousands without power in {place}", [
        "More than {n} thousand homes in {place} were without electricity on Sunday after a storm "
        "brought down power lines and uprooted trees across the region overnight.",
        "Engineers worked through the night to restore supplies, and the network operator said most "
        "customers should be reconnected by Monday evening.",
        "{name}, who runs a bakery on the high street, said she had lost a day's trade. \u201cWe had "
        "no ovens, no lights and no way of taking card payments,\u201d she said.",
        "Forecasters expect calmer weather later in the week, although heavy rain could still cause "
        "flooding in low-lying areas near the river.",
    ]),
    ("{place} museum reopens after a {n}-month renovation", [
        "The natural history museum in {place} reopened its doors on Saturday after a renovation "
        "that took {n} months and added two new galleries and a rooftop cafe.",
        "Curators used the closure to clean and re-mount the museum's famous whale skeleton, which "
        "now hangs in the restored central hall beneath a new glass roof.",
        "Director {name} said visitor numbers had been falling before the works began and that the "
        "museum hoped to attract families with free entry on the first Sunday of each month.",
    ]),
    ("Local team wins regional final in {place}", [
        "The under-18 side from {place} won the regional football final on Sunday, beating their "
        "rivals {n}-1 in front of a crowd of more than two thousand supporters.",
        "Captain {name} scored twice in the second half after the team had trailed at the break, "
        "and the winning goal came from a header in the final minute of normal time.",
        "The club's coach said the victory was the reward for a season of early-morning training "
        "sessions, and thanked the parents who drive the players to away games every weekend.",
        "The team will now represent the region at the national tournament in June.",
    ]),
]
_CHROME = [
    "Home | News | Sport | Business | Opinion | Sign in",
    "By {name} | {n} March 2024 | 4 min read",
    "Share this article: Facebook | Twitter | Email",
    "Related: Bus fares to rise by {n}% in April",
    "Sign up to our morning newsletter and get the day's headlines in your inbox.",
    "Leave a Reply",
    "\u00a9 2024 The Daily Courier. All rights reserved.",
]
_PLACES = ["Lyon", "Leeds", "Porto", "Ghent", "Malm\u00f6", "Cork", "Bilbao", "Graz"]
_NAMES = ["Maria Lopez", "Tom Becker", "Ana Silva", "Jan de Vries", "Sofia Rossi", "Liam Byrne"]


def scraped_articles(count: int, seed: int = 0) -> list[str]:
    """`count` short scraped articles, one paragraph per line: a headline, body paragraphs
    and site chrome around them, from a few templates with varied names and numbers."""
    import random

    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        headline, body = rng.choice(_TOPICS)
        values = {"place": rng.choice(_PLACES), "name": rng.choice(_NAMES), "n": rng.randint(2, 40)}
        lines = [_CHROME[0], headline, _CHROME[1], *rng.sample(body, rng.randint(2, len(body))),
                 *rng.sample(_CHROME[2:], rng.randint(1, 3))]
        articles.append("\n".join(line.format(**values) for line in lines))
    return articles


@pytest.fixture(scope="session")
def articles():
    """`scraped_articles` for tests: articles(count, seed=0)."""
    return scraped_articles


# --- WARC files of such articles --------------------------------------------------------------


class Warc:
    """Writes small WARC files with warcio (skipping the test without it)."""

    @staticmethod
    def page(article: str, head: str = "") -> str:
        """A scraped article (`scraped_articles`) as a news page: its first line a <nav>,
        its headline an <h1>, its other lines <p>s of the <article>, then a <footer>."""
        nav, headline, *lines = article.split("\n")
        paragraphs = "".join(f"<p>{line}</p>" for line in lines)
        return (f"<!DOCTYPE html><html><head>{head}<title>{headline}</title></head><body>"
                f"<nav><a href='/'>{nav}</a></nav><article><h1>{headline}</h1>{paragraphs}</article>"
                "<footer>Contact | Privacy | Terms</footer></body></html>")

    @staticmethod
    def write(path: Path, responses: list[dict]) -> None:
        """`path` (gzipped when it ends in .gz): a warcinfo record, then for each response
        {url, payload (bytes), content_type (default: text/html; charset=utf-8), status
        (default: 200 OK), headers (more HTTP headers), type (default: response)} its
        request and the response."""
        pytest.importorskip("warcio", reason="warcio (a dependency of filterkit) is not installed")
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        with open(path, "wb") as out:
            writer = WARCWriter(out, gzip=str(path).endswith(".gz"))
            writer.write_record(writer.create_warcinfo_record(Path(path).name, {"software": "filterkit tests"}))
            for response in responses:
                request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True)
                writer.write_record(writer.create_warc_record(response["url"], "request", http_headers=request))
                headers = [("Content-Type", response.get("content_type", "text/html; charset=utf-8")),
                           *response.get("headers", [])]
                http = StatusAndHeaders(response.get("status", "200 OK"), headers, protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    response["url"], response.get("type", "response"), payload=io.BytesIO(response["payload"]),
                    http_headers=http))


@pytest.fixture(scope="session")
def warc() -> Warc:
    """`Warc.page(article)` and `Warc.write(path, responses)` for tests of WARC input."""
    return Warc()
