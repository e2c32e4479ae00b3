"""The researchers' Python API: `Archive(url)` with search, station listings and profiles, comparisons and
statistics, returning typed rows (dataclasses) that turn into pandas frames for notebooks.

    from warehouse import Archive
    a = Archive("sqlite:///fengqiao.db")
    a.search("調解", province="广西").to_pandas()
    a.compare("mediation_success_rate").rows.to_pandas()

The CLI (`pipelines/cli/research.py`), the exports and the web UI are built on this class. Whatever counts or
compares statistics or practices counts each reprint cluster once (see `reprint_clusters.counted_once`);
reprints show as reach ("also published by").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, distinct, func, select
from sqlalchemy.engine import Connection

from pipelines.extract.confidence import is_confident
from warehouse.db import get_engine
from warehouse.figures import comparability, comparison_kind, period_key, period_label, shown
from warehouse.filters import (
    FilterError,
    Filters,
    also_published_by,
    matching_station_ids,
    to_simplified,
)
from warehouse.query import NotFound
from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, Practice, PracticeMention, Station, StationArticle, Statistic, span_text
from warehouse.search import SearchPage, search

T = TypeVar("T")


class Rows(list[T], Generic[T]):
    """A list of dataclass rows that knows its row type, so even an empty result has columns."""

    def __init__(self, row_type: type[T], items: Iterable[T] = ()) -> None:
        super().__init__(items)
        self.row_type = row_type

    def columns(self) -> list[str]:
        return [f.name for f in fields(self.row_type)]  # type: ignore[arg-type]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [asdict(row) for row in self]  # type: ignore[call-overload]

    def to_pandas(self) -> Any:  # noqa: ANN401 - pandas.DataFrame, imported only when asked for
        import pandas as pd

        return pd.DataFrame(self.to_dicts(), columns=self.columns())


@dataclass(frozen=True)
class ArticleRef:
    """Where a fact comes from."""

    article_id: str
    title: str | None
    published: dt.date | None
    publisher: str | None
    url: str | None
    also_published_by: list[str] = field(default_factory=list)  # reprints: reach, not more evidence


@dataclass(frozen=True)
class ArticleRow:
    article_id: str
    title: str | None
    published: dt.date | None
    publisher: str | None
    url: str | None
    source_file: str
    original_script: str
    stations: list[str]
    reprint_cluster: str | None


@dataclass(frozen=True)
class StationSummary:
    station_id: int
    name: str
    kind: str
    province: str | None
    city: str | None
    county: str | None
    honours: list[str]
    articles: int
    practices: int
    statistics: int

    @property
    def place(self) -> str:
        return " ".join(p for p in (self.province, self.city, self.county) if p) or "—"


@dataclass(frozen=True)
class PracticeRow:
    station: str | None
    practice: str  # normalised name
    name: str  # as written
    kind: str  # practice | slogan
    category: str
    sentence: str
    article_id: str
    title: str | None
    published: dt.date | None
    url: str | None


@dataclass(frozen=True)
class StatisticRow:
    station: str | None
    metric: str
    shown: str  # value with its qualifier: 700+, ≥98%
    value: float | None
    low: float | None
    high: float | None
    unit: str
    qualifier: str | None
    approx: bool
    measures: str  # level, or change (year on year …)
    period: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    subject: str
    text: str  # the figure as written
    sentence: str
    article_id: str
    title: str | None
    published: dt.date | None
    publisher: str | None
    url: str | None
    confidence: float | None  # pipelines.extract.confidence; None: read by an older extractor


@dataclass(frozen=True)
class ComparisonRow:
    station: str
    province: str | None
    city: str | None
    county: str | None
    shown: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    measures: str
    period: str  # as written; "not stated" when the article gives none
    period_start: dt.date | None  # resolved from the article's date where it allows
    period_end: dt.date | None
    comparable: bool
    note: str  # what differs from the reference row when not directly comparable
    text: str
    sentence: str
    article_id: str
    title: str | None
    published: dt.date | None
    url: str | None
    other_figures: int  # further figures of this metric for the station, not shown in this row
    confidence: float | None


@dataclass(frozen=True)
class Comparison:
    metric: str
    rows: Rows[ComparisonRow]
    hidden: int = 0  # figures of the metric left out as less confident (`all=True` keeps them)

    @property
    def all_comparable(self) -> bool:
        return all(row.comparable for row in self.rows)

    def to_pandas(self) -> Any:  # noqa: ANN401
        return self.rows.to_pandas()


@dataclass(frozen=True)
class StationProfile:
    station: StationSummary
    aliases: list[str]
    honours: list[dict[str, Any]]  # text, batch, year, level
    practices: Rows[PracticeRow]
    statistics: Rows[StatisticRow]
    articles: list[ArticleRef]
    hidden_statistics: int = 0  # figures left out as less confident (`all=True` keeps them)


class Archive:
    """Read-only access to a warehouse by URL (None: $FQA_DB_URL or sqlite:///fengqiao.db)."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or get_engine(url)

    # --- search -------------------------------------------------------------------------------------------

    def search(self, query: str, *, page: int = 1, limit: int = 20, **filters: Any) -> SearchPage:
        """Sentences matching `query` in either script, grouped by article, ranked, one page of articles."""
        chosen = Filters.from_mapping(filters)
        with self.engine.connect() as conn:
            return search(conn, query, chosen, page=page, limit=limit)

    # --- stations -----------------------------------------------------------------------------------------

    def stations(self, **filters: Any) -> Rows[StationSummary]:
        """Stations named in the archive (each at least once), with counts over canonical articles."""
        chosen = Filters.from_mapping(filters)
        with self.engine.connect() as conn:
            wanted = chosen.station_ids(conn)
            return Rows(StationSummary, self._station_summaries(conn, wanted))

    def station(self, name: str, province: str | None = None, all: bool = False) -> StationProfile:  # noqa: A002
        """One station's profile; `name` may be written in either script, or be one of its aliases. Figures
        below `pipelines.extract.confidence.CONFIDENT` are left out and counted unless `all`."""
        with self.engine.connect() as conn:
            try:
                ids = matching_station_ids(conn, name)
            except FilterError as exc:
                raise NotFound(str(exc)) from exc
            if province:
                wanted = to_simplified(province)
                ids = [
                    i
                    for i in ids
                    if (conn.scalar(select(Station.province).where(Station.id == i)) or "").startswith(wanted)
                ]
            if not ids:
                raise NotFound(f"no station named {name!r} in the warehouse")
            rows = conn.execute(select(Station).where(Station.id.in_(ids)).order_by(Station.id)).all()
            exact = [r for r in rows if r.name == to_simplified(name)] or rows
            if len(exact) > 1:
                places = "; ".join(f"{r.name} ({r.province or '?'})" for r in exact)
                raise NotFound(f"{name!r} names {len(exact)} stations: {places}; give the full name or --province")
            record = exact[0]
            summary = self._station_summaries(conn, select(Station.id).where(Station.id == record.id))[0]
            articles = self._article_refs(conn, record.id)
            statistics, hidden = confident_only(self._statistics(conn, Filters(), station_id=record.id), all)
            return StationProfile(
                station=summary,
                aliases=list(record.aliases or []),
                honours=list(record.honours or []),
                practices=self._practices(conn, Filters(), station_id=record.id),
                statistics=statistics,
                articles=articles,
                hidden_statistics=hidden,
            )

    # --- similar practices (the learned-model layer in models/) ---------------------------------------------

    def similar(self, query: str, limit: int = 10) -> Rows[Any]:
        """Practices of other stations that read like `query` (a practice name or description, either script),
        each with the sentence that describes it; reprints count once."""
        from models.similar import SimilarPractice, similar_practices  # models build on the warehouse, not back

        return Rows(SimilarPractice, similar_practices(self.engine, query, limit))

    # --- statistics, practices, articles ------------------------------------------------------------------

    def statistics(self, **filters: Any) -> Rows[StatisticRow]:
        """Every statistic from canonical articles that passes the filters."""
        chosen = Filters.from_mapping(filters)
        with self.engine.connect() as conn:
            return self._statistics(conn, chosen)

    def practices(self, **filters: Any) -> Rows[PracticeRow]:
        chosen = Filters.from_mapping(filters)
        with self.engine.connect() as conn:
            return self._practices(conn, chosen)

    def articles(self, **filters: Any) -> Rows[ArticleRow]:
        """Every article (reprints included: the export is a catalogue), filtered."""
        chosen = Filters.from_mapping(filters)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    Article.id,
                    Article.title,
                    Article.published,
                    Article.publisher,
                    Article.url,
                    Article.source_file,
                    Article.original_script,
                    Article.reprint_cluster,
                )
                .where(*chosen.article_conditions(conn))
                .order_by(Article.published.is_(None), Article.published, Article.id)
            ).all()
            names = self._station_names_by_article(conn, [r.id for r in rows])
        return Rows(
            ArticleRow,
            (
                ArticleRow(
                    r.id,
                    r.title,
                    r.published,
                    r.publisher,
                    r.url,
                    r.source_file,
                    r.original_script,
                    names.get(r.id, []),
                    r.reprint_cluster,
                )
                for r in rows
            ),
        )

    # --- compare ------------------------------------------------------------------------------------------

    def compare(self, metric: str, all: bool = False, **filters: Any) -> Comparison:  # noqa: A002
        """One row per station for `metric`: its most recent figure (by article date, then period end), with
        rows whose period or definition differs from the commonest one flagged as not directly comparable.
        Figures below `pipelines.extract.confidence.CONFIDENT` are left out and counted unless `all`."""
        chosen = Filters.from_mapping({**filters, "metric": metric})
        with self.engine.connect() as conn:
            stats, hidden = confident_only(self._statistics(conn, chosen, attributed_only=True), all)
            places = {
                r.name: r for r in conn.execute(select(Station.name, Station.province, Station.city, Station.county))
            }
        by_station: dict[str, list[StatisticRow]] = defaultdict(list)
        for row in stats:
            by_station[row.station or ""].append(row)
        chosen_rows: list[tuple[StatisticRow, int]] = []
        for _station, figures in sorted(by_station.items()):
            figures.sort(key=lambda r: (r.published or dt.date.min, r.period_end or dt.date.min), reverse=True)
            chosen_rows.append((figures[0], len(figures) - 1))
        flags = comparability(
            [
                (r.unit, r.measures, period_key(r.period, r.period_start, r.period_end), period_label(r.period))
                for r, _ in chosen_rows
            ]
        )
        rows = Rows(ComparisonRow)
        for (r, others), flag in zip(chosen_rows, flags, strict=True):
            place = places.get(r.station or "")
            rows.append(
                ComparisonRow(
                    station=r.station or "",
                    province=place.province if place else None,
                    city=place.city if place else None,
                    county=place.county if place else None,
                    shown=r.shown,
                    value=r.value,
                    low=r.low,
                    high=r.high,
                    unit=r.unit,
                    measures=r.measures,
                    period=period_label(r.period),
                    period_start=r.period_start,
                    period_end=r.period_end,
                    comparable=flag.comparable,
                    note=flag.note,
                    text=r.text,
                    sentence=r.sentence,
                    article_id=r.article_id,
                    title=r.title,
                    published=r.published,
                    url=r.url,
                    other_figures=others,
                    confidence=r.confidence,
                )
            )
        return Comparison(metric, rows, hidden)

    # --- helpers ------------------------------------------------------------------------------------------

    def _station_summaries(self, conn: Connection, wanted: Any) -> list[StationSummary]:  # noqa: ANN401
        canonical = select(Article.key).where(counted_once()).scalar_subquery()
        articles = (
            select(
                StationArticle.station_id,
                func.count(distinct(func.coalesce(Article.reprint_cluster, Article.id))).label("n"),
            )
            .join(Article, Article.key == StationArticle.article_key)
            .group_by(StationArticle.station_id)
            .subquery()
        )
        practices = (
            select(PracticeMention.station_id, func.count(distinct(PracticeMention.practice_id)).label("n"))
            .where(PracticeMention.article_key.in_(canonical))
            .group_by(PracticeMention.station_id)
            .subquery()
        )
        statistics = (
            select(Statistic.station_id, func.count().label("n"))
            .where(Statistic.article_key.in_(canonical))
            .group_by(Statistic.station_id)
            .subquery()
        )
        query = (
            select(
                Station.id,
                Station.name,
                Station.kind,
                Station.province,
                Station.city,
                Station.county,
                Station.honours,
                articles.c.n.label("n_articles"),
                func.coalesce(practices.c.n, 0).label("n_practices"),
                func.coalesce(statistics.c.n, 0).label("n_statistics"),
            )
            .join(articles, articles.c.station_id == Station.id)
            .outerjoin(practices, practices.c.station_id == Station.id)
            .outerjoin(statistics, statistics.c.station_id == Station.id)
            .order_by(Station.province, Station.city, Station.county, Station.name)
        )
        if wanted is not None:
            query = query.where(Station.id.in_(wanted))
        return [
            StationSummary(
                station_id=r.id,
                name=r.name,
                kind=r.kind,
                province=r.province,
                city=r.city,
                county=r.county,
                honours=[h.get("text", "") for h in (r.honours or [])],
                articles=r.n_articles,
                practices=r.n_practices,
                statistics=r.n_statistics,
            )
            for r in conn.execute(query).all()
        ]

    def _statistics(
        self, conn: Connection, chosen: Filters, station_id: int | None = None, attributed_only: bool = False
    ) -> Rows[StatisticRow]:
        query = (
            select(
                Statistic.__table__,
                Article.id.label("article_id"),
                span_text(Article.simplified_text, Statistic.sentence_start, Statistic.sentence_end).label("sentence"),
                Station.name.label("station_name"),
                Article.title,
                Article.published,
                Article.publisher,
                Article.url,
            )
            .join(Article, Article.key == Statistic.article_key)
            .outerjoin(Station, Station.id == Statistic.station_id)
            .where(counted_once(), *chosen.article_conditions(conn))
            .order_by(Statistic.metric, Station.name, Article.published, Statistic.id)
        )
        if chosen.metric:
            query = query.where(*chosen.metric_conditions())
        stations = chosen.station_only().station_ids(conn)
        if stations is not None:
            query = query.where(Statistic.station_id.in_(stations))
        if station_id is not None:
            query = query.where(Statistic.station_id == station_id)
        if attributed_only:
            query = query.where(Statistic.station_id.is_not(None))
        rows = Rows(StatisticRow)
        for s in conn.execute(query).all():
            rows.append(
                StatisticRow(
                    station=s.station_name,
                    metric=s.metric,
                    shown=shown(s.value, s.low, s.high, s.unit, s.approx),
                    value=s.value,
                    low=s.low,
                    high=s.high,
                    unit=s.unit,
                    qualifier=s.qualifier,
                    approx=s.approx,
                    measures=comparison_kind(s.change, s.comparison),
                    period=s.period,
                    period_start=s.period_start,
                    period_end=s.period_end,
                    subject=s.subject,
                    text=s.text,
                    sentence=s.sentence,
                    article_id=s.article_id,
                    title=s.title,
                    published=s.published,
                    publisher=s.publisher,
                    url=s.url,
                    confidence=s.confidence,
                )
            )
        return rows

    def _practices(self, conn: Connection, chosen: Filters, station_id: int | None = None) -> Rows[PracticeRow]:
        query = (
            select(
                PracticeMention.__table__,
                Article.id.label("article_id"),
                span_text(
                    Article.simplified_text, PracticeMention.sentence_start, PracticeMention.sentence_end
                ).label("sentence"),
                Practice.normalized,
                Practice.kind.label("practice_kind"),
                Station.name.label("station_name"),
                Article.title,
                Article.published,
                Article.url,
            )
            .join(Practice, Practice.id == PracticeMention.practice_id)
            .join(Article, Article.key == PracticeMention.article_key)
            .outerjoin(Station, Station.id == PracticeMention.station_id)
            .where(counted_once(), *chosen.article_conditions(conn))
            .order_by(Station.name, Practice.normalized, Article.published, PracticeMention.id)
        )
        if chosen.category:
            query = query.where(PracticeMention.category == chosen.category)
        stations = chosen.station_only().station_ids(conn)
        if stations is not None:
            query = query.where(PracticeMention.station_id.in_(stations))
        if station_id is not None:
            query = query.where(PracticeMention.station_id == station_id)
        return Rows(
            PracticeRow,
            (
                PracticeRow(
                    station=m.station_name,
                    practice=m.normalized,
                    name=m.name,
                    kind=m.practice_kind,
                    category=m.category,
                    sentence=m.sentence,
                    article_id=m.article_id,
                    title=m.title,
                    published=m.published,
                    url=m.url,
                )
                for m in conn.execute(query).all()
            ),
        )

    def _article_refs(self, conn: Connection, station_id: int) -> list[ArticleRef]:
        rows = conn.execute(
            select(Article.id, Article.title, Article.published, Article.publisher, Article.url)
            .join(StationArticle, StationArticle.article_key == Article.key)
            .where(StationArticle.station_id == station_id, counted_once())
            .order_by(Article.published.is_(None), Article.published, Article.id)
        ).all()
        reach = also_published_by(conn, [r.id for r in rows])
        return [ArticleRef(r.id, r.title, r.published, r.publisher, r.url, reach.get(r.id, [])) for r in rows]

    def _station_names_by_article(self, conn: Connection, article_ids: Sequence[str]) -> dict[str, list[str]]:
        names: dict[str, list[str]] = defaultdict(list)
        for chunk in _chunks(article_ids, 500):
            for article_id, name in conn.execute(
                select(Article.id, Station.name)
                .join(StationArticle, StationArticle.article_key == Article.key)
                .join(Station, Station.id == StationArticle.station_id)
                .where(Article.id.in_(chunk))
                .order_by(Article.id, StationArticle.start)
            ):
                names[article_id].append(name)
        return names


def confident_only(rows: Rows[StatisticRow], keep_all: bool) -> tuple[Rows[StatisticRow], int]:
    """The rows a researcher can cite without checking (confidence unknown counts as shown: an older
    extractor's rows until `fqa reextract`), and how many were left out."""
    if keep_all:
        return rows, 0
    kept = Rows(StatisticRow, (r for r in rows if is_confident(r.confidence)))
    return kept, len(rows) - len(kept)


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
