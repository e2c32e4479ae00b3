"""The rows a casebook cites, read in one session: stations and where they appear, practice mentions, statistics,
the cited articles' sentences and the reprints that credit them.

The casebook (`casebook.assemble`) reads the warehouse only through this class, so its queries live beside the
schema they depend on. Rows are the schema's ORM objects, valid while the `Evidence` is open.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, Practice, PracticeMention, Sentence, Station, StationArticle, Statistic, keys_of


class Evidence:
    def __init__(self, session: Session) -> None:
        self._session = session

    @classmethod
    @contextmanager
    def open(cls, engine: Engine) -> Iterator[Evidence]:
        with Session(engine) as session:
            yield cls(session)

    def practice_categories(self) -> list[str]:
        """The categories of the loaded practices, sorted."""
        return sorted(set(self._session.scalars(select(Practice.category).where(Practice.kind == "practice"))))

    def counted_article_ids(self) -> set[str]:
        """Articles that count as evidence: originals and unclustered articles, not their reprints."""
        return set(self._session.scalars(select(Article.id).where(counted_once())))

    def station_appearances(self) -> list[tuple[int, str, int | None]]:
        """(station id, article id, first mention's offset) for every station in every article."""
        rows = self._session.execute(select(StationArticle.station_id, StationArticle.article_id, StationArticle.start))
        return [tuple(row) for row in rows]

    def stations(self) -> list[Station]:
        return list(self._session.scalars(select(Station).order_by(Station.province, Station.name)))

    def practice_mentions(self) -> list[tuple[PracticeMention, Practice]]:
        """Mentions of practices (not slogans) attributed to a station, in article and text order."""
        rows = self._session.execute(
            select(PracticeMention, Practice)
            .join(Practice, Practice.id == PracticeMention.practice_id)
            .where(Practice.kind == "practice", PracticeMention.station_id.is_not(None))
            .order_by(PracticeMention.article_id, PracticeMention.start)
        )
        return [tuple(row) for row in rows]

    def articles(self, article_ids: Collection[str]) -> dict[str, Article]:
        return {a.id: a for a in self._session.scalars(select(Article).where(Article.id.in_(article_ids)))}

    def sentences(self, article_ids: Collection[str]) -> list[Sentence]:
        """The articles' sentences in article and reading order."""
        return list(
            self._session.scalars(
                select(Sentence)
                .where(Sentence.article_key.in_(keys_of(article_ids)))
                .order_by(Sentence.article_id, Sentence.seq)
            )
        )

    def cluster_members(self, clusters: Collection[str]) -> list[tuple[str, str, str | None, date | None]]:
        """(cluster, article id, publisher, published) of every article in the reprint clusters, oldest first."""
        rows = self._session.execute(
            select(Article.reprint_cluster, Article.id, Article.publisher, Article.published)
            .where(Article.reprint_cluster.in_(clusters))
            .order_by(Article.published)
        )
        return [tuple(row) for row in rows]

    def statistics(self, station_ids: Collection[int], article_ids: Collection[str]) -> list[Statistic]:
        """The stations' statistics from these articles, in article and text order."""
        return list(
            self._session.scalars(
                select(Statistic)
                .where(Statistic.station_id.in_(station_ids), Statistic.article_key.in_(keys_of(article_ids)))
                .order_by(Statistic.article_id, Statistic.start)
            )
        )
