"""JSON columns stored as UTF-8 text, and the one-time rewrite of a warehouse whose JSON holds \\uXXXX escapes.

The standard library's default (`ensure_ascii=True`) writes 该所 as "\\u8be5\\u6240": six bytes a character instead
of three, and unreadable to anyone who opens the warehouse in SQL or Datasette (issue 22).
"""

from __future__ import annotations

import json

from sqlalchemy import JSON, Engine, Table, Text, bindparam, cast, inspect, or_, select, update

from warehouse.schema import Base
from warehouse.upgrade import is_done, record_done

UPGRADE_NAME = "json_utf8"
CHUNK = 1000  # rows rewritten per transaction: an interrupted upgrade keeps what it did and resumes from there


def json_text(value: object) -> str:
    """The engine's JSON serializer: UTF-8 characters and no spaces after separators."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_tables() -> list[tuple[Table, list]]:
    """Tables with JSON columns and a one-column primary key, with those columns."""
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, JSON)]
        if columns and len(table.primary_key.columns) == 1:
            found.append((table, columns))
    return found


def rewrite_escaped_json(engine: Engine) -> int:
    """Rewrite every JSON value still stored with \\u escapes as UTF-8 (once per warehouse, resumable); returns
    how many rows it rewrote. Called when an engine opens; after the first time it is one primary-key lookup."""
    if is_done(engine, UPGRADE_NAME):
        return 0
    rewritten = 0
    for table, columns in _json_tables():
        key = next(iter(table.primary_key.columns))
        if key.name not in {column["name"] for column in inspect(engine).get_columns(table.name)}:
            key = table.c["id"]  # `article` before its integer key (`warehouse.upgrade.upgrade_article_keys`)
        escaped = or_(*(cast(c, Text).contains("\\u", autoescape=True) for c in columns))
        query = select(key, *columns).where(escaped).order_by(key).limit(CHUNK)
        values = {c.name: bindparam(f"v_{c.name}", type_=c.type) for c in columns}
        statement = update(table).where(key == bindparam("k")).values(values)
        after = None
        while True:
            with engine.begin() as conn:
                page = query if after is None else query.where(key > after)
                rows = conn.execute(page).all()
                if not rows:
                    break
                names = [f"v_{c.name}" for c in columns]
                conn.execute(statement, [{"k": row[0], **dict(zip(names, row[1:], strict=True))} for row in rows])
            rewritten += len(rows)
            after = rows[-1][0]  # a value whose escapes are all ASCII-safe (\\n, \\") matches again: move past it
    record_done(engine, UPGRADE_NAME)
    return rewritten
