"""Reprint clusters in the warehouse: stored MinHash fingerprints, cluster assignment, and the count-once rule.

Convention shared by every helper: `article.reprint_cluster` is NULL for an article without known reprints, and
otherwise the id of the cluster's original (its earliest dated copy), set on every member including the
original. Anything that counts statistics or practices keeps only `counted_once()` articles, so a reprint adds
reach ("also published by"), never a second count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from functools import lru_cache

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import Select

from pipelines.text.reprints import (
    MIN_CONTAINED_SHINGLES,
    MIN_SHINGLES,
    Copy,
    Fingerprint,
    confirmed,
    fingerprint,
    original_of,
)
from pipelines.text.reprints import band_hashes as reprint_band_hashes
from warehouse.dialect import prepared_insert
from warehouse.schema import (
    Article,
    Base,
    StationArticle,
    WarehouseUpgrade,
    article_id_of,
    article_key_ref,
    keys_of,
    utcnow,
)


class ArticleFingerprint(Base):
    """An article's MinHash signature over character shingles of its Simplified text."""

    __tablename__ = "article_fingerprint"

    article_key: Mapped[int] = article_key_ref(primary_key=True, autoincrement=False)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    shingles: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(32), default="affine32-5")


class FingerprintBand(Base):
    """One LSH band of an article's signature (`band_hashes` below: 0-31 are `pipelines.text.reprints.band_hashes`,
    32-63 the same values grouped the other way); articles sharing enough bands are reprint candidates. Kept here
    so a load asks the database for candidates: an index of every article rebuilt in memory for each batch took
    25 s and 1.2 GB at 100,000 articles. The index holds the article too, so the database counts an article's
    shared bands from the index alone."""

    __tablename__ = "fingerprint_band"
    __table_args__ = (Index("ix_fingerprint_band_candidates", "band", "hash", "article_key"),)

    article_key: Mapped[int] = article_key_ref(primary_key=True, autoincrement=False)
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger)


# Units named in most reports of their stations: a bureau's articles are too many, and too unlike, to check
# each new report against. A cut-short copy is looked for among the reports on its stations and posts.
WIDE_UNIT_KINDS = ("公安局", "分局", "公安厅", "公安处")  # kinds ending so (森林公安局, 铁路公安处) too
SAME_UNIT_LIMIT = 200  # reports on one unit checked for containment, at most
# Copies of about the same length are the LSH bands' to find: a text holding 0.9 of another's shingles with a
# Jaccard under REPRINT_JACCARD is at most about 0.55 of its length. Only such pairs are fetched for the check.
LENGTH_RATIO = 0.6


# Which stored fingerprints a new article's bands make candidates; their signatures are then fetched and checked
# (`confirmed`: an estimated Jaccard of REPRINT_JACCARD, or containment).
#
# "any-band" (datasketch's LSH, and the load's until issue 19): every article sharing one of the 32 bands of four
# signature values. Two different reports share a band by chance with a probability that does not fall as the
# warehouse grows (0.016 at a Jaccard of 0.15, 0.23 at 0.3), so the candidates grew with it: 24 an article at
# 10,000 generated articles, about 250 at 100,000, nearly all of them fetched for nothing.
# "two-of-64" (the load's): an article sharing at least MIN_SHARED_BANDS of 64 bands, the 32 and the same 128
# values grouped the other way (values j, j+32, j+64, j+96). The database counts the shared bands from its
# index; only those articles' signatures are fetched. With p = J^4 the chance that a band is shared, a copy is
# a candidate with P(Binomial(64, p) >= 2) against any-band's P(Binomial(32, p) >= 1): at least as likely
# from a Jaccard of 0.45 up (0.92 against 0.87 at 0.5, 0.998 against 0.988 at 0.6), and a chance pair far
# less (5e-4 against 0.016 at 0.15, 0.10 against 0.23 at 0.3). benchmarks/reprint_candidates.py measures both
# on generated articles with planted reprints; docs/throughput.md has the figures.
# Chance candidates still come at a rate that grows with the warehouse (1.1 an article at 10,000 generated
# articles, about 11 at 100,000), so at most MAX_BAND_CANDIDATES are fetched: those sharing the most bands (then
# by id). A copy down to a Jaccard of 0.6 shares 8 of the 64 on average, a chance pair 2; like SAME_UNIT_LIMIT,
# it bounds what one article costs, whatever the size of the warehouse.
BAND_SCHEMES = ("any-band", "two-of-64")
CANDIDATE_SCHEME = "two-of-64"
MIN_SHARED_BANDS = 2
MAX_BAND_CANDIDATES = 50
BANDS, ROWS = 32, 4  # per grouping; lsh_bands() is (32, 4) for LSH_THRESHOLD 0.4 and 128 values


def band_hashes(print_: Fingerprint) -> list[int]:
    """The 64 band hashes of a signature: `pipelines.text.reprints.band_hashes` (bands 0-31: consecutive values)
    then bands 32-63 (values j, j+32, j+64, j+96), each a signed 64-bit BLAKE2b as there."""
    return [*reprint_band_hashes(print_), *_crosswise_hashes(print_)]


def _crosswise_hashes(print_: Fingerprint) -> list[int]:
    width = 4  # bytes per signature value (uint32)
    sig = print_.signature
    out = []
    for j in range(BANDS):
        band = b"".join(sig[(j + k * BANDS) * width : (j + k * BANDS + 1) * width] for k in range(ROWS))
        out.append(int.from_bytes(hashlib.blake2b(band, digest_size=8).digest(), "big", signed=True))
    return out


class WarehouseReprintIndex:
    """`ReprintIndex`'s add / remove / matches over the band table, inside the load's transaction.

    The LSH bands find copies that share most of their text. A copy cut short shares too little for them, so
    `matches` also checks the reports that name the same units (stations, posts) for containment."""

    def __init__(self, conn: Connection, scheme: str | None = None) -> None:
        self.conn = conn
        self.scheme = scheme or CANDIDATE_SCHEME
        if self.scheme not in BAND_SCHEMES:
            raise ValueError(f"unknown band scheme {self.scheme!r} (one of {', '.join(BAND_SCHEMES)})")
        self.candidates_fetched = 0  # band candidates whose signatures were fetched (benchmarks read it)
        # Units named by this load's articles so far: their station_article rows wait in the batch's deferred rows.
        self._batch_units: dict[int, list[str]] = {}

    def add(self, key: str, print_: Fingerprint, units: Iterable[int] = (), article_key: int | None = None) -> None:
        """Index the article `key` (its public id; `article_key` its integer key, looked up when not given)."""
        if print_.shingle_count >= MIN_CONTAINED_SHINGLES:
            for unit in units:
                self._batch_units.setdefault(unit, []).append(key)
        if print_.shingle_count < MIN_SHINGLES:
            return
        article_key = key_of(self.conn, key) if article_key is None else article_key
        rows = [{"article_key": article_key, "band": i, "hash": h} for i, h in enumerate(band_hashes(print_))]
        self.conn.execute(prepared_insert(self.conn, FingerprintBand.__table__, ()), rows)

    def remove(self, key: str) -> None:
        self.conn.execute(delete(FingerprintBand).where(FingerprintBand.article_key.in_(keys_of([key]))))
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
        if self.scheme == "any-band":
            query, hashes = _sharing_a_band(BANDS), hashes[:BANDS]
        else:
            query = _sharing_bands(len(hashes), MIN_SHARED_BANDS, MAX_BAND_CANDIDATES)
        rows = self.conn.execute(query, {f"hash_{i}": h for i, h in enumerate(hashes)}).all()
        self.candidates_fetched += len(rows)
        if text is not None and units and print_.shingle_count >= MIN_CONTAINED_SHINGLES:
            rows += self._same_units(units, print_.shingle_count)
        candidates = {key: Fingerprint(bytes(sig), n) for key, sig, n in rows}
        return confirmed(print_, candidates.items(), text, self._text)

    def _same_units(self, units: Collection[int], shingles: int) -> list:
        in_batch = {key for unit in units for key in self._batch_units.get(unit, ())}
        count = ArticleFingerprint.shingles
        query = (
            select(Article.id, ArticleFingerprint.signature, count)
            .join(Article, Article.key == ArticleFingerprint.article_key)
            .where(
                or_(count <= shingles * LENGTH_RATIO, count * LENGTH_RATIO >= shingles),
                count >= MIN_CONTAINED_SHINGLES,
            )
        )
        on_units = select(StationArticle.article_key).where(StationArticle.station_id.in_(units))
        rows = self.conn.execute(
            query.where(ArticleFingerprint.article_key.in_(on_units)).limit(SAME_UNIT_LIMIT)
        ).all()
        if in_batch:
            rows += self.conn.execute(query.where(Article.id.in_(in_batch))).all()
        return rows

    def _text(self, key: str) -> str:
        return self.conn.scalar(select(Article.simplified_text).where(Article.id == key)) or ""


@lru_cache(maxsize=4)
def _sharing_a_band(bands: int) -> Select:
    """The stored fingerprints that share at least one of `bands` band hashes (bound as hash_0 …), built once:
    a fresh 32-way OR for every article cost more than running it."""
    band = FingerprintBand
    shares_a_band = or_(*(and_(band.band == i, band.hash == bindparam(f"hash_{i}")) for i in range(bands)))
    return _fingerprints().where(ArticleFingerprint.article_key.in_(select(band.article_key).where(shares_a_band)))


@lru_cache(maxsize=4)
def _sharing_bands(bands: int, at_least: int, at_most: int) -> Select:
    """The stored fingerprints that share at least `at_least` of `bands` band hashes (bound as hash_0 …), the
    `at_most` sharing the most: the database counts them from the band index, and only those are read."""
    band = FingerprintBand
    shares_a_band = or_(*(and_(band.band == i, band.hash == bindparam(f"hash_{i}")) for i in range(bands)))
    shared = func.count()
    sharing = (
        select(band.article_key)
        .where(shares_a_band)
        .group_by(band.article_key)
        .having(shared >= at_least)
        .order_by(shared.desc(), band.article_key)
        .limit(at_most)
    )
    return _fingerprints().where(ArticleFingerprint.article_key.in_(sharing))


def _fingerprints() -> Select:
    """(public id, signature, shingles) of stored fingerprints."""
    fp = ArticleFingerprint
    return select(Article.id, fp.signature, fp.shingles).join(Article, Article.key == fp.article_key)


def key_of(conn: Connection, article_id: str) -> int | None:
    """The integer key of the current article `article_id` (its public id)."""
    return conn.scalar(_KEY_OF, {"article_id": article_id})


_KEY_OF = select(Article.key).where(Article.id == bindparam("article_id"))


def counted_once() -> ColumnElement[bool]:
    """Articles that count in statistics and comparisons: unclustered ones and each cluster's original."""
    return or_(Article.reprint_cluster.is_(None), Article.reprint_cluster == Article.id)


def save_fingerprint(conn: Connection, article_id: str, print_: Fingerprint, article_key: int | None = None) -> None:
    article_key = key_of(conn, article_id) if article_key is None else article_key
    conn.execute(
        prepared_insert(conn, ArticleFingerprint.__table__),
        {"article_key": article_key, "signature": print_.signature, "shingles": print_.shingle_count},
    )


FINGERPRINTS_UPGRADE = "fingerprints_and_bands"  # every article has its fingerprint and LSH band rows
CROSSWISE_UPGRADE = "fingerprint_bands_crosswise"  # … and its bands 32-63 (issue 19); the old lookup index gone
_OLD_BAND_INDEX = "ix_fingerprint_band_lookup"  # (band, hash): superseded by ix_fingerprint_band_candidates


def load_index(conn: Connection) -> WarehouseReprintIndex:
    """The warehouse's reprint index. Articles loaded before fingerprints, or before their bands were kept, get
    them at the first load that finds them missing; after that, loads keep both complete, and
    `warehouse_upgrade` records that there is nothing left to look for."""
    index = WarehouseReprintIndex(conn)
    if conn.scalar(_UPGRADE_DONE, {"name": FINGERPRINTS_UPGRADE}) is None:
        _add_missing_fingerprints(conn, index)
    if conn.scalar(_UPGRADE_DONE, {"name": CROSSWISE_UPGRADE}) is None:
        _add_crosswise_bands(conn)
    return index


def _add_crosswise_bands(conn: Connection) -> None:
    """Bands 32-63 of the articles banded before they were kept (a warehouse from before issue 19)."""
    conn.execute(sql_text(f"DROP INDEX IF EXISTS {_OLD_BAND_INDEX}"))  # every insert paid for it, no query used it
    lacking = conn.execute(
        select(ArticleFingerprint.article_key, ArticleFingerprint.signature, ArticleFingerprint.shingles).where(
            ArticleFingerprint.shingles >= MIN_SHINGLES,
            ~ArticleFingerprint.article_key.in_(
                select(FingerprintBand.article_key).where(FingerprintBand.band >= BANDS)
            ),
        )
    ).all()
    rows = []
    for article_key, sig, n in lacking:
        hashes = _crosswise_hashes(Fingerprint(bytes(sig), n))
        rows += [{"article_key": article_key, "band": BANDS + i, "hash": h} for i, h in enumerate(hashes)]
        if len(rows) >= 32_000:
            conn.execute(prepared_insert(conn, FingerprintBand.__table__, ()), rows)
            rows = []
    if rows:
        conn.execute(prepared_insert(conn, FingerprintBand.__table__, ()), rows)
    conn.execute(
        prepared_insert(conn, WarehouseUpgrade.__table__, ("name",)), {"name": CROSSWISE_UPGRADE, "done": utcnow()}
    )


def _add_missing_fingerprints(conn: Connection, index: WarehouseReprintIndex) -> None:
    missing = conn.execute(
        select(Article.key, Article.id, Article.simplified_text).where(
            ~Article.key.in_(select(ArticleFingerprint.article_key))
        )
    ).all()
    for article_key, article_id, text in missing:
        save_fingerprint(conn, article_id, fingerprint(text), article_key)
    unbanded = conn.execute(
        _fingerprints()
        .add_columns(ArticleFingerprint.article_key)
        .where(
            ArticleFingerprint.shingles >= MIN_SHINGLES,
            ~ArticleFingerprint.article_key.in_(select(FingerprintBand.article_key)),
        )
    ).all()
    for article_id, sig, n, article_key in unbanded:
        index.add(article_id, Fingerprint(bytes(sig), n), article_key=article_key)
    conn.execute(
        prepared_insert(conn, WarehouseUpgrade.__table__, ("name",)), {"name": FINGERPRINTS_UPGRADE, "done": utcnow()}
    )


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


for _owner in (ArticleFingerprint, FingerprintBand):
    _owner.article_id = article_id_of(_owner)
