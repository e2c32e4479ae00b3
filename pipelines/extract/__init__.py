"""What an article says: stations, places, practices, quantities, statistics and their periods, checks on them,
and scoring against annotated gold.

Plain functions on plain data. May import `pipelines.text` and `models` (the practice-category labeller), never
`pipelines.batch`, `pipelines.defs`, `pipelines.cli` or Dagster.
"""
