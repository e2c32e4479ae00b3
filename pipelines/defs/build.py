"""`fqa build`: register a batch of corpus files and materialize every asset for it through Dagster."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.batch.ingest_plan import BATCH_SIZE, hash_files, new_batch_key, plan_ingest, scan
from pipelines.batch.memory import full_collections_deferred, release_memory
from pipelines.batch.quarantine import in_quarantine
from pipelines.defs.assets import ARCHIVE_ASSETS, IngestConfig
from pipelines.defs.automation import INGEST_BATCHES
from pipelines.defs.resources import DropFolders, WarehouseResource
from pipelines.text.read import DEFAULT_MAX_BYTES, BuildError
from warehouse.db import get_engine, resolve_url
from warehouse.load import known_file_states, save_batch_manifest
from warehouse.wording import count

# Files per ingest batch (one Dagster partition each): a batch's articles are held in memory through the
# stages, so the batch size, not the corpus size, sets the build's memory (~1 GB at 1,000 generated articles
# of ~2,400 characters, docs/benchmarks.md); the same size as the sensor's and `fqa ingest`'s batches.
DEFAULT_BATCH_FILES = BATCH_SIZE


@dataclass
class BuildSummary:
    batch_key: str
    files: int = 0
    new: int = 0
    updated: int = 0
    reprints: int = 0
    unchanged: int = 0
    rejected: int = 0
    quarantined: int = 0
    repaired: int = 0
    flagged: int = 0
    rejections: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    check_notes: dict[str, object] = field(default_factory=dict)  # what a check that did not pass found
    batch_keys: list[str] = field(default_factory=list)

    def add(self, other: BuildSummary) -> None:
        """Fold one batch's summary into a build's: counts and seconds add up, a check passes if it always did."""
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
        self.rejections.extend(other.rejections)
        for stage, seconds in other.stage_seconds.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
        for check, passed in other.checks.items():
            self.checks[check] = self.checks.get(check, True) and passed
        self.check_notes.update(other.check_notes)
        self.batch_keys.extend(other.batch_keys)


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
    batch_files: int = DEFAULT_BATCH_FILES,
    on_batch: Callable[[BuildSummary], None] | None = None,
    quarantine_dir: str | Path | None = None,
) -> BuildSummary:
    """Materialize raw → clean → simplified → segmented → warehouse for every file under `sources`.

    The files are streamed in ingest batches of `batch_files`, one partition and one run each, so memory stays
    flat however large the corpus; `on_batch` hears each batch's summary as it finishes. With `quarantine_dir`,
    rejected files are moved there. Neither that folder nor any folder named `quarantine` under the sources is
    scanned: its files were rejected already, and reading them again would record them twice.
    """
    if batch_files < 1:
        raise BuildError(f"batch size must be at least 1 file, not {batch_files}")
    url = resolve_url(db_url)
    paths = [path for path in scan(sources, quarantine_dir) if not in_quarantine(path, sources)]
    if not paths:
        raise BuildError(f"no .txt, .html or .htm files under {', '.join(map(str, sources))}")
    # Files whose bytes the warehouse already holds share one batch: re-running an unchanged corpus costs one
    # Dagster run (~seconds), not one per `batch_files` files (100 runs at 100,000 articles).
    plan = plan_ingest(hash_files(paths), known_file_states(get_engine(url)), retry_rejected=True)
    batches = plan.batches(batch_files) + ([plan.unchanged] if plan.unchanged else [])
    with local_instance() if instance is None else nullcontext(instance) as active:
        total = BuildSummary(batch_key="")  # a fresh accumulator: on_batch keeps each batch's own summary
        for batch in batches:
            key = new_batch_key(batch)
            save_batch_manifest(get_engine(url), key, batch)
            with full_collections_deferred():
                summary = _materialize(active, key, url, max_bytes, _folders(quarantine_dir))
            release_memory()
            if on_batch is not None:
                on_batch(summary)
            total.add(summary)
    total.batch_key = total.batch_keys[0]
    if len(total.batch_keys) > 1:
        total.batch_key = f"{total.batch_keys[0]} … {total.batch_keys[-1]} ({count(len(total.batch_keys), 'batch')})"
    return total


def _folders(quarantine_dir: str | Path | None) -> DropFolders:
    return DropFolders(quarantine=str(quarantine_dir) if quarantine_dir is not None else None)


def build_batch(
    paths: Sequence[str],
    db_url: str | None = None,
    instance: dg.DagsterInstance | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    quarantine_dir: str | Path | None = None,
) -> BuildSummary:
    """Register `paths` as one ingest batch and materialize every asset for it (`fqa ingest` uses this)."""
    url = resolve_url(db_url)
    key = new_batch_key(paths)
    save_batch_manifest(get_engine(url), key, paths)
    with local_instance() if instance is None else nullcontext(instance) as active:
        return _materialize(active, key, url, max_bytes, _folders(quarantine_dir))


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    """Why a failed run failed: the innermost error of its first failed step ("disk full", not Dagster's
    "Error occurred while executing op …")."""
    failure = next((e for e in result.all_events if e.is_step_failure), None)
    if failure is None:
        return "run failed"
    error = failure.step_failure_data.error
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _materialize(
    instance: dg.DagsterInstance, key: str, url: str, max_bytes: int, folders: DropFolders
) -> BuildSummary:
    instance.add_dynamic_partitions(INGEST_BATCHES.name, [key])
    result = dg.materialize(
        ARCHIVE_ASSETS,
        partition_key=key,
        instance=instance,
        # One in-process run per batch: stage outputs pass in memory. The default filesystem io manager would
        # pickle every batch four times and unpickle a second copy of it for the load step (2.7 GB peak at
        # 500 articles a batch, docs/benchmarks.md). Multi-process executors need it: deploy/definitions.py.
        resources={"warehouse": WarehouseResource(url=url), "folders": folders, "io_manager": dg.mem_io_manager},
        run_config=dg.RunConfig(
            ops={"raw_articles": IngestConfig(max_bytes=max_bytes)},
            # The run's event log still records everything; the terminal only hears about problems.
            loggers={"console": {"config": {"log_level": "WARNING"}}},
        ),
        raise_on_error=False,
    )
    if not result.success:
        raise BuildError(f"build of batch {key} failed: {failure_message(result)}")
    summary = BuildSummary(batch_key=key, batch_keys=[key])
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
                summary.updated = int(meta["updated"])
                summary.reprints = int(meta["reprints"])
                summary.unchanged = int(meta["unchanged"])
                summary.rejected = int(meta["rejected"])
                summary.quarantined = int(meta["quarantined"])
                summary.repaired = int(meta["repaired"])
                summary.flagged = int(meta["flagged"])
    for evaluation in result.get_asset_check_evaluations():
        summary.checks[evaluation.check_name] = evaluation.passed
        if not evaluation.passed:
            summary.check_notes[evaluation.check_name] = {k: v.value for k, v in evaluation.metadata.items()}
    return summary
