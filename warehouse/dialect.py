"""INSERT … ON CONFLICT for whichever of our two databases a connection is on."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_for(conn: Connection, table: Table):  # noqa: ANN201 - dialect-specific Insert
    """SQLite and PostgreSQL both spell upserts ON CONFLICT, but through their own Insert constructs."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
