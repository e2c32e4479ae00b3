"""Production code location: the archive's assets, sensor and schedule on the Celery executor.

The assets, checks, sensor and schedule are the ones `pipelines.definitions` defines (the same code runs on a
laptop and on the cluster); only the executor, the io manager and where settings come from differ. Each step
(one stage of one ingest batch) becomes a Celery task; a Celery worker runs one task at a time (`-c 1`) and
spreads that batch over its node's cores with `pipelines.batch.parallel` (FQA_WORKERS, default: all cores).

Load it with `dagster dev -f deploy/definitions.py` (or a workspace.yaml entry) and DAGSTER_HOME pointing at a
folder holding deploy/dagster.yaml. Settings, all from the environment (deploy/README.md):
FQA_DB_URL (warehouse), FQA_CELERY_BROKER, FQA_CELERY_BACKEND, FQA_IO_DIR (shared by every worker).
"""

import copy
import multiprocessing.process as stdlib_process
import os

import dagster as dg
from dagster_celery import celery_executor

from pipelines.defs.assets import ARCHIVE_ASSETS
from pipelines.defs.automation import corpus_rescan_schedule, incoming_sensor, ingest_job
from pipelines.defs.reextract import reextract_job
from pipelines.defs.resources import WarehouseResource, drop_folders_from_env


def give_celery_pool_processes_their_own_multiprocessing() -> None:
    """Let a step on a Celery worker start `pipelines.batch.parallel`'s process pool.

    Celery's prefork pool (billiard) makes each pool process the standard library's "current process" too, a
    daemonic one whose authkey only billiard can pickle: the stdlib then refuses to start processes from it
    ("daemonic processes are not allowed to have children", then "Pickling an AuthenticationString object is
    disallowed"), so every NLP step of a batch of 16 articles or more failed on a worker (tests/deploy/ found
    it). Here the stdlib gets a record of its own, not daemonic and with a stdlib authkey; billiard keeps its
    own and still ends the pool process as before, and the step's pool workers leave with it (pipes close).
    Runs where this file is loaded: a pool process loads it before it executes its first step.
    """
    current = stdlib_process.current_process()
    if type(current).__module__.startswith("billiard"):
        own = copy.copy(current)  # same name and identity, for the logs and the children's names
        own._config = {
            **current._config,  # private, as the record it stands in for: the stdlib offers no public way
            "daemon": False,
            "authkey": stdlib_process.AuthenticationString(current.authkey),
        }
        stdlib_process._current_process = own


give_celery_pool_processes_their_own_multiprocessing()

# Celery settings for steps that take minutes, not milliseconds (https://docs.celeryq.dev, "Configuration").
CELERY_SETTINGS = {
    "worker_prefetch_multiplier": 1,  # a worker holds only the batch step it is running
    "task_acks_late": True,  # a step whose worker died is delivered again, not lost
    "task_reject_on_worker_lost": True,
    "worker_max_tasks_per_child": 50,  # recycle worker processes now and then; memory stays flat
    "broker_transport_options": {"visibility_timeout": 4 * 3600},  # Redis: longer than the slowest step
    "result_expires": 24 * 3600,
}

celery = celery_executor.configured(
    {
        "broker": {"env": "FQA_CELERY_BROKER"},  # e.g. redis://redis:6379/0 or pyamqp://guest@rabbitmq//
        "backend": {"env": "FQA_CELERY_BACKEND"},  # e.g. redis://redis:6379/1
        "include": ["pipelines.definitions"],
        "config_source": CELERY_SETTINGS,
    },
    name="fqa_celery",
)

defs = dg.Definitions(
    assets=ARCHIVE_ASSETS,
    jobs=[ingest_job, reextract_job],
    sensors=[incoming_sensor],
    schedules=[corpus_rescan_schedule],
    resources={
        "warehouse": WarehouseResource(),  # FQA_DB_URL: the warehouse on PostgreSQL
        "folders": drop_folders_from_env(),
        # Steps run in different processes on different machines: their outputs must be on shared storage.
        "io_manager": dg.FilesystemIOManager(base_dir=os.environ.get("FQA_IO_DIR", "/srv/fqa/io")),
    },
    executor=celery,
)
