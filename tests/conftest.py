"""Shared fixtures: seed paths, and warehouse URLs for SQLite and the real PostgreSQL on this machine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SEEDS = {path.name[:3]: path for path in sorted(CORPUS.glob("*.txt"))}

PG_ADMIN_URL = os.environ.get("FQA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The whole session's Dagster run history goes to a temporary DAGSTER_HOME. Without it, every CLI command a
    test runs from the repo (build, ingest, reextract, train) records its runs in the user's `.dagster_home/`
    through the repo's dagster.yaml (`pipelines.defs.build.local_instance`)."""
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        yield home


def seed_text(prefix: str) -> str:
    return SEEDS[prefix].read_text(encoding="utf-8")


def _pg_unavailable_reason() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(exc).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def pg_server() -> str:
    reason = _pg_unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests; .ci/run starts the server)")
        pytest.skip(reason)
    return PG_ADMIN_URL


def _fresh_pg_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped afterwards."""
    name = f"fqa_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from warehouse.db import get_engine

        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same warehouse test runs once on a SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'warehouse.db'}"
        from warehouse.db import get_engine

        get_engine.cache_clear()
        return
    admin_url = request.getfixturevalue("pg_server")
    yield from _fresh_pg_database(admin_url)
