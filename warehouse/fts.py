"""The full-text index over sentences: SQLite FTS5 or a PostgreSQL tsvector with a GIN index.

Two things are indexed per sentence, both as space-separated terms:

* `grams`: character bigrams of the normalised simplified text, run by run, each run ending with its last
  character as a single-character term. Bigrams make every substring of two or more characters findable as a
  phrase of consecutive terms, so recall equals substring truth (jieba alone misses 老人 inside longer words
  and strings across word boundaries). The trailing single character makes single-character queries work
  (as a prefix query) and stops a phrase from running across punctuation from one run into the next.
* (PostgreSQL, until issue 22's second step) jieba search-mode words with weight A, for `ts_rank`. Gone:
  nothing ranked by them (the order of hits is BM25 computed in Python, `warehouse.search.ranked_candidates`,
  on both databases), and they were a fifth of the side table and its index.

Neither index keeps positions (issue 22's fourth step): a phrase of bigrams is found as all of its bigrams,
and the search checks each such sentence's text (`warehouse.search.matches`).

Neither FTS5's default tokenizer (it glues a Chinese run into one token) nor its trigram tokenizer (it cannot
match two-character words) does this, so the terms are made here and both databases split on spaces.

Each text is stored once (issue 22). A sentence row is a span of its article's simplified text; its bigrams
are made from that span when it is indexed and live in the index only, never in a column:

* SQLite: a contentless FTS5 table (`content=''`, one column, no per-row sizes, no positions: `detail=none`,
  which makes its data 2.5 times smaller and refuses phrase queries; `warehouse.search` asks for all of a
  term's bigrams and checks their order on the text). FTS5 needs a row's terms
  again to remove it, so they are made again from the article: the SQL function `fqa_grams` (registered on
  every connection by `warehouse.db`) in the triggers, and a BEFORE DELETE trigger on `article` that removes
  its sentences while the article's text is still there (a cascade deletes the sentences after the article).
  A tool that deletes rows without the function fails ("no such function"), it cannot corrupt the index.
* PostgreSQL: the narrow side table `sentence_search` (sentence id, article key, a tsvector without positions,
  GIN index), filled
  from Python (`index_sentences`): PostgreSQL cannot make the bigrams itself. Triggers remove rows on DELETE
  and TRUNCATE; rows inserted outside a load are indexed by `index_sentences`.

A load indexes a batch's sentences in one statement inside its transaction (`BatchSentenceIndex`: on SQLite
three times cheaper than the row trigger).

Why a side table in PostgreSQL, not a generated column on `sentence` (the first design): the search reads the
first matching rows in storage order (`warehouse/search.py`); over a narrow table that costs about 0.5 µs a
row against 1.4 µs over a wide one, and the GIN path's heap rechecks are cheaper for the same reason.

A warehouse built by older code (bigrams and token copies in `sentence`, an external-content FTS5 table) is
converted by `warehouse.upgrade`; a warehouse without an index gets it the first time it is opened.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, bindparam, text
from sqlalchemy.engine import Connection

FTS_TABLE = "sentence_fts"
PG_TABLE = "sentence_search"  # PostgreSQL: sentence id, article id, tsvector
PG_VECTOR = "search_vector"
PG_INDEX = "ix_sentence_search_gin"
PG_LEGACY_INDEX = "ix_sentence_search_vector"  # GIN index of the generated column the side table replaced
_BACKFILL_BATCH = 5000
# A run is a maximal stretch of letters and digits: the characters both FTS5's unicode61 tokenizer and
# PostgreSQL's parser keep inside one term. Underscore is a separator for both.
_RUN = re.compile(r"[^\W_]+")


def normalize(text_: str) -> str:
    """NFKC and case folding, so full-width digits and Latin letters match their ordinary forms."""
    return unicodedata.normalize("NFKC", text_).casefold()


def runs(text_: str) -> list[str]:
    return _RUN.findall(normalize(text_))


def run_terms(run: str) -> list[str]:
    """A run's bigrams followed by its last character: 调解纠纷 → 调解 解纠 纠纷 纷."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_grams(text_: str) -> str:
    return " ".join(term for run in runs(text_) for term in run_terms(run))


def grams_or_empty(text_: str | None) -> str:
    """`index_grams` as the SQL function `fqa_grams`: NULL text (a span of a missing article) indexes nothing."""
    return index_grams(text_ or "")


SQL_GRAMS = "fqa_grams"  # registered on every SQLite connection (warehouse.db)


# A covering index for the joins of a search: the candidate query reads article key → reprint cluster and id
# for every hit, and without it SQLite reads each (large) article row to get there. (`sentence` needs none: its
# rows are a few integers and the tokens; its former covering index on (id, article_id) repeated the primary
# key.)
ARTICLE_CLUSTER_INDEX = "ix_article_id_cluster"
LEGACY_SENTENCE_INDEXES = ("ix_sentence_id_article", "ix_sentence_article")  # dropped by warehouse.upgrade
COVERING_DDL = [f'CREATE INDEX IF NOT EXISTS {ARTICLE_CLUSTER_INDEX} ON article ("key", reprint_cluster, id)']


def span_sql(text_: str, row: str) -> str:
    """SQL for a sentence row's simplified text: its span of the article's text (`schema.span_text`)."""
    return f'substr({text_}, {row}.start + 1, {row}."end" - {row}.start)'


_SQLITE_INSERT_TRIGGER = f"{FTS_TABLE}_ai"
_SQLITE_INSERT_TRIGGER_DDL = f"""CREATE TRIGGER IF NOT EXISTS {_SQLITE_INSERT_TRIGGER} AFTER INSERT ON sentence BEGIN
        INSERT INTO {FTS_TABLE}(rowid, grams)
        SELECT new.id, {SQL_GRAMS}({span_sql("a.simplified_text", "new")})
        FROM article a WHERE a."key" = new.article_key;
    END"""
SQLITE_TRIGGERS = (_SQLITE_INSERT_TRIGGER, f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au", f"{FTS_TABLE}_article_bd")
_SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(grams, content='', columnsize=0, detail=none)",
    _SQLITE_INSERT_TRIGGER_DDL,
    # A sentence deleted by itself: its article is still there to make its terms from. One deleted with its
    # article (the cascade runs after the article row is gone) was removed by the article's trigger below.
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON sentence BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams)
        SELECT 'delete', old.id, {SQL_GRAMS}({span_sql("a.simplified_text", "old")})
        FROM article a WHERE a."key" = old.article_key;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF article_key, start, "end" ON sentence BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams)
        SELECT 'delete', old.id, {SQL_GRAMS}({span_sql("a.simplified_text", "old")})
        FROM article a WHERE a."key" = old.article_key;
        INSERT INTO {FTS_TABLE}(rowid, grams)
        SELECT new.id, {SQL_GRAMS}({span_sql("a.simplified_text", "new")})
        FROM article a WHERE a."key" = new.article_key;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_article_bd BEFORE DELETE ON article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams)
        SELECT 'delete', s.id, {SQL_GRAMS}({span_sql("old.simplified_text", "s")})
        FROM sentence s WHERE s.article_key = old."key";
    END""",
]
_SQLITE_FILL = (
    f"INSERT INTO {FTS_TABLE}(rowid, grams)"
    f" SELECT s.id, {SQL_GRAMS}({span_sql('a.simplified_text', 's')})"
    ' FROM sentence s JOIN article a ON a."key" = s.article_key'
)


def pg_vector_sql(grams: str) -> str:
    """The tsvector of a sentence: its bigrams, without positions or weights (`strip`: a third of the side table).

    The search asks for all of a term's bigrams (`&`, never the phrase operator, which a stripped vector never
    satisfies) and checks their order on the text (`warehouse.search.matches`). The jieba words that had weight A
    are not indexed (`warehouse.upgrade.upgrade_search_vectors`); an older side table with positions is rebuilt
    by `warehouse.upgrade.upgrade_search_positions`.
    """
    return f"strip(to_tsvector('simple', coalesce({grams}, '')))"


# Statement-level triggers with transition tables: one statement per DELETE, not one per row. TRUNCATE has its
# own, as it fires no row events. Inserts have none: the bigrams are made in Python (`index_sentences`).
_PG_TRIGGERS = {
    f"{PG_TABLE}_ad": (
        "AFTER DELETE ON sentence REFERENCING OLD TABLE AS removed",
        f"DELETE FROM {PG_TABLE} s USING removed r WHERE s.id = r.id;",
    ),
    f"{PG_TABLE}_at": ("AFTER TRUNCATE ON sentence", f"TRUNCATE {PG_TABLE};"),
}
LEGACY_PG_TRIGGERS = (f"{PG_TABLE}_ai", f"{PG_TABLE}_au")  # they read the `grams` column: dropped with it


def _pg_trigger_ddl() -> list[str]:
    statements = []
    for name, (event, body) in _PG_TRIGGERS.items():
        statements += [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN {body} RETURN NULL; END $$""",
            f"DROP TRIGGER IF EXISTS {name} ON sentence",
            f"CREATE TRIGGER {name} {event} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        ]
    return statements


_ready: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose database has the index


def ensure_search_index(engine: Engine) -> None:
    """Create the index if the warehouse lacks it, filling it from the sentences already there. Idempotent.

    A warehouse whose sentences still hold their text and bigrams is converted first (`warehouse.upgrade`)."""
    if engine in _ready:
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # One opener at a time builds the index; the others wait and then find it there.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('fqa_search_index'))"))
            if not _pg_ready(conn):
                _build_pg_index(conn)
        elif not _sqlite_ready(conn):
            build_sqlite_index(conn)
    _ready.add(engine)


def _sqlite_ready(conn: Connection) -> bool:
    rows = dict(conn.execute(text("SELECT name, sql FROM sqlite_master")).all())
    contentless = "content=''" in (rows.get(FTS_TABLE) or "")
    return contentless and {*SQLITE_TRIGGERS, ARTICLE_CLUSTER_INDEX} <= set(rows)


def build_sqlite_index(conn: Connection) -> None:
    """(Re)build the FTS5 table from the sentences, replacing an older one (external content, two columns)."""
    for name in (*SQLITE_TRIGGERS, *LEGACY_SQLITE_TRIGGERS):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    for statement in _SQLITE_DDL + COVERING_DDL:
        conn.execute(text(statement))
    conn.execute(text(_SQLITE_FILL + " ORDER BY s.id"))


def install_sqlite_triggers(conn: Connection) -> None:
    """The triggers that keep the FTS5 table in step, and the covering index (the table is there)."""
    for statement in _SQLITE_DDL[1:] + COVERING_DDL:
        conn.execute(text(statement))


LEGACY_SQLITE_TRIGGERS = (f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au")  # read sentence.grams


def _pg_ready(conn: Connection) -> bool:
    """Side table, its index, the triggers, the covering index, and none of the older triggers left over."""
    relations = all(
        conn.scalar(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name})
        for name in (PG_TABLE, PG_INDEX, ARTICLE_CLUSTER_INDEX)
    )
    if not relations:
        return False
    triggers = set(
        conn.scalars(text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'sentence'::regclass AND NOT tgisinternal"))
    )
    return set(_PG_TRIGGERS) <= triggers and not triggers & set(LEGACY_PG_TRIGGERS)


def drop_legacy_pg_triggers(conn: Connection) -> None:
    for name in LEGACY_PG_TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON sentence"))
        conn.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))


def _build_pg_index(conn: Connection) -> None:
    """(Re)build the side table from `sentence`, then install the triggers that keep it in step.

    Writers to `sentence` wait meanwhile (SHARE ROW EXCLUSIVE). The side table is refilled from scratch.
    """
    conn.execute(text("LOCK TABLE sentence IN SHARE ROW EXCLUSIVE MODE"))
    conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))  # for the GIN build
    drop_legacy_pg_triggers(conn)
    # The generated column (and its GIN index) of warehouses built before the side table.
    conn.execute(text(f"DROP INDEX IF EXISTS {PG_LEGACY_INDEX}"))
    conn.execute(text(f"ALTER TABLE sentence DROP COLUMN IF EXISTS {PG_VECTOR}"))
    conn.execute(
        text(
            f"""CREATE TABLE IF NOT EXISTS {PG_TABLE} (
                id integer PRIMARY KEY, article_key integer NOT NULL, {PG_VECTOR} tsvector NOT NULL)"""
        )
    )
    conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))  # built after the rows: much faster than row by row
    conn.execute(text(f"TRUNCATE {PG_TABLE}"))
    index_sentences(conn)
    conn.execute(text(f"CREATE INDEX {PG_INDEX} ON {PG_TABLE} USING gin ({PG_VECTOR})"))
    for statement in _pg_trigger_ddl() + COVERING_DDL:
        conn.execute(text(statement))
    conn.execute(text(f"ANALYZE {PG_TABLE}"))


_PG_SPANS = text(
    f"SELECT s.id, {span_sql('a.simplified_text', 's')}"
    ' FROM sentence s JOIN article a ON a."key" = s.article_key'
    f" WHERE s.article_key IN :ids AND NOT EXISTS (SELECT 1 FROM {PG_TABLE} x WHERE x.id = s.id) ORDER BY s.id"
).bindparams(bindparam("ids", expanding=True))
_PG_ALL_SPANS = text(
    f"SELECT s.id, {span_sql('a.simplified_text', 's')}"
    ' FROM sentence s JOIN article a ON a."key" = s.article_key'
    f" WHERE s.id > :after AND NOT EXISTS (SELECT 1 FROM {PG_TABLE} x WHERE x.id = s.id) ORDER BY s.id LIMIT :n"
)
_PG_INSERT = text(
    f"INSERT INTO {PG_TABLE} (id, article_key, {PG_VECTOR})"
    f" SELECT s.id, s.article_key, {pg_vector_sql('g.grams')}"
    " FROM unnest(CAST(:ids AS integer[]), CAST(:grams AS text[])) AS g(id, grams)"
    " JOIN sentence s ON s.id = g.id ORDER BY s.id"
)


def _pg_insert(conn: Connection, rows: list) -> None:
    if rows:
        ids = [r[0] for r in rows]
        grams = [index_grams(r[1] or "") for r in rows]
        conn.execute(_PG_INSERT, {"ids": ids, "grams": grams})


def index_sentences(conn: Connection, article_keys: list[int] | None = None) -> None:
    """PostgreSQL: index the sentences (of these articles, by their integer keys, or all) the side table lacks,
    in id order. The bigrams are made here, from each sentence's span of its article, and sent with the
    statement; no column keeps them."""
    if article_keys is not None:
        for start in range(0, len(article_keys), _FLUSH_CHUNK):
            _pg_insert(conn, conn.execute(_PG_SPANS, {"ids": article_keys[start : start + _FLUSH_CHUNK]}).all())
        return
    after = 0
    while rows := conn.execute(_PG_ALL_SPANS, {"after": after, "n": _BACKFILL_BATCH}).all():
        _pg_insert(conn, rows)
        after = rows[-1][0]


_FLUSH_CHUNK = 500  # article ids per statement: well under SQLite's bound-parameter limit


class BatchSentenceIndex:
    """Indexes the sentences a load inserts in one statement per batch instead of by trigger, statement by
    statement.

    SQLite: FTS5 fed through the row trigger took 85 µs a sentence, fed by one `INSERT … SELECT` 25 µs
    (10,000 sentences into a 10,000-article warehouse), a quarter of the load step. PostgreSQL has no insert
    trigger: the load's sentences are indexed here, from Python (`index_sentences`).

    Made by `deferred` inside the load's transaction, which holds the write lock (SQLite) or the load lock
    (PostgreSQL). SQLite: the insert trigger is dropped there and created again before the commit, so no other
    writer ever sees the table without it; a rolled-back load undoes that with everything else. Sentences must
    be indexed before any of them is deleted (FTS5 must hold the terms its delete trigger removes), so the loader
    calls `flush` before deleting.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[int] = []  # keys of articles whose sentences are in the table but not yet in the index
        self._insert = text(_SQLITE_FILL + " WHERE s.article_key IN :ids ORDER BY s.id").bindparams(
            bindparam("ids", expanding=True)
        )

    def added(self, article_key: int) -> None:
        self.pending.append(article_key)

    def flush(self) -> None:
        if self.conn.dialect.name == "postgresql":
            index_sentences(self.conn, self.pending)
        else:
            for start in range(0, len(self.pending), _FLUSH_CHUNK):
                self.conn.execute(self._insert, {"ids": self.pending[start : start + _FLUSH_CHUNK]})
        self.pending.clear()


@contextmanager
def deferred(conn: Connection) -> Iterator[BatchSentenceIndex]:
    """The batch index for one load transaction (see `BatchSentenceIndex`); flushed at the end."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {_SQLITE_INSERT_TRIGGER}"))
    index = BatchSentenceIndex(conn)
    yield index  # an exception here rolls the whole transaction back, and the trigger's state with it
    index.flush()
    if sqlite:
        conn.execute(text(_SQLITE_INSERT_TRIGGER_DDL))
