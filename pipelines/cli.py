"""`fqa`: the archive's command line. Errors are one line naming the file or input, never a traceback."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from pipelines import progress
from pipelines.ingest import DEFAULT_MAX_BYTES, BuildError, IngestError
from warehouse.db import DB_URL_ENV, WarehouseURLError, get_engine, resolve_url
from warehouse.query import NotFound, get_article, list_articles

app = typer.Typer(
    name="fqa",
    help="Fengqiao Archive: build and query the archive of Fengqiao-style police station reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help=f"Warehouse URL (default: ${DB_URL_ENV} or sqlite:///fengqiao.db).", show_default=False),
]
F = TypeVar("F", bound=Callable[..., Any])
STAGES = ("read", "clean", "simplify", "segment")


def _fail(message: str) -> None:
    err_console.print(f"[bold red]fqa: error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def clear_errors(func: F) -> F:
    """Turn the errors a user can cause into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (BuildError, WarehouseURLError, IngestError, NotFound, ValueError) as exc:
            _fail(str(exc))
        except SQLAlchemyError as exc:
            _fail(f"database: {str(exc.orig if getattr(exc, 'orig', None) else exc).splitlines()[0]}")
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))

    return wrapper  # type: ignore[return-value]


def stage_progress() -> Progress:
    """Bars per stage on stderr, shown only on a terminal (so piped and tested output stays plain)."""
    return Progress(
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    )


@app.command()
@clear_errors
def build(
    corpus: Annotated[list[Path] | None, typer.Option("--corpus", help="Corpus folder or file (repeatable).")] = None,
    db: DbOption = None,
    max_bytes: Annotated[int, typer.Option(help="Reject files larger than this.")] = DEFAULT_MAX_BYTES,
) -> None:
    """Build the warehouse from the corpus through Dagster (in-process) and print a summary."""
    from pipelines.build import build as run_build

    sources = corpus or [Path("corpus")]
    url = resolve_url(db)
    with stage_progress() as bar:
        tasks = {stage: bar.add_task(stage, total=None) for stage in STAGES}

        def report(stage: str, done: int, total: int) -> None:
            if stage in tasks:
                bar.update(tasks[stage], completed=done, total=total)

        with progress.reporting_to(report):
            summary = run_build(sources, url, max_bytes=max_bytes)
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
    from pipelines.cli_reextract import stale_notice

    notice = stale_notice(url)
    if notice:
        console.print(f"[yellow]{notice}[/]", highlight=False)
    console.print(f"warehouse: {url}", highlight=False)


@app.command()
@clear_errors
def articles(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the articles in the warehouse."""
    rows = list_articles(get_engine(db))
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} articles", title_justify="left")
    for column in ("id", "date", "title", "publisher", "script", "sentences", "repairs"):
        table.add_column(column, overflow="fold")
    for row in rows:
        flags = row["repair_flags"] or {}
        repairs = ", ".join(
            f"{label} {flags[key]}"
            for key, label in (("glosses_removed", "glosses"), ("mojibake_runs", "mojibake"),
                               ("entities_fixed", "entities"))
            if flags.get(key)
        )
        table.add_row(str(row["id"])[:12], row["published"] or "—", row["title"] or "(untitled)",
                      row["publisher"] or "—", str(row["script"]), str(row["sentences"]), repairs or "—")
    console.print(table)


@app.command()
@clear_errors
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or its first characters) or source file name.")],
    db: DbOption = None,
    original: Annotated[bool, typer.Option("--original", help="Print the original-script text.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print one article's metadata, clean text and repair flags."""
    article = get_article(get_engine(db), article_id)
    fields = {
        "id": article.id,
        "title": article.title,
        "original_title": article.original_title if article.original_title != article.title else None,
        "subtitle": article.subtitle,
        "published": article.published.isoformat() if article.published else None,
        "publisher": article.publisher,
        "author": article.author,
        "editor": article.editor,
        "url": article.url,
        "source_file": article.source_file,
        "encoding": article.encoding,
        "original_script": article.original_script,
        "missing_metadata": article.missing_metadata,
        "repair_flags": article.repair_flags,
        "captions": article.captions,
    }
    text = article.clean_text if original else article.simplified_text
    if as_json:
        print(json.dumps({**fields, "text": text}, ensure_ascii=False, indent=2))
        return
    meta = Table(show_header=False, box=None)
    meta.add_column(style="bold")
    meta.add_column(overflow="fold")
    for key, value in fields.items():
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        meta.add_row(key, "—" if value in (None, "", "[]") else str(value))
    console.print(meta)
    console.rule("original text" if original else "simplified text")
    console.print(text, highlight=False, markup=False)


def _extract_file(path: Path) -> tuple[Any, Any]:
    """Clean → simplify → segment → extract one file without touching the warehouse."""
    from pipelines.extract import extract_article
    from pipelines.stages import process_files

    read, cleaned, segmented = process_files([path])
    for rejection in read.rejections + cleaned.rejections:
        raise IngestError(rejection.path, rejection.reason, rejection.code)
    return segmented[0], extract_article(segmented[0])


@app.command()
@clear_errors
def extract(
    file: Annotated[Path, typer.Argument(help="A .txt or .html report.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run clean → simplify → extract on one file and print what was found (the warehouse is not touched)."""
    from pipelines.extract import extraction_json

    article, extraction = _extract_file(file)
    result = extraction_json(article, extraction)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    meta = result["article"]
    console.print(f"[bold]{meta['title'] or '(untitled)'}[/]  {meta['date'] or 'undated'}  "
                  f"{meta['source'] or ''}  {meta['url'] or ''}  script: {meta['script']}", highlight=False)
    stations = Table(title="stations", title_justify="left")
    for column in ("name", "kind", "province", "city", "county", "honours"):
        stations.add_column(column, overflow="fold")
    for s in result["stations"]:
        stations.add_row(s["name"], s["kind"], s["province"] or "—", s["city"] or "—", s["county"] or "—",
                         "; ".join(h["text"] for h in s["honours"]) or "—")
    console.print(stations)
    practices = Table(title="practices", title_justify="left")
    for column in ("practice", "category", "station", "sentence"):
        practices.add_column(column, overflow="fold")
    for p in result["practices"]:
        practices.add_row(p["name"], p["category"], p["station"] or "—", p["sentence"])
    console.print(practices)
    if result["slogans"]:
        console.print("slogans: " + "、".join(s["text"] for s in result["slogans"]), highlight=False)
    stats = Table(title="statistics", title_justify="left")
    for column in ("metric", "figure", "value", "interval", "period", "counted", "station"):
        stats.add_column(column, overflow="fold")
    for s in result["statistics"]:
        interval = f"[{'' if s['low'] is None else s['low']}, {'∞' if s['high'] is None else s['high']}]"
        stats.add_row(s["metric"], s["text"], "—" if s["value"] is None else str(s["value"]), interval,
                      s["period"] or "—", s["subject"], s["station"] or "unattributed")
    console.print(stats)


@app.command()
@clear_errors
def evaluate(
    gold: Annotated[Path, typer.Option(help="Folder of gold JSON annotations.")] = Path("tests/gold"),
    corpus: Annotated[Path, typer.Option(help="Folder holding the annotated source files.")] = Path("corpus"),
) -> None:
    """Score extraction against gold annotations: precision and recall per field, every miss and false hit."""
    from pipelines.evaluate import evaluate as score
    from pipelines.evaluate import load_gold, render_report
    from pipelines.extract import extraction_json

    annotations = load_gold(gold)
    if not annotations:
        raise ValueError(f"{gold}: no gold *.json files")
    triples = []
    for source_file, annotation in annotations.items():
        path = corpus / source_file
        if not path.is_file():
            raise ValueError(f"{path}: annotated file not found (use --corpus)")
        article, extraction = _extract_file(path)
        triples.append((source_file, extraction_json(article, extraction), annotation))
    render_report(score(triples), console)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())


# Each area's commands live in its own module and register themselves on `app` when imported.
from pipelines import (  # noqa: E402,F401
    cli_casebook,
    cli_ingest,
    cli_models,
    cli_reextract,
    cli_research,
    cli_synth,
)
