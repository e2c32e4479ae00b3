"""Issue 20 item 11: the same query over the same articles gives the same hits, in the same order, with the
same snippet sentences and scores, on SQLite and PostgreSQL; ties do not depend on the order rows come in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.casebook_warehouse import load_seed_warehouse
from tests.conftest import _fresh_pg_database
from warehouse import search
from warehouse.db import get_engine

QUERIES = ("调解", "調解", "派出所", "社区 民警", '"矛盾纠纷"', "群众", "e", "é", "E", "2023", "枫桥经验", "所")


@pytest.fixture
def both(tmp_path: Path, pg_server: str) -> Iterator[dict[str, str]]:
    """The same articles in a SQLite file and a fresh PostgreSQL database."""
    sqlite = f"sqlite:///{tmp_path / 'w.db'}"
    for url in _fresh_pg_database(pg_server):
        load_seed_warehouse(sqlite)
        load_seed_warehouse(url)
        yield {"sqlite": sqlite, "postgresql": url}


def _results(url: str, query: str) -> list[tuple]:
    with get_engine(url).connect() as conn:
        page = search.search(conn, query, limit=200)
    return [(h.article_id, h.sentence_id, h.score, h.hits) for h in page.hits]


def test_hits_and_their_order_are_the_same_on_sqlite_and_postgresql(both: dict[str, str]) -> None:
    for query in QUERIES:
        assert _results(both["sqlite"], query) == _results(both["postgresql"], query), query
    assert _results(both["sqlite"], "调解"), "the comparison must not be between two empty lists"
    assert _results(both["sqlite"], "é") == []  # FTS5 folds é to e; a hit must contain é itself


def test_the_order_does_not_depend_on_the_order_candidates_arrive_in(
    both: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {(name, q): _results(url, q) for name, url in both.items() for q in QUERIES}
    original = search._candidates
    monkeypatch.setattr(search, "_candidates", lambda *args: list(reversed(original(*args))))
    for name, url in both.items():
        for query in QUERIES:
            assert _results(url, query) == expected[name, query], (name, query)


def test_past_the_candidate_cap_both_databases_rank_the_same_sentences(
    both: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cap reached (as on a large archive), the hits still agree on a warehouse loaded the same way.

    Past the cap each database ranks the first matches in its storage order: SQLite's rowids, and PostgreSQL's
    side table as it lies on disk. That is the load order only as far as PostgreSQL keeps it: a row that does not
    fit the last page may go into room left on an earlier one (its free space map), so which rows land out of
    order depends on the rows' widths (on these articles 5 did before the integer article key, 7 after, and one
    of the 7 matches 所 among the first 12). So the side table is first laid out in load (id) order here."""
    with get_engine(both["postgresql"]).begin() as conn:
        conn.execute(text("CLUSTER sentence_search USING sentence_search_pkey"))
        ids = conn.scalars(text("SELECT id FROM sentence_search ORDER BY ctid")).all()
        assert ids == sorted(ids)
    monkeypatch.setattr(search, "CANDIDATE_CAP", 12)
    monkeypatch.setattr(search, "PROBE_BLOCKS", 1)
    for query in ("派出所", "群众", "所", "调解"):
        with get_engine(both["sqlite"]).connect() as conn:
            assert search.search(conn, query).capped, query
        assert _results(both["sqlite"], query) == _results(both["postgresql"], query), query
