"""A wrong warehouse path is an error, not an empty archive: read commands refuse a warehouse that is not there
(one line naming it, exit 1) and create nothing; only `build` and `ingest` create one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import SEEDS
from warehouse.db import DB_URL_ENV, get_engine, warehouse_exists

READ_COMMANDS = [
    ["search", "调解"],
    ["stations"],
    ["station", "玉洞派出所"],
    ["compare", "mediation_success_rate"],
    ["export", "articles", "--output", "out.csv"],
    ["articles"],
    ["show", "abc123"],
    ["changes"],
    ["quarantine"],
    ["similar", "背包警务"],
    ["topics"],
    ["serve"],
    ["casebook", "--output", "book.md"],
    ["reextract"],
]
IDS = [args[0] for args in READ_COMMANDS]


@pytest.fixture(autouse=True)
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """`fqa serve` on a warehouse it accepted would listen forever; here it returns at once instead."""
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: None)


def _table_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _refused(result, names: str) -> None:  # noqa: ANN001 - click Result
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no warehouse at" in lines[0] and names in lines[0], lines[0]
    assert "match" not in result.stdout


@pytest.mark.parametrize("args", READ_COMMANDS, ids=IDS)
def test_read_from_another_folder_refuses_the_missing_default_warehouse(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    result = CliRunner().invoke(app, args)
    _refused(result, "fengqiao.db")
    assert not (tmp_path / "fengqiao.db").exists()
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "book.md").exists()


@pytest.mark.parametrize("args", READ_COMMANDS, ids=IDS)
def test_read_with_a_mistyped_db_refuses_and_creates_nothing(
    args: list[str], db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: a file that is not there; PostgreSQL: a database without the warehouse's tables."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [*args, "--db", db_url])
    _refused(result, "warehouse.db" if db_url.startswith("sqlite") else db_url.rsplit("/", 1)[-1])
    if db_url.startswith("sqlite"):
        assert not (tmp_path / "warehouse.db").exists()
    else:
        assert _table_names(db_url) == []


def test_an_existing_warehouse_is_read(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    get_engine(db_url)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["articles", "--db", db_url])
    assert result.exit_code == 0, result.output


def test_ingest_creates_a_missing_warehouse(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drop = tmp_path / "incoming"
    drop.mkdir()
    seed = next(iter(SEEDS.values()))
    shutil.copy(seed, drop / seed.name)
    monkeypatch.chdir(tmp_path)
    assert not warehouse_exists(db_url)
    result = CliRunner().invoke(app, ["ingest", str(drop), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert warehouse_exists(db_url)
    listed = CliRunner().invoke(app, ["articles", "--db", db_url, "--json"])
    assert listed.exit_code == 0, listed.output
