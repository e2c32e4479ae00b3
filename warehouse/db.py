"""Which database the warehouse lives in, and engines for it."""

from __future__ import annotations

import os
from functools import lru_cache

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from warehouse import history, quarantine_log, reprint_clusters  # noqa: F401  (their tables on Base)
from warehouse.fts import ensure_search_index
from warehouse.schema import Base

DB_URL_ENV = "FQA_DB_URL"
DEFAULT_DB_URL = "sqlite:///fengqiao.db"


class WarehouseURLError(ValueError):
    pass


def resolve_url(url: str | None = None) -> str:
    """--db beats FQA_DB_URL beats the SQLite file in the working directory.

    Plain `postgresql://` URLs are pointed at psycopg 3, the driver we ship.
    """
    chosen = url or os.environ.get(DB_URL_ENV) or DEFAULT_DB_URL
    try:
        parsed = make_url(chosen)
    except ArgumentError as exc:
        raise WarehouseURLError(f"not a database URL: {chosen!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise WarehouseURLError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI hook signature
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_missing_indexes(engine: Engine) -> None:
    """Indexes added to the schema after a warehouse was built (`create_all` skips tables that exist, indexes
    and all)."""
    existing = inspect(engine)
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if not existing.has_table(table.name):
                continue
            names = {index["name"] for index in existing.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in names:
                    index.create(conn)


def add_missing_columns(engine: Engine) -> None:
    """Nullable columns added to the schema after a warehouse was built (`create_all` leaves existing tables as
    they are); their rows read None until `fqa reextract` fills them."""
    existing = inspect(engine)
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if not existing.has_table(table.name):
                continue
            names = {column["name"] for column in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name not in names and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """One engine per URL and process, with the schema created if missing."""
    resolved = resolve_url(url)
    engine = create_engine(resolved, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    Base.metadata.create_all(engine)
    add_missing_columns(engine)
    create_missing_indexes(engine)
    ensure_search_index(engine)
    return engine
