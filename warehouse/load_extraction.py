"""Loading one article's extraction (stations, practices, statistics) inside the batch's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, exists, select, union, update
from sqlalchemy.engine import Connection

from warehouse.dialect import DeferredRows, prepared_insert
from warehouse.schema import (
    Article,
    ExtractionVersion,
    Practice,
    PracticeMention,
    Station,
    StationArticle,
    Statistic,
    keys_of,
)

if TYPE_CHECKING:  # only for annotations: pipelines.extract.article loads the trained models, seconds of `fqa` start-up
    from pipelines.extract.article import ArticleExtraction, StationRecord


def station_key(name: str, province: str | None) -> str:
    return f"{province or '?'}/{name}"


def _merge(existing: list, new: list) -> list:
    return existing + [item for item in new if item not in existing]


@dataclass
class BatchIds:
    """Station and practice rows already upserted in this batch's transaction, so a name that recurs across the
    batch's articles costs no further round trips (they were most of the load step's time). Valid only inside
    the one transaction: `load_batch` makes one per batch."""

    stations: dict[str, tuple[int, str | None, str | None, list, list]] = field(default_factory=dict)
    practices: dict[tuple[str, str], int] = field(default_factory=dict)


# Built once (as `warehouse.dialect.prepared`): these run for every station and practice an article names.
_STATION_BY_KEY = select(Station).where(Station.key == bindparam("station_key"))
_STATION_PLACES = (
    update(Station)
    .where(Station.id == bindparam("station_id"))
    .values(
        city=bindparam("city"), county=bindparam("county"), aliases=bindparam("aliases"), honours=bindparam("honours")
    )
)
_PRACTICE_ID = select(Practice.id).where(
    Practice.normalized == bindparam("practice_normalized"), Practice.kind == bindparam("practice_kind")
)


def _station_id(conn: Connection, record: StationRecord, ids: BatchIds) -> int:
    """Upsert a station: fill places it lacked and union its aliases and honours."""
    key = station_key(record.name, record.province)
    stored = ids.stations.get(key)
    if stored is None:
        new_id = conn.execute(  # RETURNING: a station seen for the first time costs one statement
            prepared_insert(conn, Station.__table__, ("key",), returning="id"),
            {
                "key": key,
                "name": record.name,
                "kind": record.kind,
                "province": record.province,
                "city": record.city,
                "county": record.county,
                "aliases": list(record.aliases),
                "honours": list(record.honours),
            },
        ).scalar_one_or_none()
        if new_id is not None:  # a new row holds exactly this record's places, aliases and honours
            ids.stations[key] = (new_id, record.city, record.county, list(record.aliases), list(record.honours))
            return new_id
        row = conn.execute(_STATION_BY_KEY, {"station_key": key}).one()
        stored = (row.id, row.city, row.county, list(row.aliases or []), list(row.honours or []))
        ids.stations[key] = stored
    row_id, city, county, aliases, honours = stored
    merged = (
        row_id,
        city or record.city,
        county or record.county,
        _merge(aliases, list(record.aliases)),
        _merge(honours, list(record.honours)),
    )
    if merged != stored:
        conn.execute(
            _STATION_PLACES,
            {"station_id": row_id, "city": merged[1], "county": merged[2], "aliases": merged[3], "honours": merged[4]},
        )
        ids.stations[key] = merged
    return row_id


def _practice_id(conn: Connection, normalized: str, kind: str, category: str, ids: BatchIds) -> int:
    if (normalized, kind) in ids.practices:
        return ids.practices[(normalized, kind)]
    found = conn.execute(
        prepared_insert(conn, Practice.__table__, ("normalized", "kind"), returning="id"),
        {"normalized": normalized, "kind": kind, "category": category},
    ).scalar_one_or_none()
    if found is None:  # known before this batch
        found = conn.scalar(_PRACTICE_ID, {"practice_normalized": normalized, "practice_kind": kind})
    ids.practices[(normalized, kind)] = found
    return found


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _float(value) -> float | None:  # noqa: ANN001 - Decimal | None
    return float(value) if value is not None else None


def load_extraction(
    conn: Connection,
    extraction: ArticleExtraction,
    ids: BatchIds | None = None,
    rows: DeferredRows | None = None,
    article_key: int | None = None,
) -> dict[str, int]:
    """An article's stations, practices and statistics; returns the station ids by name. With `rows`, the rows
    linking them to the article wait there for the batch's next flush (stations and practices are written at
    once: later articles look them up). `article_key`: the article's integer key (looked up when not given)."""
    ids = BatchIds() if ids is None else ids
    if article_key is None:
        article_key = conn.scalar(select(Article.key).where(Article.id == extraction.article_id))
    deferred = DeferredRows(conn) if rows is None else rows
    station_ids: dict[str, int] = {}
    appearances = []
    for record in extraction.stations:
        station_ids[record.name] = _station_id(conn, record, ids)
        first = record.first_mention
        appearances.append(
            {
                "station_id": station_ids[record.name],
                "article_key": article_key,
                "start": first.start if first else None,
                "end": first.end if first else None,
                "confidence": record.confidence,
            }
        )
    deferred.add(prepared_insert(conn, StationArticle.__table__, ("station_id", "article_key")), appearances)
    mentions = [
        {
            "practice_id": _practice_id(conn, p.normalized, p.kind, p.category, ids),
            "station_id": station_ids.get(p.station) if p.station else None,
            "article_key": article_key,
            "name": p.name,
            "category": p.category,
            "start": p.span.start,
            "end": p.span.end,
            "original_start": p.span.original_start,
            "original_end": p.span.original_end,
            "sentence_start": p.sentence_span.start,
            "sentence_end": p.sentence_span.end,
            "model_version": p.model_version,
            "confidence": p.confidence,
        }
        for p in extraction.practices
    ]
    deferred.add(PracticeMention.__table__, mentions)
    stats = [
        {
            "article_key": article_key,
            "station_id": station_ids.get(s.station) if s.station else None,
            "metric": s.metric,
            "value": _float(s.value),
            "low": _float(s.low),
            "high": _float(s.high),
            "unit": s.unit,
            "qualifier": s.qualifier,
            "approx": s.approx,
            "change": s.change,
            "comparison": s.comparison,
            "period": s.period,
            "period_start": _date(s.period_start),
            "period_end": _date(s.period_end),
            "subject": s.subject,
            "text": s.text,
            "start": s.span.start,
            "end": s.span.end,
            "original_start": s.span.original_start,
            "original_end": s.span.original_end,
            "sentence_start": s.sentence_span.start,
            "sentence_end": s.sentence_span.end,
            "confidence": s.confidence,
        }
        for s in extraction.statistics
    ]
    deferred.add(Statistic.__table__, stats)
    if extraction.extractor_version is not None:
        stamp = {"article_key": article_key, "version": extraction.extractor_version}
        deferred.add(ExtractionVersion.__table__, [stamp])
    if rows is None:
        deferred.flush()
    return station_ids


# The tables that hold an article's extraction, and so are emptied for it before it is extracted again.
_EXTRACTION_TABLES = (PracticeMention, Statistic, StationArticle, ExtractionVersion)


def delete_extraction(conn: Connection, article_ids: Collection[str]) -> tuple[set[int], set[int]]:
    """Remove the articles' extraction rows; returns the stations and practices those rows pointed at, for
    `drop_orphans` once the new rows are in."""
    if not article_ids:
        return set(), set()
    keys = list(conn.scalars(keys_of(list(article_ids))))
    stations = union(
        select(StationArticle.station_id).where(StationArticle.article_key.in_(keys)),
        select(PracticeMention.station_id).where(PracticeMention.article_key.in_(keys)),
        select(Statistic.station_id).where(Statistic.article_key.in_(keys)),
    )
    station_ids = {row[0] for row in conn.execute(stations) if row[0] is not None}
    practice_ids = set(conn.scalars(select(PracticeMention.practice_id).where(PracticeMention.article_key.in_(keys))))
    for table in _EXTRACTION_TABLES:
        conn.execute(delete(table).where(table.article_key.in_(keys)))
    return station_ids, practice_ids


def drop_orphans(
    conn: Connection, station_ids: Collection[int], practice_ids: Collection[int], ids: BatchIds | None = None
) -> tuple[int, int]:
    """Delete those stations and practices that no article names any more (a replaced version or an earlier
    extractor was their only source), so searches and comparisons never show a station without a source.
    Returns how many of each went; `ids` forgets them, since this transaction may name them again."""
    unused_stations = select(Station.id).where(
        Station.id.in_(list(station_ids)),
        ~exists().where(StationArticle.station_id == Station.id),
        ~exists().where(PracticeMention.station_id == Station.id),
        ~exists().where(Statistic.station_id == Station.id),
    )
    unused_practices = select(Practice.id).where(
        Practice.id.in_(list(practice_ids)), ~exists().where(PracticeMention.practice_id == Practice.id)
    )
    gone_stations = set(conn.scalars(unused_stations)) if station_ids else set()
    gone_practices = set(conn.scalars(unused_practices)) if practice_ids else set()
    if gone_stations:
        conn.execute(delete(Station).where(Station.id.in_(list(gone_stations))))
    if gone_practices:
        conn.execute(delete(Practice).where(Practice.id.in_(list(gone_practices))))
    if ids is not None:
        ids.stations = {key: row for key, row in ids.stations.items() if row[0] not in gone_stations}
        ids.practices = {key: pid for key, pid in ids.practices.items() if pid not in gone_practices}
    return len(gone_stations), len(gone_practices)
