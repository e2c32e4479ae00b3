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
`search_words_layout_2` (the search words in two bytes a word), then `article_keys` (an integer article key),
then `search_without_positions` (the full-text index without positions) and `clean_patches` (SQLite: the clean
text as a compressed patch against the simplified text).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Engine, Table, UniqueConstraint, inspect, select, text
from sqlalchemy.engine import Connection, Row
from sqlalchemy.schema import CreateTable
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
        present = _columns(engine, table)
        gone = [c for c in columns if c in present]
        with engine.begin() as conn:
            for column in gone:
                conn.execute(text(f'ALTER TABLE {table} DROP COLUMN "{column}"'))
        dropped += [f"{table}.{c}" for c in gone]
    _compact(engine)
    record_done(engine, UPGRADE_NAME)
    return dropped


def _columns(bind: Engine | Connection, table: str) -> set[str]:
    """The names of a table's columns as the warehouse has them now."""
    return {column["name"] for column in inspect(bind).get_columns(table)}


_WORDS_CHUNK = 5000


def _sentence_article(engine: Engine) -> str:
    """How a sentence joins its article (`s`, `a`) in the warehouse as it is: by the article's integer key, or,
    before `article_keys` (which runs after the steps above), by its public id."""
    keyed = "article_key" in _columns(engine, "sentence")
    return 'a."key" = s.article_key' if keyed else "a.id = s.article_id"


def _unwritten(engine: Engine) -> TextClause:
    return text(
        f"SELECT s.id, {fts.span_sql('a.simplified_text', 's')}, s.search_tokens"
        f" FROM sentence s JOIN article a ON {_sentence_article(engine)}"
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
    if "search_tokens" not in _columns(engine, "sentence"):
        return
    _rewrite_in_chunks(
        engine,
        _unwritten(engine),
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
    present = _columns(engine, "article")
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
# spans: the table is dropped here, and `fts.ensure_search_index` builds it when the warehouse is opened, after
# every step (`warehouse.db.get_engine`), in one transaction, as for a warehouse without one. SQLite has nothing
# to do.

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
    record_done(engine, VECTORS_UPGRADE)
    return bool(rebuilt)


# --- search words in layout 2 (warehouse/words.py) --------------------------------------------------------------
#
# Values written before layout 2 (three bytes a word) are read as they are, but take a third more room; they are
# rewritten chunk by chunk, each chunk one transaction (a rewritten value starts with `words.MARK`, so an
# interrupted run goes on where it stopped). No VACUUM: the rows shrink in place, and SQLite and PostgreSQL reuse
# the room freed on their pages for the rows loaded next.

WORDS_UPGRADE = "search_words_layout_2"


def _old_layout(engine: Engine) -> TextClause:
    return text(
        f"SELECT s.id, {fts.span_sql('a.simplified_text', 's')}, s.search_words"
        f" FROM sentence s JOIN article a ON {_sentence_article(engine)}"
        " WHERE s.search_words <> '' AND substr(s.search_words, 1, 1) NOT IN (:plain, :mark) AND s.id > :after"
        " ORDER BY s.id LIMIT :n"
    )


def upgrade_search_words(engine: Engine) -> int:
    """Rewrite the sentences' search words of layout 1 in layout 2, once; returns how many."""
    if is_done(engine, WORDS_UPGRADE):
        return 0
    done = _rewrite_in_chunks(
        engine,
        _old_layout(engine),
        {"plain": words.PLAIN, "mark": words.MARK, "n": _WORDS_CHUNK},
        _SET_SEARCH_WORDS,
        lambda row: {"i": row[0], "w": words.encode(row[1] or "", words.decode(row[1] or "", row[2]))},
        after=0,
    )
    record_done(engine, WORDS_UPGRADE)
    return done


# --- an integer article key (issue 22, third step) -------------------------------------------------------------
#
# Every row of an article's (sentences, station links, practice mentions, statistics, extraction version,
# fingerprint and bands, PostgreSQL's search side table) named it by its 32-character public id: some 250 copies
# an article. Now `article.key`, an integer, is the primary key those rows refer to (`article_key`), and the id
# a unique column, still the article's name everywhere it is shown or accepted. (`source_file.article_id`, one a
# file, and the history tables, which name versions no longer in `article`, keep the public id.)
#
# Runs after the steps above (whose queries read either layout) and before the search index is checked. One
# transaction a table, article first; each looks before it acts (a table is done once it has its key column),
# so an interrupted run is finished by the next open; a table is rewritten whole in its transaction, not in
# chunks: SQLite rebuilds it (a primary key cannot be altered there), and on PostgreSQL the rows are only right
# once every one has its key. Article keys follow the order the articles were stored in (SQLite's rowids;
# PostgreSQL: first ingested, then id). Sentence ids do not change, so the full-text index is kept as it is:
# on SQLite only its triggers, which joined by the id, are made again.

KEYS_UPGRADE = "article_keys"
KEYED_TABLES = (
    "sentence",
    "station_article",
    "practice_mention",
    "statistic",
    "extraction_version",
    "article_fingerprint",
    "fingerprint_band",
)


def upgrade_article_keys(engine: Engine) -> list[str]:
    """Give `article` its integer key and its rows `article_key` instead of the id (see above), once; returns
    the tables converted. Resumable; after the first time one primary-key lookup."""
    if is_done(engine, KEYS_UPGRADE):
        return []
    converted: list[str] = []
    sqlite = engine.dialect.name == "sqlite"
    convert = _sqlite_rebuild if sqlite else _pg_convert
    with engine.connect() as conn:
        if sqlite:  # off outside a transaction: dropping the old `article` must not cascade to its rows
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            for table in ("article", *KEYED_TABLES):
                if convert(conn, table):
                    converted.append(table)
            side = not sqlite and conn.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": fts.PG_TABLE})
            if side and _pg_side_table(conn):
                converted.append(fts.PG_TABLE)
            if sqlite:
                with _transaction(conn):
                    fts.install_sqlite_triggers(conn)
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if problems:
                    raise RuntimeError(f"article keys: rows without their article after the rebuild: {problems[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    if converted:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if sqlite:
                conn.exec_driver_sql("VACUUM")
            else:
                conn.execute(text(f"VACUUM FULL {', '.join(converted)}"))
    record_done(engine, KEYS_UPGRADE)
    return converted


class _transaction:
    """An explicit transaction on a connection (SQLite's driver would run DDL outside one)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        self.conn.exec_driver_sql("BEGIN IMMEDIATE" if self.conn.dialect.name == "sqlite" else "BEGIN")
        return self.conn

    def __exit__(self, kind: object, *_: object) -> None:
        self.conn.exec_driver_sql("COMMIT" if kind is None else "ROLLBACK")
        self.conn.commit()  # SQLAlchemy's own transaction, begun by the first statement


def _table(name: str) -> Table:
    from warehouse.schema import Base

    return Base.metadata.tables[name]


def _sqlite_rebuild(conn: Connection, name: str) -> bool:
    """SQLite: make the table again in its new layout, copy its rows over, and put it in the old one's place."""
    key_column = "key" if name == "article" else "article_key"
    if key_column in _columns(conn, name):
        return False
    table = _table(name)
    new = f"{name}__keyed"
    ddl = str(CreateTable(table).compile(dialect=conn.dialect)).strip()
    ddl = ddl.replace(f"CREATE TABLE {name} ", f"CREATE TABLE {new} ", 1)
    old_columns = _columns(conn, name)
    copied = [c.name for c in table.columns if c.name in old_columns and c.name not in ("key", "article_key")]
    quoted = ", ".join(f'"{c}"' for c in copied)
    with _transaction(conn):
        if name == "article":
            for trigger in fts.SQLITE_TRIGGERS:  # they join by the id; made again at the end
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {new}")
        conn.exec_driver_sql(ddl)
        if name == "article":
            select_ = f'SELECT rowid, {quoted} FROM article ORDER BY rowid'
            conn.exec_driver_sql(f'INSERT INTO {new} ("key", {quoted}) {select_}')
        else:
            picked = ", ".join(f't."{c}"' for c in copied)
            conn.exec_driver_sql(
                f'INSERT INTO {new} ({quoted}, article_key) SELECT {picked}, a."key"'
                f" FROM {name} t JOIN article a ON a.id = t.article_id ORDER BY t.rowid"
            )
        conn.exec_driver_sql(f"DROP TABLE {name}")
        conn.exec_driver_sql(f"ALTER TABLE {new} RENAME TO {name}")
        for index in table.indexes:
            index.create(conn)
        if name == "article":
            for statement in fts.COVERING_DDL:
                conn.exec_driver_sql(statement)
    return True


def _pg_convert(conn: Connection, name: str) -> bool:
    """PostgreSQL: add the key column, fill it, move the keys and constraints over, drop the id column."""
    columns = _columns(conn, name)
    if name == "article":
        if "key" in columns:
            return False
        with _transaction(conn):
            conn.exec_driver_sql('ALTER TABLE article ADD COLUMN "key" integer')
            conn.exec_driver_sql(
                'UPDATE article a SET "key" = o.n FROM (SELECT id, row_number() OVER (ORDER BY first_ingested, id) n'
                " FROM article) o WHERE o.id = a.id"
            )
            conn.exec_driver_sql('CREATE SEQUENCE article_key_seq OWNED BY article."key"')
            conn.exec_driver_sql("SELECT setval('article_key_seq', coalesce(max(\"key\"), 0) + 1, false) FROM article")
            conn.exec_driver_sql(
                "ALTER TABLE article ALTER COLUMN \"key\" SET DEFAULT nextval('article_key_seq'),"
                ' ALTER COLUMN "key" SET NOT NULL'
            )
            # the rows' foreign keys to the id go with the old primary key; source_file's comes back
            conn.exec_driver_sql("ALTER TABLE article DROP CONSTRAINT article_pkey CASCADE")
            conn.exec_driver_sql('ALTER TABLE article ADD PRIMARY KEY ("key"), ADD UNIQUE (id)')
            conn.exec_driver_sql(
                "ALTER TABLE source_file ADD FOREIGN KEY (article_id) REFERENCES article (id)"
            )
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {fts.ARTICLE_CLUSTER_INDEX}")
            for statement in fts.COVERING_DDL:
                conn.exec_driver_sql(statement)
        return True
    if "article_key" in columns:
        return False
    table = _table(name)
    with _transaction(conn):
        _pg_key_column(conn, name)
        conn.exec_driver_sql(
            f'ALTER TABLE {name} ADD FOREIGN KEY (article_key) REFERENCES article ("key") ON DELETE CASCADE'
        )
        if table.primary_key.columns and "article_key" in table.primary_key.columns:
            keys = ", ".join(c.name for c in table.primary_key.columns)
            conn.exec_driver_sql(f"ALTER TABLE {name} ADD PRIMARY KEY ({keys})")
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and "article_key" in constraint.columns:
                conn.exec_driver_sql(f"ALTER TABLE {name} ADD UNIQUE ({', '.join(constraint.columns.keys())})")
        existing = {index["name"] for index in inspect(conn).get_indexes(name)}
        for index in table.indexes:
            if index.name not in existing:
                index.create(conn)
    return True


def _pg_key_column(conn: Connection, name: str) -> None:
    """`article_key` filled from the article the row's `article_id` names, and `article_id` gone (with the
    indexes and constraints on it)."""
    conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN article_key integer")
    conn.exec_driver_sql(f'UPDATE {name} t SET article_key = a."key" FROM article a WHERE a.id = t.article_id')
    # Rows of no article: none expected (the foreign key). Looked for first: a statement-level DELETE trigger fires
    # even on no rows, and `sentence`'s reads the side table, which `search_bigrams_only` may have dropped.
    if conn.exec_driver_sql(f"SELECT 1 FROM {name} WHERE article_key IS NULL LIMIT 1").first():
        conn.exec_driver_sql(f"DELETE FROM {name} WHERE article_key IS NULL")
    conn.exec_driver_sql(f"ALTER TABLE {name} ALTER COLUMN article_key SET NOT NULL, DROP COLUMN article_id")


def _pg_side_table(conn: Connection) -> bool:
    if "article_key" in _columns(conn, fts.PG_TABLE):
        return False
    with _transaction(conn):
        _pg_key_column(conn, fts.PG_TABLE)
    return True


# --- full-text indexes without positions (issue 22, fourth step) -------------------------------------------------
#
# The search asks the index for the sentences holding all of a term's bigrams and checks their order on the text
# (`warehouse.search.matches`), so the index needs no positions. SQLite: the contentless FTS5 table made with
# `detail=full` is made again with `detail=none` (its data about 2.5 times smaller), in one transaction, from the
# sentences' spans, as `fts.ensure_search_index` builds it for a warehouse without one. PostgreSQL: the side
# table is copied with its vectors stripped of positions and weights (`strip`, what `fts.pg_vector_sql` now
# makes), in id order as a load writes it, into a new table that takes its place, its GIN index built after the
# rows; one transaction, writers to `sentence` waiting. Runs after the steps above, before the index is checked;
# a warehouse whose index went in an earlier step gets the new one there.

POSITIONS_UPGRADE = "search_without_positions"


def upgrade_search_positions(engine: Engine) -> list[str]:
    """Rebuild the full-text index without positions, once; returns what it rebuilt. Resumable (one transaction
    an index; a rebuilt one is not rebuilt again); after the first time one primary-key lookup."""
    if is_done(engine, POSITIONS_UPGRADE):
        return []
    rebuilt: list[str] = []
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            definition = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": fts.FTS_TABLE})
            if definition is not None and "content=''" in definition and "detail=none" not in definition:
                with _transaction(conn):
                    fts.build_sqlite_index(conn)
                rebuilt.append(fts.FTS_TABLE)
        if rebuilt:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
    else:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('fqa_search_index'))"))
            if _pg_positional(conn):
                _pg_strip_side_table(conn)
                rebuilt.append(fts.PG_TABLE)
    record_done(engine, POSITIONS_UPGRADE)
    return rebuilt


def _pg_positional(conn: Connection) -> bool:
    """Whether the side table is there and holds a vector with positions (the first such row ends the look)."""
    if not conn.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": fts.PG_TABLE}):
        return False
    vector = fts.PG_VECTOR
    found = f"SELECT 1 FROM {fts.PG_TABLE} WHERE {vector} <> strip({vector}) LIMIT 1"
    return conn.execute(text(found)).first() is not None


def _pg_strip_side_table(conn: Connection) -> None:
    """The side table copied with its vectors stripped, in id order (CREATE TABLE AS writes its pages one after
    the other; an INSERT would put a short row into room an earlier page had left), then its keys and index."""
    new = f"{fts.PG_TABLE}__stripped"
    vector = fts.PG_VECTOR
    conn.execute(text("LOCK TABLE sentence IN SHARE ROW EXCLUSIVE MODE"))
    conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))  # for the GIN build
    conn.execute(text(f"DROP TABLE IF EXISTS {new}"))
    conn.execute(
        text(
            f"CREATE TABLE {new} AS SELECT id, article_key, strip({vector}) AS {vector}"
            f" FROM {fts.PG_TABLE} ORDER BY id"
        )
    )
    conn.execute(text(f"DROP TABLE {fts.PG_TABLE}"))
    conn.execute(text(f"ALTER TABLE {new} RENAME TO {fts.PG_TABLE}"))
    for column in ("id", "article_key", vector):
        conn.execute(text(f"ALTER TABLE {fts.PG_TABLE} ALTER COLUMN {column} SET NOT NULL"))
    conn.execute(text(f"ALTER TABLE {fts.PG_TABLE} ADD CONSTRAINT {fts.PG_TABLE}_pkey PRIMARY KEY (id)"))
    conn.execute(text(f"CREATE INDEX {fts.PG_INDEX} ON {fts.PG_TABLE} USING gin ({vector})"))
    conn.execute(text(f"ANALYZE {fts.PG_TABLE}"))


# --- SQLite: the clean text as a patch against the simplified text (issue 22, fourth step) ----------------------
#
# `article.clean_stored` (the clean text where it differs from the simplified text) becomes, on SQLite,
# `article.clean_patch` (`stored_text.clean_patch`: a fifth of the bytes for a Traditional article), added (NULL)
# when the warehouse was opened. Chunk by chunk, each chunk one transaction, in key order; a row is done once its
# `clean_stored` is NULL, so an interrupted run goes on where it stopped, and `Article.clean_text` reads either
# meanwhile. Then VACUUM gives the room back. PostgreSQL keeps the text (its TOAST compresses it, and its SQL
# could not read a zlib patch): nothing to do.

CLEAN_PATCH_UPGRADE = "clean_patches"
_CLEAN_TEXTS = text(
    'SELECT "key", clean_stored, simplified_text FROM article WHERE clean_stored IS NOT NULL AND "key" > :after'
    ' ORDER BY "key" LIMIT :n'
)
_SET_CLEAN_PATCH = text('UPDATE article SET clean_patch = :p, clean_stored = NULL WHERE "key" = :k')


def upgrade_clean_patches(engine: Engine) -> int:
    """SQLite: store the clean texts as patches (see above), once; returns how many. Resumable; after the first
    time one primary-key lookup."""
    if is_done(engine, CLEAN_PATCH_UPGRADE):
        return 0
    done = 0
    if engine.dialect.name == "sqlite":
        done = _rewrite_in_chunks(
            engine,
            _CLEAN_TEXTS,
            {"n": _TEXTS_CHUNK},
            _SET_CLEAN_PATCH,
            lambda row: {"k": row[0], "p": stored_text.clean_patch(row[1], row[2])},
            after=0,
        )
        if done:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
    record_done(engine, CLEAN_PATCH_UPGRADE)
    return done
