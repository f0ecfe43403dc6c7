"""Hugging Face `datasets`: clean a column of text or HTML with `Dataset.map`.

    from datasets import load_dataset
    from .hf import clean_dataset

    ds = load_dataset("json", data_files="shards/*.jsonl.gz", split="train")
    ds = clean_dataset(ds, "text", num_proc=4)

`clean_dataset` is `Dataset.map(Cleaner(...), batched=True, features=cleaned_features(...))`:
the added columns are typed up front, since `datasets` takes a column's type from its
first batch, where `error` is usually null throughout.

Each row keeps its columns and gains what `filterkit clean --jsonl` adds to a record:
`body`, `title`, `junk_ratio`, `empty`, plus `error` (null, or why the row could not be
read; the other new columns are then null) and, with `paragraphs=True`, `paragraphs` as
a JSON string ([{index, label, score, reason, text}]), as `filterkit.scale.integrations.ray`
does. A `title` column, when there is one, is the document's known title. `Cleaner` loads
its model on first use, in each `num_proc` process, and is pickled without it, so that
`datasets` can hash it for its cache and send it to its processes.
"""
from __future__ import annotations

from . import ColumnCleaner, require


class Cleaner(ColumnCleaner):
    """For `Dataset.map(..., batched=True)`: the columns cleaning adds to a batch of rows.

    The options are `Filter`'s (model, threshold, trusted, limits) and the input format.
    A row over one of the limits (its time `max_seconds` included) gets an `error`."""

    def __call__(self, batch: dict) -> dict:
        return self.added_columns(batch)


def cleaned_features(features, paragraphs: bool = False):
    """`features` (a dataset's) with the columns `Cleaner` adds, typed."""
    datasets = require("datasets", "hf")
    string = datasets.Value("string")
    added = {"body": string, "title": string, "junk_ratio": datasets.Value("float64"),
             "empty": datasets.Value("bool"), "error": string}
    if paragraphs:
        added["paragraphs"] = string
    return datasets.Features({**features, **added})


def clean_dataset(dataset, column: str = "text", *, batch_size: int = 64, num_proc: int | None = None,
                  **options):
    """`dataset` with every row cleaned, in `num_proc` processes (None: this one), each
    loading the model once.

    options: `Cleaner`'s keyword arguments (model, threshold, trusted, limits, format, paragraphs)."""
    features = cleaned_features(dataset.features, options.get("paragraphs", False))
    return dataset.map(Cleaner(column, **options), batched=True, batch_size=batch_size, num_proc=num_proc,
                       features=features)
