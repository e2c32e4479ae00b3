"""Loading one article's extraction (stations, practices, statistics) inside the batch's transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from warehouse.dialect import insert_for
from warehouse.schema import Practice, PracticeMention, Station, StationArticle, Statistic

if TYPE_CHECKING:  # only for annotations: pipelines.extract loads the trained models, seconds of `fqa` start-up
    from pipelines.extract import ArticleExtraction, StationRecord


def station_key(name: str, province: str | None) -> str:
    return f"{province or '?'}/{name}"


def _merge(existing: list, new: list) -> list:
    return existing + [item for item in new if item not in existing]


def _station_id(conn: Connection, record: StationRecord) -> int:
    """Upsert a station: fill places it lacked and union its aliases and honours."""
    key = station_key(record.name, record.province)
    conn.execute(
        insert_for(conn, Station.__table__)
        .values(
            key=key,
            name=record.name,
            kind=record.kind,
            province=record.province,
            city=record.city,
            county=record.county,
            aliases=list(record.aliases),
            honours=list(record.honours),
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = conn.execute(select(Station).where(Station.key == key)).one()
    conn.execute(
        update(Station)
        .where(Station.id == row.id)
        .values(
            city=row.city or record.city,
            county=row.county or record.county,
            aliases=_merge(list(row.aliases or []), list(record.aliases)),
            honours=_merge(list(row.honours or []), list(record.honours)),
        )
    )
    return row.id


def _practice_id(conn: Connection, normalized: str, kind: str, category: str) -> int:
    conn.execute(
        insert_for(conn, Practice.__table__)
        .values(normalized=normalized, kind=kind, category=category)
        .on_conflict_do_nothing(index_elements=["normalized", "kind"])
    )
    return conn.scalar(select(Practice.id).where(Practice.normalized == normalized, Practice.kind == kind))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _float(value) -> float | None:  # noqa: ANN001 - Decimal | None
    return float(value) if value is not None else None


def load_extraction(conn: Connection, extraction: ArticleExtraction) -> None:
    station_ids: dict[str, int] = {}
    for record in extraction.stations:
        station_ids[record.name] = _station_id(conn, record)
        first = record.first_mention
        conn.execute(
            insert_for(conn, StationArticle.__table__)
            .values(
                station_id=station_ids[record.name],
                article_id=extraction.article_id,
                start=first.start if first else None,
                end=first.end if first else None,
            )
            .on_conflict_do_nothing(index_elements=["station_id", "article_id"])
        )
    mentions = [
        {
            "practice_id": _practice_id(conn, p.normalized, p.kind, p.category),
            "station_id": station_ids.get(p.station) if p.station else None,
            "article_id": extraction.article_id,
            "name": p.name,
            "category": p.category,
            "sentence": p.sentence,
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
    if mentions:
        conn.execute(insert_for(conn, PracticeMention.__table__), mentions)
    stats = [
        {
            "article_id": extraction.article_id,
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
            "sentence": s.sentence,
            "start": s.span.start,
            "end": s.span.end,
            "original_start": s.span.original_start,
            "original_end": s.span.original_end,
            "sentence_start": s.sentence_span.start,
            "sentence_end": s.sentence_span.end,
        }
        for s in extraction.statistics
    ]
    if stats:
        conn.execute(insert_for(conn, Statistic.__table__), stats)
