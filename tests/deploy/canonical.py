"""A warehouse's articles, sentences, stations and statistics in a form two builds can be compared in.

Two warehouses built from the same files by different executors differ only in what the load cannot know in
advance: surrogate ids, ingest times and the time-stamped batch keys. Those are dropped or replaced by what they
stand for (a station id by the station's key, an article key by the article's id, a batch key by the files of its
batch); every row is kept, so a duplicate or a missing row shows as a difference.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine, select

from warehouse.schema import Article, IngestBatch, Sentence, Station, StationArticle, Statistic

TABLES = (Article, Sentence, Station, StationArticle, Statistic)
TIMES = {"first_ingested", "last_ingested"}


def canonical_rows(engine: Engine) -> dict[str, Counter[tuple[str, ...]]]:
    """table name → a multiset of its rows, ids and times left out and foreign keys named by what they mean."""
    with engine.connect() as conn:
        station_keys = dict(conn.execute(select(Station.id, Station.key)).all())
        article_ids = dict(conn.execute(select(Article.key, Article.id)).all())
        batches = {key: tuple(sorted(files)) for key, files in conn.execute(select(IngestBatch.key, IngestBatch.files))}
        rows: dict[str, Counter[tuple[str, ...]]] = {}
        for model in TABLES:
            table = model.__table__
            # article.id is the hash of the text and stays; integer keys (article.key, the other tables' ids) are
            # counters and go: a step delivered again uses up numbers an in-process build does not
            counters = {c.name for c in table.primary_key.columns if c.type.python_type is int}
            keep = [c for c in table.columns if c.name not in TIMES and c.name not in counters]
            rows[table.name] = Counter()
            for row in conn.execute(select(*keep)).mappings():
                values = dict(row)
                if "station_id" in values:
                    values["station_id"] = station_keys.get(values["station_id"])
                if "article_key" in values:
                    values["article_key"] = article_ids.get(values["article_key"])
                if "batch_key" in values:
                    values["batch_key"] = batches.get(values["batch_key"])
                rows[table.name][tuple(f"{name}={value!r}" for name, value in sorted(values.items()))] += 1
    return rows
