"""The notebooks in notebooks/: stored without outputs, and each runs top to bottom on a
small subset of WCXB and draws its plots (executed with nbclient in a fresh kernel)."""
from __future__ import annotations

import base64
import importlib.util
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

NOTEBOOKS = REPO_ROOT / "notebooks"
# notebook -> the plots it must draw
PLOTS = {"train-and-evaluate.ipynb": 4, "retrain-on-your-labels.ipynb": 1}
# The filterkit under test (checkout or installed, see conftest.py), for the kernel too.
FILTERKIT_LOCATION = Path(importlib.util.find_spec("filterkit").origin).resolve().parent.parent

nbformat = pytest.importorskip("nbformat", reason="needs nbformat (the test extra)")


def test_every_notebook_is_checked():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(PLOTS)


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_notebooks_are_stored_without_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert set(notebook.metadata) <= {"kernelspec", "language_info"}


@pytest.mark.slow
@pytest.mark.requires_shared
@pytest.mark.parametrize("name", sorted(PLOTS))
def test_notebook_runs_top_to_bottom_and_draws_its_plots(name, monkeypatch, shared_dir):
    nbclient = pytest.importorskip("nbclient", reason="needs nbclient and ipykernel (the test extra)")
    pytest.importorskip("ipykernel", reason="needs ipykernel (the test extra)")
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    monkeypatch.setenv("FILTERKIT_SHARED", str(shared_dir))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(FILTERKIT_LOCATION), os.environ.get("PYTHONPATH", "")) if p))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # a cell that raises fails the run (CellExecutionError)
    nbclient.NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [base64.b64decode(o.data["image/png"]) for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == PLOTS[name]
    assert all(image.startswith(b"\x89PNG") and len(image) > 10_000 for image in images)
