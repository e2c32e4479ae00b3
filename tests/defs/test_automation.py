"""The drop-folder sensor and the daily rescan, tested with Dagster's own helpers on SQLite and PostgreSQL."""

import os
import shutil
import time
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import event, func, select

from pipelines.batch.ingest_plan import BATCH_SIZE
from pipelines.definitions import defs
from pipelines.defs.automation import (
    INGEST_BATCHES,
    corpus_rescan_schedule,
    incoming_sensor,
    ingest_job,
)
from pipelines.defs.resources import DropFolders, WarehouseResource
from tests.conftest import SEEDS
from warehouse.db import get_engine
from warehouse.load import batch_manifest
from warehouse.schema import Article, IngestBatch


@pytest.fixture
def folders(tmp_path: Path) -> DropFolders:
    corpus = tmp_path / "corpus"
    (corpus / "incoming").mkdir(parents=True)
    (corpus / "quarantine" / "old-batch").mkdir(parents=True)
    return DropFolders(
        corpus=str(corpus), incoming=str(corpus / "incoming"), quarantine=str(corpus / "quarantine"), settle_seconds=0
    )


def _resources(db_url: str, folders: DropFolders) -> dict:
    return {"warehouse": WarehouseResource(url=db_url), "folders": folders}


def _tick(instance, db_url: str, folders: DropFolders):
    """One sensor evaluation: a SensorResult (run and partition requests) or a SkipReason."""
    # used as context managers so their resources are torn down: left open, the resource context keeps a
    # process-wide Dagster state pointer to a dead instance and breaks later Definitions loads
    with dg.build_sensor_context(instance=instance, resources=_resources(db_url, folders)) as context:
        return incoming_sensor(context)


def _rescan(instance, db_url: str, folders: DropFolders):
    with dg.build_schedule_context(instance=instance, resources=_resources(db_url, folders)) as context:
        return corpus_rescan_schedule(context)


def _run(instance, db_url: str, folders: DropFolders, request: dg.RunRequest) -> dg.ExecuteInProcessResult:
    """What the daemon does with a run request: the ingest job for that batch's partition."""
    return defs.resolve_job_def(ingest_job.name).execute_in_process(
        run_config=request.run_config,
        instance=instance,
        partition_key=request.partition_key,
        tags=request.tags,
        resources=_resources(db_url, folders),
    )


def test_drop_folder_to_warehouse_through_sensor_run_and_rescan(db_url: str, folders: DropFolders):
    incoming, corpus = Path(folders.incoming), Path(folders.corpus)
    shutil.copy(SEEDS["000"], incoming / "a.txt")
    shutil.copy(SEEDS["002"], incoming / "b.txt")
    (incoming / "empty.txt").write_bytes(b"")
    (Path(folders.quarantine) / "old-batch" / "bad.txt").write_bytes(b"")  # never scanned again
    with dg.instance_for_test() as instance:
        assert _tick(instance, db_url, folders).run_requests  # nothing ran yet: the next tick proposes them again
        result = _tick(instance, db_url, folders)
        [request] = result.run_requests
        [partitions] = result.dynamic_partitions_requests
        assert partitions.partitions_def_name == INGEST_BATCHES.name
        assert partitions.partition_keys == [request.partition_key]
        engine = get_engine(db_url)
        assert sorted(Path(p).name for p in batch_manifest(engine, request.partition_key)) == [
            "a.txt",
            "b.txt",
            "empty.txt",
        ]

        instance.add_dynamic_partitions(INGEST_BATCHES.name, [request.partition_key])
        run = _run(instance, db_url, folders, request)
        assert run.success
        [materialization] = run.asset_materializations_for_node("warehouse_articles")
        meta = {k: v.value for k, v in materialization.metadata.items()}
        assert (meta["new"], meta["rejected"], meta["quarantined"]) == (2, 1, 1)
        assert not (incoming / "empty.txt").exists()
        assert list(Path(folders.quarantine).glob(f"{request.partition_key}/empty.txt"))
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Article)) == 2

        skipped = _tick(instance, db_url, folders)
        assert isinstance(skipped, dg.SkipReason) and "2 unchanged" in skipped.skip_message

        (incoming / "b.txt").write_text(SEEDS["002"].read_text(encoding="utf-8") + "\n本文有更新。", encoding="utf-8")
        [changed] = _tick(instance, db_url, folders).run_requests
        assert [Path(p).name for p in batch_manifest(engine, changed.partition_key)] == ["b.txt"]

        # The daily rescan covers the whole corpus except the quarantine; known files cost no batch.
        shutil.copy(SEEDS["004"], corpus / "c.txt")
        requests = _rescan(instance, db_url, folders)
        assert len(requests) == 1
        names = sorted(Path(p).name for p in batch_manifest(engine, requests[0].partition_key))
        assert names == ["b.txt", "c.txt"]
        assert requests[0].partition_key in instance.get_dynamic_partitions(INGEST_BATCHES.name)


def test_files_in_a_running_batch_are_not_submitted_again(db_url: str, folders: DropFolders):
    shutil.copy(SEEDS["001"], Path(folders.incoming) / "a.txt")
    with dg.instance_for_test() as instance:
        [request] = _tick(instance, db_url, folders).run_requests
        job = defs.resolve_job_def(ingest_job.name)
        run = instance.create_run_for_job(
            job, tags={"dagster/partition": request.partition_key}, status=dg.DagsterRunStatus.STARTED
        )
        busy = _tick(instance, db_url, folders)
        assert isinstance(busy, dg.SkipReason) and "1 already in a running batch" in busy.skip_message
        instance.report_run_failed(run)  # a failed run loaded nothing: its files are proposed again
        [retry] = _tick(instance, db_url, folders).run_requests
        assert batch_manifest(get_engine(db_url), retry.partition_key) == [str(Path(folders.incoming) / "a.txt")]


def test_a_tick_over_many_files_makes_few_batches_and_one_known_files_query(db_url: str, folders: DropFolders):
    incoming = Path(folders.incoming)
    count = 2 * BATCH_SIZE + 7
    for i in range(count):
        (incoming / f"{i:05d}.txt").write_text(f"第{i}号通报：派出所调解矛盾纠纷{i}起。", encoding="utf-8")
    engine = get_engine(db_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with dg.instance_for_test() as instance:
        result = _tick(instance, db_url, folders)
    assert len(result.run_requests) == 3  # batches, not files
    assert len(result.dynamic_partitions_requests[0].partition_keys) == 3
    assert sum(1 for s in statements if "FROM source_file" in s) == 1
    with engine.connect() as conn:
        sizes = [len(files) for files in conn.scalars(select(IngestBatch.files))]
    assert sorted(sizes) == [7, BATCH_SIZE, BATCH_SIZE]


def test_a_file_still_being_copied_waits_for_a_later_tick(db_url: str, folders: DropFolders):
    settling = DropFolders(
        corpus=folders.corpus, incoming=folders.incoming, quarantine=folders.quarantine, settle_seconds=60
    )
    old, fresh = Path(folders.incoming) / "old.txt", Path(folders.incoming) / "fresh.txt"
    shutil.copy(SEEDS["000"], old)
    shutil.copy(SEEDS["001"], fresh)
    os.utime(old, (time.time() - 120, time.time() - 120))
    with dg.instance_for_test() as instance:
        [request] = _tick(instance, db_url, settling).run_requests
        assert batch_manifest(get_engine(db_url), request.partition_key) == [str(old)]
        os.utime(fresh, (time.time() - 120, time.time() - 120))  # the copy finished a while ago
        [later] = _tick(instance, db_url, settling).run_requests
    assert str(fresh) in batch_manifest(get_engine(db_url), later.partition_key)


def test_missing_drop_folder_is_a_skip_not_an_error(db_url: str, tmp_path: Path):
    folders = DropFolders(corpus=str(tmp_path / "nope"), incoming=str(tmp_path / "nope" / "incoming"))
    with dg.instance_for_test() as instance:
        skipped = _tick(instance, db_url, folders)
        rescan = _rescan(instance, db_url, folders)
    assert "does not exist" in skipped.skip_message
    assert "does not exist" in rescan.skip_message


def test_sensor_and_schedule_are_on_by_default():
    repo = defs.get_repository_def()
    sensor = repo.get_sensor_def("incoming_sensor")
    schedule = repo.get_schedule_def("corpus_rescan_schedule")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert sensor.job_name == schedule.job_name == "ingest_job"
    assert schedule.cron_schedule == "0 3 * * *"
