"""Production code location: the archive's assets, sensor and schedule on the Celery executor.

The assets, checks, sensor and schedule are the ones `pipelines.definitions` defines (the same code runs on a
laptop and on the cluster); only the executor, the io manager and where settings come from differ. Each step
(one stage of one ingest batch) becomes a Celery task; a Celery worker runs one task at a time (`-c 1`) and
spreads that batch over its node's cores with `pipelines.batch.parallel` (FQA_WORKERS, default: all cores).

Load it with `dagster dev -f deploy/definitions.py` (or a workspace.yaml entry) and DAGSTER_HOME pointing at a
folder holding deploy/dagster.yaml. Settings, all from the environment (deploy/README.md):
FQA_DB_URL (warehouse), FQA_CELERY_BROKER, FQA_CELERY_BACKEND, FQA_IO_DIR (shared by every worker).
"""

import os

import dagster as dg
from dagster_celery import celery_executor

from pipelines.defs.assets import ARCHIVE_ASSETS
from pipelines.defs.automation import corpus_rescan_schedule, incoming_sensor, ingest_job
from pipelines.defs.reextract import reextract_job
from pipelines.defs.resources import WarehouseResource, drop_folders_from_env

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
