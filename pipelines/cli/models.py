"""`fqa train`, `fqa similar`, `fqa topics`: the learned models from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from models.artifacts import MODELS_DIR_ENV, configured_artifacts_dir, shipped_artifacts_dir
from pipelines.cli.app import DbOption, app, clear_errors, console
from warehouse.wording import count


def _training_output(artifacts: Path | None, update_shipped: bool) -> Path:
    """Where `fqa train` saves: the folder named by --artifacts or $FQA_MODELS_DIR; the model shipped in the
    package (a folder under git in a checkout) only with --update-shipped, so a trial run never dirties the tree."""
    if artifacts and update_shipped:
        raise ValueError("give --artifacts DIR or --update-shipped, not both")
    if update_shipped:
        return shipped_artifacts_dir()
    chosen = artifacts or configured_artifacts_dir()
    if chosen is None:
        raise ValueError(
            f"say where to save the model: --artifacts DIR (then {MODELS_DIR_ENV}=DIR makes the archive use it), "
            f"or --update-shipped to replace the model shipped in {shipped_artifacts_dir()}"
        )
    if chosen.exists() and not chosen.is_dir():
        raise ValueError(f"{chosen}: --artifacts must be a folder")
    return chosen


@app.command()
@clear_errors
def train(
    data: Annotated[Path | None, typer.Option(help="Folder with train.jsonl and heldout.jsonl.")] = None,
    artifacts: Annotated[
        Path | None,
        typer.Option(help=f"Folder to save the model in (default: ${MODELS_DIR_ENV}).", show_default=False),
    ] = None,
    update_shipped: Annotated[
        bool,
        typer.Option("--update-shipped", help="Replace the model shipped with the package (models/artifacts/)."),
    ] = False,
) -> None:
    """Train the practice-category classifier through Dagster, save it, and print its scores against the rules."""
    import dagster as dg

    from pipelines.defs.build import local_instance
    from pipelines.defs.models import ModelStore, category_model, heldout_macro_f1_above_bar

    output = _training_output(artifacts, update_shipped)
    store = ModelStore(data_dir=str(data) if data else None, artifacts_dir=str(output))
    with local_instance() as instance:
        result = dg.materialize(
            [category_model, heldout_macro_f1_above_bar],
            instance=instance,
            resources={"model_store": store},
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},  # problems only
            raise_on_error=False,
        )
    if not result.success:
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        message = failure.step_failure_data.error.message.strip() if failure else "run failed"
        raise ValueError(f"training failed: {message.splitlines()[-1]}")
    meta = {k: v.value for k, v in result.asset_materializations_for_node("category_model")[0].metadata.items()}
    check = result.get_asset_check_evaluations()[0]
    console.print(f"artifact {meta['version']} → {meta['path']}", highlight=False)
    if output != shipped_artifacts_dir():
        console.print(f"the archive uses it with {MODELS_DIR_ENV}={output}", highlight=False, soft_wrap=True)
    console.print(meta["per_category"], highlight=False, markup=False)
    console.print(
        f"macro-F1  cross-validation: model {meta['cv_macro_f1_model']:.3f}, rules {meta['cv_macro_f1_rules']:.3f}"
        f"\n          held-out: model {meta['heldout_macro_f1_model']:.3f}, "
        f"rules {meta['heldout_macro_f1_rules']:.3f}, "
        f"in use (model where it won) {meta['heldout_macro_f1_combined']:.3f}"
        f"\nthe model decides: {', '.join(meta['use_model']) or 'nothing (the rules win everywhere)'}",
        highlight=False,
    )
    console.print(
        f"check heldout_macro_f1_above_bar: {'passed' if check.passed else 'FAILED'} (bar {meta['bar']:.2f})",
        highlight=False,
    )
    if not check.passed:
        raise typer.Exit(1)


@app.command()
@clear_errors
def similar(
    query: Annotated[str, typer.Argument(help="A practice name (背包警务) or a description, in either script.")],
    limit: Annotated[int, typer.Option(help="How many practices to list.")] = 10,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Practices of other stations most like QUERY, each with the sentence that describes it and its source."""
    from models.similar import similar_practices

    results = similar_practices(db, query, limit)
    if as_json:
        rows = [{**r.__dict__, "published": r.published.isoformat() if r.published else None} for r in results]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not results:
        console.print(f"no practices of other stations resemble {query!r}", highlight=False)
        return
    table = Table(title=f"practices like {query}", title_justify="left")
    for column in ("score", "practice", "station", "category", "sentence", "source"):
        table.add_column(column, overflow="fold")
    for r in results:
        source = " ".join(
            x for x in (r.publisher, r.published.isoformat() if r.published else None, r.url or r.source_file) if x
        )
        table.add_row(f"{r.score:.2f}", r.practice, r.station or "—", r.category, r.sentence, source)
    console.print(table)


@app.command()
@clear_errors
def topics(
    k: Annotated[int, typer.Option("--k", help="How many themes.")] = 6,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Group the warehouse's practices into K themes named by their top terms, with the stations in each."""
    from models.topics import practice_themes

    themes = practice_themes(db, k)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "name": t.name,
                        "terms": t.terms,
                        "stations": t.stations,
                        "practices": list(dict.fromkeys(p for p, _ in t.practices)),
                    }
                    for t in themes
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    table = Table(title=count(len(themes), "theme"), title_justify="left")
    for column in ("theme", "practices", "stations"):
        table.add_column(column, overflow="fold")
    for t in themes:
        table.add_row(t.name, "、".join(dict.fromkeys(p for p, _ in t.practices)), "、".join(t.stations))
    console.print(table)
