"""filterkit: turn scraped web articles into their clean article body.

    import filterkit
    body = filterkit.clean(text_or_html)        # the article body as text
    doc = filterkit.classify(text_or_html)      # every paragraph with label, score, reason
    doc = filterkit.classify(text_or_html, explain=True)  # reasons name the features behind them
    f = filterkit.Filter(threshold=0.4)         # reusable: model loaded once, batch methods

Nothing is loaded at import time; the shipped model is read on first use. At corpus
scale: `filterkit.batch` (JSON Lines shards on worker processes) and
`filterkit.boilerplate` (text repeated across the pages of a site).
"""
from .document import CONTENT, JUNK_TYPES, LABELS, Decision, Document, Paragraph
from .errors import (
    FilterkitError,
    InputError,
    InputTooLargeError,
    ModelError,
    ModelIntegrityError,
    ModelNotFoundError,
    ModelVersionError,
    UntrustedModelError,
)
from .filter import Filter, classify, clean
from .limits import DEFAULT_LIMITS, Limits

__version__ = "0.1.0"

__all__ = [
    "CONTENT", "JUNK_TYPES", "LABELS", "Decision", "Document", "Paragraph", "Filter",
    "classify", "clean", "Limits", "DEFAULT_LIMITS", "FilterkitError", "InputError",
    "InputTooLargeError", "ModelError", "ModelIntegrityError",
    "ModelNotFoundError", "ModelVersionError", "UntrustedModelError", "__version__",
]
