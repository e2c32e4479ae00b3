"""The `fqa` command line: one module per command group, all registered on `pipelines.cli.app.app`.

Owns: argument parsing, tables and one-line errors. May import `pipelines.defs` (to run Dagster in-process),
`pipelines.batch`, `pipelines.extract`, `pipelines.text`, `warehouse`, `models`, `casebook` and `webapp`; nothing
imports it (`fqa = "pipelines.cli:app"` in pyproject.toml is its one entry point).
"""

from pipelines.cli import (  # noqa: F401  (each module registers its commands on `app`)
    articles,
    build,
    casebook,
    extraction,
    ingest,
    models,
    reextract,
    research,
    synth,
)
from pipelines.cli.app import app

__all__ = ["app"]
