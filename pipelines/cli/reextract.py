"""`fqa reextract`: bring the warehouse's extractions up to the current extractor, through Dagster."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from pipelines.batch import progress
from pipelines.batch.ingest_plan import BATCH_SIZE
from pipelines.cli.app import DbOption, app, clear_errors, console, stage_progress
from warehouse.db import get_engine, resolve_url
from warehouse.wording import count


def stale_notice(url: str) -> str | None:
    """What `fqa build` says when articles in the warehouse were read by an older extractor."""
    from pipelines.extract.version import extractor_version
    from warehouse.reextract import count_stale

    due = count_stale(get_engine(url), extractor_version())
    if not due:
        return None
    return f"{count(due, 'article')} extracted by an older extractor (or none): `fqa reextract` updates the warehouse"


@app.command()
@clear_errors
def reextract(
    db: DbOption = None,
    batch_size: Annotated[int, typer.Option(help="Articles per transaction.")] = BATCH_SIZE,
    limit: Annotated[int | None, typer.Option(help="Stop after this many articles; the next run carries on.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count the articles that are due.")] = False,
) -> None:
    """Extract again every article an older extractor read (after an upgrade), and print what changed."""
    import dagster as dg

    from pipelines.defs.build import failure_message, local_instance
    from pipelines.defs.reextract import ReextractConfig, reextract_job
    from pipelines.defs.resources import WarehouseResource
    from pipelines.extract.version import extractor_version
    from warehouse.reextract import count_stale

    url = resolve_url(db)
    if batch_size < 1:
        raise ValueError(f"--batch-size must be at least 1 article, not {batch_size}")
    get_engine(url)  # a missing warehouse is refused here, in one line, not inside the Dagster run
    if dry_run:
        due = count_stale(get_engine(url), extractor_version())
        console.print(
            f"extractor {extractor_version()}: {count(due, 'article')} due for re-extraction", highlight=False
        )
        return
    with stage_progress() as bar, local_instance() as instance:
        task = bar.add_task("reextract", total=None)
        with progress.reporting_to(lambda _stage, done, total: bar.update(task, completed=done, total=total)):
            result = reextract_job.execute_in_process(
                instance=instance,
                resources={"warehouse": WarehouseResource(url=url)},
                run_config=dg.RunConfig(
                    ops={"reextract_stale_articles": ReextractConfig(batch_size=batch_size, limit=limit)},
                    loggers={"console": {"config": {"log_level": "WARNING"}}},
                ),
                raise_on_error=False,
            )
    if not result.success:
        raise ValueError(f"re-extraction failed: {failure_message(result)}")
    out = result.output_for_node("reextract_stale_articles")
    console.print(
        f"extractor {out['version']}: {out['reextracted']} of {count(out['due'], 'article')} re-extracted"
        + (f", {out['gone']} replaced by a load meanwhile" if out["gone"] else "")
        + f"; dropped {count(out['stations_dropped'], 'station')} and {count(out['practices_dropped'], 'practice')} "
        "no article names any more",
        highlight=False,
    )
    table = Table(title="extraction rows", title_justify="left")
    for column in ("table", "before", "after"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name in ("stations", "appearances", "practice_mentions", "statistics"):
        table.add_row(name, str(out[f"{name}_before"]), str(out[f"{name}_after"]))
    console.print(table)
    console.print(f"warehouse: {url}", highlight=False)
