"""“Which stations do something like 背包警务?”: nearest practices by TF-IDF cosine over their descriptions.

A practice's description is its name plus the sentence that describes it, so 背包警务 (officers carrying their
kit from door to door) meets 一村一辅警 through the words of its sentence (网格, 入户, 走访), not only through
its name. Queries and descriptions go through OpenCC first (`features.to_simplified`), so a Traditional
query finds Simplified reports and back.

The index is fitted on the warehouse's practices at query time: fitting takes well under a second for the
thousands of practices of a large archive, and a saved index would go stale with every build. Each reprint
cluster counts once (only articles with `reprint_cluster IS NULL OR reprint_cluster = article.id`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sklearn.metrics.pairwise import cosine_similarity
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from models.features import make_text_features, to_simplified
from warehouse.db import get_engine
from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, Practice, PracticeMention, Station


@dataclass(frozen=True)
class PracticeDoc:
    """One practice of one station (or one article, when no station is named), with its best sentence."""

    name: str
    normalized: str
    category: str
    station: str | None
    sentence: str
    article_id: str
    title: str | None
    source_file: str
    publisher: str | None
    published: dt.date | None
    url: str | None

    @property
    def description(self) -> str:
        return f"{self.name}。{self.sentence}"


@dataclass(frozen=True)
class SimilarPractice:
    practice: str
    category: str
    station: str | None
    score: float  # cosine similarity, 0–1
    sentence: str  # the sentence that describes it
    article_id: str
    title: str | None
    source_file: str
    publisher: str | None
    published: dt.date | None
    url: str | None


def practice_docs(engine: Engine) -> list[PracticeDoc]:
    """Every practice (not slogan) mention, one per practice × station × article, reprints counted once."""
    station = aliased(Station)
    query = (
        select(
            PracticeMention.name,
            Practice.normalized,
            PracticeMention.category,
            station.name,
            PracticeMention.sentence,
            Article.id,
            Article.title,
            Article.source_file,
            Article.publisher,
            Article.published,
            Article.url,
        )
        .join(Practice, Practice.id == PracticeMention.practice_id)
        .join(Article, Article.key == PracticeMention.article_key)
        .outerjoin(station, station.id == PracticeMention.station_id)
        .where(Practice.kind == "practice", counted_once())
        .order_by(Article.id, PracticeMention.start)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    seen: set[tuple[str, str | None, str]] = set()
    docs = []
    for row in rows:
        key = (row[1], row[3], row[5])
        if key not in seen:
            seen.add(key)
            docs.append(PracticeDoc(*row))
    return docs


def _is_query(doc: PracticeDoc, query: str) -> bool:
    names = (to_simplified(doc.name), to_simplified(doc.normalized))
    return query in names or (len(query) >= 3 and any(query in n for n in names))


def _own(docs: list[PracticeDoc], query: str) -> tuple[set[str], set[str]]:
    """Stations and articles that hold the queried practice itself: their practices are not 'others'."""
    stations, articles = set(), set()
    for doc in docs:
        if _is_query(doc, query):
            articles.add(doc.article_id)
            if doc.station:
                stations.add(doc.station)
    return stations, articles


def similar_practices(engine_or_url: Engine | str | None, query: str, limit: int = 10) -> list[SimilarPractice]:
    """Practices of other stations most like `query` (a practice name or a description), best first.

    Practices of the station(s) that have the queried practice are left out, as are unattributed practices
    of the articles that report it; one result per practice and station.
    """
    query = to_simplified(query.strip())
    if not query:
        raise ValueError("similar: the query is empty; give a practice name such as 背包警务")
    if limit < 1:
        raise ValueError(f"similar: --limit must be at least 1, not {limit}")
    engine = engine_or_url if isinstance(engine_or_url, Engine) else get_engine(engine_or_url)
    docs = practice_docs(engine)
    if not docs:
        return []
    own_stations, own_articles = _own(docs, query)
    features = make_text_features()
    matrix = features.fit_transform([d.description for d in docs])
    # a known practice is looked up by what its own sentences say, not by its two or three name characters
    own_docs = [d.description for d in docs if d.article_id in own_articles and _is_query(d, query)]
    query_text = "\n".join([query, *own_docs])
    scores = cosine_similarity(features.transform([query_text]), matrix)[0]
    results: list[SimilarPractice] = []
    taken: set[tuple[str, str | None]] = set()
    for index in scores.argsort()[::-1]:
        doc, score = docs[index], float(scores[index])
        if score <= 0 or len(results) >= limit:
            break
        if doc.station in own_stations or (doc.station is None and doc.article_id in own_articles):
            continue
        if (doc.normalized, doc.station) in taken:
            continue
        taken.add((doc.normalized, doc.station))
        results.append(
            SimilarPractice(
                doc.name,
                doc.category,
                doc.station,
                round(score, 4),
                doc.sentence,
                doc.article_id,
                doc.title,
                doc.source_file,
                doc.publisher,
                doc.published,
                doc.url,
            )
        )
    return results
