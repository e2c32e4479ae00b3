"""The one Dagster entry point (`dagster dev`, pyproject's [tool.dagster], deploy/definitions.py).

Assets, checks, sensors, schedules, jobs and resources live in `pipelines/defs/`; this module only assembles them.
Assets are partitioned by ingest batch (a set of files, named in the warehouse's `ingest_batch` table), never by
article: Dagster's per-run cost would make one run per article take hours at 10,000 articles.
"""

import dagster as dg

from pipelines.defs.assets import ARCHIVE_ASSETS
from pipelines.defs.automation import corpus_rescan_schedule, incoming_sensor, ingest_job
from pipelines.defs.models import MODEL_ASSETS, MODEL_CHECKS, ModelStore
from pipelines.defs.reextract import reextract_job
from pipelines.defs.resources import WarehouseResource, drop_folders_from_env

defs = dg.Definitions(
    assets=ARCHIVE_ASSETS + MODEL_ASSETS,
    asset_checks=MODEL_CHECKS,
    resources={"warehouse": WarehouseResource(), "folders": drop_folders_from_env(), "model_store": ModelStore()},
    jobs=[ingest_job, reextract_job],
    sensors=[incoming_sensor],
    schedules=[corpus_rescan_schedule],
    executor=dg.in_process_executor,
)
