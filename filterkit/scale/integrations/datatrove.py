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

`FilterkitExtractor` is an HTML extractor, a step for where datatrove's `Trafilatura` goes
(after a `WarcReader`): `doc.text`, the page, becomes its article body; `doc.metadata`
gains `title` (unless it has one), `filterkit_title`, `filterkit_author`, `filterkit_date`
(the page's own, beside the reader's crawl `date`) and `filterkit_junk_ratio`, and with
`paragraphs=True` the per-paragraph lists above. A page with no body, or that cannot be
read (over a limit, its time `max_seconds` included), is dropped, as datatrove's
extractors drop theirs (stats `filterkit_no_body`, `filterkit_error`).

    pipeline=[WarcReader("crawl/"), FilterkitExtractor(), JsonlWriter("clean/")]
"""
from __future__ import annotations

from ...filter import DEFAULT_BATCH_SIZE
from ...limits import DEFAULT_LIMITS, Limits
from ..records import SCORE_DIGITS, Item, classified, rounded_score, text_item
from . import FilterOnFirstUse, require

_base_filter = require("datatrove.pipeline.filters.base_filter", "datatrove")
_base_extractor = require("datatrove.pipeline.extractors.base", "datatrove")

NO_BODY = "filterkit_no_body"
ERROR = "filterkit_error"


class FilterkitCleaner(FilterOnFirstUse, _base_filter.BaseFilter):
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
        doc.metadata.update(_summary(document), **_paragraphs(document))
        body = document.body
        if not body and not self.keep_empty:
            return False, NO_BODY  # the text is left as it was, for an exclusion_writer
        doc.text = body
        return True



class FilterkitExtractor(FilterOnFirstUse, _base_extractor.BaseExtractor):
    """The article body of each page, in place of datatrove's `Trafilatura` step; see the
    module's docstring.

    The options are `Filter`'s (model, threshold, trusted, limits) and the input format
    ("auto": HTML is detected). Pages are classified `batch_size` at a time in the task's
    own process (no sandbox process per page): `limits.max_seconds` bounds each page."""

    name = "⛏ filterkit"

    def __init__(self, *, model=None, threshold: float | None = None, trusted: bool = False,
                 limits: Limits | None = None, format: str = "auto", paragraphs: bool = False,
                 batch_size: int = DEFAULT_BATCH_SIZE):
        super().__init__(timeout=(limits or DEFAULT_LIMITS).max_seconds)
        self.format = format
        self.paragraphs = paragraphs
        self.batch_size = batch_size
        self._options = {"model": model, "threshold": threshold, "trusted": trusted, "limits": limits}

    def extract(self, text: str) -> str:
        """The article body of one page."""
        return self.classifier.clean(text, format=self.format)

    def run(self, data, rank: int = 0, world_size: int = 1):
        from datatrove.utils.batching import batched
        from datatrove.utils.typeshelper import StatHints

        for batch in batched(data, self.batch_size):
            with self.track_time(unit="batch"):
                items = [text_item(Item(str(doc.id)), doc.text, self.format, self.classifier.limits)
                         for doc in batch]
                done = list(classified(self.classifier, items, batch_size=len(items)))
            for doc, (item, document) in zip(batch, done):
                self.stat_update(StatHints.total)
                if document is None:
                    doc.metadata[ERROR] = item.error
                    self.stat_update(ERROR)
                    continue
                doc.text = document.body
                if document.title:
                    doc.metadata.setdefault("title", document.title)
                doc.metadata.update(_summary(document), filterkit_author=document.author,
                                    filterkit_date=document.date,
                                    **(_paragraphs(document) if self.paragraphs else {}))
                if not doc.text:
                    self.stat_update(NO_BODY, StatHints.dropped)
                    continue
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc


def _summary(document) -> dict:
    return {"filterkit_title": document.title, "filterkit_junk_ratio": round(document.junk_ratio, SCORE_DIGITS)}


def _paragraphs(document) -> dict:
    """What was decided of each paragraph: its label, body score and reason."""
    return {"filterkit_labels": [d.label for d in document.decisions],
            "filterkit_scores": [rounded_score(d) for d in document.decisions],
            "filterkit_reasons": [d.reason for d in document.decisions]}
