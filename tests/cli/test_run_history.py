"""Tests keep their Dagster run history to themselves: a command run from the repo, where dagster.yaml would send
it to the user's `.dagster_home/`, records its run in the session's temporary DAGSTER_HOME instead
(`tests/conftest.py::dagster_home`)."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import REPO, SEEDS
from tests.ingest_fixtures import load, process
from warehouse.db import get_engine


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


def _runs(home: str | None) -> int:
    if not home:
        return 0
    with dg.DagsterInstance.from_config(home) as instance:
        return len(instance.get_run_records())


def test_a_dagster_run_from_the_repo_leaves_its_dagster_home_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    assert (REPO / "dagster.yaml").is_file()
    monkeypatch.chdir(REPO)  # where `fqa` would otherwise pick up dagster.yaml and its .dagster_home/
    url = f"sqlite:///{tmp_path / 'w.db'}"
    load(get_engine(url), process([SEEDS["004"]]), batch_key="one")
    repo_home = REPO / ".dagster_home"
    before = _files(repo_home)
    session_home = os.environ.get("DAGSTER_HOME")
    runs_before = _runs(session_home)

    result = CliRunner().invoke(app, ["reextract", "--db", url])  # a Dagster run through `local_instance()`
    assert result.exit_code == 0, result.output

    assert _files(repo_home) == before
    assert session_home and not Path(session_home).resolve().is_relative_to(REPO.resolve())
    assert _runs(session_home) == runs_before + 1  # the run was recorded, in the session's own home
