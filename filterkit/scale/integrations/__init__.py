"""filterkit beyond one machine: thin adapters over the same library calls.

- `filterkit.integrations.ray`: Ray Data (`pip install "filterkit[ray]"`), a callable
  class for `Dataset.map_batches` whose actors load the model once each.
- `filterkit.integrations.datatrove`: datatrove pipeline steps (`pip install
  "filterkit[datatrove]"`) for its Local, Slurm and Ray executors: a text filter, and an
  HTML extractor for where its `Trafilatura` step goes.
- `filterkit.integrations.hf`: Hugging Face datasets (`pip install "filterkit[hf]"`), a
  callable class for `Dataset.map(batched=True)`.

No framework is imported by filterkit itself; each adapter imports its own when
it is used and says how to install it when it is missing.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from ...filter import Filter
from ...limits import Limits
from ..records import cleaned_columns


def require(module: str, extra: str) -> ModuleType:
    """Import `module`, or fail with the install command for filterkit's `extra`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"filterkit.integrations.{extra} needs {module.split('.')[0]}, which is not installed: "
            f'pip install "filterkit[{extra}]"') from exc


class FilterOnFirstUse:
    """For a step pickled to the processes that run it: `classifier`, the `Filter` of the
    options `_options` holds, made on first use in each process (loading its model once),
    and pickling without it."""

    _options: dict
    _classifier: Filter | None = None

    @property
    def classifier(self) -> Filter:
        """This process's Filter, its model loaded on first use."""
        if self._classifier is None:
            self._classifier = Filter(**self._options)
        return self._classifier

    def __getstate__(self) -> dict:
        """Pickled without the loaded model: each process loads its own."""
        return {**self.__dict__, "_classifier": None}


class ColumnCleaner(FilterOnFirstUse):
    """Cleans the `column` of a batch of rows (a dict of columns): what the Ray and Hugging
    Face cleaners share. The options are `Filter`'s (model, threshold, trusted, limits) and
    the input format; `paragraphs`: add the per-paragraph labels as a JSON string."""

    def __init__(self, column: str = "text", *, model=None, threshold: float | None = None,
                 trusted: bool = False, format: str = "auto", paragraphs: bool = False,
                 limits: Limits | None = None):
        self.column = column
        self.format = format
        self.paragraphs = paragraphs
        self._options = {"model": model, "threshold": threshold, "trusted": trusted, "limits": limits}

    def added_columns(self, batch: dict) -> dict[str, list]:
        """The columns cleaning adds to `batch` (`filterkit.scale.records.cleaned_columns`);
        a `title` column holds the rows' known titles."""
        values = batch[self.column]
        titles = batch.get("title", [None] * len(values))
        return cleaned_columns(self.classifier, values, titles, self.column, self.format, self.paragraphs)
