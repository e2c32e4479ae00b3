"""Every count a user reads agrees in number ("1 article", "2 articles"): the one wording helper, and the CLI's
titles and summaries on a one-article warehouse, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.cli.reextract import stale_notice
from tests.conftest import SEEDS
from tests.ingest_fixtures import load, process
from warehouse.db import get_engine
from warehouse.reextract import ExtractionVersion
from warehouse.wording import count, plural

runner = CliRunner()
NOUNS = "article|station|figure|file|practice|statistic|change|footnote|practice card|glossary term|theme|sentence"
# "1 articles", "1 less confident figures", "article(s)": what none of the outputs below may say
DISAGREES = re.compile(rf"(?<![\d.,])\b1 (?:less confident )?(?:{NOUNS})s\b|\w\(s\)|\w\(es\)")


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (0, "article", "0 articles"),
        (1, "article", "1 article"),
        (2, "article", "2 articles"),
        (1, "batch", "1 batch"),
        (3, "batch", "3 batches"),
        (1, "less confident figure", "1 less confident figure"),
        (2, "less confident figure", "2 less confident figures"),
        (2, "reprint copy", "2 reprint copies"),
        (2, "day", "2 days"),
        (16, "statistic", "16 statistics"),
    ],
)
def test_count_agrees_in_number(n: int, noun: str, expected: str):
    assert count(n, noun) == expected


def test_an_irregular_plural_is_given_not_guessed():
    assert plural("box") == "boxes" and count(2, "person", "people") == "2 people" and count(1, "person") == "1 person"


def test_the_disagreement_pattern_catches_what_it_should():
    for wrong in ("1 articles", "1 less confident figures", "4 article(s) due", "1 batch(es)"):
        assert DISAGREES.search(wrong), wrong
    for right in ("1 article", "1 station, 12 practices", "1 less confident figure", "21 articles", "0.1 statistics"):
        assert not DISAGREES.search(right), right


@pytest.fixture
def one_article(db_url: str) -> str:
    """A warehouse holding seed 000 alone: one article about one station."""
    load(get_engine(db_url), process([SEEDS["000"]]), batch_key="one")
    return db_url


def _fqa(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # rich wraps long lines


def test_a_one_article_warehouse_speaks_in_the_singular(one_article: str, tmp_path: Path):
    db = ("--db", one_article)
    said = {
        "articles": _fqa("articles", *db),
        "stations": _fqa("stations", *db),
        "station": _fqa("station", "东兴边境派出所", *db),
        "search": _fqa("search", "北仑河卫士", *db),
        "export": _fqa("export", "articles", "-o", str(tmp_path / "a.csv"), *db),
        "compare": _fqa("compare", "mediation_success_rate", *db),
        "changes": _fqa("changes", *db),
        "casebook": _fqa("casebook", "-o", str(tmp_path / "book.md"), *db),
    }
    assert said["articles"].startswith("1 article ")
    assert said["stations"].startswith("1 station ")
    assert "1 article, " in said["station"]
    assert said["search"].startswith("1 article matching '北仑河卫士'")
    assert "wrote 1 article to" in said["export"]
    assert "mediation_success_rate: 1 station " in said["compare"]
    assert said["changes"].startswith("1 change ")
    assert "(md): 1 station, " in said["casebook"]
    for command, output in said.items():
        assert not DISAGREES.search(output), (command, DISAGREES.search(output).group(), output)


def test_reextract_counts_one_stale_article_in_the_singular(one_article: str):
    engine = get_engine(one_article)
    with engine.begin() as conn:
        conn.execute(update(ExtractionVersion).values(version="0123456789abcdef"))
    notice = stale_notice(one_article)
    assert notice and notice.startswith("1 article extracted by an older extractor"), notice
    dry = _fqa("reextract", "--db", one_article, "--dry-run")
    assert "1 article due for re-extraction" in dry
    done = _fqa("reextract", "--db", one_article)
    assert "1 of 1 article re-extracted" in done
    for output in (notice, dry, done):
        assert not DISAGREES.search(output), output
