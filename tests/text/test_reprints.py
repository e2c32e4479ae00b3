"""Reprint detection (character-shingle MinHash/LSH) and reprint clusters in the warehouse, on both databases."""

import datetime as dt
import itertools
from pathlib import Path

import pytest
from sqlalchemy import select

from pipelines.text.reprints import (
    CONTAINMENT_HINT,
    MIN_SHINGLES,
    NUM_PERM,
    REPRINT_CONTAINMENT,
    REPRINT_JACCARD,
    Copy,
    Fingerprint,
    ReprintIndex,
    containment,
    estimated_containment,
    fingerprint,
    original_of,
    shingles,
)
from pipelines.text.simplify import simplify
from tests.conftest import SEEDS, seed_text
from tests.ingest_fixtures import (
    all_statistics_per_station,
    counted_statistics_per_station,
    load,
    process,
    processed_seeds,
    reprint_with_new_boilerplate,
    to_traditional,
)
from warehouse.db import get_engine
from warehouse.reprint_clusters import (
    FINGERPRINTS_UPGRADE,
    ArticleFingerprint,
    FingerprintBand,
    WarehouseReprintIndex,
)
from warehouse.schema import Article, WarehouseUpgrade


def _print(text: str):
    return fingerprint(simplify(text).simplified)


def test_shingles_ignore_punctuation_spacing_and_full_width_digits():
    assert shingles("调处矛盾纠纷７００余起。") == shingles("调处 矛盾纠纷,700余起")
    assert "纠纷700" in shingles("调处矛盾纠纷700余起")
    assert shingles("") == set()


def test_traditional_copies_and_republished_copies_match_their_seed_and_nothing_else():
    seeds = {prefix: _print(seed_text(prefix)) for prefix in SEEDS}
    for prefix, print_ in seeds.items():
        assert print_.similarity(_print(to_traditional(seed_text(prefix)))) >= REPRINT_JACCARD, prefix
        assert print_.similarity(_print(reprint_with_new_boilerplate(prefix))) >= REPRINT_JACCARD, prefix
    for a, b in itertools.combinations(seeds, 2):
        assert seeds[a].similarity(seeds[b]) < 0.1, (a, b)


def test_fingerprints_and_similarity_are_datasketchs_own():
    """Stored signatures must stay comparable with what datasketch computes, and the shortcut similarity must be
    exactly `MinHash.jaccard`: reprint decisions and old warehouses depend on both."""
    from datasketch import MinHash

    texts = [simplify(seed_text(prefix)).simplified for prefix in SEEDS]
    texts.append(simplify(to_traditional(seed_text("004"))).simplified)
    prints = [fingerprint(text) for text in texts]
    for text, print_ in zip(texts, prints, strict=True):
        plain = MinHash(num_perm=NUM_PERM, scheme="affine32")  # permutations drawn afresh from the seed
        plain.update_batch(g.encode("utf-8") for g in sorted(shingles(text)))
        assert print_.signature == plain.hashvalues.astype("uint32").tobytes()
    for a, b in itertools.combinations(prints, 2):
        assert a.similarity(b) == a.minhash().jaccard(b.minhash())
    assert prints[list(SEEDS).index("004")].similarity(prints[-1]) >= REPRINT_JACCARD  # the copy: not all zeros


def test_index_finds_the_copy_and_forgets_removed_articles():
    index = ReprintIndex((prefix, _print(seed_text(prefix))) for prefix in SEEDS)
    assert len(index) == len(SEEDS)
    found = index.matches(_print(to_traditional(seed_text("004"))))
    assert [key for key, _ in found] == ["004"]
    index.remove("004")
    assert index.matches(_print(to_traditional(seed_text("004")))) == []


def test_short_texts_never_make_a_cluster():
    tiny = fingerprint("派出所调解纠纷")
    assert tiny.shingle_count < MIN_SHINGLES
    index = ReprintIndex([("tiny", tiny)])
    assert len(index) == 0 and index.matches(tiny) == []


def test_the_earliest_dated_copy_is_the_original():
    t = dt.datetime(2024, 1, 1)
    copies = [
        Copy("b", dt.date(2023, 5, 1), t),
        Copy("a", dt.date(2023, 3, 9), t + dt.timedelta(days=9)),
        Copy("undated", None, t - dt.timedelta(days=1)),
    ]
    assert original_of(copies) == "a"
    assert original_of([Copy("late", None, t + dt.timedelta(1)), Copy("early", None, t)]) == "early"
    with pytest.raises(ValueError):
        original_of([])


EARLIER = "发布时间：2022-01-05 来源：新会报 作者：王强"  # and the seed's own date line moved back, whichever is read


@pytest.fixture(scope="module")
def reprint_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reprints")
    files = {
        "later": folder / "reprint_002_later.txt",
        "earlier": folder / "reprint_002_earlier.txt",
        "traditional": folder / "traditional_000.txt",
    }
    files["later"].write_text(reprint_with_new_boilerplate("002"), encoding="utf-8")
    files["earlier"].write_text(
        to_traditional(reprint_with_new_boilerplate("002", EARLIER).replace("2023/3/9", "2022/1/5")), encoding="utf-8"
    )
    files["traditional"].write_text(to_traditional(seed_text("000")), encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def reprints_processed(reprint_files):
    return {name: process([path]) for name, path in reprint_files.items()}


def _cluster(engine, article_id: str) -> str | None:
    with engine.connect() as conn:
        return conn.scalar(select(Article.reprint_cluster).where(Article.id == article_id))


def test_reprints_add_reach_not_statistics(db_url: str, reprints_processed):
    engine = get_engine(db_url)
    seeds = processed_seeds()
    load(engine, seeds)
    seed_ids = {Path(a.article.clean.raw.path).name[:3]: a.id for a in seeds[0]}
    counted, raw = counted_statistics_per_station(engine), all_statistics_per_station(engine)
    assert sum(counted.values()) > 10 and counted == raw  # nothing clustered yet

    later = load(engine, reprints_processed["later"])
    [outcome] = later.outcomes.values()
    assert (outcome.kind, outcome.detail) == ("reprint", seed_ids["002"])
    assert _cluster(engine, seed_ids["002"]) == seed_ids["002"]  # set on the original too
    assert _cluster(engine, outcome.article_id) == seed_ids["002"]
    assert counted_statistics_per_station(engine) == counted
    assert sum(all_statistics_per_station(engine).values()) > sum(raw.values())  # the reprint's rows exist

    # A copy dated before the seed becomes the cluster's original, for every member.
    earlier = load(engine, reprints_processed["earlier"])
    [outcome] = earlier.outcomes.values()
    assert outcome.kind == "reprint"  # the cluster's original now, but no new report (issue 20)
    assert outcome.detail in {seed_ids["002"], later.new[0]}
    for member in (seed_ids["002"], later.new[0], outcome.article_id):
        assert _cluster(engine, member) == outcome.article_id
    assert counted_statistics_per_station(engine) == counted

    # The Traditional version of a Simplified seed joins the seed's cluster.
    traditional = load(engine, reprints_processed["traditional"])
    [outcome] = traditional.outcomes.values()
    assert (outcome.kind, outcome.detail) == ("reprint", seed_ids["000"])
    assert counted_statistics_per_station(engine) == counted
    others = [seed_ids[p] for p in ("001", "003", "004")]
    assert all(_cluster(engine, i) is None for i in others)
    with engine.connect() as conn:
        assert len(conn.scalars(select(ArticleFingerprint.article_key)).all()) == 8


def test_the_warehouse_index_finds_what_the_in_memory_index_finds(db_url: str):
    # the load step asks the band table for candidates instead of rebuilding datasketch's index every batch
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    probes = [_print(to_traditional(seed_text(p))) for p in SEEDS] + [_print(reprint_with_new_boilerplate("002"))]
    probes.append(fingerprint("派出所调解纠纷"))  # too short to match anything
    with engine.begin() as conn:
        stored = conn.execute(
            select(ArticleFingerprint.article_id, ArticleFingerprint.signature, ArticleFingerprint.shingles)
        ).all()
        memory = ReprintIndex((key, Fingerprint(bytes(sig), n)) for key, sig, n in stored)
        index = WarehouseReprintIndex(conn)
        found = [index.matches(probe) for probe in probes]
        assert found == [memory.matches(probe) for probe in probes]
        assert sum(1 for hits in found if hits) >= 3  # raw seeds: a damaged one need not match its clean text
        probe, hits = next((probe, hits) for probe, hits in zip(probes, found, strict=True) if hits)
        index.remove(hits[0][0])
        assert hits[0][0] not in [key for key, _ in index.matches(probe)]
        conn.rollback()


@pytest.mark.parametrize("table", [ArticleFingerprint, FingerprintBand], ids=["fingerprints", "bands"])
def test_articles_loaded_before_fingerprints_or_bands_existed_get_them(db_url: str, reprints_processed, table):
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    with engine.begin() as conn:  # a warehouse from before: no such rows, and no record of the upgrade
        conn.execute(table.__table__.delete())
        conn.execute(WarehouseUpgrade.__table__.delete())
    result = load(engine, reprints_processed["traditional"])
    assert [o.kind for o in result.outcomes.values()] == ["reprint"]
    with engine.connect() as conn:
        assert len(set(conn.scalars(select(table.article_key)))) == len(SEEDS) + 1


def test_a_load_looks_for_articles_without_fingerprints_only_until_it_found_none(db_url: str, reprints_processed):
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    with engine.begin() as conn:
        assert FINGERPRINTS_UPGRADE in conn.scalars(select(WarehouseUpgrade.name)).all()
        conn.execute(FingerprintBand.__table__.delete())  # what no load of this code leaves behind
    load(engine, reprints_processed["traditional"])
    with engine.connect() as conn:  # the seeds were not looked for again: only the new article has bands
        assert len(set(conn.scalars(select(FingerprintBand.article_key)))) == 1


def _truncated(prefix: str, share: float) -> str:
    """The first `share` of a report's characters, as a site that kept only the top of a page would."""
    text = seed_text(prefix)
    return text[: round(len(text) * share)]


def test_containment_judges_a_cut_short_copy_whatever_its_length():
    whole = simplify(seed_text("003")).simplified
    for share in (0.1, 0.25, 0.45):
        part = simplify(_truncated("003", share)).simplified
        assert _print(part).similarity(_print(whole)) < REPRINT_JACCARD  # Jaccard alone would miss it
        assert containment(part, whole) >= REPRINT_CONTAINMENT, share
        assert containment(whole, part) >= REPRINT_CONTAINMENT  # symmetric: the shorter text is judged
        assert estimated_containment(fingerprint(part), fingerprint(whole)) >= CONTAINMENT_HINT, share
    others = {p: simplify(seed_text(p)).simplified for p in SEEDS if p != "003"}
    assert all(containment(text, whole) < 0.2 for text in others.values())
    assert containment("派出所调解纠纷", whole) == 0.0  # too short to judge


def _seeds_loaded(db_url: str):  # noqa: ANN202 - (engine, seed prefix → article id, counted statistics)
    engine = get_engine(db_url)
    seeds = processed_seeds()
    load(engine, seeds)
    seed_ids = {Path(a.article.clean.raw.path).name[:3]: a.id for a in seeds[0]}
    return engine, seed_ids, counted_statistics_per_station(engine)


def test_a_cut_short_copy_joins_its_original_and_adds_no_figures(db_url: str, tmp_path: Path):
    engine, seed_ids, counted = _seeds_loaded(db_url)
    path = tmp_path / "top_of_page_003.txt"
    path.write_text(_truncated("003", 0.35), encoding="utf-8")
    processed = process([path])
    assert processed[1][processed[0][0].id].statistics  # the copy repeats figures the seed has
    [outcome] = load(engine, processed).outcomes.values()
    assert (outcome.kind, outcome.detail) == ("reprint", seed_ids["003"])
    assert _cluster(engine, outcome.article_id) == seed_ids["003"]
    assert counted_statistics_per_station(engine) == counted


def test_a_big5_copy_that_lost_its_glosses_tones_is_a_reprint(db_url: str, tmp_path: Path):
    engine, seed_ids, counted = _seeds_loaded(db_url)
    path = tmp_path / "big5_damaged_001.txt"
    path.write_bytes(seed_text("001").encode("big5", errors="replace"))  # 區(qū) → 區(q?)
    [outcome] = load(engine, process([path])).outcomes.values()
    assert (outcome.kind, outcome.detail) == ("reprint", seed_ids["001"])
    assert counted_statistics_per_station(engine) == counted
