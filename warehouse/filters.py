"""Filters shared by search, station listings, comparisons and exports, turned into SQL subqueries.

A filter value a user typed is data: names may be written in either script (they are converted to Simplified
before matching), and unknown metrics, categories, scripts or filter names are refused with a message that
says what is known, rather than silently matching nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Date, Select, and_, bindparam, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from pipelines.text.simplify import TRADITIONAL_CONFIG, convert
from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, PracticeMention, Station, StationArticle, Statistic

SCRIPTS = ("simplified", "traditional", "mixed")


class FilterError(ValueError):
    """A filter the user gave cannot be applied; the message names it."""


def to_simplified(value: str) -> str:
    """A name as typed, in either script, in the Simplified form the warehouse stores."""
    return convert(value.strip(), TRADITIONAL_CONFIG)


@dataclass(frozen=True)
class Filters:
    station: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    category: str | None = None  # practice category
    metric: str | None = None
    min: float | None = None  # bounds on the metric's value (needs `metric`)
    max: float | None = None
    year_from: int | None = None  # article publication year
    year_to: int | None = None
    script: str | None = None  # script of the original article

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> Filters:
        """Filters from keyword arguments; an unknown name is an error, not a filter silently ignored."""
        values = dict(values or {})
        unknown = sorted(set(values) - set(cls.names()))
        if unknown:
            given = ", ".join(map(repr, unknown))
            raise FilterError(f"unknown filter {given}; known filters: {', '.join(cls.names())}")
        return cls(**{k: v for k, v in values.items() if v is not None and v != ""})

    def __post_init__(self) -> None:
        for name in ("min", "max"):
            bound = getattr(self, name)
            if bound is not None and not math.isfinite(float(bound)):
                raise FilterError(f"--{name} {bound}: a bound must be a finite number (nan, inf and 1e309 are not)")
        for name in self.names():
            value = getattr(self, name)
            if isinstance(value, str) and any(unicodedata.category(ch) == "Cc" for ch in value):
                raise FilterError(f"--{name.replace('_', '-')} {value!r} contains a control character")
        if (self.min is not None or self.max is not None) and not self.metric:
            raise FilterError("--min/--max bound a metric's value: give --metric too")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise FilterError(f"--min {self.min:g} is greater than --max {self.max:g}")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise FilterError(f"year range {self.year_from}–{self.year_to} is empty")
        for name in ("year_from", "year_to"):
            year = getattr(self, name)
            if year is not None and not 1900 <= int(year) <= 2100:
                raise FilterError(f"{name.replace('_', ' ')} {year} is not a plausible year")
        if self.script is not None and self.script not in SCRIPTS:
            raise FilterError(f"unknown script {self.script!r}; use one of {', '.join(SCRIPTS)}")

    @property
    def active(self) -> bool:
        return any(getattr(self, name) is not None for name in self.names())

    # --- station side -------------------------------------------------------------------------------------

    def station_ids(self, conn: Connection) -> Select | None:
        """Stations that pass every filter, or None when nothing restricts stations."""
        self.validate(conn)
        conditions = []
        if self.station:
            ids = matching_station_ids(conn, self.station)
            if not ids:
                raise FilterError(f"no station named {self.station!r} in the warehouse")
            conditions.append(Station.id.in_(ids))
        for column, value in (
            (Station.province, self.province),
            (Station.city, self.city),
            (Station.county, self.county),
        ):
            if value:
                place = column.startswith(to_simplified(value), autoescape=True)
                if conn.scalar(select(Station.id).where(place).limit(1)) is None:
                    raise FilterError(f"no {column.key} named {value!r} in the warehouse")
                conditions.append(place)
        if self.category:
            conditions.append(
                _exists_for_station(
                    PracticeMention.station_id == Station.id,
                    PracticeMention.category == self.category,
                    PracticeMention.article_key == Article.key,
                    counted_once(),
                )
            )
        if self.metric:
            conditions.append(
                _exists_for_station(
                    Statistic.station_id == Station.id,
                    Statistic.article_key == Article.key,
                    counted_once(),
                    *self.metric_conditions(),
                )
            )
        article_conditions = self._article_conditions()
        if article_conditions:
            conditions.append(
                _exists_for_station(
                    StationArticle.station_id == Station.id,
                    StationArticle.article_key == Article.key,
                    *article_conditions,
                )
            )
        if not conditions:
            return None
        return select(Station.id).where(*conditions)

    def metric_conditions(self, stat: Any = None) -> list:  # noqa: ANN401 - Statistic or an alias of it
        """Statistic rows of the metric whose value lies certainly within [min, max].

        An interval counts only when it lies wholly inside the range: 800多 (≥800) passes --min 500, but
        近1000 (≤1000, lower end unknown) does not, because it might be below 500.
        """
        stat = stat or Statistic
        conditions = [stat.metric == self.metric]
        if self.min is not None:
            conditions.append(stat.low.is_not(None))
            conditions.append(stat.low >= self.min)
        if self.max is not None:
            conditions.append(stat.high.is_not(None))
            conditions.append(stat.high <= self.max)
        return conditions

    def station_only(self) -> Filters:
        """Just the filters that pick stations by name or place."""
        return Filters(station=self.station, province=self.province, city=self.city, county=self.county)

    # --- article side -------------------------------------------------------------------------------------

    def _article_conditions(self) -> list:
        conditions = []
        if self.year_from is not None:
            conditions.append(Article.published >= dt.date(int(self.year_from), 1, 1))
        if self.year_to is not None:
            conditions.append(Article.published <= dt.date(int(self.year_to), 12, 31))
        if self.script:
            conditions.append(Article.original_script == self.script)
        return conditions

    def article_conditions(self, conn: Connection) -> list:
        """Conditions on `Article` (to AND into a query that has it) for every active filter."""
        self.validate(conn)
        conditions = self._article_conditions()
        stations = self.station_only().station_ids(conn)
        # Aliases, so these subqueries stay themselves inside queries over the same tables.
        if stations is not None:
            named = aliased(StationArticle)
            conditions.append(_exists_for_article(named.article_key == Article.key, named.station_id.in_(stations)))
        if self.category:
            mention = aliased(PracticeMention)
            conditions.append(
                _exists_for_article(mention.article_key == Article.key, mention.category == self.category)
            )
        if self.metric:
            stat = aliased(Statistic)
            conditions.append(_exists_for_article(stat.article_key == Article.key, *self.metric_conditions(stat)))
        return conditions

    def validate(self, conn: Connection) -> None:
        """Unknown metric or category names are refused with the list of those the warehouse holds."""
        if self.metric:
            known = set(conn.scalars(select(Statistic.metric).distinct()))
            if self.metric not in known:
                raise FilterError(f"unknown metric {self.metric!r}; the warehouse holds: {', '.join(sorted(known))}")
        if self.category:
            known = set(conn.scalars(select(PracticeMention.category).distinct())) - {""}  # slogans have none
            if self.category not in known:
                raise FilterError(
                    f"unknown practice category {self.category!r}; the warehouse holds: {', '.join(sorted(known))}"
                )


def _exists_for_station(*conditions: Any) -> Any:  # noqa: ANN401 - SQLAlchemy clause
    """EXISTS over the tables in `conditions`, correlated to the enclosing query's station only."""
    return select(1).where(*conditions).correlate(Station).exists()


def _exists_for_article(*conditions: Any) -> Any:  # noqa: ANN401 - SQLAlchemy clause
    return select(1).where(*conditions).correlate(Article).exists()


def matching_station_ids(conn: Connection, name: str) -> list[int]:
    """Stations whose name or alias equals `name` (either script); failing that, whose name contains it."""
    wanted = to_simplified(name)
    if not wanted:
        raise FilterError("empty station name")
    rows = conn.execute(select(Station.id, Station.name, Station.aliases)).all()
    exact = [r.id for r in rows if r.name == wanted or wanted in (r.aliases or [])]
    if exact:
        return exact
    return [r.id for r in rows if wanted in r.name]


def also_published_by(conn: Connection, article_ids: Sequence[str]) -> dict[str, list[str]]:
    """For cluster originals: the publishers (or source files) of their reprints."""
    reach: dict[str, list[tuple]] = defaultdict(list)
    ids = list(article_ids)
    columns = "id, reprint_cluster, publisher, source_file, published"
    if conn.dialect.name == "sqlite":
        # Where most articles have no cluster, ANALYZE statistics make SQLite scan a whole index instead of
        # looking the few clusters up; name the index that does the lookup (SQLAlchemy renders no SQLite hints).
        query = text(
            f"SELECT {columns} FROM article INDEXED BY ix_article_reprint_cluster WHERE reprint_cluster IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
    else:
        query = text(f"SELECT {columns} FROM article WHERE reprint_cluster IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        for row in conn.execute(query.columns(published=Date()), {"ids": list(chunk)}):
            if row.id != row.reprint_cluster:
                name = row.publisher or row.source_file
                reach[row.reprint_cluster].append((row.published or dt.date.max, row.id, name))
    return {cluster: [name for *_, name in sorted(copies)] for cluster, copies in reach.items()}


def combine(*conditions: Any) -> Any:  # noqa: ANN401 - SQLAlchemy clause
    return and_(*conditions) if conditions else and_(True)
