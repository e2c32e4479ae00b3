"""`reextract_job`: one op that brings older articles' extraction up to the current extractor."""

import dataclasses
import time
from typing import Any

import dagster as dg

from pipelines.batch.ingest_plan import BATCH_SIZE
from pipelines.batch.reextract import reextract
from pipelines.defs.assets import LOAD_QUEUE, timed_metadata
from pipelines.defs.resources import WarehouseResource
from warehouse.wording import count


class ReextractConfig(dg.Config):
    batch_size: int = BATCH_SIZE
    limit: int | None = None  # stop after this many articles; the next run carries on


@dg.op(tags={"dagster-celery/queue": LOAD_QUEUE})
def reextract_stale_articles(
    context: dg.OpExecutionContext, config: ReextractConfig, warehouse: WarehouseResource
) -> dg.Output[dict[str, Any]]:
    """Extract again every article an older extractor read (`pipelines.batch.reextract`)."""
    started = time.perf_counter()
    summary = reextract(warehouse.engine(), batch_size=config.batch_size, limit=config.limit)
    context.log.info(
        f"extractor {summary.version}: {summary.reextracted} of {count(summary.due, 'article')} re-extracted"
    )
    values = dataclasses.asdict(summary)  # flat, for the run's metadata: the table counts become columns
    for when in ("before", "after"):
        values.update({f"{name}_{when}": count for name, count in values.pop(when).items()})
    return dg.Output(values, metadata=timed_metadata(started, **values))


@dg.job(description="Bring every article's extraction up to the current extractor (after the extractor changed).")
def reextract_job() -> None:
    reextract_stale_articles()
