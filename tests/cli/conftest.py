"""Running the command line in the tests of tests/cli: `run_cli` calls `filterkit.cli.main`
in this process (most tests: no second of imports per call), `run_subprocess` runs
`python -m filterkit` as a user does (the few end-to-end tests, and those that look at
what a fresh interpreter imports). Both return a CompletedProcess with stdout and stderr
as text."""
from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from filterkit.cli import main

# The filterkit under test (checkout or installed, see tests/conftest.py) is the one the
# subprocesses import, whatever their working directory.
_LOCATION = Path(importlib.util.find_spec("filterkit").origin).resolve().parent.parent
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(
    p for p in (str(_LOCATION), os.environ.get("PYTHONPATH", "")) if p)}


@pytest.fixture(scope="session")
def run_cli():
    """run_cli(*ARGS, cwd=DIR, stdin=BYTES): `filterkit ARGS` in this process, from DIR."""

    def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
            patch.chdir(cwd)
            if stdin is not None:
                patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
            status = main(list(args))
        return subprocess.CompletedProcess(["filterkit", *args], status, out.getvalue(), err.getvalue())

    return run


@pytest.fixture(scope="session")
def run_subprocess():
    """run_subprocess(*ARGS, cwd=DIR, stdin=BYTES): `python -m filterkit ARGS` (or, with
    code=SOURCE, `python -c SOURCE ARGS`) in a fresh interpreter, from DIR."""

    def run(*args: str, cwd: Path, stdin: bytes = b"", code: str | None = None) -> subprocess.CompletedProcess:
        command = [sys.executable, "-c", code] if code is not None else [sys.executable, "-m", "filterkit"]
        done = subprocess.run([*command, *args], input=stdin, cwd=cwd, env=ENV, capture_output=True, timeout=600)
        return subprocess.CompletedProcess(done.args, done.returncode,
                                           done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))

    return run
