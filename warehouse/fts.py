"""The full-text index over sentences: SQLite FTS5 or a PostgreSQL tsvector with a GIN index.

Two things are indexed per sentence, both as space-separated terms:

* `search_tokens`: jieba search-mode words (written by the segment stage), for word-level ranking;
* `grams`: character bigrams of the normalised simplified text, run by run, each run ending with its last
  character as a single-character term. Bigrams make every substring of two or more characters findable as a
  phrase of consecutive terms, so recall equals substring truth (jieba alone misses 老人 inside longer words
  and strings across word boundaries). The trailing single character makes single-character queries work
  (as a prefix query) and stops a phrase from running across punctuation from one run into the next.

Neither FTS5's default tokenizer (it glues a Chinese run into one token) nor its trigram tokenizer (it cannot
match two-character words) does this, so the terms are made here and both databases split on spaces.

The index follows the `sentence` table by itself: `grams` is filled by a column default when a row is
inserted, SQLite keeps the FTS5 table in step with triggers, and PostgreSQL with a generated column. An
existing warehouse built before the index existed is upgraded (column added, rows backfilled, index built)
the first time it is opened.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

FTS_TABLE = "sentence_fts"
PG_VECTOR = "search_vector"
PG_INDEX = "ix_sentence_search_vector"
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


def grams_default(context: Any) -> str:  # noqa: ANN401 - SQLAlchemy DefaultExecutionContext
    """Column default for `sentence.grams`: computed from the row's text, so loaders need not know of it."""
    return index_grams(context.get_current_parameters().get("text") or "")


# Covering indexes for the joins of a search: the candidate query reads sentence → article id → reprint
# cluster for every hit, and without them SQLite reads each (large) row, past its text, to get there.
ARTICLE_CLUSTER_INDEX = "ix_article_id_cluster"
SENTENCE_ARTICLE_INDEX = "ix_sentence_id_article"
_COVERING_DDL = [
    f"CREATE INDEX IF NOT EXISTS {ARTICLE_CLUSTER_INDEX} ON article (id, reprint_cluster)",
    f"CREATE INDEX IF NOT EXISTS {SENTENCE_ARTICLE_INDEX} ON sentence (id, article_id)",
]

_SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_tokens, grams, content='sentence', content_rowid='id', detail=full)",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON sentence BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_tokens, grams) VALUES (new.id, new.search_tokens, new.grams);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON sentence BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens, grams)
        VALUES ('delete', old.id, old.search_tokens, old.grams);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON sentence BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens, grams)
        VALUES ('delete', old.id, old.search_tokens, old.grams);
        INSERT INTO {FTS_TABLE}(rowid, search_tokens, grams) VALUES (new.id, new.search_tokens, new.grams);
    END""",
]

_PG_DDL = [
    f"""ALTER TABLE sentence ADD COLUMN IF NOT EXISTS {PG_VECTOR} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(search_tokens, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(grams, '')), 'B')) STORED""",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON sentence USING gin ({PG_VECTOR})",
]

_ready: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose database has the index


def ensure_search_index(engine: Engine) -> None:
    """Create the index if the warehouse lacks it, backfilling rows loaded before it existed. Idempotent."""
    if engine in _ready:
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # One opener at a time builds the index; the others wait and then find it there.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('fqa_search_index'))"))
            if not _pg_ready(conn):
                _add_grams_column(conn)
                _backfill_grams(conn)
                for statement in _PG_DDL + _COVERING_DDL:
                    conn.execute(text(statement))
        elif not _sqlite_ready(conn):
            _add_grams_column(conn)
            _backfill_grams(conn)
            for statement in _SQLITE_DDL + _COVERING_DDL:
                conn.execute(text(statement))
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    _ready.add(engine)


def _sqlite_ready(conn: Connection) -> bool:
    names = set(conn.scalars(text("SELECT name FROM sqlite_master")))
    wanted = {
        FTS_TABLE,
        f"{FTS_TABLE}_ai",
        f"{FTS_TABLE}_ad",
        f"{FTS_TABLE}_au",
        ARTICLE_CLUSTER_INDEX,
        SENTENCE_ARTICLE_INDEX,
    }
    return wanted <= names


def _pg_ready(conn: Connection) -> bool:
    return all(
        conn.scalar(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name})
        for name in (PG_INDEX, ARTICLE_CLUSTER_INDEX, SENTENCE_ARTICLE_INDEX)
    )


def _add_grams_column(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE sentence ADD COLUMN IF NOT EXISTS grams TEXT"))
        return
    columns = {row[1] for row in conn.execute(text("PRAGMA table_info(sentence)"))}
    if "grams" not in columns:
        conn.execute(text("ALTER TABLE sentence ADD COLUMN grams TEXT"))


def _backfill_grams(conn: Connection) -> None:
    """Rows loaded before the index existed get their grams now, in batches."""
    while True:
        rows = conn.execute(
            text("SELECT id, text FROM sentence WHERE grams IS NULL ORDER BY id LIMIT :n"), {"n": _BACKFILL_BATCH}
        ).all()
        if not rows:
            return
        conn.execute(
            text("UPDATE sentence SET grams = :grams WHERE id = :id"),
            [{"id": row.id, "grams": index_grams(row.text or "")} for row in rows],
        )
