"""Station places from the shipped gazetteer: gold seeds and synthetic sentences."""

from __future__ import annotations

import json

import pytest

from pipelines.batch.stages import clean_batch, read_batch, simplify_batch
from pipelines.extract.places import Place, find_place_mentions, gazetteer, resolve_place
from tests.conftest import REPO, SEEDS, TESTS

GOLD = TESTS / "gold"
FIELDS = ("province", "city", "county")


@pytest.fixture(scope="module")
def gold_stations() -> list[tuple[dict, str]]:
    """(gold station, simplified article text) for every station of the five seeds."""
    paths = sorted(SEEDS.values())
    # the same text as process_files(...)[2][i].article.simplified.simplified, without the jieba stage
    simplified = simplify_batch(clean_batch(read_batch(paths).articles).articles)
    assert len(simplified) == len(paths)
    texts = {path.name: article.simplified.simplified for path, article in zip(paths, simplified, strict=True)}
    out = []
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        out.extend((station, texts[gold["source_file"]]) for station in gold["stations"])
    return out


def test_gold_accuracy(gold_stations: list[tuple[dict, str]]) -> None:
    hits = dict.fromkeys(FIELDS, 0)
    misses = []
    for station, text in gold_stations:
        place = resolve_place(station["name"], text)
        for field in FIELDS:
            if getattr(place, field) == station[field]:
                hits[field] += 1
            else:
                misses.append((station["name"], field, getattr(place, field), station[field]))
    n = len(gold_stations)
    accuracy = {field: hits[field] / n for field in FIELDS}
    print(f"place accuracy over {n} gold stations: {accuracy}; misses: {misses}")
    assert n == 21
    assert accuracy["province"] >= 0.9
    assert accuracy["city"] >= 0.9
    assert accuracy["county"] >= 0.85


def test_table_covers_the_county_level() -> None:
    gz = gazetteer()
    levels = [d.level for d in gz.divisions.values()]
    assert levels.count("province") == 34
    assert levels.count("city") >= 330
    assert levels.count("county") >= 2800
    assert REPO.joinpath("pipelines/extract/data/divisions.tsv").stat().st_size < 600_000


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("东兴边境派出所", "冬日暖阳下,广西东兴国门景区游人如织。", ("广西壮族自治区", "防城港市", "东兴市")),
        ("玉洞派出所", "南宁市良庆区玉洞派出所诞生于这片土地。", ("广西壮族自治区", "南宁市", "良庆区")),
        ("花源派出所", "新津公安花源派出所坚持和发展新时代“枫桥经验”。", ("四川省", "成都市", "新津区")),
        ("睦洲派出所", "睦洲派出所地处广东省江门市新会区睦洲镇。", ("广东省", "江门市", "新会区")),
        (
            "察布查尔边境管理大队",
            "伊犁边境管理支队察布查尔边境管理大队",
            ("新疆维吾尔自治区", "伊犁哈萨克自治州", "察布查尔锡伯自治县"),
        ),
        ("霍尔果斯大队", "伊犁州霍尔果斯大队的民警", ("新疆维吾尔自治区", "伊犁哈萨克自治州", "霍尔果斯市")),
        ("枫桥派出所", "浙江诸暨枫桥镇是“枫桥经验”的发源地。", ("浙江省", "绍兴市", "诸暨市")),
        # the same short name in another province: the article decides
        ("东兴派出所", "四川内江东兴区东兴派出所", ("四川省", "内江市", "东兴区")),
        ("观音桥派出所", "重庆市江北区观音桥街道", ("重庆市", "重庆市", "江北区")),
        ("某派出所", "宁波江北区的民警", ("浙江省", "宁波市", "江北区")),
        # a former name still finds today's unit
        ("城关派出所", "新津县城关派出所", ("四川省", "成都市", "新津区")),
        # a county-level city directly under the region has no prefecture
        ("可克达拉边境派出所", "新疆可克达拉边境派出所", ("新疆维吾尔自治区", None, "可克达拉市")),
    ],
)
def test_resolve_place(name: str, text: str, expected: tuple[str | None, ...]) -> None:
    place = resolve_place(name, text)
    assert (place.province, place.city, place.county) == expected


def test_city_level_unit_gets_no_county() -> None:
    text = "江门市公安局授予睦洲派出所集体三等功。睦洲派出所地处广东省江门市新会区睦洲镇。"
    assert resolve_place("江门市公安局", text) == Place("广东省", "江门市", None, "440700")


def test_no_invented_county() -> None:
    assert resolve_place("祥哥警务室", "祥哥警务室扎根广东省的一个渔村。") == Place("广东省", None, None, "440000")
    assert resolve_place("祥哥警务室", "祥哥警务室扎根渔村。") == Place()
    # the article names several counties of one prefecture: only the prefecture is certain
    text = "伊犁州察布查尔县和霍尔果斯市、霍城县的民警。托布边境派出所的社区民警口袋里装着联系卡。"
    place = resolve_place("托布边境派出所", text)
    assert (place.province, place.city, place.county) == ("新疆维吾尔自治区", "伊犁哈萨克自治州", None)


def test_river_is_not_a_district() -> None:
    text = "东兴市与越南芒街市仅隔一条北仑河,在北仑河畔的南疆小城,北仑河口风光秀丽。"
    counties = {m.place.county for m in find_place_mentions(text) if m.place}
    assert "北仑区" not in counties
    assert counties == {"东兴市"}


def test_everyday_words_are_not_places() -> None:
    text = "公安机关推进平安建设,联合乡村干部开展新区治理。"
    assert find_place_mentions(text) == []
    assert resolve_place("平安派出所", text) == Place()
    # … but they are when the province is named
    assert resolve_place("x", "湖北省公安县").county == "公安县"


def test_mentions_carry_spans_and_kinds() -> None:
    text = "睦洲派出所地处广东省江门市新会区睦洲镇,隶属江门公安。"
    mentions = find_place_mentions(text)
    assert [(m.text, m.kind) for m in mentions] == [
        ("广东省", "full"),
        ("江门市", "full"),
        ("新会区", "full"),
        ("睦洲镇", "town"),
        ("江门", "short"),
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert mentions[3].place == Place("广东省", "江门市", "新会区", "440705")


def test_station_place_word_does_not_outvote_the_text():
    # 铜陵 is also a city in Anhui; the report's own 福建 and 东山县 decide, however often 铜陵 is repeated
    text = (
        "东山岛是福建省第二大岛，铜陵镇是岛上的渔港古镇。东山县公安局铜陵派出所辖区海岸线长38.6公里。"
        "铜陵派出所牵头成立调解队。铜陵派出所民警走访渔户。"
    )
    place = resolve_place("铜陵派出所", text)
    assert (place.province, place.city, place.county) == ("福建省", "漳州市", "东山县")


def test_a_post_named_after_a_landmark_is_where_its_station_is():
    """惠民 is also a county in Shandong; the post 景迈山警务室 is 澜沧's 惠民派出所's, not Shandong's."""
    from pipelines.extract.article import _unit_places
    from pipelines.extract.stations import find_stations

    text = (
        "云南省普洱市澜沧县公安局惠民派出所地处景迈山。惠民派出所在景区核心区设立了景迈山警务室，方便游客求助。"
        "景迈山警务室配有专职民警和辅警。"
    )
    places = _unit_places(find_stations(text, None), text)
    assert (places["景迈山警务室"].province, places["景迈山警务室"].county) == ("云南省", "澜沧拉祜族自治县")
    assert places["景迈山警务室"] == places["惠民派出所"]


def test_a_street_named_after_a_city_does_not_place_its_post_there():
    from pipelines.extract.places import resolve_place

    place = resolve_place("芜湖东路社区警务室", "合肥市包河区包公派出所芜湖东路社区警务室，位于合肥市包河区。")
    assert (place.province, place.city) == ("安徽省", "合肥市")
