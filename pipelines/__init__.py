"""The pipeline: stages as plain functions on plain data, and the Dagster and command-line wiring around them.

| package | owns | may import (inside pipelines) |
|---|---|---|
| `text` | bytes → clean, simplified, segmented text | nothing above it |
| `extract` | stations, places, practices, quantities, statistics, checks, evaluation | `text` |
| `batch` | stages over batches: pool, fork server, memory, plans, quarantine, re-extraction | `extract`, `text` |
| `defs` | Dagster assets, checks, sensors, schedules, jobs, resources, in-process builds | `batch` and below |
| `cli` | the `fqa` command line | `defs` and below |

`definitions.py` is the one Dagster entry point. Imports run one way (`cli` → `defs` → `batch` → `extract` →
`text`), and `warehouse`, `models`, `casebook` and `webapp` never import `cli`, `defs` or Dagster; the contracts
in pyproject.toml's [tool.importlinter] say so and `tests/test_layout.py` checks them.
"""
