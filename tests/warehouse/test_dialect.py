"""`warehouse.dialect.insert_rows`: COPY on PostgreSQL must store exactly what SQLAlchemy's INSERT stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import _fresh_pg_database
from warehouse import stored_text
from warehouse.db import get_engine
from warehouse.dialect import DeferredRows, insert_rows
from warehouse.schema import Article, Sentence, Statistic

_KEYS = {"by-insert": 1, "by-rows": 2, "a": 3}  # the articles' integer keys, which their rows name


def _article(article_id: str) -> dict[str, object]:
    return {
        "key": _KEYS[article_id],
        "id": article_id,
        "source_file": f"{article_id}.txt",
        "media_type": "txt",
        "encoding": "gb18030",
        "url": None,
        "title": "枫桥式派出所",
        "original_title": "楓橋式派出所",
        "subtitle": None,
        "published": dt.date(2024, 1, 5),
        "publisher": "示例日报",
        "author": None,
        "editor": None,
        "original_script": "traditional",
        "raw_patch": stored_text.encode("調處糾紛120起\t“引號”\\反斜線\n換行", "調處糾紛120起", [[0, 9, 9, 1]]),
        "clean_stored": "調處糾紛120起",
        "simplified_text": "调处纠纷120起",
        "clean_to_raw": [[0, 9, 0, 9]],
        "simplified_to_clean": [],
        "repair_flags": {"mojibake_runs": 1, "spans": [[1, 2]]},
    }


def _sentence(article_id: str) -> dict[str, object]:
    return {
        "article_key": _KEYS[article_id],
        "seq": 0,
        "start": 0,
        "end": 9,
        "original_start": 0,
        "original_end": 9,
        "search_words": " 调处 纠纷 １２０\t“起”\\ Ａ级",
    }


def _statistic(article_id: str, metric: str | None = "disputes_mediated") -> dict[str, object]:
    return {
        "article_key": _KEYS[article_id],
        "station_id": None,
        "metric": metric,
        "value": 120.0,
        "low": None,
        "high": 120.5,
        "unit": "起",
        "qualifier": None,
        "change": None,
        "comparison": None,
        "period": "今年以来",
        "period_start": dt.date(2024, 1, 1),
        "period_end": None,
        "subject": "纠纷",
        "text": "120起",
        "start": 4,
        "end": 8,
        "original_start": 4,
        "original_end": 8,
        "sentence_start": 0,
        "sentence_end": 9,
    }  # `approx` left out: its default (False) must be filled in as INSERT fills it


def _stored(conn, table, article_id: str) -> dict[str, object]:  # noqa: ANN001
    where = table.c.id == article_id if "article_key" not in table.c else table.c.article_key == _KEYS[article_id]
    row = conn.execute(select(table).where(where)).one()
    skip = {"id", "key", "article_key", "source_file", "first_ingested", "last_ingested"}
    return {key: value for key, value in row._mapping.items() if key not in skip}


def test_insert_rows_stores_what_insert_stores(db_url: str) -> None:
    engine = get_engine(db_url)
    with engine.begin() as conn:
        for table, make in ((Article, _article), (Sentence, _sentence), (Statistic, _statistic)):
            conn.execute(insert(table.__table__), [make("by-insert")])
            insert_rows(conn, table.__table__, [make("by-rows")])
    with engine.connect() as conn:
        for table in (Article.__table__, Sentence.__table__, Statistic.__table__):
            assert _stored(conn, table, "by-rows") == _stored(conn, table, "by-insert"), table.name
        # a sentence's and a statistic's text are their spans of the article's text, not copies
        assert conn.scalar(select(Sentence.text).where(Sentence.article_id == "by-rows")) == "调处纠纷120起"
        assert conn.scalar(select(Statistic.sentence).where(Statistic.article_id == "by-rows")) == "调处纠纷120起"
        assert conn.scalar(select(Statistic.approx).where(Statistic.article_id == "by-rows")) is False


def test_insert_rows_is_all_or_nothing(db_url: str) -> None:
    engine = get_engine(db_url)
    with engine.begin() as conn:
        conn.execute(insert(Article.__table__), [_article("a")])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        insert_rows(conn, Statistic.__table__, [_statistic("a"), _statistic("a", metric=None)])
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Statistic)) == 0


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    yield from _fresh_pg_database(pg_server)


def test_copy_names_a_missing_column(pg_url: str) -> None:
    """PostgreSQL only: SQLite's executemany reports a missing column itself."""
    engine = get_engine(pg_url)
    incomplete = _statistic("a")
    del incomplete["unit"]
    with pytest.raises(ValueError, match="'unit'"), engine.begin() as conn:
        conn.execute(insert(Article.__table__), [_article("a")])
        insert_rows(conn, Statistic.__table__, [_statistic("a"), incomplete])


def test_deferred_rows_wait_for_a_flush_or_a_full_buffer(db_url: str) -> None:
    engine = get_engine(db_url)

    def stored(conn) -> int:  # noqa: ANN001
        return conn.scalar(select(func.count()).select_from(Statistic))

    with engine.begin() as conn:
        conn.execute(insert(Article.__table__), [_article("a")])
        rows = DeferredRows(conn, max_rows=3)
        rows.add(Statistic.__table__, [_statistic("a"), _statistic("a")])
        rows.add(Sentence.__table__, [])
        assert stored(conn) == 0 and rows.count == 2
        rows.add(Statistic.__table__, [_statistic("a")])  # the third row fills the buffer
        assert stored(conn) == 3 and rows.count == 0
        rows.add(Statistic.__table__, [_statistic("a")])
        rows.add(Sentence.__table__, [_sentence("a")])
        rows.flush()
        assert stored(conn) == 4
        assert conn.scalar(select(func.count()).select_from(Sentence)) == 1
        assert rows.pending == {}
