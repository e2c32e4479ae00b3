"""`fqa articles` and `fqa show`: what the warehouse holds, one line an article or one article whole."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from pipelines.cli.app import DbOption, app, clear_errors, console
from warehouse.db import get_engine
from warehouse.query import get_article, list_articles
from warehouse.wording import count


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
    table = Table(title=count(len(rows), "article"), title_justify="left")
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
