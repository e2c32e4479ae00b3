"""Reprint clusters in the warehouse: stored MinHash fingerprints, cluster assignment, and the count-once rule.

Convention shared by every helper: `article.reprint_cluster` is NULL for an article without known reprints, and
otherwise the id of the cluster's original (its earliest dated copy), set on every member including the
original. Anything that counts statistics or practices keeps only `counted_once()` articles, so a reprint adds
reach ("also published by"), never a second count.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import lru_cache

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    and_,
    bindparam,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import Select

from pipelines.text.reprints import (
    MIN_CONTAINED_SHINGLES,
    MIN_SHINGLES,
    Copy,
    Fingerprint,
    band_hashes,
    confirmed,
    fingerprint,
    original_of,
)
from warehouse.dialect import prepared_insert
from warehouse.schema import Article, Base, StationArticle, WarehouseUpgrade, utcnow


class ArticleFingerprint(Base):
    """An article's MinHash signature over character shingles of its Simplified text."""

    __tablename__ = "article_fingerprint"

    article_id: Mapped[str] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    shingles: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(32), default="affine32-5")


class FingerprintBand(Base):
    """One LSH band of an article's signature (`pipelines.text.reprints.band_hashes`); articles sharing a band are
    reprint candidates. Kept here so a load asks the database for candidates: an index of every article
    rebuilt in memory for each batch took 25 s and 1.2 GB at 100,000 articles."""

    __tablename__ = "fingerprint_band"
    __table_args__ = (Index("ix_fingerprint_band_lookup", "band", "hash"),)

    article_id: Mapped[str] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger)


# Units named in most reports of their stations: a bureau's articles are too many, and too unlike, to check
# each new report against. A cut-short copy is looked for among the reports on its stations and posts.
WIDE_UNIT_KINDS = ("公安局", "分局", "公安厅", "公安处")  # kinds ending so (森林公安局, 铁路公安处) too
SAME_UNIT_LIMIT = 200  # reports on one unit checked for containment, at most
# Copies of about the same length are the LSH bands' to find: a text holding 0.9 of another's shingles with a
# Jaccard under REPRINT_JACCARD is at most about 0.55 of its length. Only such pairs are fetched for the check.
LENGTH_RATIO = 0.6


class WarehouseReprintIndex:
    """`ReprintIndex`'s add / remove / matches over the band table, inside the load's transaction.

    The LSH bands find copies that share most of their text. A copy cut short shares too little for them, so
    `matches` also checks the reports that name the same units (stations, posts) for containment."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Units named by this load's articles so far: their station_article rows wait in the batch's deferred rows.
        self._batch_units: dict[int, list[str]] = {}

    def add(self, key: str, print_: Fingerprint, units: Iterable[int] = ()) -> None:
        if print_.shingle_count >= MIN_CONTAINED_SHINGLES:
            for unit in units:
                self._batch_units.setdefault(unit, []).append(key)
        if print_.shingle_count < MIN_SHINGLES:
            return
        rows = [{"article_id": key, "band": i, "hash": h} for i, h in enumerate(band_hashes(print_))]
        self.conn.execute(prepared_insert(self.conn, FingerprintBand.__table__, ()), rows)

    def remove(self, key: str) -> None:
        self.conn.execute(delete(FingerprintBand).where(FingerprintBand.article_id == key))
        for keys in self._batch_units.values():
            if key in keys:
                keys.remove(key)

    def matches(
        self, print_: Fingerprint, text: str | None = None, units: Collection[int] = ()
    ) -> list[tuple[str, float]]:
        """(key, estimated Jaccard) of indexed articles this text is a reprint of, most similar first: those
        sharing an LSH band, and (given the text and the units it names) reports on the same units that
        contain it or that it contains."""
        if print_.shingle_count < MIN_SHINGLES:
            return []
        hashes = band_hashes(print_)
        rows = self.conn.execute(_sharing_a_band(len(hashes)), {f"hash_{i}": h for i, h in enumerate(hashes)}).all()
        if text is not None and units and print_.shingle_count >= MIN_CONTAINED_SHINGLES:
            rows += self._same_units(units, print_.shingle_count)
        candidates = {key: Fingerprint(bytes(sig), n) for key, sig, n in rows}
        return confirmed(print_, candidates.items(), text, self._text)

    def _same_units(self, units: Collection[int], shingles: int) -> list:
        in_batch = {key for unit in units for key in self._batch_units.get(unit, ())}
        count = ArticleFingerprint.shingles
        query = select(ArticleFingerprint.article_id, ArticleFingerprint.signature, count).where(
            or_(count <= shingles * LENGTH_RATIO, count * LENGTH_RATIO >= shingles),
            count >= MIN_CONTAINED_SHINGLES,
        )
        on_units = select(StationArticle.article_id).where(StationArticle.station_id.in_(units))
        rows = self.conn.execute(
            query.where(ArticleFingerprint.article_id.in_(on_units)).limit(SAME_UNIT_LIMIT)
        ).all()
        if in_batch:
            rows += self.conn.execute(query.where(ArticleFingerprint.article_id.in_(in_batch))).all()
        return rows

    def _text(self, key: str) -> str:
        return self.conn.scalar(select(Article.simplified_text).where(Article.id == key)) or ""


@lru_cache(maxsize=4)
def _sharing_a_band(bands: int) -> Select:
    """The stored fingerprints that share at least one of `bands` band hashes (bound as hash_0 …), built once:
    a fresh 32-way OR for every article cost more than running it."""
    band = FingerprintBand
    shares_a_band = or_(*(and_(band.band == i, band.hash == bindparam(f"hash_{i}")) for i in range(bands)))
    return select(ArticleFingerprint.article_id, ArticleFingerprint.signature, ArticleFingerprint.shingles).where(
        ArticleFingerprint.article_id.in_(select(band.article_id).where(shares_a_band))
    )


def counted_once() -> ColumnElement[bool]:
    """Articles that count in statistics and comparisons: unclustered ones and each cluster's original."""
    return or_(Article.reprint_cluster.is_(None), Article.reprint_cluster == Article.id)


def save_fingerprint(conn: Connection, article_id: str, print_: Fingerprint) -> None:
    conn.execute(
        prepared_insert(conn, ArticleFingerprint.__table__),
        {"article_id": article_id, "signature": print_.signature, "shingles": print_.shingle_count},
    )


FINGERPRINTS_UPGRADE = "fingerprints_and_bands"  # every article has its fingerprint and LSH band rows


def load_index(conn: Connection) -> WarehouseReprintIndex:
    """The warehouse's reprint index. Articles loaded before fingerprints, or before their bands were kept, get
    them at the first load that finds them missing; after that, loads keep both complete, and
    `warehouse_upgrade` records that there is nothing left to look for."""
    index = WarehouseReprintIndex(conn)
    if conn.scalar(_UPGRADE_DONE, {"name": FINGERPRINTS_UPGRADE}) is not None:
        return index
    missing = conn.execute(
        select(Article.id, Article.simplified_text).where(~Article.id.in_(select(ArticleFingerprint.article_id)))
    ).all()
    for article_id, text in missing:
        save_fingerprint(conn, article_id, fingerprint(text))
    unbanded = conn.execute(
        select(ArticleFingerprint.article_id, ArticleFingerprint.signature, ArticleFingerprint.shingles).where(
            ArticleFingerprint.shingles >= MIN_SHINGLES,
            ~ArticleFingerprint.article_id.in_(select(FingerprintBand.article_id)),
        )
    ).all()
    for article_id, sig, n in unbanded:
        index.add(article_id, Fingerprint(bytes(sig), n))
    conn.execute(
        prepared_insert(conn, WarehouseUpgrade.__table__, ("name",)), {"name": FINGERPRINTS_UPGRADE, "done": utcnow()}
    )
    return index


_UPGRADE_DONE = select(WarehouseUpgrade.name).where(WarehouseUpgrade.name == bindparam("name"))


def _members(conn: Connection, ids: Iterable[str]) -> set[str]:
    """The given articles and every member of the clusters they belong to."""
    ids = set(ids)
    clusters = set(
        conn.scalars(select(Article.reprint_cluster).where(Article.id.in_(ids), Article.reprint_cluster.is_not(None)))
    )
    if clusters:
        ids |= set(conn.scalars(select(Article.id).where(Article.reprint_cluster.in_(clusters))))
    return ids


def assign_cluster(conn: Connection, members: Iterable[str]) -> str | None:
    """Make the given articles one cluster (merging the clusters they are in); returns the original's id.

    A single remaining article is not a cluster: its reprint_cluster goes back to NULL.
    """
    ids = _members(conn, members)
    rows = conn.execute(select(Article.id, Article.published, Article.first_ingested).where(Article.id.in_(ids)))
    copies = [Copy(*row) for row in rows]
    if len(copies) < 2:
        conn.execute(update(Article).where(Article.id.in_(ids)).values(reprint_cluster=None))
        return None
    original = original_of(copies)
    conn.execute(update(Article).where(Article.id.in_([c.id for c in copies])).values(reprint_cluster=original))
    return original


def cluster_members(conn: Connection, article_id: str) -> list[str]:
    """Other current articles in the same reprint cluster as `article_id`."""
    cluster = conn.scalar(select(Article.reprint_cluster).where(Article.id == article_id))
    if cluster is None:
        return []
    return [i for i in conn.scalars(select(Article.id).where(Article.reprint_cluster == cluster)) if i != article_id]
