"""Save and load models: a ``NAME.joblib`` pipeline beside its ``NAME.json`` model card.

Loading checks the card before anything is unpickled: where the file comes from,
its SHA-256, and the format, feature and library versions it was trained with.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import io
import json
import os
import platform
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import joblib
import numpy
import sklearn

from ..errors import (
    ModelError,
    ModelIntegrityError,
    ModelNotFoundError,
    ModelVersionError,
    UntrustedModelError,
)

DEFAULT_MODEL = "filterkit-text"
HTML_MODEL = "filterkit-html"
SHIPPED_MODELS = {"text": DEFAULT_MODEL, "html": HTML_MODEL}  # by the input a model reads
FORMAT_VERSION = 1
MODEL_SUFFIX = ".joblib"
CARD_SUFFIX = ".json"

_REQUIRED_CARD_KEYS = ("format_version", "feature_version", "sha256", "versions")
_REQUIRED_VERSION_KEYS = ("scikit-learn", "numpy")


@dataclass(frozen=True)
class LoadedModel:
    """A fitted pipeline together with the model card it was checked against."""

    pipeline: Any
    card: dict[str, Any]
    path: Path


# --- where models live -------------------------------------------------------


def shipped_model_dir() -> Path:
    """The directory holding the models shipped with filterkit."""
    try:
        resource = importlib.resources.files("filterkit.models")
    except ModuleNotFoundError:
        # Source checkout: the repo's top-level models/ is only mapped to
        # filterkit.models when the package is installed.
        return Path(__file__).resolve().parents[2] / "models"
    return _as_filesystem_dir(resource)


def _as_filesystem_dir(resource: Any) -> Path:
    if isinstance(resource, Path):
        return resource
    # A namespace package (models/ without __init__.py) gives a MultiplexedPath,
    # whose joinpath returns a real Path in its first directory.
    joined = resource.joinpath(DEFAULT_MODEL + MODEL_SUFFIX)
    if isinstance(joined, Path):
        return joined.parent
    raise ModelError(
        f"Shipped models are not plain files on disk ({resource!r}); "
        "reinstall filterkit with pip so that its models are unpacked."
    )


def shipped_model_path(name: str = DEFAULT_MODEL) -> Path:
    """The ``.joblib`` file of the shipped model called *name*."""
    return shipped_model_dir() / (name + MODEL_SUFFIX)


def card_path_for(model_path: Path) -> Path:
    """The model card that belongs beside *model_path*."""
    return model_path.with_name(model_path.stem + CARD_SUFFIX)


# --- saving ------------------------------------------------------------------


def save_model(pipeline: Any, path: str | os.PathLike[str], card: dict[str, Any]) -> dict[str, Any]:
    """Write *pipeline* to *path* (``.joblib``) and its completed card beside it; return the card."""
    model_path = Path(path)
    if model_path.suffix != MODEL_SUFFIX:
        raise ValueError(f"A model path must end in {MODEL_SUFFIX}: {model_path}")
    json.dumps(card)  # fail on an unserialisable card before writing anything

    _atomic_write(model_path, lambda f: joblib.dump(pipeline, f, compress=3))
    data = model_path.read_bytes()
    full_card = {
        **card,
        "name": card.get("name", model_path.stem),
        "format_version": FORMAT_VERSION,
        "feature_version": card.get("feature_version", _current_feature_version(card)),
        "sha256": hashlib.sha256(data).hexdigest(),
        "size_bytes": len(data),
        "versions": _installed_versions(),
    }
    card_text = json.dumps(full_card, indent=2) + "\n"
    _atomic_write(card_path_for(model_path), lambda f: f.write(card_text.encode("utf-8")))
    return full_card


def _atomic_write(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(binary_file)`` on a temp file beside *target*, then rename it over *target*.
    An OSError names *target*, not the temp file."""
    tmp_name = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, target)
    except BaseException as exc:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, f"cannot be written: {exc.strerror}", str(target)) from None
        raise


def _installed_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "joblib": joblib.__version__,
        "filterkit": _filterkit_version(),
    }


def _filterkit_version() -> str:
    try:
        return importlib.metadata.version("filterkit")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def model_input(card: dict[str, Any]) -> str:
    """What a model reads: "text" (paragraphs) or "html" (DOM blocks); cards before the
    HTML model say nothing, and were text models."""
    return card.get("input", "text")


def _current_feature_version(card: dict[str, Any]) -> str:
    from ..features.cues import CUE_FEATURE_VERSION
    from ..features.text import FEATURE_VERSION

    if model_input(card) == "html":
        from ..features.dom import DOM_FEATURE_VERSION

        return f"{FEATURE_VERSION}+dom{DOM_FEATURE_VERSION}+cues{CUE_FEATURE_VERSION}"
    return f"{FEATURE_VERSION}+cues{CUE_FEATURE_VERSION}"


# --- loading -----------------------------------------------------------------


def load_model(path: str | os.PathLike[str] | None = None, *, trusted: bool = False,
               name: str = DEFAULT_MODEL) -> LoadedModel:
    """Load a model after checking its card; ``path=None`` loads the shipped model `name`
    (the text model by default; `HTML_MODEL` for HTML pages).

    Files outside the shipped model directory are refused unless ``trusted=True``,
    because unpickling a file can run arbitrary code. The file is opened once: what is
    checked (which file it is, its SHA-256) and what is unpickled are the same bytes,
    whatever happens to the path meanwhile (a link switched to another file). Untrusted,
    it must be one of the shipped files itself, and is checked against that file's card.
    """
    shipped = path is None
    model_path = shipped_model_path(name) if shipped else Path(path)

    with _open_model_file(model_path, shipped=shipped) as file:
        card = _read_card(model_path if trusted else _shipped_file(os.fstat(file.fileno()), model_path))
        data = file.read()
    _check_integrity(data, card, model_path)
    _check_versions(card, model_path)
    pipeline = _unpickle(data, model_path)
    _require_pipeline(pipeline, model_path)
    return LoadedModel(pipeline=pipeline, card=card, path=model_path)


def _open_model_file(model_path: Path, *, shipped: bool) -> BinaryIO:
    """The file at `model_path`, opened: a regular file (`ModelNotFoundError` else)."""
    try:
        # Not blocking: a FIFO put in the model's place must not hang the run.
        file = open(os.open(model_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
    except (FileNotFoundError, NotADirectoryError):
        file = None
    except OSError as exc:
        raise ModelError(f"{model_path} cannot be read: {exc.strerror or exc}") from exc
    if file is not None:
        if stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return file
        file.close()
    if shipped:
        advice = (
            "The filterkit installation is incomplete: the shipped model is missing. "
            "Reinstall filterkit (pip install --force-reinstall filterkit)."
        )
    else:
        advice = "Check the path, or train a model with `filterkit train`."
    raise ModelNotFoundError(f"No model file at {model_path}. {advice}")


def _shipped_file(opened: os.stat_result, model_path: Path) -> Path:
    """The shipped model file that is the file opened (the same device and inode)."""
    for shipped in sorted(shipped_model_dir().glob("*" + MODEL_SUFFIX)):
        try:
            status = shipped.stat()
        except OSError:
            continue
        if (status.st_dev, status.st_ino) == (opened.st_dev, opened.st_ino):
            return shipped
    raise UntrustedModelError(
        f"Refusing to load {model_path}: it is not one of filterkit's shipped models, and "
        "joblib/pickle files can run arbitrary code when loaded. Pass trusted=True "
        "(CLI: --trust-model) only for model files you made yourself or trust."
    )


def _read_card(model_path: Path) -> dict[str, Any]:
    card_path = card_path_for(model_path)
    need_card = f"A model needs its model card {card_path.name} beside it"
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{need_card}; none found at {card_path}.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{need_card}; {card_path} cannot be read as JSON: {exc}") from exc
    problem = _card_problem(card)
    if problem:
        raise ModelError(f"{need_card}; {card_path} is not a valid model card: {problem}.")
    return card


def _card_problem(card: Any) -> str | None:
    if not isinstance(card, dict):
        return "it is not a JSON object"
    missing = [key for key in _REQUIRED_CARD_KEYS if key not in card]
    if missing:
        return f"missing {', '.join(missing)}"
    if not isinstance(card["versions"], dict):
        return '"versions" is not an object'
    missing = [key for key in _REQUIRED_VERSION_KEYS if key not in card["versions"]]
    if missing:
        return f"versions lacks {', '.join(missing)}"
    return None


def _check_integrity(data: bytes, card: dict[str, Any], model_path: Path) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual == str(card["sha256"]).lower():
        return
    raise ModelIntegrityError(
        f"{model_path} does not match the SHA-256 in its model card "
        f"(card {card['sha256']}, file {actual}): the file was changed or corrupted after "
        "the card was written. Re-download or reinstall it, or retrain with `filterkit train`."
    )


def _check_versions(card: dict[str, Any], model_path: Path) -> None:
    if card["format_version"] != FORMAT_VERSION:
        raise ModelVersionError(
            f"{model_path} has model card format_version {card['format_version']!r}; this "
            f"filterkit reads format_version {FORMAT_VERSION}. Upgrade filterkit or retrain "
            "with `filterkit train`."
        )
    current_features = _current_feature_version(card)
    if card["feature_version"] != current_features:
        raise ModelVersionError(
            f"{model_path} was trained on feature_version {card['feature_version']!r}; this "
            f"filterkit computes feature_version {current_features}. Retrain with "
            "`filterkit train`, or install the filterkit version that made the model."
        )
    _check_library_version(card, "scikit-learn", sklearn.__version__, parts=2, model_path=model_path)
    _check_library_version(card, "numpy", numpy.__version__, parts=1, model_path=model_path)


def _check_library_version(
    card: dict[str, Any], library: str, installed: str, *, parts: int, model_path: Path
) -> None:
    """Compare the leading *parts* numbers of a version: pickles break across these."""
    trained = str(card["versions"][library])
    wanted = _version_prefix(trained, parts)
    if wanted is not None and wanted == _version_prefix(installed, parts):
        return
    pin = ".".join(wanted) + ".*" if wanted else trained
    raise ModelVersionError(
        f"{model_path} was saved with {library} {trained} but {library} {installed} is "
        f"installed; pickled models only load under the same {library} "
        f"{'major.minor' if parts == 2 else 'major'} version. "
        f'Run pip install "{library}=={pin}", or retrain with `filterkit train`.'
    )


def _version_prefix(version: str, parts: int) -> tuple[str, ...] | None:
    match = re.match(r"\d+(?:\.\d+)*", version)
    if match is None:
        return None
    numbers = tuple(str(int(n)) for n in match.group().split("."))
    return numbers[:parts] if len(numbers) >= parts else None


def _unpickle(data: bytes, model_path: Path) -> Any:
    # Load the very bytes that were hashed, so the file cannot change in between.
    try:
        return joblib.load(io.BytesIO(data))
    except Exception as exc:
        raise ModelError(
            f"{model_path} passed its card checks but could not be unpickled ({exc!r}). "
            "Retrain with `filterkit train` or reinstall filterkit."
        ) from exc


def _require_pipeline(pipeline: Any, model_path: Path) -> None:
    """Refuse what is not a fitted classifier of body (1) and junk (0), such as
    `filterkit.model.pipeline.make_pipeline` makes."""
    try:
        fitted = callable(pipeline.predict_proba) and 1 in list(pipeline.classes_)
    except Exception:  # not fitted, not a classifier, or nothing like one
        fitted = False
    if not fitted:
        raise ModelError(
            f"{model_path} is not a filterkit model: it holds a {type(pipeline).__name__}, not a "
            "fitted scikit-learn pipeline that scores paragraphs as body (1) or junk (0). Train "
            "one with `filterkit train`."
        )
