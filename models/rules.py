"""The category rules read as a multi-label sentence classifier: the baseline the learned model must beat.

`pipelines.extract.practices.categorize` picks one category for a named practice and never abstains (no keyword →
public_service). A sentence can do several things or none, so here every category whose keywords occur in the
sentence is a label, and a sentence with no keyword gets none. The keywords are the rules' own
(`CATEGORY_KEYWORDS`), counted by the same `keyword_hits` that `categorize` uses, so the weak labels and the
baseline score are the rules, not a re-imagining of them.
"""

from __future__ import annotations

from pipelines.extract.practices import CATEGORIES, keyword_hits

NONE = "none"  # the reviewed label of a sentence that describes no practice category


def rule_labels(text: str) -> list[str]:
    """Every category with at least one keyword in the text, in CATEGORIES order; [] when none matches."""
    hits = keyword_hits(text)
    return [category for category in CATEGORIES if hits.get(category)]
