"""datatrove: filterkit as a pipeline step, under the Local, Slurm or Ray executor.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from .datatrove import FilterkitCleaner

    LocalPipelineExecutor(pipeline=[JsonlReader("shards/"), FilterkitCleaner(),
                                    JsonlWriter("clean/")], tasks=100, workers=8).run()

`FilterkitCleaner` rewrites `doc.text` to the article body and records in `doc.metadata`
what was decided: `filterkit_title`, `filterkit_junk_ratio`, and one entry per paragraph
of the original text in `filterkit_labels` ("content" or a junk type), `filterkit_scores`
and `filterkit_reasons` (why each paragraph was kept or dropped). A document with no
body left is dropped (datatrove's drop reason `filterkit_no_body`; kept with empty text
when `keep_empty=True`), and one that cannot be read is dropped as `filterkit_error`
with the message in `filterkit_error`; pass an `exclusion_writer` to keep the dropped.
Each task builds one `Filter`, loading the model once, and classifies `batch_size`
documents per call to the model.
"""
from __future__ import annotations

from ...filter import DEFAULT_BATCH_SIZE, Filter
from ...limits import Limits
from ..records import SCORE_DIGITS, Item, classified, rounded_score, text_item
from . import require

_base_filter = require("datatrove.pipeline.filters.base_filter", "datatrove")

NO_BODY = "filterkit_no_body"
ERROR = "filterkit_error"


class FilterkitCleaner(_base_filter.BaseFilter):
    """Cleans each document's text to its article body; see the module's docstring.

    The options are `Filter`'s (model, threshold, trusted, limits) and the input format
    ("auto": HTML is detected). A document over one of the limits (its time
    `max_seconds` included) is dropped as `filterkit_error`."""

    name = "filterkit"

    def __init__(self, *, model=None, threshold: float | None = None, trusted: bool = False,
                 limits: Limits | None = None, format: str = "auto", keep_empty: bool = False,
                 exclusion_writer=None, batch_size: int = DEFAULT_BATCH_SIZE):
        super().__init__(exclusion_writer, batch_size)
        self.format = format
        self.keep_empty = keep_empty
        self._options = {"model": model, "threshold": threshold, "trusted": trusted, "limits": limits}
        self._classifier: Filter | None = None

    @property
    def classifier(self) -> Filter:
        """This task's Filter, its model loaded on first use."""
        if self._classifier is None:
            self._classifier = Filter(**self._options)
        return self._classifier

    def filter(self, doc) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list) -> list[bool | tuple[bool, str]]:
        limits = self.classifier.limits
        items = [text_item(Item(str(doc.id)), doc.text, self.format, limits, doc.metadata.get("title"))
                 for doc in batch]
        done = classified(self.classifier, items, batch_size=len(items))
        return [self._decide(doc, item, document) for doc, (item, document) in zip(batch, done)]

    def _decide(self, doc, item: Item, document) -> bool | tuple[bool, str]:
        if document is None:
            doc.metadata[ERROR] = item.error
            return False, ERROR
        doc.metadata.update({
            "filterkit_title": document.title,
            "filterkit_junk_ratio": round(document.junk_ratio, SCORE_DIGITS),
            "filterkit_labels": [d.label for d in document.decisions],
            "filterkit_scores": [rounded_score(d) for d in document.decisions],
            "filterkit_reasons": [d.reason for d in document.decisions],
        })
        body = document.body
        if not body and not self.keep_empty:
            return False, NO_BODY  # the text is left as it was, for an exclusion_writer
        doc.text = body
        return True

    def __getstate__(self) -> dict:
        """Pickled without the loaded model: each task loads its own."""
        return {**self.__dict__, "_classifier": None}
