"""Reprint candidates from the band table (issue 19): found copies stay found, chance candidates stay few.

The load asks the warehouse which stored fingerprints share enough LSH bands with a new article, and fetches
only those signatures for the exact check (`warehouse.reprint_clusters`). Timing lives in
benchmarks/reprint_candidates.py, never here: these tests count.
"""

import random

import numpy as np
import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.engine import Connection

from pipelines.text.reprints import NUM_PERM, Fingerprint, ReprintIndex, fingerprint
from pipelines.text.simplify import simplify
from tests.conftest import SEEDS, seed_text
from tests.ingest_fixtures import load, processed_seeds
from warehouse import reprint_clusters
from warehouse.db import get_engine
from warehouse.reprint_clusters import (
    BANDS,
    CROSSWISE_UPGRADE,
    ArticleFingerprint,
    FingerprintBand,
    WarehouseReprintIndex,
    band_hashes,
    save_fingerprint,
)
from warehouse.schema import Article, WarehouseUpgrade

SHINGLES = 1500  # as a generated article's


def _fingerprint_tables() -> Connection:
    engine = create_engine("sqlite://")  # no foreign keys enforced: the fingerprint tables and articles alone
    Article.__table__.create(engine)  # the bands name an article by its key, and matches give its id
    ArticleFingerprint.__table__.create(engine)
    FingerprintBand.__table__.create(engine)
    return engine.connect()


_EMPTY_ARTICLE = {
    "simplified_text": "", "source_file": "", "media_type": "txt", "encoding": "utf-8", "missing_metadata": [],
    "original_script": "simplified", "clean_to_raw": [], "simplified_to_clean": [], "repair_flags": {},
    "captions": [],
}  # fmt: skip


def _store(conn: Connection, index: WarehouseReprintIndex, key: str, print_: Fingerprint) -> None:
    conn.execute(insert(Article).values(id=key, **_EMPTY_ARTICLE))
    save_fingerprint(conn, key, print_)
    index.add(key, print_)


def _signature(values: np.ndarray) -> Fingerprint:
    return Fingerprint(values.astype(np.uint32).tobytes(), SHINGLES)


def _copy(base: np.ndarray, equal: int, rng: np.random.Generator) -> np.ndarray:
    """A signature with exactly `equal` of its values equal to `base`'s (an estimated Jaccard of equal / 128):
    each MinHash value of two texts is equal with the texts' Jaccard as its chance, independently."""
    out = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)
    same = rng.choice(NUM_PERM, equal, replace=False)
    out[same] = base[same]
    out[out == base] ^= 1  # … and none other by accident
    out[same] = base[same]
    return out


def test_a_copy_any_band_finds_is_found_too_and_every_copy_from_a_jaccard_of_07():
    rng = np.random.default_rng(19)
    conn = _fingerprint_tables()
    index = WarehouseReprintIndex(conn)
    old = WarehouseReprintIndex(conn, scheme="any-band")
    bases = [rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64) for _ in range(40)]
    for i, base in enumerate(bases):
        _store(conn, index, f"a{i}", _signature(base))
    found: dict[int, list[int]] = {}
    for equal in range(64, 129, 8):  # estimated Jaccard 0.5, 0.5625 … 1.0
        new_hits = old_hits = 0
        for trial in range(60):
            original = trial % len(bases)
            probe = _signature(_copy(bases[original], equal, rng))
            assert probe.similarity(_signature(bases[original])) == equal / NUM_PERM
            new_hits += f"a{original}" in [key for key, _ in index.matches(probe)]
            old_hits += f"a{original}" in [key for key, _ in old.matches(probe)]
        found[equal] = [new_hits, old_hits]
        assert new_hits >= old_hits, (equal, new_hits, old_hits)
        if equal >= 0.7 * NUM_PERM:
            assert new_hits == 60, equal
    assert found[64][0] >= 0.8 * 60  # P(two of 64 bands) = 0.92 at 0.5 (any-band: 0.87)


def _skewed_signature(rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """An unrelated article whose MinHash values come from a few common shingles: generated articles recombine
    a few seeds' sentences, and real ones share stock phrases, so two of them share a band by chance."""
    return pool[np.arange(NUM_PERM), rng.choice(len(weights), NUM_PERM, p=weights)]


def _candidates_per_article(conn: Connection, index: WarehouseReprintIndex, probes: list[Fingerprint]) -> float:
    before = index.candidates_fetched
    for probe in probes:
        index.matches(probe)
    return (index.candidates_fetched - before) / len(probes)


def test_chance_candidates_do_not_grow_with_the_warehouse():
    rng = np.random.default_rng(7)
    weights = 1 / np.arange(1, 13)
    weights /= weights.sum()  # two unrelated signatures agree on a value with a chance of 0.16
    pool = rng.integers(0, 2**32, (NUM_PERM, len(weights)), dtype=np.uint64)
    probes = [_signature(_skewed_signature(rng, pool, weights)) for _ in range(100)]
    conn = _fingerprint_tables()
    index = WarehouseReprintIndex(conn)
    old = WarehouseReprintIndex(conn, scheme="any-band")
    figures = {}
    stored = 0
    for size in (300, 1200):
        while stored < size:
            _store(conn, index, f"a{stored}", _signature(_skewed_signature(rng, pool, weights)))
            stored += 1
        figures[size] = (_candidates_per_article(conn, index, probes), _candidates_per_article(conn, old, probes))
    (new_small, old_small), (new_large, old_large) = figures[300], figures[1200]
    assert old_large - old_small > 15  # the chance candidates any-band fetched grew with the warehouse …
    assert new_large - new_small < (old_large - old_small) / 10, figures  # … these at a tenth of its rate at most
    assert new_large < 2.5, figures
    assert all(not index.matches(probe) for probe in probes)  # and none of them is a reprint


def test_an_article_fetches_at_most_max_band_candidates_however_many_share_its_bands(monkeypatch):
    rng = np.random.default_rng(11)
    base = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)
    conn = _fingerprint_tables()
    index = WarehouseReprintIndex(conn)
    for i in range(12):  # twelve copies sharing ever more of the probe's values: 40 … 117 of 128
        _store(conn, index, f"c{i:02d}", _signature(_copy(base, 40 + 7 * i, rng)))
    probe = _signature(base)
    everything = [key for key, _ in index.matches(probe)]
    monkeypatch.setattr(reprint_clusters, "MAX_BAND_CANDIDATES", 3)
    before = index.candidates_fetched
    capped = [key for key, _ in index.matches(probe)]
    assert index.candidates_fetched - before == 3
    assert capped == everything[:3] == ["c11", "c10", "c09"]  # the ones sharing the most bands


def _reprint(text: str, keep: float, rng: random.Random) -> str:
    sentences = [s for s in text.replace("。", "。\n").splitlines() if s.strip()]
    kept = [s for s in sentences if rng.random() < keep]
    return "\n".join(["转载：新标题", "来源：某地晚报 编辑：某某", *kept, "（责任编辑：佚名）"])


def test_reprints_of_the_seeds_are_found_as_the_in_memory_index_finds_them():
    rng = random.Random(19)
    texts = {prefix: simplify(seed_text(prefix)).simplified for prefix in SEEDS}
    conn = _fingerprint_tables()
    index = WarehouseReprintIndex(conn)
    for prefix, text in texts.items():
        _store(conn, index, prefix, fingerprint(text))
    memory = ReprintIndex((prefix, fingerprint(text)) for prefix, text in texts.items())
    checked = 0
    for prefix, text in texts.items():
        for keep in (0.97, 0.9, 0.8, 0.7):
            probe = fingerprint(_reprint(text, keep, rng))
            hits = index.matches(probe)
            if probe.similarity(fingerprint(text)) >= 0.6:
                assert [key for key, _ in hits] == [prefix], (prefix, keep)
                checked += 1
            assert hits == memory.matches(probe), (prefix, keep)
    assert checked >= 12


def test_a_warehouse_banded_before_issue_19_gets_its_crosswise_bands_at_the_next_load(db_url: str):
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    with engine.begin() as conn:  # as a warehouse of the earlier code left it: 32 bands an article
        assert CROSSWISE_UPGRADE in conn.scalars(select(WarehouseUpgrade.name)).all()
        conn.execute(FingerprintBand.__table__.delete().where(FingerprintBand.band >= BANDS))
        conn.execute(WarehouseUpgrade.__table__.delete().where(WarehouseUpgrade.name == CROSSWISE_UPGRADE))
        prints = {
            key: Fingerprint(bytes(sig), n)
            for key, sig, n in conn.execute(
                select(ArticleFingerprint.article_id, ArticleFingerprint.signature, ArticleFingerprint.shingles)
            )
        }
    load(engine, processed_seeds())  # the same files again: unchanged, but the load builds its index first
    with engine.connect() as conn:
        rows = conn.execute(select(FingerprintBand.article_id, FingerprintBand.band, FingerprintBand.hash)).all()
    by_article: dict[str, dict[int, int]] = {}
    for key, band, value in rows:
        by_article.setdefault(key, {})[band] = value
    assert set(by_article) == set(prints)
    for key, print_ in prints.items():
        assert [by_article[key][b] for b in range(2 * BANDS)] == band_hashes(print_)


def test_an_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown band scheme"):
        WarehouseReprintIndex(_fingerprint_tables(), scheme="one-band")
