"""deploy/definitions.py on real Celery workers: the warehouse they build is the one an in-process build makes,
and a worker killed in the middle of a step costs nothing but the time to run the step again.

The runs start the way production starts them: the deploy code location's drop-folder sensor registers each
batch and asks for its run; the run executes on the Celery executor against the Dagster instance of
deploy/dagster.yaml (PostgreSQL), and every step runs in a worker started with the README's command.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from unittest import mock

import dagster as dg
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
    folders = DropFolders(incoming=str(deployment.incoming), settle_seconds=0)  # the files were written whole
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


def ingest(instance: dg.DagsterInstance, deployment: Deployment, files: Sequence[Path]) -> dg.DagsterRun:
    """Drop `files` into the drop folder; the sensor makes one batch of them and its run loads it."""
    requests = sensor_tick(instance, deployment)
    assert len(requests) == 1, requests
    return run_batch(instance, requests[0])


def drop(deployment: Deployment, files: dict[str, str | Path]) -> list[Path]:
    """Copy or write files into the drop folder; name → a file to copy or the text to write."""
    dropped = []
    for name, source in files.items():
        target = deployment.incoming / name
        if isinstance(source, Path):
            shutil.copy(source, target)
        else:
            target.write_text(source, encoding="utf-8")
        dropped.append(target)
    return dropped


def reference_rows(pg_server: str, batches: Sequence[Sequence[Path]]) -> dict:
    """The same batches built by `fqa build`'s in-process path into a database of their own: its rows."""
    databases = _fresh_pg_database(pg_server)
    url = next(databases)
    try:
        for files in batches:  # in this process: no pool of its own to start (FQA_WORKERS is the workers')
            with dg.DagsterInstance.ephemeral() as instance, mock.patch.dict(os.environ, {WORKERS_ENV: "1"}):
                build([str(f) for f in files], url, instance=instance)
        engine = create_engine(url)
        rows = canonical_rows(engine)
        engine.dispose()
        return rows
    finally:
        next(databases, None)


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


def test_two_batches_on_celery_workers_build_the_warehouse_an_in_process_build_makes(
    deployment: Deployment, workers: Workers, pg_server: str
):
    first = drop(deployment, {f"{p}.txt": SEEDS[p] for p in ("000", "001", "002")})
    with deployment.instance() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        first_run = ingest(instance, deployment, first)
        # the second batch holds a reprint of the first batch's 002 and an HTML page
        second = drop(
            deployment,
            {"003.txt": SEEDS["003"], "004.txt": SEEDS["004"], "reprint_002.txt": reprint_with_new_boilerplate("002"),
             "chinapeace_000.html": FIXTURES / "chinapeace_000.html"},
        )
        # ... and generated articles: 16 files in all, so the NLP steps run over the worker's process pool
        generated = deployment.incoming / "generated"
        list(synth.write_corpus(synth.load_material([SEEDS["000"].parent]), 12, generated, seed=19))
        second += sorted(p for p in generated.rglob("*") if p.is_file())
        assert len(second) >= MIN_PARALLEL_ITEMS
        second_run = ingest(instance, deployment, second)
        for run in (first_run, second_run):
            ran_on = step_workers(instance, run.run_id)
            assert ran_on.pop("warehouse_articles") == ["fqa_load"]
            assert set(ran_on) == {"raw_articles", "clean_articles", "simplified_articles", "segmented_articles",
                                   "extracted_articles"}
            assert all(names == ["fqa_nlp"] for names in ran_on.values()), ran_on

    engine = create_engine(deployment.warehouse_db)
    on_celery = canonical_rows(engine)
    engine.dispose()
    assert on_celery["article"] and on_celery["statistic"] and on_celery["station"]  # not two empty warehouses
    assert on_celery == reference_rows(pg_server, [first, second])


def test_a_load_step_whose_worker_is_killed_is_delivered_again_and_loads_once(
    deployment: Deployment, workers: Workers, pg_server: str
):
    files = drop(deployment, {f"{p}.txt": SEEDS[p] for p in ("000", "002")} | {
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
    assert on_celery == reference_rows(pg_server, [files])
    assert "WorkerLostError" in workers.load.log_tail(20000)

