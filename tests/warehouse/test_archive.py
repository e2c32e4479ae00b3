"""The Python API on SQLite and PostgreSQL: stations, profiles, comparisons, statistics, typed rows and pandas,
with each reprint cluster counted once."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.research_warehouse import REPRINT_PUBLISHER, seeded_url_fixture
from warehouse import Archive
from warehouse.archive import ComparisonRow, Rows, StationSummary, StatisticRow
from warehouse.figures import comparability, comparison_kind, shown
from warehouse.filters import FilterError
from warehouse.query import NotFound


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_url(request, tmp_path_factory):
    """The seeds plus a reprint of seed 002 (睦洲派出所), clustered with its original."""
    yield from seeded_url_fixture(request, tmp_path_factory, with_reprint=True)


@pytest.fixture
def archive(seeded_url: str) -> Archive:
    return Archive(seeded_url)


# --- figures: what a reader sees ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((700, 700, None, "起", False), "700+"),
        ((98, 98, None, "%", False), "≥98%"),
        ((1000, None, 1000, "条", False), "≤1,000"),
        ((90, 90, 90, "公里", True), "~90"),
        ((None, 2_000_000, 9_000_000, "人次", True), "~2,000,000–9,000,000"),
        ((99.2, 99.2, 99.2, "%", False), "99.2%"),
        ((-33.9, -33.9, -33.9, "%", False), "-33.9%"),
        ((1.5, 1.5, 1.5, "百分点", False), "1.5 百分点"),
    ],
)
def test_a_figure_is_shown_with_its_qualifier(args, expected):
    assert shown(*args) == expected


def test_rows_that_differ_from_the_commonest_definition_or_period_are_flagged():
    rows = [
        ("%", "level", ("text", None), "not stated"),
        ("%", "level", ("text", None), "not stated"),
        ("%", "level", ("text", "上半年"), "上半年"),
        ("%", comparison_kind("下降", "同比"), ("text", None), "not stated"),
        ("起", "level", ("text", None), "x"),
    ]
    flags = comparability(rows)
    assert [f.comparable for f in flags] == [True, True, False, False, False]
    assert "period 上半年 vs not stated" in flags[2].note
    assert "change (year on year)" in flags[3].note
    assert "unit 起 vs %" in flags[4].note


# --- stations ---------------------------------------------------------------------------------------------------


def test_stations_lists_each_station_with_place_honours_and_counts(archive: Archive):
    rows = archive.stations()
    assert isinstance(rows, Rows) and all(isinstance(r, StationSummary) for r in rows)
    by_name = {r.name: r for r in rows}
    yudong = by_name["玉洞派出所"]
    assert (yudong.province, yudong.city, yudong.county) == ("广西壮族自治区", "南宁市", "良庆区")
    assert yudong.honours and yudong.practices > 0 and yudong.statistics > 0
    assert "全国第三批“枫桥式公安派出所”" in by_name["东兴边境派出所"].honours


def test_a_reprint_adds_reach_not_a_second_count(archive: Archive):
    muzhou = next(r for r in archive.stations() if r.name == "睦洲派出所")
    assert muzhou.articles == 1  # the original and its reprint are one cluster
    statistics = [s for s in archive.statistics() if s.station == "睦洲派出所"]
    assert len({s.article_id for s in statistics}) == 1
    assert len(statistics) == muzhou.statistics
    profile = archive.station("睦洲派出所")
    assert len(profile.articles) == 1
    assert profile.articles[0].also_published_by  # the reprint shows as reach
    reach = " ".join(profile.articles[0].also_published_by)
    assert REPRINT_PUBLISHER in reach or "zz_reprint_of_002" in reach
    assert len(archive.search("睦洲派出所").hits) == 1


def test_station_filters(archive: Archive):
    names = {r.name for r in archive.stations(province="廣西")}  # the province as written in Traditional
    assert {"玉洞派出所", "东兴边境派出所"} <= names and "睦洲派出所" not in names
    big = {r.name for r in archive.stations(metric="volunteers", min=500)}
    assert "睦洲派出所" in big  # 800多人 is certainly ≥ 500
    assert "玉洞派出所" not in big  # 300名
    assert {r.name for r in archive.stations(script="traditional")} >= {"玉洞派出所"}
    assert "东兴边境派出所" in {r.name for r in archive.stations(year_from=2023, year_to=2023)}
    with pytest.raises(FilterError, match="unknown filter"):
        archive.stations(prefecture="南宁")


def test_a_station_profile_by_name_in_either_script_or_alias(archive: Archive):
    profile = archive.station("玉洞派出所")
    assert profile.station.name == "玉洞派出所"
    assert archive.station("南宁市良庆区玉洞派出所").station.station_id == profile.station.station_id
    assert archive.station("東興邊境派出所").station.name == "东兴边境派出所"
    assert profile.honours and all("text" in h for h in profile.honours)
    assert profile.practices and all(p.sentence and p.name in p.sentence for p in profile.practices)
    assert profile.statistics and all(s.shown != "?" and s.article_id for s in profile.statistics)
    assert profile.articles[0].title and "玉洞" in profile.articles[0].title
    with pytest.raises(NotFound, match="no station"):
        archive.station("不存在派出所")


# --- compare -----------------------------------------------------------------------------------------------------


def test_compare_lists_one_row_per_station_with_qualified_values_and_periods(archive: Archive):
    result = archive.compare("mediation_success_rate")
    rows = {r.station: r for r in result.rows}
    assert all(isinstance(r, ComparisonRow) for r in result.rows)
    assert len(rows) == len(result.rows)
    assert rows["东兴边境派出所"].shown == "≥98%" and rows["东兴边境派出所"].text == "超过98%"
    assert rows["玉洞派出所"].shown == "99.2%"
    seed_002 = rows.get("睦洲派出所") or rows["祥哥警务室"]
    assert seed_002.shown == "100%" and seed_002.period.startswith("2021年至今")
    assert seed_002.published == dt.date(2023, 3, 9)
    # Stated periods differ from unstated ones: flagged, with what differs.
    assert not seed_002.comparable and "period" in seed_002.note
    assert rows["东兴边境派出所"].comparable and rows["玉洞派出所"].comparable
    assert not result.all_comparable


def test_compare_counts_a_reprinted_figure_once(archive: Archive):
    rows = archive.compare("mediation_success_rate").rows
    seed_002 = [r for r in rows if r.station in ("睦洲派出所", "祥哥警务室")]
    assert len(seed_002) == 1 and seed_002[0].other_figures == 0


def test_compare_honours_filters_and_refuses_unknown_metrics(archive: Archive):
    stations = {r.station for r in archive.compare("mediation_success_rate", province="广西").rows}
    assert stations == {"东兴边境派出所", "玉洞派出所"}
    assert {r.station for r in archive.compare("mediation_success_rate", min=99).rows} >= {"玉洞派出所"}
    with pytest.raises(FilterError, match="unknown metric 'happiness'"):
        archive.compare("happiness")


# --- statistics and pandas -------------------------------------------------------------------------------------


def test_statistics_are_typed_rows_that_become_a_dataframe(archive: Archive):
    rows = archive.statistics(metric="crime_change_pct")
    assert rows and all(isinstance(r, StatisticRow) and r.metric == "crime_change_pct" for r in rows)
    assert all(r.measures.startswith("change") for r in rows)
    frame = rows.to_pandas()
    assert list(frame.columns) == rows.columns() and len(frame) == len(rows)
    assert (frame["value"] < 0).all()
    empty = archive.statistics(metric="crime_change_pct", min=1000)
    assert len(empty) == 0 and list(empty.to_pandas().columns) == rows.columns()
    page = archive.search("调解")
    assert list(page.to_pandas()["article_id"]) == [h.article_id for h in page.hits]
