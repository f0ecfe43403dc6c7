"""filterkit: turn scraped web articles into their clean article body.

    import filterkit
    body = filterkit.clean(text_or_html)        # the article body as text
    doc = filterkit.classify(text_or_html)      # every paragraph with label, score, reason
    doc = filterkit.classify(text_or_html, explain=True)  # reasons name the features behind them
    f = filterkit.Filter(threshold=0.4)         # reusable: model loaded once, batch methods

Nothing is loaded at import time: the classifier's modules (scikit-learn with them) on
first use of `Filter`, `classify` or `clean`, the shipped model when it first scores. The
package's folders are its stages: `read` → `features` → `model` → `decide`, then `filter`;
built on them, `scale` (corpus scale), `report`, `training` and `cli`.
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
from .limits import DEFAULT_LIMITS, Limits

__version__ = "0.1.0"
_FROM_FILTER = ("Filter", "classify", "clean")


def __getattr__(name: str):
    if name in _FROM_FILTER:
        from . import filter

        return getattr(filter, name)
    raise AttributeError(f"module 'filterkit' has no attribute {name!r}")

__all__ = [
    "CONTENT", "JUNK_TYPES", "LABELS", "Decision", "Document", "Paragraph", "Filter",
    "classify", "clean", "Limits", "DEFAULT_LIMITS", "FilterkitError", "InputError",
    "InputTooLargeError", "ModelError", "ModelIntegrityError",
    "ModelNotFoundError", "ModelVersionError", "UntrustedModelError", "__version__",
]
