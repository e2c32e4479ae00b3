"""`fqa search | stations | station | compare | export` on SQLite and PostgreSQL: the issue's "done when" checks,
machine formats, plots, exports, and Chinese that lines up in the tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from pipelines.cli import app
from tests.research_warehouse import seeded_url_fixture
from warehouse.archive import Archive


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_url(request, tmp_path_factory):
    yield from seeded_url_fixture(request, tmp_path_factory)


def fqa(url: str, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", url])
    assert result.exit_code == 0, result.output
    return result.output


def _table_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line[:1] in "┏┃┡│├└"]


def test_search_in_either_script_returns_the_same_articles(seeded_url: str):
    traditional = json.loads(fqa(seeded_url, "search", "調解", "--json"))
    simplified = json.loads(fqa(seeded_url, "search", "调解", "--json"))
    assert [h["article_id"] for h in traditional] == [h["article_id"] for h in simplified]
    assert len(simplified) >= 4
    for hit in simplified:
        assert {"article_id", "title", "station", "snippet", "score"} <= set(hit)
        assert "【调解】" in hit["snippet"]
    assert [h["score"] for h in simplified] == sorted((h["score"] for h in simplified), reverse=True)


def test_search_table_csv_limit_and_filters(seeded_url: str):
    table = fqa(seeded_url, "search", "调解", "--limit", "2")
    assert "articles matching '调解'" in table and "page 1 of" in table
    assert len([line for line in table.splitlines() if line.startswith("│ ") and line[2:3].isdigit()]) == 2
    rows = list(csv.DictReader(io.StringIO(fqa(seeded_url, "search", "调解", "--csv", "--province", "广西"))))
    assert rows and all("广西" in Archive(seeded_url).station(r["station"]).station.province for r in rows)


def test_compare_mediation_success_rate_lists_seed_stations_with_qualified_values(seeded_url: str, tmp_path):
    plot = tmp_path / "msr.png"
    output = fqa(seeded_url, "compare", "mediation_success_rate", "--plot", str(plot))
    for expected in ("≥98%", "超过98%", "玉洞派出所", "99.2%", "100%", "2021年至今", "not stated"):
        assert expected in output, expected
    assert "no: period" in output  # rows with a different period are flagged
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plot.stat().st_size > 10_000
    rows = json.loads(fqa(seeded_url, "compare", "mediation_success_rate", "--json"))
    stations = {r["station"] for r in rows}
    assert {"东兴边境派出所", "玉洞派出所"} <= stations and stations & {"睦洲派出所", "祥哥警务室"}
    assert all(r["shown"] and r["period"] and r["article_id"] for r in rows)


def test_station_profile_shows_place_honours_practices_statistics_and_sources(seeded_url: str):
    wide = CliRunner().invoke(app, ["station", "玉洞派出所", "--db", seeded_url], env={"COLUMNS": "200"})
    assert wide.exit_code == 0, wide.output
    output = wide.output  # wide enough that no title is folded inside its cell
    for expected in (
        "广西壮族自治区 南宁市 良庆区",
        "南宁市公安局集体三等功",
        "practices",
        "statistics",
        "sources",
        "人民网",
        "南宁市良庆区玉洞派出所践行新时代",
        "99.2%",
        "高达99.2%",
    ):
        assert expected in output.replace("\n│", ""), expected
    profile = json.loads(fqa(seeded_url, "station", "東興邊境派出所", "--json"))
    assert profile["station"]["name"] == "东兴边境派出所"
    assert profile["articles"][0]["url"].startswith("http")
    assert all(s["period"] is None or s["period"] for s in profile["statistics"])
    assert any(s["shown"] == "700+" for s in profile["statistics"])


def test_station_profile_lists_each_source_once_and_rows_cite_it_by_number(seeded_url: str):
    profile = json.loads(fqa(seeded_url, "station", "东兴边境派出所", "--json"))
    [article] = profile["articles"]
    assert article["url"] and len(profile["statistics"]) > 3 and len(profile["practices"]) > 3
    wide = CliRunner().invoke(app, ["station", "东兴边境派出所", "--db", seeded_url], env={"COLUMNS": "300"})
    assert wide.exit_code == 0, wide.output
    output = wide.output  # wide enough that no URL is folded inside its cell
    assert output.count(article["url"]) == 1
    table = _table_lines(output.split("statistics")[-1])
    rows = [line for line in table if line.startswith("│") and line.split("│")[1].strip()]
    assert len(rows) == len(profile["statistics"]) and all(line.rstrip("│ ").endswith("[1]") for line in rows)


def test_stations_table_aligns_chinese_columns(seeded_url: str):
    output = fqa(seeded_url, "stations")
    lines = _table_lines(output)
    assert len(lines) > 10 and any("派出所" in line for line in lines)
    assert len({cell_len(line) for line in lines}) == 1  # wide characters count as two cells
    # the column separators sit at the same cells on every row
    bars = {
        tuple(cell_len(line[:i]) for i, ch in enumerate(line) if ch in "┃│")
        for line in lines
        if "│" in line or "┃" in line
    }
    assert len(bars) == 1
    rows = json.loads(fqa(seeded_url, "stations", "--json", "--metric", "volunteers", "--min", "500"))
    assert "睦洲派出所" in {r["name"] for r in rows}


@pytest.mark.parametrize("kind", ["articles", "stations", "practices", "statistics"])
def test_export_writes_csv_json_and_parquet(seeded_url: str, tmp_path, kind: str):
    archive = Archive(seeded_url)
    expected = len(getattr(archive, kind)())
    assert expected > 0
    counts = {}
    for fmt in ("csv", "json", "parquet"):
        path = tmp_path / f"{kind}.{fmt}"
        assert f"wrote {expected} {kind}" in fqa(seeded_url, "export", kind, "--format", fmt, "-o", str(path))
        if fmt == "csv":
            counts[fmt] = len(list(csv.DictReader(path.open(encoding="utf-8"))))
        elif fmt == "json":
            counts[fmt] = len(json.loads(path.read_text(encoding="utf-8")))
        else:
            table = pq.read_table(path)
            counts[fmt] = table.num_rows
            assert table.column_names == getattr(archive, kind)().columns()
    assert counts == {"csv": expected, "json": expected, "parquet": expected}


def test_export_into_a_missing_folder_is_one_clear_line(seeded_url: str, tmp_path):
    result = CliRunner().invoke(app, ["export", "stations", "-o", str(tmp_path / "no" / "x.csv"), "--db", seeded_url])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "x.csv" in result.output


def _unwritable_sys() -> bool:
    try:
        Path("/sys/fqa-export-test.csv").open("w").close()
    except OSError:
        return True
    return False


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_to_an_unwritable_path_names_it_in_one_line_and_leaves_nothing(seeded_url: str, tmp_path, fmt: str):
    folder = tmp_path / "folder"
    folder.mkdir()
    kept = tmp_path / f"kept.{fmt}"
    kept.write_text("an earlier export", encoding="utf-8")
    targets = [tmp_path / "no" / f"x.{fmt}", folder, tmp_path / f"kept.{fmt}" / "x"]  # missing, a folder, a file
    if _unwritable_sys():  # sysfs refuses new files even to root, whom no chmod stops
        targets.append(Path(f"/sys/x.{fmt}"))
    for target in targets:
        result = CliRunner().invoke(
            app, ["export", "stations", "--format", fmt, "-o", str(target), "--db", seeded_url]
        )
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"fqa: error: {target}: cannot write the export"), lines
        assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["folder", f"kept.{fmt}"]  # no half-written files
    assert kept.read_text(encoding="utf-8") == "an earlier export"
