"""Dagster wiring, thin: assets, asset checks, sensors, schedules, jobs and resources, and in-process builds
(`build.py`, `ingest_files.py`) that materialize them. `pipelines/definitions.py` assembles them.

May import `pipelines.batch`, `pipelines.extract`, `pipelines.text`, `warehouse` and `models`; never `pipelines.cli`.
"""
