"""`fqa ingest`, `fqa changes`, `fqa quarantine` and `fqa accept`: feeding the archive and seeing what it did."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from sqlalchemy import select

from pipelines.batch.quarantine import default_quarantine_dir, restore_held
from pipelines.cli.app import DbOption, NewDbOption, app, clear_errors, console
from pipelines.text.read import DEFAULT_MAX_BYTES
from warehouse.db import get_engine, resolve_url
from warehouse.history import changes_since, with_stations
from warehouse.quarantine_log import accept_held, quarantined
from warehouse.schema import Article
from warehouse.wording import count

REJECTED_EXIT_STATUS = 2  # the run finished, but some files were rejected (the count is printed)


def _titles(db: str, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    with get_engine(db).connect() as conn:
        return {
            i: t or "(untitled)" for i, t in conn.execute(select(Article.id, Article.title).where(Article.id.in_(ids)))
        }


@app.command()
@clear_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.", show_default=False)],
    db: NewDbOption = None,
    quarantine: Annotated[
        Path | None,
        typer.Option(
            help="Where rejected files are moved (default: $FQA_QUARANTINE_DIR or quarantine/ beside the drop folder).",
            show_default=False,
        ),
    ] = None,
    keep_rejected: Annotated[
        bool, typer.Option("--keep-rejected", help="Record rejects but leave them in place.")
    ] = False,
    max_bytes: Annotated[int, typer.Option(help="Reject files larger than this.")] = DEFAULT_MAX_BYTES,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Ingest files or folders: report what was new, unchanged, a reprint, updated or rejected.

    Exit status 0 when every file loaded or was unchanged, 2 when some were rejected (moved to the quarantine).
    """
    from pipelines.defs.ingest_files import ingest as run_ingest

    url = resolve_url(db)
    folder = None if keep_rejected else (quarantine or default_quarantine_dir(paths[0]))
    report = run_ingest(paths, url, max_bytes=max_bytes, quarantine_dir=folder)
    counts = report.counts()
    if as_json:
        print(
            json.dumps(
                {
                    "counts": counts,
                    "batches": report.batches,
                    "files": {
                        p: {**o.as_dict(), "moved_to": report.moved.get(p)} for p, o in sorted(report.outcomes.items())
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_report(url, report, counts, folder)
    if counts["rejected"]:
        raise typer.Exit(REJECTED_EXIT_STATUS)


def _print_report(url: str, report, counts: dict[str, int], folder: Path | None) -> None:  # noqa: ANN001
    table = Table(
        title=f"fqa ingest — {count(len(report.outcomes), 'file')}, {count(len(report.batches), 'batch')}",
        title_justify="left",
    )
    for kind in counts:
        table.add_column(kind, justify="right")
    table.add_row(*(str(n) for n in counts.values()))
    console.print(table)
    titles = _titles(
        url,
        {o.article_id for o in report.outcomes.values() if o.article_id}
        | {o.detail for o in report.outcomes.values() if o.kind == "reprint" and o.detail},
    )
    for path, outcome in sorted(report.outcomes.items()):
        if outcome.kind == "unchanged":
            continue
        line = f"[bold]{outcome.kind:<8}[/] {path}"
        if outcome.kind == "reprint":
            line += f" — reprint of {outcome.detail[:12]} {titles.get(outcome.detail, '')}"
        elif outcome.kind == "updated":
            line += f" — replaces {outcome.detail[:12]}: {titles.get(outcome.article_id, '')}"
        elif outcome.kind == "new":
            line += f" — {outcome.article_id[:12]} {titles.get(outcome.article_id, '')}"
        else:
            line += f" — {outcome.detail}"
            if path in report.moved:
                line += f" → {report.moved[path]}"
        console.print(line, highlight=False, soft_wrap=True)
    if counts["rejected"]:
        where = f"moved to {folder}" if folder else "left in place"
        console.print(
            f"[yellow]{counts['rejected']} rejected[/] ({where}; `fqa quarantine` lists them)", highlight=False
        )
    if counts["review"]:
        console.print(
            f"[yellow]{counts['review']} held for review[/] (not about policing, by the words they use; "
            "`fqa quarantine --review` lists them, `fqa accept PATH` loads one)",
            highlight=False,
        )


def _parse_since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--since {value!r}: not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None


@app.command()
@clear_errors
def changes(
    since: Annotated[
        str | None, typer.Option(help="Only changes at or after this date/time (UTC).", show_default=False)
    ] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List what is new, updated or a reprint since a date, with the stations each article names."""
    start = _parse_since(since)  # a bad date is the error to report, even before a missing warehouse
    groups = changes_since(get_engine(db), start)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "station": g.station,
                        "province": g.province,
                        "changes": [
                            {
                                "at": c.at.isoformat(timespec="seconds"),
                                "kind": c.kind,
                                "article_id": c.article_id,
                                "title": c.title,
                                "published": c.published.isoformat() if c.published else None,
                                "source_file": c.source_file,
                                "previous_id": c.previous_id,
                                "original_id": c.original_id,
                            }
                            for c in g.changes
                        ],
                    }
                    for g in groups
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not groups:
        console.print(f"no changes{f' since {since}' if since else ''}", highlight=False)
        return
    rows = with_stations(groups)
    table = Table(
        title=f"{count(len(rows), 'change')}{f' since {since}' if since else ''}", title_justify="left"
    )
    # Four columns, so the table fits a terminal (the JSON has every field): one station a line, in a column
    # wide enough for a name (folding 睦洲派出所 in two would hide it); the article's id, title and file together.
    widest = max((cell_len(name) for _, stations in rows for name in stations), default=8)
    for column in ("when", "change", "station", "article"):
        table.add_column(column, overflow="fold", min_width=min(widest, 16) if column == "station" else None)
    for c, stations in rows:
        kind = c.kind if c.kind != "updated" else f"updated (was {c.previous_id[:8]})"
        article = Text(f"{c.article_id[:12]} ") + Text(c.title or "(untitled)") + Text(f"\n{c.source_file}", "dim")
        table.add_row(f"{c.at:%Y-%m-%d}\n{c.at:%H:%M}", kind, Text("\n".join(stations)), article)
    console.print(table)


@app.command(name="quarantine")
@clear_errors
def quarantine_list(
    db: DbOption = None,
    review: Annotated[
        bool, typer.Option("--review", help="Only the files held for review (off-topic), not yet accepted.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List rejected files and files held for review: where they were, why, and where they were moved."""
    rows = quarantined(get_engine(db), review=review)
    if as_json:
        print(
            json.dumps([{**r, "at": r["at"].isoformat(timespec="seconds")} for r in rows], ensure_ascii=False, indent=2)
        )
        return
    what = count(len(rows), "file held for review", "files held for review") if review else count(
        len(rows), "quarantined file"
    )
    table = Table(title=what + (" (`fqa accept PATH` loads one)" if review else ""), title_justify="left")
    for column in ("when", "file", "reason", "moved to"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r["at"].isoformat(sep=" ", timespec="minutes"), r["path"], r["reason"], r["moved_to"] or "(left in place)"
        )
    console.print(table)


@app.command()
@clear_errors
def accept(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Held files, by where they were or where they are.", show_default=False)
    ] = None,
    all_held: Annotated[bool, typer.Option("--all", help="Accept every file held for review.")] = False,
    db: DbOption = None,
) -> None:
    """Load files held for review: put each back where it was dropped and ingest it without the topic check."""
    from pipelines.defs.ingest_files import ingest as run_ingest

    if not paths and not all_held:
        raise ValueError("name the held files to accept (`fqa quarantine --review` lists them), or pass --all")
    url = resolve_url(db)
    engine = get_engine(url)
    accepted = accept_held(engine, None if all_held else [str(p) for p in paths or ()])
    if not accepted:
        raise ValueError(f"no file held for review at {', '.join(map(str, paths or ()))}")
    sources = [restore_held(str(row["path"]), row["moved_to"] and str(row["moved_to"])) for row in accepted]
    report = run_ingest(sources, url, quarantine_dir=default_quarantine_dir(sources[0]))
    for path, outcome in sorted(report.outcomes.items()):
        console.print(f"[bold]{outcome.kind:<8}[/] {path}", highlight=False, soft_wrap=True)
