"""PostgreSQL search: the side table `sentence_search` and the two ways to its first matches.

The candidates are the first CANDIDATE_CAP matching sentences in the side table's storage order, found either
by scanning it from its first block or through the GIN index (`warehouse/search.py`, `_pg_candidates`). These
tests pin that both ways, and the probe that chooses between them, give exactly those rows, in that order,
on a warehouse where the (lowered) cap is reached; that the plans are the intended ones;
and that the side table follows `sentence` through inserts, updates, deletes, cascades and TRUNCATE.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select, text

from tests.conftest import _fresh_pg_database
from tests.research_warehouse import load_seeds
from warehouse import fts, search, upgrade, words
from warehouse.archive import Archive
from warehouse.db import get_engine
from warehouse.filters import Filters
from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, Sentence

COPIES = 5  # each seed sentence 1 + COPIES times, so common words pass a lowered cap many times over
QUERIES = ["派出所", "调解", "民警", '"矛盾纠纷"', "矛盾 化解", "调", "玉洞派出所", "楓橋經驗", "民警 群众 服务"]


@pytest.fixture(scope="module")
def pg_url(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seeds, plus COPIES copies of every sentence (one INSERT ... SELECT, so one trigger call)."""
    for url in _fresh_pg_database(pg_server):
        engine = load_seeds(url, tmp_path_factory.mktemp("pg_plan"))
        columns = 'article_key, seq, start, "end", original_start, original_end, search_words'
        with engine.begin() as conn:
            conn.execute(
                text(
                    f"INSERT INTO sentence ({columns}) SELECT {columns.replace('seq', 'seq + 1000 * k')}"
                    f" FROM sentence, generate_series(1, {COPIES}) k ORDER BY k, id"
                )
            )
            fts.index_sentences(conn)  # rows inserted outside a load: indexed in id order, as a load does
        yield url


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    """A cap of 40 and a probe of 4 blocks: the cap is reached and every way gets used on a small warehouse."""
    monkeypatch.setattr(search, "CANDIDATE_CAP", 40)
    monkeypatch.setattr(search, "PROBE_BLOCKS", 4)
    return 40


def _index_matches(conn, query: str, cap: int | None) -> list[tuple[int, str]]:  # noqa: ANN001
    """Without the planner's help: every index match, in storage (ctid) order, the first `cap`."""
    parsed = search.parse_query(query)
    rows = conn.execute(
        text(
            "SELECT s.id, article.id"
            ' FROM sentence_search s JOIN article ON article."key" = s.article_key'
            " WHERE s.search_vector @@ to_tsquery('simple', :match)"
            " AND (article.reprint_cluster IS NULL OR article.reprint_cluster = article.id)"
            " ORDER BY s.ctid LIMIT :cap"
        ),
        {"match": search.pg_match_expression(parsed), "cap": cap},
    ).all()
    return [(int(sid), aid) for sid, aid in rows]


def _reference(conn, query: str, cap: int) -> list[tuple[int, str]]:  # noqa: ANN001
    """The definition: the first `cap` index matches in storage order whose text holds the query (`matches`)."""
    parsed = search.parse_query(query)
    texts = dict(conn.execute(select(Sentence.id, Sentence.text)).all())
    found = _index_matches(conn, query, None)
    return [(sid, aid) for sid, aid in found if search.matches(parsed, fts.normalize(texts[sid]))][:cap]


def _forced(conn, query: str, cap: int, settings: dict[str, str], blocks: tuple | None = None) -> list:  # noqa: ANN001
    """One candidate query under the given planner settings, as `_pg_candidates` runs it."""
    parsed = search.parse_query(query)
    params = {"match": search.pg_match_expression(parsed)}
    savepoint = conn.begin_nested()
    try:
        conn.execute(text(f"SELECT {search._settings_sql(search._PG_SETTINGS | settings)}"))
        statement = search.pg_candidate_query([counted_once()], cap, blocks)
        return [(int(s), a) for s, a, _ in conn.execute(statement, params).all()]
    finally:
        savepoint.rollback()


def _candidates(conn, query: str) -> list:  # noqa: ANN001
    """The candidates' (id, article id): the sentences ranked, in storage order."""
    return [(sid, aid) for sid, aid, _ in search._candidates(conn, search.parse_query(query), Filters())]


def test_scan_gin_and_the_probe_all_give_the_first_matches_in_storage_order(pg_url, small_cap, caplog):
    caplog.set_level(logging.DEBUG, logger="warehouse.search")
    engine = get_engine(pg_url)
    capped = 0
    with engine.connect() as conn:
        for query in QUERIES:
            expected = _reference(conn, query, small_cap)
            index = _index_matches(conn, query, small_cap)
            assert _forced(conn, query, small_cap, search._PG_SCAN_SETTINGS, (0, None)) == index, query
            assert _forced(conn, query, small_cap, search._PG_GIN_SETTINGS) == index, query
            assert _candidates(conn, query) == expected, query
            capped += len(expected) == small_cap
    assert capped >= 5  # the cap was reached: which rows are ranked depended on the order
    ways = " ".join(r.getMessage() for r in caplog.records)
    assert "probe+scan" in ways and "probe+gin" in ways, ways


def test_a_scan_that_falls_short_of_its_prediction_ends_with_the_index(pg_url, small_cap, monkeypatch, caplog):
    monkeypatch.setattr(search, "SCAN_MARGIN", 0.05)  # predict far too few blocks: the scan must fall short
    caplog.set_level(logging.DEBUG, logger="warehouse.search")
    with get_engine(pg_url).connect() as conn:
        assert _candidates(conn, "派出所") == _reference(conn, "派出所", small_cap)
    assert "probe+scan+gin" in caplog.text


def test_phrase_matches_across_the_cap_are_exactly_substring_truth(pg_url, small_cap, monkeypatch):
    """The side table keeps no positions: the index finds the sentences holding all of a phrase's bigrams, each
    is checked on its text, and the sentences ranked are the first CANDIDATE_CAP holding the phrase in storage
    order; without the cap, every sentence holding it (substring truth)."""
    with get_engine(pg_url).connect() as conn:
        texts = dict(conn.execute(select(Sentence.id, Sentence.text)).all())
        found = _candidates(conn, '"矛盾纠纷"')
        everything = _forced(conn, '"矛盾纠纷"', 10_000, search._PG_GIN_SETTINGS)
        counted = set(conn.scalars(select(Sentence.id).join(Article).where(counted_once())))
    truth = {sid for sid, t in texts.items() if "矛盾纠纷" in fts.normalize(t)}
    assert len(found) == small_cap < len(everything)
    assert {sid for sid, _ in everything} >= truth & counted
    assert found == [(sid, aid) for sid, aid in everything if sid in truth][:small_cap]
    monkeypatch.setattr(search, "CANDIDATE_CAP", 10_000)
    with get_engine(pg_url).connect() as conn:
        assert {sid for sid, _ in _candidates(conn, '"矛盾纠纷"')} == truth & counted


def test_the_planner_takes_the_intended_path(pg_url):
    """Scan: a TID range scan of the side table with article rows by index; GIN: the bitmap. Never a hash join
    (it would read all of `article` first), a sequential scan, or a walk of the side table's primary key."""
    parsed = search.parse_query("调解")
    params = {"match": search.pg_match_expression(parsed)}
    engine = get_engine(pg_url)
    for settings, blocks, wanted in [
        (search._PG_SCAN_SETTINGS, (2, 6), "Tid Range Scan on sentence_search"),
        (search._PG_SCAN_SETTINGS, (0, None), "Tid Range Scan on sentence_search"),
        (search._PG_GIN_SETTINGS, None, "Bitmap Index Scan on ix_sentence_search_gin"),
    ]:
        statement = search.pg_candidate_query([counted_once()], 1000, blocks).params(params)
        sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
        with engine.connect() as conn:
            conn.execute(text(f"SELECT {search._settings_sql(search._PG_SETTINGS | settings)}"))
            plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {sql}").scalars())
        assert wanted in plan, plan
        assert "Hash" not in plan and "Seq Scan" not in plan and "sentence_search_pkey" not in plan, plan


def test_the_probe_predicts_when_a_scan_is_cheaper():
    total = 95_000  # blocks: about 1.1 M sentences
    assert search.scan_blocks_after_probe(0, 128, total, 1000) is None  # nothing to predict from
    common = search.scan_blocks_after_probe(120, 128, total, 1000)  # 8% of sentences, as 调解
    assert common is not None and common < 2000
    assert search.scan_blocks_after_probe(3, 128, total, 1000) is None  # rare: the index
    assert search.scan_blocks_after_probe(3, 128, 300, 1000) is not None  # a small table: scan it


# --- the side table follows `sentence` -----------------------------------------------------------------------


@pytest.fixture
def own_pg(pg_server: str, tmp_path) -> Iterator[Archive]:
    for url in _fresh_pg_database(pg_server):
        load_seeds(url, tmp_path)
        yield Archive(url)


def _side_ids(archive: Archive) -> set[int]:
    with archive.engine.connect() as conn:
        return set(conn.scalars(text("SELECT id FROM sentence_search")))


def test_the_side_table_follows_deletes_cascades_and_truncate(own_pg: Archive):
    archive = own_pg
    with archive.engine.connect() as conn:
        assert _side_ids(archive) == set(conn.scalars(select(Sentence.id)))
    hit = archive.search("玉洞派出所").hits[0]
    with archive.engine.begin() as conn:  # deleting an article cascades to its sentences, and on to the index
        conn.execute(text("DELETE FROM source_file WHERE article_id = :a"), {"a": hit.article_id})
        conn.execute(delete(Article).where(Article.id == hit.article_id))
        left = set(conn.scalars(select(Sentence.id)))
    assert _side_ids(archive) == left
    assert hit.article_id not in {h.article_id for h in archive.search("玉洞派出所").hits}
    with archive.engine.begin() as conn:
        conn.execute(text("TRUNCATE sentence CASCADE"))
    assert _side_ids(archive) == set()


def _first_design(conn) -> None:  # noqa: ANN001
    """The layout of the first design: bigrams in a `grams` column, a generated tsvector column over them with a
    GIN index, no side table."""
    for trigger in ("ad", "at"):
        conn.execute(text(f"DROP TRIGGER sentence_search_{trigger} ON sentence"))
    conn.execute(text("DROP TABLE sentence_search"))
    conn.execute(text("ALTER TABLE sentence ADD COLUMN grams TEXT"))
    conn.execute(text("ALTER TABLE sentence ADD COLUMN search_tokens TEXT"))
    rows = conn.execute(select(Sentence.id, Sentence.text, Sentence.search_words)).all()
    conn.execute(
        text("UPDATE sentence SET grams = :g, search_tokens = :w WHERE id = :i"),
        [{"i": i, "g": fts.index_grams(t), "w": words.text(t, w)} for i, t, w in rows],
    )
    conn.execute(
        text(
            "ALTER TABLE sentence ADD COLUMN search_vector tsvector GENERATED ALWAYS AS"
            " (setweight(to_tsvector('simple', coalesce(search_tokens, '')), 'A')"  # that design's, verbatim
            " || setweight(to_tsvector('simple', coalesce(grams, '')), 'B')) STORED"
        )
    )
    conn.execute(text("CREATE INDEX ix_sentence_search_vector ON sentence USING gin (search_vector)"))
    conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.UPGRADE_NAME})


def test_a_warehouse_with_the_generated_column_is_moved_to_the_side_table(own_pg: Archive):
    """Warehouses built before `sentence_search` had a generated tsvector column on `sentence` with a GIN index:
    opening one drops them (and the bigrams column), fills the side table and installs its triggers; results
    stay the same."""
    archive = own_pg
    expected = [(h.article_id, h.sentence_id, h.score) for h in archive.search("调解").hits]
    with archive.engine.begin() as conn:
        _first_design(conn)
    fts._ready.clear()
    get_engine.cache_clear()
    engine = get_engine(archive.engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        columns = conn.scalars(text("SELECT column_name FROM information_schema.columns WHERE table_name = 'sentence'"))
        assert not {"search_vector", "grams", "search_tokens"} & set(columns)
        assert conn.scalar(text("SELECT to_regclass('ix_sentence_search_vector')")) is None
        assert _side_ids(archive) == set(conn.scalars(select(Sentence.id)))
    assert [(h.article_id, h.sentence_id, h.score) for h in Archive(archive.engine.url).search("调解").hits] == (
        expected
    ) != []


def test_a_load_indexes_its_sentences_itself_and_an_older_insert_trigger_goes(own_pg: Archive):
    archive = own_pg
    with archive.engine.connect() as conn:  # the seeds' load indexed every sentence once, at its end
        assert _side_ids(archive) == set(conn.scalars(select(Sentence.id)))
    with archive.engine.begin() as conn:  # the insert trigger of an older warehouse, which read sentence.grams
        conn.execute(
            text(
                f"CREATE OR REPLACE FUNCTION {fts.PG_TABLE}_ai() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN RETURN NULL; END $$"
            )
        )
        conn.execute(
            text(
                f"CREATE TRIGGER {fts.PG_TABLE}_ai AFTER INSERT ON sentence REFERENCING NEW TABLE AS added"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {fts.PG_TABLE}_ai()"
            )
        )
    fts._ready.clear()
    get_engine.cache_clear()
    engine = get_engine(archive.engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        assert fts._pg_ready(conn)
        assert conn.scalar(text("SELECT count(*) FROM pg_trigger WHERE tgname = :n"), {"n": f"{fts.PG_TABLE}_ai"}) == 0
        assert _side_ids(archive) == set(conn.scalars(select(Sentence.id)))
