"""Ray Data: clean a column of text or HTML over a Ray cluster.

    import ray
    from .ray import clean_dataset

    ds = ray.data.read_json("s3://bucket/shards/")           # records with a "text" column
    clean_dataset(ds, column="text", concurrency=16).write_json("s3://bucket/clean/")

`clean_dataset` is `Dataset.map_batches` with `Cleaner`, a callable class: Ray runs it as
a pool of `concurrency` actors, each loading the model once, and hands each a batch of
rows. Every row keeps its columns and gains what `filterkit clean --jsonl` adds to a
record: `body`, `title`, `junk_ratio`, `empty`, plus `error` (null, or why the row could
not be read: its column is not a string, say; the other new columns are then null) and,
with `paragraphs=True`, `paragraphs` as a JSON string ([{index, label, score, text}]).
A `title` column, when there is one, is the document's known title, as in JSONL records.
filterkit must be installed where the actors run (on every node, or through a runtime_env).
"""
from __future__ import annotations

from . import ColumnCleaner, require


class Cleaner(ColumnCleaner):
    """For `Dataset.map_batches` (batch_format="numpy"): cleans the `column` of each batch.

    The options are `Filter`'s (model, threshold, trusted, limits) and the input format;
    the model is loaded when the actor starts, once. A row over one of the limits (its
    time `max_seconds` included) gets an `error`, as in JSONL records."""

    def __init__(self, column: str = "text", **options):
        super().__init__(column, **options)
        self.classifier.model

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        added = self.added_columns(batch)
        return {**batch, **{name: np.array(column, dtype=object) for name, column in added.items()}}


def clean_dataset(dataset, column: str = "text", *, concurrency: int = 2, batch_size: int = 256,
                  num_cpus: float = 1, **options):
    """`dataset` with every row cleaned by a pool of `concurrency` `Cleaner` actors, each
    reserving `num_cpus`: leave CPUs free for the dataset's read and write tasks.

    options: `Cleaner`'s keyword arguments (model, threshold, trusted, limits, format, paragraphs)."""
    require("ray.data", "ray")
    return dataset.map_batches(Cleaner, fn_constructor_args=(column,), fn_constructor_kwargs=options,
                               batch_size=batch_size, batch_format="numpy", concurrency=concurrency,
                               num_cpus=num_cpus)
