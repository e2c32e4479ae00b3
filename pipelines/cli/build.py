"""`fqa build`: the whole corpus through Dagster in-process, with progress bars and a summary table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pipelines.batch import progress
from pipelines.batch.quarantine import default_quarantine_dir
from pipelines.cli.app import STAGES, NewDbOption, app, clear_errors, console, stage_progress
from pipelines.text.read import DEFAULT_MAX_BYTES
from warehouse.db import resolve_url


@app.command()
@clear_errors
def build(
    corpus: Annotated[list[Path] | None, typer.Option("--corpus", help="Corpus folder or file (repeatable).")] = None,
    db: NewDbOption = None,
    max_bytes: Annotated[int, typer.Option(help="Reject files larger than this.")] = DEFAULT_MAX_BYTES,
    quarantine: Annotated[
        Path | None,
        typer.Option(
            help="Where rejected files are moved (default: $FQA_QUARANTINE_DIR or `quarantine` beside the corpus).",
            show_default=False,
        ),
    ] = None,
    keep_rejected: Annotated[
        bool, typer.Option("--keep-rejected", help="Record rejects but leave them in place.")
    ] = False,
) -> None:
    """Build the warehouse from the corpus through Dagster (in-process) and print a summary.

    Rejected files move to the quarantine beside the (first) corpus folder, outside what the build scans, so the
    next build neither reads them again nor records them twice.
    """
    from pipelines.defs.build import build as run_build

    sources = corpus or [Path("corpus")]
    url = resolve_url(db)
    folder = None if keep_rejected else (quarantine or default_quarantine_dir(sources[0]))
    with stage_progress() as bar:
        tasks = {stage: bar.add_task(stage, total=None) for stage in STAGES}

        def report(stage: str, done: int, total: int) -> None:
            if stage in tasks:
                bar.update(tasks[stage], completed=done, total=total)

        with progress.reporting_to(report):
            summary = run_build(sources, url, max_bytes=max_bytes, quarantine_dir=folder)
    table = Table(title=f"fqa build — batch {summary.batch_key}", title_justify="left")
    for column in ("files", "new", "unchanged", "rejected", "repaired", "flagged"):
        table.add_column(column, justify="right")
    table.add_row(*(str(getattr(summary, c)) for c in ("files", "new", "unchanged", "rejected", "repaired",
                                                        "flagged")))
    console.print(table)
    timings = ", ".join(f"{name} {secs:.2f}s" for name, secs in summary.stage_seconds.items())
    console.print(f"stages: {timings}", highlight=False)
    failed = [name for name, passed in summary.checks.items() if not passed]
    console.print(f"checks: {len(summary.checks) - len(failed)} of {len(summary.checks)} passed", highlight=False)
    for name in failed:
        notes = json.dumps(summary.check_notes.get(name, {}), ensure_ascii=False)
        console.print(f"[yellow]check {name} did not pass:[/] {notes}", highlight=False, soft_wrap=True)
    for line in summary.rejections:
        console.print(f"[yellow]rejected[/] {line}", highlight=False)
    if summary.quarantined:
        moved = f"[yellow]{summary.quarantined} moved to {folder}[/] (`fqa quarantine` lists them)"
        console.print(moved, highlight=False)
    from pipelines.cli.reextract import stale_notice

    notice = stale_notice(url)
    if notice:
        console.print(f"[yellow]{notice}[/]", highlight=False)
    console.print(f"warehouse: {url}", highlight=False)
