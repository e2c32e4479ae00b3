"""A deployment as deploy/README.md describes it, on this machine: Redis broker, Dagster on PostgreSQL, workers.

Redis is the one on 127.0.0.1:6379 (`.ci/run` starts it when it is down); the tests use a database number of
their own (FQA_TEST_REDIS_URL, default 13) and flush only that one. Under CI=true a missing Redis fails the tests,
as a missing PostgreSQL does (tests/conftest.py); elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
from celery import Celery
from sqlalchemy.engine import make_url

from pipelines.defs.assets import LOAD_QUEUE
from tests.conftest import REPO, _fresh_pg_database
from tests.deploy.celery_workers import Worker, control_app, wait_until_ready

REDIS_URL = os.environ.get("FQA_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_unavailable_reason() -> str | None:
    try:
        import redis  # Celery's Redis transport needs the client (pyproject's test extra pins it)
    except ImportError as exc:
        return f"the redis client is not installed ({exc})"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable at {REDIS_URL}: {exc}"
    return None


@pytest.fixture
def redis_db() -> Iterator[str]:
    """The tests' own Redis database, empty before and after."""
    reason = _redis_unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the Celery tests; .ci/run starts Redis)")
        pytest.skip(reason)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@dataclass
class Deployment:
    """Where everything of one deployment is: the instance's home, the warehouse, the drop folder, the broker."""

    home: Path
    instance_db: str
    warehouse_db: str
    incoming: Path
    broker: str
    env: dict[str, str]

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(str(self.home))


@pytest.fixture
def deployment(
    pg_server: str, redis_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Deployment]:
    """deploy/dagster.yaml as shipped in a DAGSTER_HOME, fresh databases for the instance and the warehouse, and
    every setting the README lists, in this process's environment and so in the workers'."""
    instance_dbs, warehouse_dbs = _fresh_pg_database(pg_server), _fresh_pg_database(pg_server)
    instance_db, warehouse_db = next(instance_dbs), next(warehouse_dbs)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    corpus = tmp_path / "corpus"
    (corpus / "incoming").mkdir(parents=True)
    url = make_url(instance_db)
    settings = {
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": url.host,
        "DAGSTER_PG_PORT": str(url.port or 5432),
        "DAGSTER_PG_USER": url.username,
        "DAGSTER_PG_PASSWORD": url.password or "",
        "DAGSTER_PG_DB": url.database,
        "FQA_MAX_CONCURRENT_RUNS": "1",  # the batches load in the order they came, as the reference does
        "FQA_DAGSTER_STORAGE": str(tmp_path / "storage"),
        "FQA_DAGSTER_LOGS": str(tmp_path / "logs"),
        "FQA_IO_DIR": str(tmp_path / "io"),
        "FQA_DB_URL": warehouse_db,
        "FQA_CELERY_BROKER": redis_db,
        "FQA_CELERY_BACKEND": redis_db,
        "FQA_CORPUS_DIR": str(corpus),
        "FQA_INCOMING_DIR": str(corpus / "incoming"),
        "FQA_WORKERS": "2",  # a step of 16 articles or more runs over a pool of two processes, as on a node
        "FQA_ALLOW_SYNTHETIC": "1",  # a test warehouse: generated articles are welcome
        # the workers find `dagster-celery` and the `celery` it starts beside this interpreter, and this checkout
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    # Create the instance's tables once, as `dagster instance migrate` does before a first start: processes that
    # open a fresh database at the same moment race to create them (duplicate pg_type rows).
    dg.DagsterInstance.from_config(str(home)).dispose()
    try:
        yield Deployment(home, instance_db, warehouse_db, corpus / "incoming", redis_db, dict(os.environ))
    finally:
        for databases in (instance_dbs, warehouse_dbs):
            next(databases, None)  # drops the database


@dataclass
class Workers:
    nlp: Worker  # the default queue: read, clean, simplify, segment, extract
    load: Worker  # the load queue: warehouse_articles
    app: Celery  # remote control over the same broker

    def wait_until_ready(self) -> None:
        wait_until_ready(self.app, [self.nlp, self.load])


@pytest.fixture
def starting_workers(deployment: Deployment, tmp_path: Path) -> Iterator[Workers]:
    """Two workers as the README starts them, one on the default queue, one on the load queue, `-c 1` each;
    still starting (a test that has something to do meanwhile waits for them itself)."""
    started = Workers(
        Worker("fqa_nlp", None, deployment.env, tmp_path / "worker_nlp.log"),
        Worker("fqa_load", LOAD_QUEUE, deployment.env, tmp_path / "worker_load.log"),
        control_app(deployment.broker),
    )
    try:
        yield started
    finally:
        started.nlp.stop()
        started.load.stop()
        started.app.close()


@pytest.fixture
def workers(starting_workers: Workers) -> Workers:
    """The two workers, answering over the broker."""
    starting_workers.wait_until_ready()
    return starting_workers
