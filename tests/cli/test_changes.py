"""`fqa changes` is one table, one row a change, with the stations each article names in a column (not one table
per station, which repeated a report on twelve stations twelve times). SQLite and PostgreSQL."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipelines.cli import app
from tests.ingest_fixtures import load, processed_seeds
from warehouse.db import get_engine

runner = CliRunner()


def test_changes_is_one_table_with_a_station_column(db_url: str):
    load(get_engine(db_url), processed_seeds(), batch_key="seeds")
    grouped = json.loads(runner.invoke(app, ["changes", "--db", db_url, "--json"]).output)
    articles = {c["article_id"] for g in grouped for c in g["changes"]}
    stations = {g["station"] for g in grouped}
    assert len(articles) == 5 and len(stations) > len(articles)  # some reports name several stations

    result = runner.invoke(app, ["changes", "--db", db_url], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].strip() == "5 changes"
    assert sum(line.startswith("┏") for line in lines) == 1  # one table
    header = next(line for line in lines if line.startswith("┃"))
    assert [cell.strip() for cell in header.strip("┃").split("┃")][:3] == ["when", "change", "station"]
    for article_id in articles:  # each change once, however many stations its article names
        assert result.output.count(article_id[:12]) == 1, article_id
    cells = "".join(line.replace("│", "").replace(" ", "") for line in lines)
    assert all(name in cells for name in stations)
