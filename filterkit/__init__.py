"""filterkit: turn scraped web articles into their clean article body.

    import filterkit
    body = filterkit.clean(text_or_html)        # the article body as text
    doc = filterkit.classify(text_or_html)      # every paragraph with label, score, reason
    f = filterkit.Filter(threshold=0.4)         # reusable: model loaded once, batch methods

Nothing is loaded at import time; the shipped model is read on first use.
"""
from .document import CONTENT, JUNK_TYPES, LABELS, Decision, Document, Paragraph
from .errors import (
    FilterkitError, InputError, InputTooLargeError, ModelError, ModelIntegrityError,
    ModelNotFoundError, ModelVersionError, UntrustedModelError,
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
