"""Keeping the archive current unattended: a sensor on the drop folder and a daily rescan of the corpus.

Both turn new or changed files into ingest batches: one dynamic partition and one run per batch of up to
`BATCH_SIZE` files, never one per file. What the warehouse already holds is fetched as one set per tick, and
files already in a batch whose run has not finished are left alone, so a slow run is never submitted twice.
Rejected files are moved to the quarantine folder by the run (see `warehouse_articles`).

"""

from __future__ import annotations

import os
from collections.abc import Sequence

import dagster as dg
from sqlalchemy import Engine, select

from pipelines.batch.ingest_plan import IngestPlan, hash_files, new_batch_key, plan_ingest, recently_modified, scan
from pipelines.defs.resources import DropFolders, WarehouseResource
from warehouse.load import known_file_states, save_batch_manifest, touch_files
from warehouse.schema import IngestBatch

INGEST_BATCHES = dg.DynamicPartitionsDefinition(name="ingest_batch")
SENSOR_INTERVAL_SECONDS = 30
RESCAN_CRON = "0 3 * * *"  # daily, 03:00
TRIGGER_TAG = "fqa/trigger"
IN_PROGRESS = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


# Everything the warehouse load depends on, partitioned by batch; new stages in between are picked up by itself.
ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets("warehouse_articles").upstream(),  # partitioned by INGEST_BATCHES
    description="Ingest one batch of files: read → clean → simplify → segment → extract → warehouse.",
)


def in_flight_paths(instance: dg.DagsterInstance, engine: Engine) -> set[str]:
    """Files in batches whose ingest run is queued or running (one run query, one manifest query)."""
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=ingest_job.name, statuses=IN_PROGRESS))
    keys = {run.tags.get("dagster/partition") for run in runs} - {None}
    if not keys:
        return set()
    with engine.connect() as conn:
        manifests = conn.scalars(select(IngestBatch.files).where(IngestBatch.key.in_(keys))).all()
    return {path for files in manifests for path in files or ()}


def plan_for(instance: dg.DagsterInstance, engine: Engine, paths: Sequence[str], folders: DropFolders) -> IngestPlan:
    return plan_ingest(
        hash_files(paths),
        known_file_states(engine),
        in_flight=in_flight_paths(instance, engine),
        retry_rejected=folders.quarantine is not None,
        settling=recently_modified(paths, folders.settle_seconds),
    )


def batch_run_requests(engine: Engine, plan: IngestPlan, folders: DropFolders, trigger: str) -> list[dg.RunRequest]:
    """One registered batch (manifest in the warehouse) and one run request per chunk of files to load."""
    requests = []
    for files in plan.batches():
        key = new_batch_key(files)
        save_batch_manifest(engine, key, files)
        requests.append(
            dg.RunRequest(
                run_key=key,
                partition_key=key,
                tags={TRIGGER_TAG: trigger},
                run_config={"ops": {"raw_articles": {"config": {"max_bytes": folders.max_bytes}}}},
            )
        )
    return requests


def _summary(plan: IngestPlan, where: str) -> str:
    return (
        f"{where}: {len(plan.to_load)} to load, {len(plan.unchanged)} unchanged, "
        f"{len(plan.in_flight)} already in a running batch, {len(plan.settling)} still being written"
    )


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def incoming_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource, folders: DropFolders
) -> dg.SensorResult | dg.SkipReason:
    """New or changed files in the drop folder become ingest batches."""
    if not os.path.isdir(folders.incoming):
        return dg.SkipReason(f"drop folder {folders.incoming} does not exist")
    engine = warehouse.engine()
    plan = plan_for(context.instance, engine, scan([folders.incoming], folders.quarantine), folders)
    if not plan.to_load:
        return dg.SkipReason(_summary(plan, folders.incoming))
    requests = batch_run_requests(engine, plan, folders, "incoming_sensor")
    context.log.info(_summary(plan, folders.incoming))
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[INGEST_BATCHES.build_add_request([r.partition_key for r in requests])],
    )


@dg.schedule(
    cron_schedule=RESCAN_CRON,
    job=ingest_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def corpus_rescan_schedule(
    context: dg.ScheduleEvaluationContext, warehouse: WarehouseResource, folders: DropFolders
) -> list[dg.RunRequest] | dg.SkipReason:
    """Daily: every file under the corpus (drop folder included) is hashed; new or changed ones are ingested."""
    if not os.path.isdir(folders.corpus):
        return dg.SkipReason(f"corpus folder {folders.corpus} does not exist")
    engine = warehouse.engine()
    plan = plan_for(context.instance, engine, scan([folders.corpus], folders.quarantine), folders)
    touch_files(engine, plan.unchanged)
    if not plan.to_load:
        return dg.SkipReason(_summary(plan, folders.corpus))
    requests = batch_run_requests(engine, plan, folders, "corpus_rescan")
    # Schedules cannot return partition requests as sensors do, so the batches are registered here.
    context.instance.add_dynamic_partitions(INGEST_BATCHES.name, [r.partition_key for r in requests])
    return requests
