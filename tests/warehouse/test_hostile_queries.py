"""Hostile input is data: every query and filter below gives a clear message or a sensible result, never a
traceback, and the database is byte-for-byte the same before and after (checked by a digest of every row)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.research_warehouse import seeded_url_fixture, snapshot
from warehouse.archive import Archive
from warehouse.filters import FilterError
from warehouse.search import MAX_QUERY_CHARS, QueryError

# Queries that still contain something to search for, and the plain query each must behave exactly like:
# operators and punctuation are text (AND is the word "and"), never FTS or SQL syntax.
SEARCHABLE = {
    '"调解': '"调解"',  # an unbalanced quote runs to the end
    '调解"': "调解",
    "调解 AND (": "调解 and",
    "调解 OR 1=1": "调解 or 1 1",
    "NEAR(调解 纠纷, 2)": "near 调解 纠纷 2",
    "调解*": "调解",
    "调解;--": "调解",
    "'; DROP TABLE article; --": "drop table article",
    "调解'); DELETE FROM sentence; --": "调解 delete from sentence",
    "search_tokens : 调解": "search tokens 调解",
    "grams:调解 OR grams:*": "grams 调解 or grams",
    "调解 \\ % _ ^": "调解",
    "调\ud800解": "调解",  # a lone surrogate inside a word
    "\udfff调解": "调解",
    "调解\x00纠纷": "调解纠纷",
    "{调解} [纠纷] <b>x</b>": "调解 纠纷 b x b",
    "ＡＮＤ 调解": "and 调解",
}
# Queries with nothing to search for: a clear message naming the problem.
REFUSED = {
    "": "empty query",
    "   \t ": "empty query",
    "\ud800": "empty query",
    "*": "no letters or digits",
    "AND (": None,  # AND is a word like any other: a result (maybe empty), not an error
    '""': "no letters or digits",
    ";--": "no letters or digits",
    "调" * 10_000: f"the limit is {MAX_QUERY_CHARS}",
    "a " * 5_000: f"the limit is {MAX_QUERY_CHARS}",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_url(request, tmp_path_factory):
    yield from seeded_url_fixture(request, tmp_path_factory)


def test_hostile_queries_run_as_plain_text_and_change_nothing(seeded_url: str):
    archive = Archive(seeded_url)
    before = snapshot(archive.engine)
    for query, plain in SEARCHABLE.items():
        page, expected = archive.search(query), archive.search(plain)
        assert page.terms == expected.terms, query
        assert [h.article_id for h in page.hits] == [h.article_id for h in expected.hits], query
    assert archive.search("调解*").hits and archive.search("调\ud800解").hits
    assert snapshot(archive.engine) == before


def test_queries_with_nothing_to_search_are_refused_clearly(seeded_url: str):
    archive = Archive(seeded_url)
    before = snapshot(archive.engine)
    for query, message in REFUSED.items():
        if message is None:
            archive.search(query)  # runs; whatever it finds, it does not raise
            continue
        with pytest.raises(QueryError, match=message):
            archive.search(query)
    assert snapshot(archive.engine) == before


def test_bad_paging_and_unknown_filters_are_refused_clearly(seeded_url: str):
    archive = Archive(seeded_url)
    before = snapshot(archive.engine)
    with pytest.raises(FilterError, match="unknown filter 'colour'"):
        archive.search("调解", colour="red")
    with pytest.raises(FilterError, match="unknown metric 'happiness'"):
        archive.search("调解", metric="happiness")
    with pytest.raises(FilterError, match="unknown practice category"):
        archive.stations(category="'; DROP TABLE station; --")
    with pytest.raises(FilterError, match="no station named"):
        archive.search("调解", station="不存在派出所")
    with pytest.raises(FilterError, match="give --metric too"):
        archive.search("调解", min=5)
    with pytest.raises(FilterError, match="unknown script"):
        archive.search("调解", script="klingon")
    with pytest.raises(QueryError, match="page"):
        archive.search("调解", page=0)
    with pytest.raises(QueryError, match="limit"):
        archive.search("调解", limit=10**9)
    with pytest.raises(FilterError, match="no province named"):
        archive.search("调解", province="'; DROP TABLE station; --")
    assert snapshot(archive.engine) == before


@pytest.mark.parametrize(
    "args",
    [
        ["search", "调解 AND ("],
        ["search", "'; DROP TABLE article; --", "--json"],
        ["search", "调\ud800解", "--json"],
        ["search", "调" * 10_000],
        ["search", ""],
        ["search", "*"],
        ["search", "调解", "--colour", "red"],
        ["search", "调解", "--metric", "happiness"],
        ["search", "调解", "--min", "5"],
        ["search", "调解", "--limit", "0"],
        ["search", "调解", "--from-year", "not-a-year"],
        ["stations", "--category", "nonsense"],
        ["station", "'; DROP TABLE station; --"],
        ["station", ""],
        ["compare", "happiness"],
        ["export", "secrets", "--format", "csv", "-o", "/tmp/never-written.csv"],
    ],
)
def test_the_cli_answers_hostile_input_in_one_clear_line(seeded_url: str, args: list[str]):
    engine = Archive(seeded_url).engine
    before = snapshot(engine)
    result = CliRunner().invoke(app, [*args, "--db", seeded_url])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if args[1:2] == ["调解 AND ("] or "--json" in args:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0
        assert result.output.strip(), "a refusal must say why"
    assert snapshot(engine) == before
