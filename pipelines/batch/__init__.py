"""Running the stages over batches of files: the process pool and its fork server, memory between batches,
ingest plans, quarantine, re-extraction, progress reporting and the synthetic benchmark corpus.

May import `pipelines.extract`, `pipelines.text` and `warehouse`; never `pipelines.defs`, `pipelines.cli` or Dagster.
"""
