"""Warehouse loading, run against SQLite and the real PostgreSQL alike (see the db_url fixture)."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipelines.batch.stages import process_files
from tests.conftest import SEEDS
from warehouse import fts
from warehouse.db import WarehouseURLError, get_engine, resolve_url
from warehouse.filters import Filters
from warehouse.load import known_files, load_batch
from warehouse.query import NotFound, get_article, list_articles
from warehouse.schema import Article, Sentence, SourceFile
from warehouse.search import _candidates, parse_query


@pytest.fixture(scope="module")
def processed():
    read, cleaned, segmented = process_files(sorted(SEEDS.values()))
    assert not read.rejections and not cleaned.rejections
    return segmented


def _counts(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(Article)),
            conn.scalar(select(func.count()).select_from(Sentence)),
            conn.scalar(select(func.count()).select_from(SourceFile)),
        )


def test_load_is_idempotent(db_url: str, processed):
    engine = get_engine(db_url)
    first = load_batch(engine, processed, batch_key="b1")
    assert len(first.new) == 5 and not first.unchanged
    before = _counts(engine)
    second = load_batch(engine, processed, batch_key="b2")
    assert not second.new and len(second.unchanged) == 5
    assert _counts(engine) == before
    assert before[1] == sum(len(a.sentences) for a in processed)


def test_sentences_keep_their_spans_in_both_scripts(db_url: str, processed):
    engine = get_engine(db_url)
    load_batch(engine, processed)
    article = get_article(engine, "001_2720b821594aff5d.txt")
    with engine.connect() as conn:
        rows = conn.execute(select(Sentence).where(Sentence.article_id == article.id)).all()
    assert rows
    for row in rows:
        assert article.simplified_text[row.start : row.end] == row.text
        assert article.clean_text[row.original_start : row.original_end] == row.original_text
    assert any("玉洞派出所" in row.text and "玉洞派出所" in row.original_text for row in rows)


def test_a_failed_batch_leaves_the_warehouse_as_it_was(db_url: str, processed, monkeypatch):
    import warehouse.load as load_module

    engine = get_engine(db_url)
    load_batch(engine, processed[:2])
    before = _counts(engine)
    real = load_module._sentence_rows
    calls = {"n": 0}

    def failing(item):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("injected failure in the middle of a batch")
        return real(item)

    monkeypatch.setattr(load_module, "_sentence_rows", failing)
    with pytest.raises(RuntimeError, match="injected"):
        load_batch(engine, processed)
    assert _counts(engine) == before
    monkeypatch.setattr(load_module, "_sentence_rows", real)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":  # the load drops the insert trigger for its transaction only
            assert "sentence_fts_ai" in conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
            conn.exec_driver_sql("INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('integrity-check', 1)")
        sentence = conn.execute(select(Sentence).limit(1)).one()
        conn.execute(  # a sentence written outside a load: indexed by the trigger (SQLite) or index_sentences
            Sentence.__table__.insert().values(
                article_key=sentence.article_key, seq=9999, start=sentence.start, end=sentence.end,
                original_start=sentence.original_start, original_end=sentence.original_end, search_words="",
            )
        )
        if engine.dialect.name == "postgresql":
            fts.index_sentences(conn)
        copy = conn.scalar(select(Sentence.id).where(Sentence.seq == 9999))
    load_batch(engine, processed)
    phrase = max(fts.runs(sentence.text), key=len)
    with engine.connect() as conn:
        found = {sid for sid, _, _ in _candidates(conn, parse_query(f'"{phrase}"'), Filters())}
    assert {sentence.id, copy} <= found


def test_known_files_is_one_set(db_url: str, processed):
    engine = get_engine(db_url)
    load_batch(engine, processed)
    known = known_files(engine)
    assert set(known) == {str(p) for p in SEEDS.values()}
    assert all(len(sha) == 64 for sha in known.values())


def test_listing_and_lookup(db_url: str, processed):
    engine = get_engine(db_url)
    load_batch(engine, processed)
    rows = list_articles(engine)
    assert len(rows) == 5
    article = get_article(engine, rows[0]["id"][:8])
    assert article.id == rows[0]["id"]
    with pytest.raises(NotFound):
        get_article(engine, "ffffffffffff")
    with pytest.raises(NotFound):
        get_article(engine, "x")


def test_url_resolution(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("FQA_DB_URL", raising=False)
    assert resolve_url(None) == "sqlite:///fengqiao.db"
    monkeypatch.setenv("FQA_DB_URL", f"sqlite:///{tmp_path}/x.db")
    assert resolve_url(None).endswith("x.db")
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(WarehouseURLError, match="not a database URL"):
        resolve_url("::nonsense::")
    with pytest.raises(WarehouseURLError, match="unsupported database"):
        resolve_url("mysql://u@h/db")


def test_a_station_in_several_articles_of_one_batch_is_one_row_with_everything_they_say(db_url: str, processed):
    # the load step keeps station and practice ids for the batch; later articles must still add what they know
    from pipelines.extract.article import ArticleExtraction, PracticeRecord, Span, StationRecord

    first, second = processed[0], processed[1]

    def extraction(item, aliases, honours, city) -> ArticleExtraction:
        station = StationRecord("样例派出所", "派出所", aliases, "广西壮族自治区", city, None, honours, None)
        span = Span(0, 1, 0, 1)
        name = "样例工作法"
        practice = PracticeRecord(name, name, "mediation", "practice", "样例派出所", "句子。", span, span)
        return ArticleExtraction(item.id, (station,), (practice,), ())

    honour_a = {"text": "枫桥式公安派出所", "batch": 1, "year": 2022, "level": "national"}
    honour_b = {"text": "一级派出所", "batch": None, "year": 2023, "level": "provincial"}
    extractions = {
        first.id: extraction(first, ("样例所",), (honour_a,), None),
        second.id: extraction(second, ("样例所", "该所"), (honour_b,), "南宁市"),
    }
    engine = get_engine(db_url)
    load_batch(engine, [first, second], extractions=extractions)
    _assert_one_station_with_both(engine, honour_a, honour_b)


def test_a_station_known_before_the_batch_gains_what_later_articles_say(db_url: str, processed):
    # a station and practice already in the warehouse: a later batch finds their rows and adds its places
    from pipelines.extract.article import ArticleExtraction, PracticeRecord, Span, StationRecord

    first, second = processed[0], processed[1]
    span = Span(0, 1, 0, 1)
    practice = PracticeRecord("样例工作法", "样例工作法", "mediation", "practice", "样例派出所", "句子。", span, span)
    honour_a = {"text": "枫桥式公安派出所", "batch": 1, "year": 2022, "level": "national"}
    honour_b = {"text": "一级派出所", "batch": None, "year": 2023, "level": "provincial"}
    earlier = StationRecord("样例派出所", "派出所", ("样例所",), "广西壮族自治区", None, None, (honour_a,), None)
    later = StationRecord("样例派出所", "派出所", ("该所",), "广西壮族自治区", "南宁市", None, (honour_b,), None)
    engine = get_engine(db_url)
    for key, item, station in (("b1", first, earlier), ("b2", second, later)):
        extraction = ArticleExtraction(item.id, (station,), (practice,), ())
        load_batch(engine, [item], batch_key=key, extractions={item.id: extraction})
    _assert_one_station_with_both(engine, honour_a, honour_b)


def _assert_one_station_with_both(engine, honour_a: dict, honour_b: dict) -> None:
    from warehouse.schema import Practice, PracticeMention, Station

    with engine.connect() as conn:
        rows = conn.execute(select(Station).where(Station.name == "样例派出所")).all()
        practices = conn.scalar(select(func.count()).select_from(Practice).where(Practice.normalized == "样例工作法"))
        mentions = conn.scalar(select(func.count()).select_from(PracticeMention))
    assert len(rows) == 1
    assert rows[0].aliases == ["样例所", "该所"]
    assert rows[0].honours == [honour_a, honour_b]
    assert rows[0].city == "南宁市"
    assert practices == 1 and mentions == 2


def _plan(conn, statement) -> str:
    """The query plan of a statement (its parameters bound) as the warehouse's database would run it."""
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        return "\n".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a handful of rows: the planner would scan anyway
    return "\n".join(conn.exec_driver_sql(f"EXPLAIN {sql}").scalars())


def test_a_new_version_is_found_by_url_through_an_index_even_in_a_warehouse_built_before_it(
    db_url: str, processed
):
    from warehouse.load import _SAME_URL

    engine = get_engine(db_url)
    load_batch(engine, processed)
    with engine.begin() as conn:  # a warehouse from before the index
        conn.exec_driver_sql("DROP INDEX ix_article_url")
    get_engine.cache_clear()
    engine.dispose()
    engine = get_engine(db_url)
    with engine.begin() as conn:
        plan = _plan(conn, _SAME_URL.params(url="https://example.com/a", article_id="x"))
    assert "ix_article_url" in plan, plan
