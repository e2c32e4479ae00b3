"""Text features for Chinese practice descriptions: jieba words and character n-grams, both TF-IDF.

Words carry meaning (调解, 义警, 反诈) but jieba splits unseen names unpredictably (护边员, 随手拍); character
1–3-grams catch those parts anyway. Every text is converted to Simplified first (OpenCC, script detected as in
the pipeline), so a Traditional query or sentence lands on the same features as its Simplified twin.

The analyzers are module-level functions so the skops artifact can store them by name (see `artifacts.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import FunctionTransformer

from pipelines.extract.practices import CATEGORIES, keyword_hits
from pipelines.text.segment import tokenize
from pipelines.text.simplify import simplify

# Functions the artifact references by name; `artifacts.load_model` trusts exactly these.
TRUSTED_FUNCTIONS = ("models.features.word_tokens", "models.features.to_simplified", "models.features.rule_features")


def to_simplified(text: str) -> str:
    """Simplified Chinese for any script (the pipeline's own script detection and OpenCC configs)."""
    return _simplified(text)


@lru_cache(maxsize=8192)
def _simplified(text: str) -> str:
    # a plain function wraps the cache: skops stores `to_simplified` by name, not the cache object
    return simplify(text).simplified


def word_tokens(text: str) -> list[str]:
    """jieba accurate-mode words of the simplified text (domain dictionary loaded), numbers dropped."""
    known = _known_words.get(text)
    return list(known if known is not None else _words(text))


_known_words: dict[str, tuple[str, ...]] = {}


@contextmanager
def known_words(segmented: Mapping[str, Sequence[str]]) -> Iterator[None]:
    """While open, `word_tokens` takes the words the segment stage already found for these sentences.

    Labelling an article's practices re-segmented their sentences, a tenth of extraction's time. `segmented`
    maps a sentence to its accurate-mode tokens as the segment stage keeps them (`SentenceRecord.tokens`,
    punctuation dropped, numbers kept); a sentence that is not already Simplified is left to `word_tokens`.
    """
    added = {
        text: tuple(t for t in tokens if not t.isdigit())
        for text, tokens in segmented.items()
        if text not in _known_words and to_simplified(text) == text
    }
    _known_words.update(added)
    try:
        yield
    finally:
        for text in added:
            del _known_words[text]


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    # cross-validation vectorizes each sentence once per fold: tokenizing it once saves most of the time
    return tuple(t.text for t in tokenize(to_simplified(text)) if not t.text.isdigit())


def rule_features(texts: Iterable[str]) -> np.ndarray:
    """Per category, the rules' keyword evidence (0, 1/3, 2/3, 1 for 0, 1, 2, 3+ hits).

    The model learns how far to trust each category's keywords (巡 in 巡逻 is weak evidence for volunteer
    teams, 调解 strong) instead of having to rediscover them from a few hundred sentences.
    """
    rows = []
    for text in texts:
        hits = keyword_hits(to_simplified(text))
        rows.append([min(hits[c], 3) / 3 for c in CATEGORIES])
    return np.asarray(rows, dtype=float)


def make_text_features(min_df: int = 1) -> FeatureUnion:
    """jieba words beside character 1–3-grams, each TF-IDF with sublinear counts.

    `min_df=2` drops terms seen once: they cannot generalise in a classifier and are most of the vocabulary.
    """
    words = TfidfVectorizer(analyzer=word_tokens, sublinear_tf=True, min_df=min_df)
    chars = TfidfVectorizer(
        analyzer="char", preprocessor=to_simplified, ngram_range=(1, 3), sublinear_tf=True, min_df=min_df
    )
    return FeatureUnion([("words", words), ("chars", chars)])


def make_classifier_features() -> FeatureUnion:
    """The text features plus the rules' keyword evidence: what the category classifier reads."""
    return FeatureUnion(
        [("text", make_text_features(min_df=2)), ("rules", FunctionTransformer(rule_features))],
        transformer_weights={"text": 1.0, "rules": 2.0},  # the keyword evidence must not drown in TF-IDF columns
    )
