"""Confidence in the warehouse, on SQLite and PostgreSQL: stored with every figure and unit appearance, less
confident figures left out of comparisons, profiles, the casebook and the web by default and counted, all of
them in exports, and older warehouses given the columns."""

from __future__ import annotations

import csv

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from casebook.assemble import CasebookFilters, assemble
from casebook.markdown import render_markdown
from pipelines.cli import app as cli_app
from pipelines.extract.confidence import CONFIDENT
from tests.research_warehouse import seeded_url_fixture
from warehouse import Archive
from warehouse.db import add_missing_columns, get_engine
from warehouse.export import export
from warehouse.schema import Station, StationArticle, Statistic
from webapp.app import create_app

METRIC = "mediation_success_rate"
STATION = "玉洞派出所"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_url(request, tmp_path_factory):
    yield from seeded_url_fixture(request, tmp_path_factory)


@pytest.fixture
def doubtful(seeded_url: str):
    """玉洞派出所's mediation success rate marked as doubtful; put back afterwards."""
    engine = get_engine(seeded_url)
    station_id = select(Station.id).where(Station.name == STATION).scalar_subquery()
    wanted = (Statistic.metric == METRIC) & (Statistic.station_id == station_id)
    with engine.begin() as conn:
        before = conn.execute(select(Statistic.id, Statistic.confidence).where(wanted)).all()
        assert before, "the seed 001 figure is loaded"
        conn.execute(update(Statistic).where(wanted).values(confidence=0.1))
    yield len(before)
    with engine.begin() as conn:
        for row_id, confidence in before:
            conn.execute(update(Statistic).where(Statistic.id == row_id).values(confidence=confidence))


def test_every_figure_and_appearance_carries_a_confidence(seeded_url: str):
    with get_engine(seeded_url).connect() as conn:
        figures = conn.execute(select(Statistic.confidence)).scalars().all()
        appearances = conn.execute(select(StationArticle.confidence)).scalars().all()
    assert figures and all(c is not None and 0 <= c <= 1 for c in figures)
    assert appearances and all(c is not None and 0 <= c <= 1 for c in appearances)
    assert any(c >= CONFIDENT for c in figures) and any(c < CONFIDENT for c in figures)


def test_compare_and_profiles_leave_out_doubtful_figures_and_count_them(seeded_url: str, doubtful: int):
    archive = Archive(seeded_url)
    default = archive.compare(METRIC)
    assert STATION not in {r.station for r in default.rows} and default.hidden == doubtful
    everything = archive.compare(METRIC, all=True)
    assert STATION in {r.station for r in everything.rows} and everything.hidden == 0
    profile = archive.station(STATION)
    assert METRIC not in {r.metric for r in profile.statistics} and profile.hidden_statistics >= doubtful
    assert METRIC in {r.metric for r in archive.station(STATION, all=True).statistics}


def test_exports_carry_every_figure_with_its_confidence(seeded_url: str, doubtful: int, tmp_path):
    path = tmp_path / "statistics.csv"
    export(Archive(seeded_url), "statistics", "csv", path, {"metric": METRIC})
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {r["station"] for r in rows} >= {STATION}
    assert [float(r["confidence"]) for r in rows if r["station"] == STATION] == [0.1] * doubtful


def test_the_cli_says_how_many_figures_it_hides(seeded_url: str, doubtful: int):
    runner = CliRunner()
    hidden = runner.invoke(cli_app, ["compare", METRIC, "--db", seeded_url])
    assert hidden.exit_code == 0 and f"{doubtful} less confident figure" in hidden.output
    assert STATION not in hidden.output
    shown = runner.invoke(cli_app, ["compare", METRIC, "--all", "--db", seeded_url])
    assert shown.exit_code == 0 and STATION in shown.output and "less confident" not in shown.output


def test_casebook_and_web_leave_doubtful_figures_out_and_say_so(seeded_url: str, doubtful: int):
    book = assemble(get_engine(seeded_url), CasebookFilters(stations=[STATION]))
    assert book.hidden_figures >= doubtful and "less confident" in render_markdown(book)
    assert assemble(get_engine(seeded_url), CasebookFilters(stations=[STATION], all=True)).hidden_figures == 0
    client = TestClient(create_app(seeded_url))
    data = client.get("/api/compare", params={"metric": METRIC}).json()
    assert data["hidden"] == doubtful and STATION not in {r["station"] for r in data["rows"]}
    data = client.get("/api/compare", params={"metric": METRIC, "all": "true"}).json()
    assert data["hidden"] == 0 and STATION in {r["station"] for r in data["rows"]}
    page = client.get("/compare", params={"metric": METRIC})
    assert page.status_code == 200 and "less confident" in page.text and "all=1" in page.text


def test_an_older_warehouse_gets_the_columns(db_url: str):
    engine = get_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE statistic DROP COLUMN confidence"))
        conn.execute(text("ALTER TABLE station_article DROP COLUMN confidence"))
    add_missing_columns(engine)
    with engine.connect() as conn:
        assert conn.execute(select(Statistic.confidence)).all() == []
        assert conn.execute(select(StationArticle.confidence)).all() == []
