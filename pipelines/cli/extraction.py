"""`fqa extract` and `fqa evaluate`: extraction of single files without the warehouse, and its scores against gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from pipelines.cli.app import app, clear_errors, console
from pipelines.text.read import IngestError


def _extract_file(path: Path) -> tuple[Any, Any]:
    """Clean → simplify → segment → extract one file without touching the warehouse."""
    from pipelines.batch.stages import process_files
    from pipelines.extract.article import extract_article

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
    from pipelines.extract.article import extraction_json

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
    corpus: Annotated[
        Path | None,
        typer.Option(help="Folder holding the annotated files (default: the gold folder's parent, else corpus/)."),
    ] = None,
) -> None:
    """Score extraction against gold annotations: precision and recall per field, every miss and false hit."""
    from pipelines.extract.article import extraction_json
    from pipelines.extract.evaluate import evaluate as score
    from pipelines.extract.evaluate import load_gold, render_report

    annotations = load_gold(gold)
    if not annotations:
        raise ValueError(f"{gold}: no gold *.json files")
    if corpus is None:
        beside = gold.resolve().parent
        corpus = beside if all((beside / name).is_file() for name in annotations) else Path("corpus")
    triples = []
    for source_file, annotation in annotations.items():
        path = corpus / source_file
        if not path.is_file():
            raise ValueError(f"{path}: annotated file not found (use --corpus)")
        article, extraction = _extract_file(path)
        triples.append((source_file, extraction_json(article, extraction), annotation))
    render_report(score(triples), console)
