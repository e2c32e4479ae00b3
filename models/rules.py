"""The category rules read as a multi-label sentence classifier: the baseline the learned model must beat.

`pipelines.practices.categorize` picks one category for a named practice and never abstains (no keyword →
public_service). A sentence can do several things or none, so here every category whose keywords occur in the
sentence is a label, and a sentence with no keyword gets none. The keywords are the rules' own
(`CATEGORY_KEYWORDS`), matched longest first without overlaps exactly as `categorize` matches them, so the
weak labels and the baseline score are the rules, not a re-imagining of them.
"""

from __future__ import annotations

from pipelines.practices import CATEGORIES, CATEGORY_KEYWORDS

NONE = "none"  # the reviewed label of a sentence that describes no practice category

_KEYWORDS_LONGEST_FIRST = sorted(
    ((k.lower(), cat) for cat, keys in CATEGORY_KEYWORDS.items() for k in keys), key=lambda kc: -len(kc[0])
)


def keyword_hits(text: str) -> dict[str, int]:
    """Keyword counts per category, longest keyword first and without overlaps (大数据 is not also 数据)."""
    hits = dict.fromkeys(CATEGORY_KEYWORDS, 0)
    text = text.lower()
    for keyword, category in _KEYWORDS_LONGEST_FIRST:
        count = text.count(keyword)
        if count:
            hits[category] += count
            text = text.replace(keyword, "\0")
    return hits


def rule_labels(text: str) -> list[str]:
    """Every category with at least one keyword in the text, in CATEGORIES order; [] when none matches."""
    hits = keyword_hits(text)
    return [category for category in CATEGORIES if hits.get(category)]
