"""The one-time conversion of a warehouse built before each text was stored once (issue 22), in place.

Older warehouses kept every sentence twice more (`sentence.text`, `sentence.original_text`), its tokens and
bigrams as columns (`tokens`, `grams`) which the full-text index held again, and each statistic's and practice
mention's sentence as a copy. Now a sentence is a span of its article's text, a statistic's or mention's
sentence is its span (`sentence_start`, `sentence_end`), and the bigrams live in the index only. The
conversion runs when a warehouse is opened (`warehouse.db.get_engine`), like the JSON one
(`warehouse.json_text`):

1. the search triggers that read the old columns go (SQLite: the external-content FTS5 table too; it is
   built again, contentless, by `warehouse.fts.ensure_search_index`; PostgreSQL's side table is kept as it is);
2. each sentence's search-mode words are written as spans of the sentence (`sentence.search_words`, the column
   added when the warehouse was opened; `warehouse/words.py`), in chunks, from `search_tokens`;
3. the indexes that repeat a primary key or the prefix of a unique constraint go;
4. the copied columns go, one table per transaction;
5. the space is given back (SQLite VACUUM, PostgreSQL VACUUM FULL of the tables that shrank);
6. the upgrade is recorded in `warehouse_upgrade`, so later opens cost one primary-key lookup.

Every step looks before it acts, so an interrupted upgrade is finished by the next open.

Later one-time steps, each recorded under its own name and run in this order when a warehouse is opened (see
each section below and docs/storage.md): `article_texts` (the raw and clean texts by what they add to the
simplified text), `search_bigrams_only` (PostgreSQL's side table without the jieba words) and
`search_words_layout_2` (the search words in two bytes a word).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import TextClause

from warehouse import fts, stored_text, words
from warehouse.schema import WarehouseUpgrade, utcnow

UPGRADE_NAME = "storage_spans"
LEGACY_COLUMNS = {
    "sentence": ("text", "original_text", "tokens", "search_tokens", "grams"),
    "statistic": ("sentence",),
    "practice_mention": ("sentence",),
}
LEGACY_INDEXES = {
    "sentence": fts.LEGACY_SENTENCE_INDEXES,  # (article_id) repeats the unique (article_id, seq); (id, article_id)
    "station_article": ("ix_station_article_station_id",),  # repeats the unique (station_id, article_id)
}


def is_done(engine: Engine, name: str = UPGRADE_NAME) -> bool:
    """Whether the one-time upgrade `name` is recorded in `warehouse_upgrade` (one primary-key lookup)."""
    with engine.connect() as conn:
        return conn.scalar(select(WarehouseUpgrade.name).where(WarehouseUpgrade.name == name)) is not None


def record_done(engine: Engine, name: str) -> None:
    """Record the one-time upgrade `name` as done, so later opens stop looking for its work."""
    with engine.begin() as conn:
        conn.execute(WarehouseUpgrade.__table__.insert().values(name=name, done=utcnow()))


def upgrade_storage(engine: Engine) -> list[str]:
    """Convert the warehouse in place if it still stores copies (see the module docstring); returns what it
    dropped, as `table.column` and index names. Resumable; after the first time one primary-key lookup."""
    if is_done(engine):
        return []
    dropped: list[str] = []
    with engine.begin() as conn:  # first: an old update trigger would re-index (PostgreSQL: re-order) every row
        _drop_legacy_search(conn)
    _write_search_words(engine)
    existing = inspect(engine)
    for table, names in LEGACY_INDEXES.items():
        present = {index["name"] for index in existing.get_indexes(table)}
        for name in names:
            if name in present:
                with engine.begin() as conn:
                    conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
                dropped.append(name)
    for table, columns in LEGACY_COLUMNS.items():
        present = {column["name"] for column in inspect(engine).get_columns(table)}
        gone = [c for c in columns if c in present]
        with engine.begin() as conn:
            for column in gone:
                conn.execute(text(f'ALTER TABLE {table} DROP COLUMN "{column}"'))
        dropped += [f"{table}.{c}" for c in gone]
    _compact(engine)
    record_done(engine, UPGRADE_NAME)
    return dropped


_WORDS_CHUNK = 5000
_UNWRITTEN = text(
    f"SELECT s.id, {fts.span_sql('a.simplified_text', 's')}, s.search_tokens"
    " FROM sentence s JOIN article a ON a.id = s.article_id"
    " WHERE s.search_words IS NULL AND s.id > :after ORDER BY s.id LIMIT :n"
)


def _rewrite_in_chunks(
    engine: Engine,
    query: TextClause,
    params: dict[str, object],
    update: TextClause,
    values: Callable[[Row], dict[str, object]],
    after: object,
) -> int:
    """Rewrite the rows `query` finds (key first, in key order, past `:after`, `:n` at a time), one chunk per
    transaction, so that an interrupted run resumes where it stopped; returns how many."""
    done = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(query, {**params, "after": after}).all()
            if not rows:
                return done
            conn.execute(update, [values(row) for row in rows])
        done += len(rows)
        after = rows[-1][0]


_SET_SEARCH_WORDS = text("UPDATE sentence SET search_words = :w WHERE id = :i")


def _write_search_words(engine: Engine) -> None:
    """`search_words` from the old `search_tokens` (an interrupted run resumes)."""
    if "search_tokens" not in {column["name"] for column in inspect(engine).get_columns("sentence")}:
        return
    _rewrite_in_chunks(
        engine,
        _UNWRITTEN,
        {"n": _WORDS_CHUNK},
        _SET_SEARCH_WORDS,
        lambda row: {"i": row[0], "w": words.encode(row[1] or "", row[2] or "")},
        after=0,
    )


def _drop_legacy_search(conn: Connection) -> None:
    """The triggers (and, on SQLite, the FTS5 table) that read the columns about to go."""
    if conn.dialect.name == "postgresql":
        fts.drop_legacy_pg_triggers(conn)
        # the first design's generated tsvector column, computed from `grams`: the side table replaces it
        conn.execute(text(f"DROP INDEX IF EXISTS {fts.PG_LEGACY_INDEX}"))
        conn.execute(text(f"ALTER TABLE sentence DROP COLUMN IF EXISTS {fts.PG_VECTOR}"))
        return
    definition = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": fts.FTS_TABLE})
    if definition is not None and "content=''" not in definition:
        for name in fts.LEGACY_SQLITE_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        conn.execute(text(f"DROP TABLE {fts.FTS_TABLE}"))
        fts._ready.clear()  # noqa: SLF001 - this process's engines must look again, and build the new index


def _compact(engine: Engine) -> None:
    """Give the dropped columns' space back: a dropped column's bytes stay in every row until it is rewritten."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("VACUUM FULL sentence, statistic, practice_mention, station_article"))
        else:
            conn.exec_driver_sql("VACUUM")


# --- article texts by what they add (warehouse/stored_text.py) --------------------------------------------------
#
# Warehouses built before it kept `article.raw_text` and `article.clean_text` whole. Their replacements,
# `clean_stored` and `raw_patch`, were added (NULL) when the warehouse was opened (`warehouse.db`); this fills
# them chunk by chunk, each chunk one transaction (an interrupted run starts again where it stopped: a row is
# done once it has `raw_patch`, or has a raw text equal to its clean text and a clean text equal to its
# simplified text), then drops the two columns and gives their space back. Nothing reads `Article.clean_text`
# before it is done: it runs when the warehouse is opened, before any query.

TEXTS_UPGRADE = "article_texts"
LEGACY_ARTICLE_COLUMNS = ("raw_text", "clean_text")
_TEXTS_CHUNK = 500
_UNPATCHED = text(
    "SELECT id, raw_text, clean_text, simplified_text, clean_to_raw FROM article"
    " WHERE raw_patch IS NULL AND clean_stored IS NULL"
    " AND (raw_text <> clean_text OR clean_text <> simplified_text) AND id > :after ORDER BY id LIMIT :n"
)


def upgrade_article_texts(engine: Engine) -> list[str]:
    """Store the raw and clean texts by what they add (see above); returns the columns dropped. Resumable; after
    the first time one primary-key lookup."""
    if is_done(engine, TEXTS_UPGRADE):
        return []
    present = {column["name"] for column in inspect(engine).get_columns("article")}
    gone = [c for c in LEGACY_ARTICLE_COLUMNS if c in present]
    if len(gone) == len(LEGACY_ARTICLE_COLUMNS):  # with one gone, a run stopped between the drops: all written
        _write_article_texts(engine)
    with engine.begin() as conn:
        for column in gone:
            conn.execute(text(f'ALTER TABLE article DROP COLUMN "{column}"'))
    if gone:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("VACUUM FULL article"))
            else:
                conn.exec_driver_sql("VACUUM")
    record_done(engine, TEXTS_UPGRADE)
    return [f"article.{c}" for c in gone]


def _write_article_texts(engine: Engine) -> None:
    def values(row: Row) -> dict[str, object]:
        key, raw, clean, simplified, runs = row
        return {
            "i": key,
            "c": stored_text.clean_stored(clean, simplified),
            "r": stored_text.encode(raw, clean, json_runs(runs)),
        }

    update = text("UPDATE article SET clean_stored = :c, raw_patch = :r WHERE id = :i")
    _rewrite_in_chunks(engine, _UNPATCHED, {"n": _TEXTS_CHUNK}, update, values, after="")


def json_runs(value: object) -> list:
    """`clean_to_raw` as read by a textual query: JSON text on SQLite, already decoded by psycopg."""
    return json.loads(value) if isinstance(value, str | bytes) else list(value or [])


# --- PostgreSQL: a side table of bigrams only -----------------------------------------------------------------
#
# The side table `sentence_search` held each sentence's jieba words (weight A) beside its bigrams (weight B);
# nothing ranks by them any more (`warehouse.fts.pg_vector_sql`). Its rows are made again from the sentences'
# spans: the table is dropped and `fts.ensure_search_index` builds it, in one transaction, as for a warehouse
# without one. Interrupted, the next open builds it again. SQLite has nothing to do.

VECTORS_UPGRADE = "search_bigrams_only"


def upgrade_search_vectors(engine: Engine) -> bool:
    """Rebuild PostgreSQL's side table without the words, once; True if it did."""
    if is_done(engine, VECTORS_UPGRADE):
        return False
    rebuilt = False
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('fqa_search_index'))"))
            rebuilt = conn.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": fts.PG_TABLE})
            conn.execute(text(f"DROP TABLE IF EXISTS {fts.PG_TABLE}"))
        fts._ready.discard(engine)  # noqa: SLF001 - this engine must look again, and build the new table
        fts.ensure_search_index(engine)
    record_done(engine, VECTORS_UPGRADE)
    return bool(rebuilt)


# --- search words in layout 2 (warehouse/words.py) --------------------------------------------------------------
#
# Values written before layout 2 (three bytes a word) are read as they are, but take a third more room; they are
# rewritten chunk by chunk, each chunk one transaction (a rewritten value starts with `words.MARK`, so an
# interrupted run goes on where it stopped). No VACUUM: the rows shrink in place, and SQLite and PostgreSQL reuse
# the room freed on their pages for the rows loaded next.

WORDS_UPGRADE = "search_words_layout_2"
_OLD_LAYOUT = text(
    f"SELECT s.id, {fts.span_sql('a.simplified_text', 's')}, s.search_words"
    " FROM sentence s JOIN article a ON a.id = s.article_id"
    " WHERE s.search_words <> '' AND substr(s.search_words, 1, 1) NOT IN (:plain, :mark) AND s.id > :after"
    " ORDER BY s.id LIMIT :n"
)


def upgrade_search_words(engine: Engine) -> int:
    """Rewrite the sentences' search words of layout 1 in layout 2, once; returns how many."""
    if is_done(engine, WORDS_UPGRADE):
        return 0
    done = _rewrite_in_chunks(
        engine,
        _OLD_LAYOUT,
        {"plain": words.PLAIN, "mark": words.MARK, "n": _WORDS_CHUNK},
        _SET_SEARCH_WORDS,
        lambda row: {"i": row[0], "w": words.encode(row[1] or "", words.decode(row[1] or "", row[2]))},
        after=0,
    )
    record_done(engine, WORDS_UPGRADE)
    return done
