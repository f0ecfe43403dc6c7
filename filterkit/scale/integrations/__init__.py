"""filterkit beyond one machine: thin adapters over the same library calls.

- `filterkit.integrations.ray`: Ray Data (`pip install "filterkit[ray]"`), a callable
  class for `Dataset.map_batches` whose actors load the model once each.
- `filterkit.integrations.datatrove`: a datatrove pipeline step (`pip install
  "filterkit[datatrove]"`) for its Local, Slurm and Ray executors.

Neither framework is imported by filterkit itself; each adapter imports its own when
it is used and says how to install it when it is missing.
"""
from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, extra: str) -> ModuleType:
    """Import `module`, or fail with the install command for filterkit's `extra`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"filterkit.integrations.{extra} needs {module.split('.')[0]}, which is not installed: "
            f'pip install "filterkit[{extra}]"') from exc
