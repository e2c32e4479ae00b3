"""Themes for researchers: NMF over practice descriptions, each theme named by its top terms.

Words only (jieba), not character n-grams: a theme's name must read as words (调解 · 纠纷 · 矛盾), and
fragments like 纠纷调 would not. Terms in more than half of the descriptions say nothing about a theme
(派出所, 群众), so they are dropped by document frequency rather than by a hand-written stop list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import Engine

from models.features import word_tokens
from models.similar import practice_docs
from warehouse.db import get_engine


def theme_terms(text: str) -> list[str]:
    """Words of two or more characters: single characters (的, 了, 所) cannot name a theme."""
    return [w for w in word_tokens(text) if len(w) >= 2]


@dataclass
class Theme:
    name: str  # top terms joined by ·
    terms: list[str]
    practices: list[tuple[str, str | None]] = field(default_factory=list)  # (practice, station)

    @property
    def stations(self) -> list[str]:
        return sorted({s for _, s in self.practices if s})


def practice_themes(engine_or_url: Engine | str | None, k: int = 6, top_terms: int = 4) -> list[Theme]:
    """k themes over the warehouse's practices (reprints once), largest first; each practice in its
    strongest theme."""
    if k < 1:
        raise ValueError(f"topics: --k must be at least 1, not {k}")
    engine = engine_or_url if isinstance(engine_or_url, Engine) else get_engine(engine_or_url)
    docs = practice_docs(engine)
    if len(docs) < k:
        raise ValueError(f"topics: {len(docs)} practices in the warehouse, too few for {k} themes (lower --k)")
    vectorizer = TfidfVectorizer(analyzer=theme_terms, sublinear_tf=True, max_df=0.5, min_df=2)
    matrix = vectorizer.fit_transform([d.description for d in docs])
    nmf = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=500)
    weights = nmf.fit_transform(matrix)
    vocabulary = vectorizer.get_feature_names_out()
    themes = []
    for component in nmf.components_:
        terms = [str(vocabulary[i]) for i in component.argsort()[::-1][:top_terms] if component[i] > 0]
        themes.append(Theme(" · ".join(terms), terms))
    for doc, row in zip(docs, weights, strict=True):
        if row.max() > 0:
            theme = themes[int(np.argmax(row))]
            if (doc.name, doc.station) not in theme.practices:
                theme.practices.append((doc.name, doc.station))
    return sorted((t for t in themes if t.practices), key=lambda t: -len(t.practices))
