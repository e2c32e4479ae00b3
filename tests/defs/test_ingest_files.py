"""End to end, on SQLite and PostgreSQL: one dropped batch with every kind of file, through Dagster.

GBK copy of a seed → the same article (unchanged); Big5 Traditional copy of another → reprint; a republished
copy of a third with new boilerplate → reprint; empty, binary and truncated-HTML files → rejected and moved to
the quarantine. Nothing the warehouse already held may change, except that the originals now name their
cluster (reprint_cluster) and were seen again (last_ingested).
"""

from pathlib import Path

import dagster as dg
from sqlalchemy import select

from pipelines.defs.ingest_files import ingest
from tests.ingest_fixtures import (
    counted_statistics_per_station,
    load,
    processed_seeds,
    snapshot,
    write_drop_batch,
)
from warehouse.db import get_engine
from warehouse.quarantine_log import quarantined
from warehouse.schema import Article

VOLATILE = {"reprint_cluster", "last_ingested"}


def _articles_without(engine, columns: set[str]) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Article)).mappings().all()
    return {row["id"]: {k: v for k, v in row.items() if k not in columns} for row in rows}


def test_drop_batch_end_to_end(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    seeds = processed_seeds()
    load(engine, seeds, batch_key="seeds")
    seed_ids = {Path(a.article.clean.raw.path).name[:3]: a.id for a in seeds[0]}
    held_articles = _articles_without(engine, VOLATILE)
    held_rows = {t: rows for t, rows in snapshot(engine).items() if t not in ("article", "source_file")}
    counted = counted_statistics_per_station(engine)

    drop, quarantine = tmp_path / "incoming", tmp_path / "quarantine"
    expected = write_drop_batch(drop)
    with dg.instance_for_test() as instance:
        report = ingest([drop], db_url, instance=instance, quarantine_dir=quarantine)
        event = instance.get_latest_materialization_event(dg.AssetKey("warehouse_articles"))
    outcomes = {Path(p).name: o for p, o in report.outcomes.items()}
    assert {name: o.kind for name, o in outcomes.items()} == expected
    assert outcomes["gbk_copy_001.txt"].article_id == seed_ids["001"]
    assert outcomes["big5_copy_003.txt"].detail == seed_ids["003"]
    assert outcomes["reprint_002.txt"].detail == seed_ids["002"]
    assert len(report.batches) == 1

    # The run's Dagster metadata says how many were rejected and quarantined.
    meta = {k: v.value for k, v in event.asset_materialization.metadata.items()}
    assert (meta["rejected"], meta["quarantined"], meta["reprints"], meta["new"]) == (3, 3, 2, 0)

    # Rejects: recorded with their reason and moved out of the drop folder.
    reasons = {Path(r["path"]).name: r for r in quarantined(engine)}
    assert reasons["empty.txt"]["reason"] == "empty file"
    assert "binary" in reasons["scan.txt"]["reason"]
    assert "without article text" in reasons["truncated.html"]["reason"]
    for name in ("empty.txt", "scan.txt", "truncated.html"):
        assert not (drop / name).exists()
        assert Path(reasons[name]["moved_to"]).is_file() and Path(reasons[name]["moved_to"]).is_relative_to(quarantine)

    # Nothing already held changed: same articles, texts and metadata; same sentences, stations, statistics …
    after = _articles_without(engine, VOLATILE)
    assert {i: after[i] for i in held_articles} == held_articles
    assert len(after) == len(held_articles) + 2  # the two reprints, kept as reach
    new_rows = snapshot(engine)
    for table, rows in held_rows.items():
        assert set(rows) <= set(new_rows[table]), table
    with engine.connect() as conn:
        clusters = dict(conn.execute(select(Article.id, Article.reprint_cluster)).all())
    assert clusters[seed_ids["002"]] == seed_ids["002"] and clusters[seed_ids["003"]] == seed_ids["003"]
    assert clusters[seed_ids["000"]] is None and clusters[seed_ids["001"]] is None
    # … and comparisons count each report once.
    assert counted_statistics_per_station(engine) == counted

    # Dropping the same folder again is a no-op: everything left is unchanged, no batch is made.
    with dg.instance_for_test() as instance:
        again = ingest([drop], db_url, instance=instance, quarantine_dir=quarantine)
    assert not again.batches and {o.kind for o in again.outcomes.values()} == {"unchanged"}
    assert len(again.outcomes) == 3
