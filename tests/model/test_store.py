import collections
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from importlib.resources.readers import MultiplexedPath
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from filterkit.errors import (
    ModelError,
    ModelIntegrityError,
    ModelNotFoundError,
    ModelVersionError,
    UntrustedModelError,
)
from filterkit.model import store as modelstore
from filterkit.model.store import load_model, save_model

FEATURE_VERSION = 7
X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1], [0.1, 0.8], [0.8, 0.3]])
Y = np.array([1, 0, 1, 0, 1, 0])


class _WritesMarkerWhenUnpickled:
    """Unpickling this creates a directory: proof that a file was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


@pytest.fixture(autouse=True)
def feature_version(monkeypatch):
    monkeypatch.setattr(modelstore, "_current_feature_version", lambda card: FEATURE_VERSION)


@pytest.fixture
def shipped_dir(tmp_path, monkeypatch):
    directory = tmp_path / "shipped"
    directory.mkdir()
    monkeypatch.setattr(modelstore, "shipped_model_dir", lambda: directory)
    return directory


@pytest.fixture
def pipeline():
    return make_pipeline(StandardScaler(), LogisticRegression()).fit(X, Y)


@pytest.fixture
def forbid_unpickling(monkeypatch):
    def fail(*args, **kwargs):
        pytest.fail("joblib.load was called")

    monkeypatch.setattr(joblib, "load", fail)


def _rewrite_card(model_path: Path, **changes) -> None:
    card_path = model_path.with_suffix(".json")
    card = json.loads(card_path.read_text())
    for key, value in changes.items():
        if key in ("scikit-learn", "numpy"):
            card["versions"][key] = value
        else:
            card[key] = value
    card_path.write_text(json.dumps(card))


# --- save / load round trip --------------------------------------------------


def test_round_trip_predicts_the_same(shipped_dir, pipeline):
    path = shipped_dir / "tiny.joblib"
    save_model(pipeline, path, {"metrics": {"f1": 0.9}, "threshold": 0.4})

    loaded = load_model(path)

    np.testing.assert_array_equal(loaded.pipeline.predict_proba(X), pipeline.predict_proba(X))
    assert loaded.path == path
    assert loaded.card["metrics"] == {"f1": 0.9}
    assert loaded.card["threshold"] == 0.4


def test_save_writes_a_complete_card(tmp_path, pipeline):
    path = tmp_path / "tiny.joblib"
    card = save_model(pipeline, path, {"training_data": "toy", "licence": "CC0"})

    assert json.loads(path.with_suffix(".json").read_text()) == card
    assert card["name"] == "tiny"
    assert card["format_version"] == 1
    assert card["feature_version"] == FEATURE_VERSION
    assert card["size_bytes"] == path.stat().st_size
    assert len(card["sha256"]) == 64
    assert card["versions"]["scikit-learn"] == sklearn.__version__
    assert set(card["versions"]) == {"python", "scikit-learn", "numpy", "joblib", "filterkit"}
    assert card["licence"] == "CC0"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_save_keeps_a_feature_version_given_in_the_card(tmp_path, pipeline):
    card = save_model(pipeline, tmp_path / "m.joblib", {"feature_version": 3, "name": "other"})

    assert card["feature_version"] == 3
    assert card["name"] == "other"


def test_default_path_loads_the_shipped_default_model(shipped_dir, pipeline):
    save_model(pipeline, shipped_dir / f"{modelstore.DEFAULT_MODEL}.joblib", {})

    loaded = load_model()

    assert loaded.path == shipped_dir / "filterkit-text.joblib"


# --- refusals ----------------------------------------------------------------


def test_missing_user_model_says_how_to_train(tmp_path):
    with pytest.raises(ModelNotFoundError, match="filterkit train") as info:
        load_model(tmp_path / "nope.joblib", trusted=True)
    assert str(tmp_path / "nope.joblib") in str(info.value)


def test_missing_shipped_model_says_reinstall(shipped_dir):
    with pytest.raises(ModelNotFoundError, match="(?i)reinstall") as info:
        load_model()
    assert "incomplete" in str(info.value)


def test_missing_card_is_refused(tmp_path, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})
    path.with_suffix(".json").unlink()

    with pytest.raises(ModelError, match="card"):
        load_model(path, trusted=True)


def test_invalid_card_is_refused(tmp_path, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})
    path.with_suffix(".json").write_text("{not json")

    with pytest.raises(ModelError, match="card"):
        load_model(path, trusted=True)


def test_changed_byte_is_refused_without_unpickling(tmp_path, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    with pytest.raises(ModelIntegrityError, match="SHA-256") as info:
        load_model(path, trusted=True)
    assert "corrupted" in str(info.value)


def test_hash_mismatch_never_runs_the_pickle(tmp_path):
    marker = tmp_path / "was-unpickled"
    path = tmp_path / "evil.joblib"
    save_model(_WritesMarkerWhenUnpickled(marker), path, {})
    _rewrite_card(path, sha256="0" * 64)

    with pytest.raises(ModelIntegrityError):
        load_model(path, trusted=True)
    assert not marker.exists()


def test_untrusted_path_is_refused_before_unpickling(tmp_path, shipped_dir):
    marker = tmp_path / "was-unpickled"
    path = tmp_path / "elsewhere" / "evil.joblib"
    save_model(_WritesMarkerWhenUnpickled(marker), path, {})

    with pytest.raises(UntrustedModelError, match="trusted=True") as info:
        load_model(path)
    assert "--trust-model" in str(info.value)
    assert "run arbitrary code" in str(info.value)
    assert not marker.exists()

    with pytest.raises(ModelError, match="not a filterkit model: it holds a NoneType"):
        load_model(path, trusted=True)  # unpickled: os.mkdir returns None, no pipeline
    assert marker.exists()  # the marker does detect unpickling


def test_untrusted_check_sees_through_dot_dot(tmp_path, shipped_dir, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})

    with pytest.raises(UntrustedModelError):
        load_model(shipped_dir / ".." / "m.joblib")


def test_other_scikit_learn_minor_is_refused(tmp_path, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})
    _rewrite_card(path, **{"scikit-learn": "1.2.2"})

    with pytest.raises(ModelVersionError) as info:
        load_model(path, trusted=True)
    message = str(info.value)
    assert "1.2.2" in message and sklearn.__version__ in message
    assert 'pip install "scikit-learn==1.2.*"' in message
    assert "filterkit train" in message


def test_other_scikit_learn_patch_is_accepted(tmp_path, pipeline):
    major, minor = sklearn.__version__.split(".")[:2]
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})
    _rewrite_card(path, **{"scikit-learn": f"{major}.{minor}.999"})

    assert load_model(path, trusted=True).pipeline is not None


def test_other_numpy_major_is_refused(tmp_path, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})
    _rewrite_card(path, numpy="1.26.4")

    with pytest.raises(ModelVersionError, match="numpy 1.26.4"):
        load_model(path, trusted=True)


def test_other_feature_version_is_refused(tmp_path, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {"feature_version": FEATURE_VERSION - 1})

    with pytest.raises(ModelVersionError, match="feature_version") as info:
        load_model(path, trusted=True)
    assert "filterkit train" in str(info.value)


def test_other_format_version_is_refused(tmp_path, pipeline, forbid_unpickling):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})
    _rewrite_card(path, format_version=2)

    with pytest.raises(ModelVersionError, match="format_version"):
        load_model(path, trusted=True)


def test_unloadable_pickle_becomes_model_error(tmp_path, pipeline, monkeypatch):
    path = tmp_path / "m.joblib"
    save_model(pipeline, path, {})

    def broken_load(*args, **kwargs):
        raise AttributeError("Can't get attribute 'Gone' on <module 'filterkit.features'>")

    monkeypatch.setattr(joblib, "load", broken_load)
    with pytest.raises(ModelError, match="unpickled"):
        load_model(path, trusted=True)


# --- shipped model directory -------------------------------------------------


def test_shipped_model_dir_falls_back_to_source_checkout(tmp_path):
    # A fake checkout where filterkit.models does not exist, imported in a fresh
    # interpreter, so this holds whether the filterkit under test is installed or not.
    checkout = tmp_path / "checkout"
    package = checkout / "filterkit"
    (package / "model").mkdir(parents=True)
    (checkout / "models").mkdir()
    (package / "__init__.py").write_text("")
    (package / "model" / "__init__.py").write_text("")
    source = Path(modelstore.__file__).parents[1]
    for module in ("model/store.py", "errors.py"):
        shutil.copy(source / module, package / module)
    code = "from filterkit.model.store import shipped_model_path; print(shipped_model_path())"

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        capture_output=True,
        text=True,
        check=True,
    )

    assert Path(result.stdout.strip()) == checkout.resolve() / "models" / "filterkit-text.joblib"


def test_shipped_model_dir_uses_installed_package(monkeypatch, tmp_path):
    monkeypatch.setattr(modelstore.importlib.resources, "files", lambda package: tmp_path)

    assert modelstore.shipped_model_dir() == tmp_path


def test_shipped_model_dir_accepts_namespace_package(monkeypatch, tmp_path):
    # models/ has no __init__.py, so the installed filterkit.models is a namespace package.
    monkeypatch.setattr(
        modelstore.importlib.resources, "files", lambda package: MultiplexedPath(tmp_path)
    )

    assert modelstore.shipped_model_dir() == tmp_path


# --- a path that changes while it is loaded ----------------------------------


@pytest.fixture
def shipped_and_pickle(tmp_path, shipped_dir, pipeline):
    """The shipped model; elsewhere, under the same name, a pickle that makes `marker` when
    it runs, with a card that holds its SHA-256."""
    save_model(pipeline, shipped_dir / "filterkit-text.joblib", {})
    marker = tmp_path / "was-unpickled"
    pickle = tmp_path / "elsewhere" / "filterkit-text.joblib"
    save_model(_WritesMarkerWhenUnpickled(marker), pickle, {})
    return shipped_dir / "filterkit-text.joblib", pickle, marker


def test_a_link_to_the_shipped_model_is_checked_against_the_shipped_card(tmp_path, shipped_and_pickle):
    shipped, pickle, _ = shipped_and_pickle
    link = tmp_path / "link.joblib"
    link.symlink_to(shipped)
    shutil.copy(pickle.with_suffix(".json"), link.with_suffix(".json"))  # vouches for the pickle

    loaded = load_model(link)

    assert loaded.card == json.loads(shipped.with_suffix(".json").read_text())
    assert loaded.path == link


@pytest.mark.parametrize("link_to", ["file", "directory"])
def test_a_link_to_a_pickle_is_refused_whatever_card_is_beside_it(tmp_path, shipped_and_pickle, link_to):
    _, pickle, marker = shipped_and_pickle
    if link_to == "file":
        path = tmp_path / "link.joblib"
        path.symlink_to(pickle)
        shutil.copy(pickle.with_suffix(".json"), path.with_suffix(".json"))
    else:
        (tmp_path / "models").symlink_to(pickle.parent)
        path = tmp_path / "models" / "filterkit-text.joblib"

    with pytest.raises(UntrustedModelError):
        load_model(path)
    assert not marker.exists()


@pytest.mark.slow
@pytest.mark.parametrize("link_to", ["file", "directory"])
def test_a_link_switched_between_the_shipped_model_and_a_pickle_never_runs_the_pickle(
        tmp_path, shipped_and_pickle, link_to):
    # The path is read while a thread keeps switching a link between the shipped model and
    # a pickle whose card holds its SHA-256: checked by one file, loaded from the other,
    # the pickle would run untrusted.
    shipped, pickle, marker = shipped_and_pickle
    if link_to == "file":
        link, targets = tmp_path / "link.joblib", (shipped, pickle)
        shutil.copy(pickle.with_suffix(".json"), link.with_suffix(".json"))
        path = link
    else:
        link, targets = tmp_path / "models", (shipped.parent, pickle.parent)
        path = link / "filterkit-text.joblib"
    link.symlink_to(targets[0])
    stop = threading.Event()

    def switch():
        flipped = tmp_path / "flipped"
        for count in itertools.count(1):
            if stop.is_set():
                return
            flipped.symlink_to(targets[count % 2])
            os.replace(flipped, link)  # at once: the link always exists

    switcher = threading.Thread(target=switch)
    switcher.start()
    outcomes = collections.Counter()
    try:
        until = time.monotonic() + 4
        while time.monotonic() < until and not marker.exists():
            try:
                load_model(path)
                outcomes["loaded"] += 1
            except ModelError as exc:
                outcomes[type(exc).__name__] += 1
    finally:
        stop.set()
        switcher.join()
    assert not marker.exists(), outcomes
    assert outcomes["loaded"] and outcomes["UntrustedModelError"], outcomes  # both were read


def test_a_fifo_in_the_models_place_is_no_model_and_does_not_hang(tmp_path):
    path = tmp_path / "m.joblib"
    os.mkfifo(path)
    with pytest.raises(ModelNotFoundError):
        load_model(path, trusted=True)


def test_a_trusted_file_that_is_not_a_fitted_pipeline_is_refused(tmp_path):
    path = tmp_path / "m.joblib"
    save_model({"not": "a pipeline"}, path, {})
    with pytest.raises(ModelError, match="m.joblib is not a filterkit model: it holds a dict, not a fitted"):
        load_model(path, trusted=True)
    save_model(make_pipeline(StandardScaler(), LogisticRegression()), path, {})  # not fitted
    with pytest.raises(ModelError, match="it holds a Pipeline, not a fitted"):
        load_model(path, trusted=True)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file can be created")
def test_a_model_that_cannot_be_saved_is_named_not_its_temporary_file(pipeline):
    with pytest.raises(OSError, match="cannot be written: No such file or directory") as caught:
        save_model(pipeline, "/proc/m.joblib", {})
    assert caught.value.filename == "/proc/m.joblib"
