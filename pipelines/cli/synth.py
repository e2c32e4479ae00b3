"""`fqa synth N --out DIR`: write a generated benchmark corpus (see `pipelines/batch/synth.py`)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from pipelines.batch.synth import ALLOW_ENV, load_material, write_corpus
from pipelines.cli.app import app, clear_errors, console
from warehouse import wording


@app.command()
@clear_errors
def synth(
    count: Annotated[int, typer.Argument(help="How many articles to write.", min=1)],
    out: Annotated[Path, typer.Option("--out", help="Folder to write them into (created; existing files kept).")],
    corpus: Annotated[
        list[Path] | None, typer.Option("--corpus", help="Corpus folder or file to recombine (repeatable).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same articles.")] = 0,
) -> None:
    """Write COUNT generated articles for benchmarks; resumes where an earlier run stopped."""
    sources = corpus or [Path("corpus")]
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: --out must be a folder")
    started = time.perf_counter()
    material = load_material(sources)
    outcome: Counter[bool] = Counter()
    for _, written in write_corpus(material, count, out, seed):
        outcome[written] += 1
    console.print(
        f"{wording.count(count, 'synthetic article')} in {out}: {outcome[True]} written, {outcome[False]} already "
        f"there ({time.perf_counter() - started:.1f}s, "
        f"from {wording.count(len(material.sentences), 'corpus sentence')})",
        highlight=False,
    )
    console.print(f"the archive refuses them unless {ALLOW_ENV}=1 (benchmark warehouses only)", highlight=False)
