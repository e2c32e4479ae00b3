"""Article history: superseded versions, the log of what each batch added or changed, and `fqa changes`.

`article` holds only the current version of each report (its id is the hash of the clean text), so a changed
version gets a new id. The version it replaced moves to `article_version` with its text and metadata, and
`article_change` records every new, updated and reprint article with the batch and time, which is what
`fqa changes --since` lists: per station (`changes_since`), or once each with its stations (`with_stations`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Date, DateTime, Engine, Integer, String, Text, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from warehouse.dialect import DeferredRows, prepared_insert
from warehouse.schema import Article, Base, Station, StationArticle, utcnow

CHANGE_KINDS = ("new", "updated", "reprint")


class ArticleVersion(Base):
    """A superseded version of an article, kept whole so nothing the archive once held is lost."""

    __tablename__ = "article_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(32), index=True)  # the superseded version's id
    replaced_by: Mapped[str] = mapped_column(String(32), index=True)
    source_file: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    publisher: Mapped[str | None] = mapped_column(Text)
    clean_text: Mapped[str] = mapped_column(Text)
    simplified_text: Mapped[str] = mapped_column(Text)
    first_ingested: Mapped[dt.datetime | None] = mapped_column(DateTime)
    superseded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    batch_key: Mapped[str | None] = mapped_column(String(64))  # the batch that brought the new version


class ArticleChange(Base):
    """One article a batch added (new), replaced (updated) or recognised as another's reprint."""

    __tablename__ = "article_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    article_id: Mapped[str] = mapped_column(String(32), index=True)
    previous_id: Mapped[str | None] = mapped_column(String(32))  # updated: the version replaced
    original_id: Mapped[str | None] = mapped_column(String(32))  # reprint: the cluster's original
    source_file: Mapped[str] = mapped_column(Text)
    batch_key: Mapped[str | None] = mapped_column(String(64), index=True)


def archive_version(conn: Connection, old_id: str, new_id: str, batch_key: str | None) -> dt.datetime | None:
    """Copy the current row of `old_id` into the history; returns its first_ingested for the new version."""
    old = conn.execute(select(Article, Article.clean_text.label("clean_text")).where(Article.id == old_id)).one()
    conn.execute(
        ArticleVersion.__table__.insert().values(
            article_id=old.id,
            replaced_by=new_id,
            source_file=old.source_file,
            url=old.url,
            title=old.title,
            published=old.published,
            publisher=old.publisher,
            clean_text=old.clean_text,
            simplified_text=old.simplified_text,
            first_ingested=old.first_ingested,
            superseded_at=utcnow(),
            batch_key=batch_key,
        )
    )
    return old.first_ingested


def log_change(
    conn: Connection,
    kind: str,
    article_id: str,
    source_file: str,
    batch_key: str | None,
    previous_id: str | None = None,
    original_id: str | None = None,
    rows: DeferredRows | None = None,
) -> None:
    """Record what a load did with an article; with `rows`, at the load's next flush (nothing reads it before)."""
    if kind not in CHANGE_KINDS:
        raise ValueError(f"unknown change kind {kind!r}; expected one of {', '.join(CHANGE_KINDS)}")
    row = {
        "at": utcnow(),
        "kind": kind,
        "article_id": article_id,
        "previous_id": previous_id,
        "original_id": original_id,
        "source_file": source_file,
        "batch_key": batch_key,
    }
    if rows is None:
        conn.execute(prepared_insert(conn, ArticleChange.__table__), row)
    else:
        rows.add(ArticleChange.__table__, [row])


def versions_of(engine: Engine, article_id: str) -> list[dict[str, object]]:
    """Every earlier version of the current article `article_id`, newest first."""
    versions = []
    wanted = article_id
    with Session(engine) as session:
        while True:
            row = session.scalars(
                select(ArticleVersion)
                .where(ArticleVersion.replaced_by == wanted)
                .order_by(ArticleVersion.superseded_at.desc(), ArticleVersion.id.desc())
            ).first()
            if row is None:
                return versions
            versions.append(
                {
                    "id": row.article_id,
                    "title": row.title,
                    "published": row.published,
                    "superseded_at": row.superseded_at,
                    "clean_text": row.clean_text,
                }
            )
            wanted = row.article_id


@dataclass
class Change:
    at: dt.datetime
    kind: str
    article_id: str
    title: str | None
    published: dt.date | None
    source_file: str
    previous_id: str | None
    original_id: str | None


@dataclass
class StationChanges:
    station: str  # "(no station)" for articles that name none
    province: str | None
    changes: list[Change] = field(default_factory=list)


NO_STATION = "(no station)"


def changes_since(engine: Engine, since: dt.datetime | None = None) -> list[StationChanges]:
    """What is new, updated or a reprint since `since` (all time if None), grouped per station.

    Only changes whose article is still current are listed: a version replaced later shows up through the
    `updated` entry of the version that replaced it.
    """
    query = (
        select(ArticleChange, Article.title, Article.published, Station.name, Station.province)
        .join(Article, Article.id == ArticleChange.article_id)
        .outerjoin(StationArticle, StationArticle.article_key == Article.key)
        .outerjoin(Station, Station.id == StationArticle.station_id)
        .order_by(ArticleChange.at, ArticleChange.id)
    )
    if since is not None:
        query = query.where(ArticleChange.at >= since)
    groups: dict[tuple[str, str | None], StationChanges] = {}
    with Session(engine) as session:
        for change, title, published, station, province in session.execute(query):
            key = (station or NO_STATION, province)
            group = groups.setdefault(key, StationChanges(key[0], province))
            group.changes.append(
                Change(
                    change.at,
                    change.kind,
                    change.article_id,
                    title,
                    published,
                    change.source_file,
                    change.previous_id,
                    change.original_id,
                )
            )
    return sorted(groups.values(), key=lambda g: (g.station == NO_STATION, g.province or "", g.station))


def with_stations(groups: list[StationChanges]) -> list[tuple[Change, list[str]]]:
    """Each change once, oldest first, with the stations its article names: the per-station groups folded back,
    so a report on twelve stations is one line of a change list, not twelve."""
    folded: dict[tuple[dt.datetime, str, str, str], tuple[Change, list[str]]] = {}
    for group in groups:
        for change in group.changes:
            key = (change.at, change.kind, change.article_id, change.source_file)
            folded.setdefault(key, (change, []))[1].append(group.station)
    return sorted(folded.values(), key=lambda pair: (pair[0].at, pair[0].article_id))
