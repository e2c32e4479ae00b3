"""`fqa build`: register a batch of corpus files and materialize every asset for it through Dagster."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.definitions import ARCHIVE_ASSETS, INGEST_BATCHES, IngestConfig, WarehouseResource
from pipelines.ingest import DEFAULT_MAX_BYTES, discover_files
from warehouse.db import get_engine, resolve_url
from warehouse.load import save_batch_manifest


class BuildError(Exception):
    pass


@dataclass
class BuildSummary:
    batch_key: str
    files: int = 0
    new: int = 0
    unchanged: int = 0
    rejected: int = 0
    repaired: int = 0
    flagged: int = 0
    rejections: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    check_notes: dict[str, object] = field(default_factory=dict)  # what a check that did not pass found


def new_batch_key(paths: Sequence[str]) -> str:
    """Time-ordered and unique per file set, so batches sort by when they were ingested."""
    digest = hashlib.sha256("\n".join(sorted(paths)).encode()).hexdigest()[:8]
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{digest}"


@contextmanager
def local_instance() -> Iterator[dg.DagsterInstance]:
    """DAGSTER_HOME if set; else the repo's dagster.yaml with history under .dagster_home; else ephemeral."""
    if os.environ.get("DAGSTER_HOME"):
        with dg.DagsterInstance.get() as instance:
            yield instance
    elif Path("dagster.yaml").is_file():
        # dagster.yaml points every storage under .dagster_home/, as `dagster dev` uses it from here too.
        with dg.DagsterInstance.from_config(os.getcwd()) as instance:
            yield instance
    else:
        with dg.DagsterInstance.ephemeral() as instance:
            yield instance


def build(
    sources: Sequence[str | Path],
    db_url: str | None = None,
    instance: dg.DagsterInstance | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BuildSummary:
    """Materialize raw → clean → simplified → segmented → warehouse for every file under `sources`."""
    url = resolve_url(db_url)
    paths = [str(p) for p in discover_files(sources)]
    if not paths:
        raise BuildError(f"no .txt, .html or .htm files under {', '.join(map(str, sources))}")
    key = new_batch_key(paths)
    save_batch_manifest(get_engine(url), key, paths)
    if instance is None:
        with local_instance() as local:
            return _materialize(local, key, url, max_bytes)
    return _materialize(instance, key, url, max_bytes)


def _materialize(instance: dg.DagsterInstance, key: str, url: str, max_bytes: int) -> BuildSummary:
    instance.add_dynamic_partitions(INGEST_BATCHES.name, [key])
    result = dg.materialize(
        ARCHIVE_ASSETS,
        partition_key=key,
        instance=instance,
        resources={"warehouse": WarehouseResource(url=url)},
        run_config=dg.RunConfig(
            ops={"raw_articles": IngestConfig(max_bytes=max_bytes)},
            # The run's event log still records everything; the terminal only hears about problems.
            loggers={"console": {"config": {"log_level": "WARNING"}}},
        ),
        raise_on_error=False,
    )
    if not result.success:
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        message = failure.step_failure_data.error.message.strip() if failure else "run failed"
        raise BuildError(f"build of batch {key} failed: {message}")
    summary = BuildSummary(batch_key=key)
    for asset in ARCHIVE_ASSETS:
        name = asset.key.to_user_string()
        for materialization in result.asset_materializations_for_node(name):
            meta = {k: v.value for k, v in materialization.metadata.items()}
            summary.stage_seconds[name] = float(meta.get("seconds", 0.0))
            if name in ("raw_articles", "clean_articles"):
                summary.rejections.extend(meta.get("rejections") or [])
            if name == "warehouse_articles":
                summary.files = int(meta["files_seen"])
                summary.new = int(meta["new"])
                summary.unchanged = int(meta["unchanged"])
                summary.rejected = int(meta["rejected"])
                summary.repaired = int(meta["repaired"])
                summary.flagged = int(meta["flagged"])
    for evaluation in result.get_asset_check_evaluations():
        summary.checks[evaluation.check_name] = evaluation.passed
        if not evaluation.passed:
            summary.check_notes[evaluation.check_name] = {
                k: v.value for k, v in evaluation.metadata.items()
            }
    return summary
