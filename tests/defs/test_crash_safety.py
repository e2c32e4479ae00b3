"""A batch lands whole or not at all, and concurrent ingests of overlapping files leave one copy of each article.

Both on SQLite and PostgreSQL. Failures are injected in the middle of a load that has new, updated, reprint,
unchanged and rejected files, and the whole warehouse (every row of every table) is compared with before.
"""

import shutil
import threading
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import func, select

import warehouse.load as load_module
from pipelines.defs.build import BuildError
from pipelines.defs.ingest_files import ingest
from tests.conftest import SEEDS, seed_text
from tests.ingest_fixtures import (
    load,
    process,
    processed_seeds,
    reprint_with_new_boilerplate,
    snapshot,
    to_traditional,
)
from warehouse.db import get_engine
from warehouse.schema import Article, Sentence, SourceFile


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory):
    """Seed 000 at a path of its own, then a batch that updates it, reprints 002, repeats 001 and rejects one."""
    folder = tmp_path_factory.mktemp("mixed")
    own = folder / "000.txt"
    shutil.copy(SEEDS["000"], own)
    before = process([own])
    own_changed = folder / "changed" / "000.txt"
    own_changed.parent.mkdir()
    (folder / "reprint_002.txt").write_text(reprint_with_new_boilerplate("002"), encoding="utf-8")
    (folder / "copy_001.txt").write_text(seed_text("001"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    own.write_text(seed_text("000").replace("荣立集体二等功4次", "荣立集体二等功5次"), encoding="utf-8")
    batch = process([own, folder / "reprint_002.txt", folder / "copy_001.txt", folder / "empty.txt"])
    return before, batch


def _fail_on(monkeypatch, name: str, call: int) -> None:
    real = getattr(load_module, name)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            raise RuntimeError(f"injected failure in {name}")
        return real(*args, **kwargs)

    monkeypatch.setattr(load_module, name, failing)


INJECTION_POINTS = [
    ("load_extraction", 2),  # in the middle of the articles: the first one's rows are already written
    ("archive_version", 1),  # while moving the replaced version to history
    ("assign_cluster", 1),  # while joining the reprint to its cluster
    ("record_rejection", 1),  # after every article, while recording the rejected file
]


def test_a_failure_in_the_middle_of_a_batch_leaves_the_warehouse_exactly_as_it_was(
    db_url: str, mixed_batch, monkeypatch
):
    engine = get_engine(db_url)
    before, batch = mixed_batch
    load(engine, processed_seeds(), batch_key="seeds")
    load(engine, before, batch_key="before")
    state = snapshot(engine)
    for where, call in INJECTION_POINTS:
        with monkeypatch.context() as patch:
            _fail_on(patch, where, call)
            with pytest.raises(RuntimeError, match="injected"):
                load(engine, batch, batch_key="mixed")
        assert snapshot(engine) == state, where

    result = load(engine, batch, batch_key="mixed")  # the same batch, without a failure, loads in full
    assert sorted(o.kind for o in result.outcomes.values()) == ["rejected", "reprint", "unchanged", "updated"]
    assert snapshot(engine) != state


def test_a_failed_dagster_run_moves_no_file_and_changes_nothing(db_url: str, tmp_path: Path, monkeypatch):
    engine = get_engine(db_url)
    load(engine, processed_seeds(), batch_key="seeds")
    drop = tmp_path / "incoming"
    drop.mkdir()
    (drop / "reprint_002.txt").write_text(reprint_with_new_boilerplate("002"), encoding="utf-8")
    (drop / "empty.txt").write_bytes(b"")
    state = snapshot(engine)
    _fail_on(monkeypatch, "record_rejection", 1)
    with dg.instance_for_test() as instance, pytest.raises(BuildError, match="injected failure"):
        ingest([drop], db_url, instance=instance, quarantine_dir=tmp_path / "quarantine")
    assert (drop / "empty.txt").exists() and not (tmp_path / "quarantine").exists()
    after = snapshot(engine)
    # Only the batch's manifest (written before the run, so a retry can find it) is new.
    assert {k: v for k, v in after.items() if k != "ingest_batch"} == {
        k: v for k, v in state.items() if k != "ingest_batch"
    }
    assert len(after["ingest_batch"]) == len(state["ingest_batch"]) + 1


def test_two_concurrent_ingests_of_overlapping_files_leave_one_copy_of_each(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    seeds = processed_seeds()
    reprint = tmp_path / "reprint_002.txt"
    reprint.write_text(reprint_with_new_boilerplate("002"), encoding="utf-8")
    traditional = tmp_path / "traditional_000.txt"
    traditional.write_text(to_traditional(seed_text("000")), encoding="utf-8")
    extra = process([reprint, traditional])
    first = (seeds[0][:4], seeds[1], [])  # 000-003
    second = (seeds[0][1:] + extra[0], {**seeds[1], **extra[1]}, [])  # 001-004 and two reprints of 000 and 002
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    results = {}

    def run(name, processed):
        try:
            barrier.wait(timeout=30)
            results[name] = load(engine, processed, batch_key=name)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=args) for args in (("first", first), ("second", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    ids = {a.id for a in seeds[0]} | {a.id for a in extra[0]}
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(Article.id))) == sorted(ids)
        assert conn.scalar(select(func.count()).select_from(Sentence)) == sum(
            len(a.sentences) for a in seeds[0] + extra[0]
        )
        assert conn.scalar(select(func.count()).select_from(SourceFile)) == 7
        clusters = dict(conn.execute(select(Article.id, Article.reprint_cluster)).all())
    by_prefix = {Path(a.article.clean.raw.path).name[:3]: a.id for a in seeds[0]}
    # Whichever load committed first, each copy found the other in its committed rows and they share a cluster;
    # the copies carry the same date, so the original is whichever was ingested first.
    for copy, seed in ((extra[0][0].id, by_prefix["002"]), (extra[0][1].id, by_prefix["000"])):
        assert clusters[copy] == clusters[seed] and clusters[seed] in {copy, seed}
    assert all(clusters[by_prefix[p]] is None for p in ("001", "003", "004"))
    outcomes = [o.kind for r in results.values() for o in r.outcomes.values()]
    assert outcomes.count("new") == 5 and outcomes.count("reprint") == 2 and outcomes.count("unchanged") == 3
