"""`fqa casebook` (a trainers' handout in md/html/docx/pdf) and `fqa serve` (the read-only web archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.app import DbOption, app, clear_errors, console
from warehouse.db import get_engine, resolve_url
from warehouse.wording import count


@app.command()
@clear_errors
def casebook(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="md, html, docx or pdf.")] = "",
    category: Annotated[str | None, typer.Option(help="Practice category, e.g. mediation.")] = None,
    station: Annotated[list[str] | None, typer.Option(help="Station name or alias (repeatable).")] = None,
    practice: Annotated[list[str] | None, typer.Option(help="Practice name or part of it (repeatable).")] = None,
    province: Annotated[str | None, typer.Option(help="Province, e.g. 广西 or 廣西.")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also figures below the confidence bar (left out and counted by default).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export a casebook: per station its place, honours and profile; per practice a card with what it is, how
    it works, who carries it out with what, and its outcomes — every statement footnoted to its source."""
    from casebook import FORMATS, export
    from casebook.assemble import CasebookFilters, assemble

    chosen = fmt or output.suffix.lstrip(".").lower()
    if chosen not in FORMATS:
        raise ValueError(f"{output}: give --format {'|'.join(FORMATS)} (or an output name ending in one of them)")
    if not output.parent.is_dir():
        raise ValueError(f"{output}: folder {output.parent} does not exist")
    filters = CasebookFilters(
        category=category, stations=station or [], practices=practice or [], province=province, all=show_all
    )
    book = assemble(get_engine(db), filters)
    missing = export(book, chosen, output)
    cards = sum(len(s.practices) for s in book.stations)
    console.print(
        f"wrote {output} ({chosen}): {count(len(book.stations), 'station')}, {count(cards, 'practice card')}, "
        f"{count(len(book.sources()), 'footnote')}, {count(len(book.glossary), 'glossary term')}"
        + (f"; {book.hidden_note}" if book.hidden_note else ""),
        highlight=False,
        soft_wrap=True,
    )
    if missing:
        console.print(f"[yellow]warning:[/] the PDF font lacks {''.join(missing)}", highlight=False)


@app.command()
@clear_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps the archive on this machine.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the read-only web archive: search, stations, practices, comparisons, articles, and JSON under /api."""
    import uvicorn

    from webapp.app import create_app

    url = resolve_url(db)
    get_engine(url)  # a bad URL or unreachable database fails here, in one line, before the server starts
    console.print(
        f"serving {url} at http://{host}:{port}/ (JSON API listed at /api, OpenAPI at /openapi.json); Ctrl-C stops",
        highlight=False,
    )
    uvicorn.run(create_app(url), host=host, port=port, log_level="warning")
