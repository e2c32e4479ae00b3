"""deploy/dagster.yaml against the local PostgreSQL: a partitioned build's runs and events land in the database."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster_celery.tags import DAGSTER_CELERY_QUEUE_TAG
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pipelines.defs.assets import LOAD_QUEUE
from pipelines.defs.build import build
from tests.conftest import REPO, SEEDS, _fresh_pg_database

DEPLOY = REPO / "deploy"


@pytest.fixture
def instance_db(pg_server: str) -> Iterator[str]:
    yield from _fresh_pg_database(pg_server)


@pytest.fixture
def warehouse_db(pg_server: str) -> Iterator[str]:
    yield from _fresh_pg_database(pg_server)


@pytest.fixture
def deploy_home(instance_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DAGSTER_HOME holding deploy/dagster.yaml as shipped, its settings pointed at a fresh database."""
    url = make_url(instance_db)
    for name, value in {
        "DAGSTER_PG_HOST": url.host,
        "DAGSTER_PG_PORT": str(url.port or 5432),
        "DAGSTER_PG_USER": url.username,
        "DAGSTER_PG_PASSWORD": url.password or "",
        "DAGSTER_PG_DB": url.database,
        "FQA_MAX_CONCURRENT_RUNS": "4",
        "FQA_DAGSTER_STORAGE": str(tmp_path / "storage"),
        "FQA_DAGSTER_LOGS": str(tmp_path / "logs"),
    }.items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    return home


def test_a_partitioned_build_records_its_runs_in_postgresql(
    deploy_home: Path, instance_db: str, warehouse_db: str, tmp_path: Path
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for prefix in ("000", "002"):
        shutil.copy(SEEDS[prefix], corpus / SEEDS[prefix].name)

    with dg.DagsterInstance.from_config(str(deploy_home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        summary = build([corpus], warehouse_db, instance=instance, batch_files=1)
        assert (summary.new, len(summary.batch_keys)) == (2, 2)

    # read back from the database itself, with a new connection: nothing stayed in the process
    engine = create_engine(instance_db)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT run_id, status FROM runs")).all()
        partitions = set(
            conn.scalars(text("SELECT partition FROM dynamic_partitions WHERE partitions_def_name = 'ingest_batch'"))
        )
        materialized = conn.execute(
            text("SELECT asset_key, partition FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'")
        ).all()
    engine.dispose()
    assert len(runs) == 2 and {status for _, status in runs} == {"SUCCESS"}
    assert partitions == set(summary.batch_keys)
    warehouse_loads = {partition for key, partition in materialized if "warehouse_articles" in key}
    assert warehouse_loads == set(summary.batch_keys)
    assert len(materialized) == 2 * 6  # six assets per batch

    # and a fresh instance from the same config sees that history
    with dg.DagsterInstance.from_config(str(deploy_home)) as again:
        assert {run.tags["dagster/partition"] for run in again.get_runs()} == set(summary.batch_keys)


def test_the_production_code_location_runs_on_celery():
    spec = importlib.util.spec_from_file_location("fqa_deploy_definitions", DEPLOY / "definitions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    job = module.defs.resolve_job_def("ingest_job")
    assert job.executor_def.name == "fqa_celery"
    assert module.CELERY_SETTINGS["worker_prefetch_multiplier"] == 1
    assert {a.key.to_user_string() for a in module.defs.resolve_all_asset_specs()} >= {
        "raw_articles",
        "warehouse_articles",
    }
    # the load step, and only it, goes to the load queue (deploy/README.md: one worker serves it)
    queues = {node.name: node.tags.get(DAGSTER_CELERY_QUEUE_TAG) for node in job.nodes}
    assert queues.pop("warehouse_articles") == LOAD_QUEUE
    assert set(queues.values()) == {None}
    # re-extraction writes under the load lock too: the same queue, on the same executor
    reextract = module.defs.resolve_job_def("reextract_job")
    assert reextract.executor_def.name == "fqa_celery"
    assert {node.tags.get(DAGSTER_CELERY_QUEUE_TAG) for node in reextract.nodes} == {LOAD_QUEUE}


def test_the_celery_workers_use_the_same_settings_as_the_runs(monkeypatch: pytest.MonkeyPatch):
    from dagster_celery.cli import get_validated_config

    monkeypatch.setenv("FQA_CELERY_BROKER", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("FQA_CELERY_BACKEND", "redis://127.0.0.1:6379/1")
    worker = get_validated_config(str(DEPLOY / "celery.yaml"))  # what `dagster-celery worker start -y` reads
    assert worker["broker"] == "redis://127.0.0.1:6379/0"
    spec = importlib.util.spec_from_file_location("fqa_deploy_definitions", DEPLOY / "definitions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert worker["config_source"] == module.CELERY_SETTINGS
