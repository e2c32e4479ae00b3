"""deploy/definitions.py on real Celery workers: the warehouse they build is the one an in-process build makes,
and a worker killed in the middle of a step costs nothing but the time to run the step again.

The two-batch runs start the way production starts them: `dagster-daemon run -f deploy/definitions.py` ticks
the drop-folder sensor, which registers each batch and asks for its run; the queue lets one run at a time go
and the daemon launches it. The kill test asks the same sensor and executes its run itself, so that it can
hold the batch in place while it kills. Every run executes on the Celery executor against the Dagster instance
of deploy/dagster.yaml (PostgreSQL), and every step in a worker started with the README's command.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from unittest import mock

import dagster as dg
import pytest
from dagster._core.definitions.reconstruct import ReconstructableJob, ReconstructableRepository
from sqlalchemy import create_engine, text

from pipelines.batch import synth
from pipelines.batch.parallel import MIN_PARALLEL_ITEMS, WORKERS_ENV
from pipelines.defs.build import build
from pipelines.defs.resources import DropFolders, WarehouseResource
from tests.conftest import REPO, SEEDS, _fresh_pg_database
from tests.deploy.canonical import canonical_rows
from tests.deploy.celery_workers import process_gone, step_process, wait_for
from tests.deploy.conftest import Deployment, Workers
from tests.deploy.daemon import running_daemon
from tests.ingest_fixtures import reprint_with_new_boilerplate

DEFINITIONS = REPO / "deploy" / "definitions.py"
FIXTURES = REPO / "tests" / "fixtures"
BATCH_ROW_LOCK = text("SELECT key FROM ingest_batch WHERE key = :key FOR NO KEY UPDATE")
# The load's last statement, `UPDATE ingest_batch … loaded`, waiting for that row, in a transaction that has
# written (PostgreSQL gives a transaction an id at its first write).
LOAD_WAITING_AFTER_WRITES = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    " AND backend_xid IS NOT NULL AND query LIKE 'UPDATE ingest_batch%'"
)
DAEMON_SECONDS = 240  # a bound on a tick and a run; nothing waits for it unless something is stuck
STEP_SECONDS = 120  # a generous bound on one small batch's run; nothing waits for it unless something is stuck


def deploy_module() -> ModuleType:
    """deploy/definitions.py, imported afresh (it reads its settings from the environment when imported)."""
    spec = importlib.util.spec_from_file_location("fqa_deploy_definitions", DEFINITIONS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ingest_job() -> ReconstructableJob:
    """The deploy code location's ingest job, as a pointer the workers load the job from (the file, by path)."""
    repository = ReconstructableRepository.for_file(str(DEFINITIONS), "defs", working_directory=str(REPO))
    return repository.get_reconstructable_job("ingest_job")


def sensor_tick(instance: dg.DagsterInstance, deployment: Deployment) -> list[dg.RunRequest]:
    """One tick of the deploy code location's drop-folder sensor; its batches' partitions are added, as the
    daemon adds them."""
    sensor = deploy_module().defs.get_sensor_def("incoming_sensor")
    folders = DropFolders(incoming=str(deployment.incoming))
    context = dg.build_sensor_context(
        instance=instance, resources={"warehouse": WarehouseResource(url=deployment.warehouse_db), "folders": folders}
    )
    result = sensor(context)
    assert isinstance(result, dg.SensorResult), result
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return list(result.run_requests)


def run_batch(instance: dg.DagsterInstance, request: dg.RunRequest) -> dg.DagsterRun:
    """The run the sensor asked for, on the Celery executor of deploy/definitions.py."""
    tags = {**request.tags, "dagster/partition": request.partition_key}
    with dg.execute_job(ingest_job(), instance=instance, run_config=request.run_config, tags=tags) as result:
        assert result.success, [e.message for e in result.all_events if e.is_failure]
        return result.dagster_run


def drop(deployment: Deployment, batch: str, files: dict[str, str | Path], generated: int = 0) -> list[Path]:
    """Put a batch into the drop folder at once, as its folder `batch`: name → a file to copy or the text to
    write, and `generated` generated articles beside them. The files are written in a staging folder, dated a
    minute back (the sensor leaves files younger than 10 s to settle) and moved in with one rename, so a
    sensor tick sees all of them or none."""
    staging = deployment.incoming.parent / "staging" / batch
    staging.mkdir(parents=True)
    for name, source in files.items():
        if isinstance(source, Path):
            shutil.copy(source, staging / name)
        else:
            (staging / name).write_text(source, encoding="utf-8")
    if generated:
        list(synth.write_corpus(synth.load_material([SEEDS["000"].parent]), generated, staging / "generated", seed=19))
    written = sorted(path for path in staging.rglob("*") if path.is_file())
    then = time.time() - 60
    for path in written:
        os.utime(path, (then, then))
    staging.rename(deployment.incoming / batch)
    return [deployment.incoming / batch / path.relative_to(staging) for path in written]


class InProcessBuild:
    """`fqa build`'s in-process path into a database of its own: the warehouse the Celery runs must equal.

    Built batch by batch while the runs on the workers go on, so the test waits for the two at once."""

    def __init__(self, url: str) -> None:
        self.url = url

    def add(self, files: Sequence[Path]) -> None:
        # in this process, no pool of its own to start: FQA_WORKERS is the Celery workers' setting
        with dg.DagsterInstance.ephemeral() as instance, mock.patch.dict(os.environ, {WORKERS_ENV: "1"}):
            build([str(f) for f in files], self.url, instance=instance)

    def rows(self) -> dict:
        engine = create_engine(self.url)
        rows = canonical_rows(engine)
        engine.dispose()
        return rows


@pytest.fixture
def in_process(pg_server: str) -> Iterator[InProcessBuild]:
    """An in-process build into a fresh database, dropped after the test."""
    yield from map(InProcessBuild, _fresh_pg_database(pg_server))


def step_workers(instance: dg.DagsterInstance, run_id: str) -> dict[str, list[str]]:
    """step → the Celery workers that started it, in order, from the run's event log in PostgreSQL."""
    started: dict[str, list[str]] = {}
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        event = record.dagster_event
        if event and event.message and "in celery worker" in event.message:
            worker = event.engine_event_data.metadata["Celery worker"].value
            started.setdefault(event.step_key, []).append(worker.split("@")[0])
    return started


def step_events(instance: dg.DagsterInstance, run_id: str, step: str, kind: dg.DagsterEventType) -> int:
    return sum(1 for record in instance.all_logs(run_id, of_type=kind) if record.dagster_event.step_key == step)


def launched_runs(instance: dg.DagsterInstance, count: int, daemon_log: Path, ended: bool) -> list[dg.RunRecord]:
    """Wait until the daemon has created `count` ingest runs (and, if `ended`, every one has ended, in success);
    their records, oldest first."""

    def found() -> list[dg.RunRecord] | None:
        records = instance.get_run_records(filters=dg.RunsFilter(job_name="ingest_job"))
        done = len(records) == count and (not ended or all(r.dagster_run.is_finished for r in records))
        return records if done else None

    records = wait_for(f"{count} runs from the daemon", found, DAEMON_SECONDS, interval=0.5)
    failed = [r.dagster_run.run_id for r in records if ended and r.dagster_run.status != dg.DagsterRunStatus.SUCCESS]
    assert not failed, f"runs {failed} failed; daemon log:\n{daemon_log.read_text(errors='replace')[-4000:]}"
    return sorted(records, key=lambda r: r.create_timestamp)


def test_two_batches_launched_by_the_daemon_on_celery_workers_build_what_an_in_process_build_makes(
    deployment: Deployment, starting_workers: Workers, in_process: InProcessBuild, tmp_path: Path
):
    first = drop(deployment, "first", {f"{p}.txt": SEEDS[p] for p in ("000", "001", "002")})
    log = tmp_path / "daemon.log"
    # the daemon starts beside the workers: the first run's tasks wait on the queue until a worker takes them
    with deployment.instance() as instance, running_daemon(deployment.env, log):
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        starting_workers.wait_until_ready()
        in_process.add(first)
        launched_runs(instance, 1, log, ended=False)  # the sensor's first tick made the first batch's run
        # The second batch, dropped while the first runs: the next tick (30 s on) makes it a run of its own, which
        # the queue holds until the first has ended (FQA_MAX_CONCURRENT_RUNS=1). It holds a reprint of the first
        # batch's 002, an HTML page and generated articles, 16 files, so the NLP steps run over the worker's pool.
        second = drop(
            deployment,
            "second",
            {"003.txt": SEEDS["003"], "004.txt": SEEDS["004"], "reprint_002.txt": reprint_with_new_boilerplate("002"),
             "chinapeace_000.html": FIXTURES / "chinapeace_000.html"},
            generated=12,
        )
        assert len(second) >= MIN_PARALLEL_ITEMS
        in_process.add(second)
        records = launched_runs(instance, 2, log, ended=True)
        assert records[1].start_time >= records[0].end_time  # one at a time, as the queue was told
        for record in records:
            assert record.dagster_run.tags.get("fqa/trigger") == "incoming_sensor"
            ran_on = step_workers(instance, record.dagster_run.run_id)
            assert ran_on.pop("warehouse_articles") == ["fqa_load"]
            assert set(ran_on) == {"raw_articles", "clean_articles", "simplified_articles", "segmented_articles",
                                   "extracted_articles"}
            assert all(names == ["fqa_nlp"] for names in ran_on.values()), ran_on

    engine = create_engine(deployment.warehouse_db)
    on_celery = canonical_rows(engine)
    engine.dispose()
    assert on_celery["article"] and on_celery["statistic"] and on_celery["station"]  # not two empty warehouses
    assert on_celery == in_process.rows()


def test_a_load_step_whose_worker_is_killed_is_delivered_again_and_loads_once(
    deployment: Deployment, workers: Workers, in_process: InProcessBuild
):
    files = drop(deployment, "batch", {f"{p}.txt": SEEDS[p] for p in ("000", "002")} | {
        "reprint_002.txt": reprint_with_new_boilerplate("002")})
    warehouse = create_engine(deployment.warehouse_db)
    with deployment.instance() as instance:
        (request,) = sensor_tick(instance, deployment)
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["run"] = run_batch(instance, request)
            except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
                outcome["error"] = exc

        # The load writes the whole batch in one transaction and marks the batch loaded last: with that row
        # locked here, the load step writes everything and then waits, its transaction open and uncommitted.
        with warehouse.connect() as holder:
            holder.execute(BATCH_ROW_LOCK, {"key": request.partition_key})
            runner = threading.Thread(target=run, daemon=True)
            runner.start()
            in_process.add(files)

            def load_waiting() -> bool | None:
                with warehouse.connect() as conn:
                    return True if conn.scalar(LOAD_WAITING_AFTER_WRITES) else None

            wait_for("the load step to write its batch and wait", load_waiting, STEP_SECONDS)
            pid = wait_for("the load worker to report the step", lambda: step_process(workers.app, workers.load), 30)
            os.kill(pid, signal.SIGKILL)  # the pool process running the step, in the middle of its transaction
            wait_for(f"process {pid} to end", lambda: process_gone(pid), 30)
            holder.rollback()
        runner.join(STEP_SECONDS)
        assert not runner.is_alive(), "the run did not finish after the worker was killed"
        if "error" in outcome:
            raise outcome["error"]
        run_id = outcome["run"].run_id
        # delivered again: the load step started twice, both times on the load worker, and succeeded once
        assert step_workers(instance, run_id)["warehouse_articles"] == ["fqa_load", "fqa_load"]
        assert step_events(instance, run_id, "warehouse_articles", dg.DagsterEventType.STEP_START) == 2
        assert step_events(instance, run_id, "warehouse_articles", dg.DagsterEventType.STEP_SUCCESS) == 1
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.SUCCESS

    on_celery = canonical_rows(warehouse)
    warehouse.dispose()
    assert on_celery["article"] and on_celery["statistic"] and on_celery["station"]
    assert on_celery == in_process.rows()
    assert "WorkerLostError" in workers.load.log_tail(20000)

