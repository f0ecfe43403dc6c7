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
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
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
