"""Which database the warehouse lives in, and engines for it."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from filelock import FileLock
from sqlalchemy import Engine, Table, create_engine, event, inspect, text
from sqlalchemy.engine import Inspector, make_url
from sqlalchemy.exc import ArgumentError

from warehouse import history, quarantine_log, reprint_clusters, stored_text  # noqa: F401  (their tables on Base)
from warehouse.fts import SQL_GRAMS, ensure_search_index, grams_or_empty
from warehouse.json_text import json_text, rewrite_escaped_json
from warehouse.schema import Base
from warehouse.upgrade import (
    upgrade_article_keys,
    upgrade_article_texts,
    upgrade_clean_patches,
    upgrade_search_positions,
    upgrade_search_vectors,
    upgrade_search_words,
    upgrade_storage,
)

DB_URL_ENV = "FQA_DB_URL"
DEFAULT_DB_URL = "sqlite:///fengqiao.db"


# One key for "this database's schema is being created or upgraded" (advisory locks are per database).
_SCHEMA_LOCK_KEY = zlib.crc32(b"fengqiao-archive schema")
_MARKER_TABLE = "article"  # a database without it holds no warehouse
# Set while a read runs (`refusing_missing`): get_engine then refuses to create a warehouse that is not there.
_REFUSE_MISSING: ContextVar[bool] = ContextVar("fqa_refuse_missing", default=False)


class WarehouseURLError(ValueError):
    pass


class WarehouseMissing(WarehouseURLError):
    """A read was pointed at a warehouse that does not exist (a typo or the wrong folder, not an empty archive)."""


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
    # The full-text index's triggers make a sentence's bigrams from its span of the article (warehouse/fts.py).
    dbapi_connection.create_function(SQL_GRAMS, 1, grams_or_empty, deterministic=True)
    # An article's clean text, where it differs from the simplified one, is a patch against it (stored_text.py).
    dbapi_connection.create_function(stored_text.SQL_CLEAN, 2, stored_text.clean_from_patch, deterministic=True)
    dbapi_connection.create_function(stored_text.SQL_CLEAN_SPAN, 4, stored_text.clean_span, deterministic=True)


def _built_tables(existing: Inspector) -> Iterator[Table]:
    """The schema's tables the warehouse already has: `create_all` skips them, whatever they lack."""
    return (table for table in Base.metadata.sorted_tables if existing.has_table(table.name))


def create_missing_indexes(engine: Engine) -> None:
    """Indexes added to the schema after a warehouse was built (those on columns a one-time upgrade has still to
    add wait for it)."""
    existing = inspect(engine)
    with engine.begin() as conn:
        for table in _built_tables(existing):
            names = {index["name"] for index in existing.get_indexes(table.name)}
            columns = {column["name"] for column in existing.get_columns(table.name)}
            for index in table.indexes:
                if index.name not in names and {c.name for c in index.columns} <= columns:
                    index.create(conn)


def add_missing_columns(engine: Engine) -> None:
    """Nullable columns added to the schema after a warehouse was built; their rows read None until
    `fqa reextract` fills them."""
    existing = inspect(engine)
    with engine.begin() as conn:
        for table in _built_tables(existing):
            names = {column["name"] for column in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name not in names and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def _sqlite_file(url: str) -> Path | None:
    """The SQLite database file a URL names; None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database.removeprefix("file:").split("?")[0])


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Only one process at a time creates or upgrades a warehouse's schema.

    Two first-time ingests would otherwise both run `create_all` and one would fail (`table … already exists` on
    SQLite, a duplicate `pg_type` key on PostgreSQL). PostgreSQL: a session advisory lock held on its own
    connection; SQLite: a lock file beside the database file.
    """
    if engine.dialect.name == "postgresql":
        # Autocommit: an idle open transaction here would stall any DDL that waits for older snapshots.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK_KEY})
        return
    path = _sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is None:  # in memory: private to this process
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{path}.lock"):
        yield


def warehouse_exists(url: str | None = None) -> bool:
    """Whether the warehouse is there to read: the SQLite file exists, or the PostgreSQL database has its tables.

    Never creates anything (get_engine would); an unreachable server raises the database's error.
    """
    resolved = resolve_url(url)
    if make_url(resolved).get_backend_name() == "sqlite":
        path = _sqlite_file(resolved)
        return path is None or path.is_file()
    engine = create_engine(resolved, future=True)
    try:
        return inspect(engine).has_table(_MARKER_TABLE)
    finally:
        engine.dispose()


def require_warehouse(url: str | None = None) -> str:
    """The resolved URL of a warehouse that exists; WarehouseMissing (one line naming it) otherwise."""
    resolved = resolve_url(url)
    if not warehouse_exists(resolved):
        parsed = make_url(resolved)
        where = _sqlite_file(resolved) if parsed.get_backend_name() == "sqlite" else parsed.render_as_string()
        raise WarehouseMissing(f"no warehouse at {where}: build one with `fqa build` or `fqa ingest`, or pass --db")
    return resolved


def refuse_missing() -> Callable[[], None]:
    """From now on (in this context) get_engine refuses a warehouse that does not exist instead of creating an
    empty one: a read pointed at a mistyped path must fail, not answer "0 matches". Returns the undo."""
    token = _REFUSE_MISSING.set(True)
    return lambda: _REFUSE_MISSING.reset(token)


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """One engine per URL and process, with the schema created if missing (one process at a time), unless
    `refuse_missing` is in force."""
    resolved = resolve_url(url)
    if _REFUSE_MISSING.get():
        require_warehouse(resolved)
    engine = create_engine(resolved, future=True, json_serializer=json_text)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    with schema_lock(engine):
        Base.metadata.create_all(engine)
        add_missing_columns(engine)
        create_missing_indexes(engine)
        rewrite_escaped_json(engine)
        upgrade_storage(engine)
        upgrade_article_texts(engine)
        upgrade_search_vectors(engine)
        upgrade_search_words(engine)
        if upgrade_article_keys(engine):
            create_missing_indexes(engine)
        upgrade_search_positions(engine)
        upgrade_clean_patches(engine)
        ensure_search_index(engine)
    return engine
