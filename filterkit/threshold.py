"""The cut: which body scores of one document are kept.

A fixed threshold empties a page when the model is unsure of all of it (a product page,
a short notice, a site it has never seen): an empty body is the worst answer a user can
get. A model card's `relative_threshold` lowers a document's threshold to that share of
its best score, so the paragraphs the model rates highest on the page are kept; a page
whose best paragraph scores under MIN_PAGE_THRESHOLD is still taken to have no body
(a page of menus and links only must come out empty).
"""
from __future__ import annotations

import numpy as np

# Not chosen by cross-validation: every WCXB page has a body, so keeping something always
# pays there. Half the usual threshold; on out-of-fold scores it cost 0.001 word F1.
MIN_PAGE_THRESHOLD = 0.15
RELATIVE_THRESHOLDS = (0.0, 0.3, 0.5, 0.7)  # 0: off; tried when a model is trained


def page_threshold(scores, threshold: float, relative: float = 0.0) -> float:
    """The threshold for one document with these (smoothed) scores."""
    if not relative or len(scores) == 0:
        return threshold
    return min(threshold, max(MIN_PAGE_THRESHOLD, relative * float(np.max(scores))))


def check_relative(relative: float) -> float:
    if not 0.0 <= relative < 1.0:
        raise ValueError(f"relative_threshold must lie in [0, 1), got {relative}")
    return relative
