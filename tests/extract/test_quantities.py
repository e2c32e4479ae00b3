"""Number parsing and figure spans, on the way police reports write them (cases from the seed articles)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pipelines.extract.quantities import (
    KINDS,
    STATISTIC_KINDS,
    Quantity,
    find_quantities,
    parse_number,
    parse_quantity,
)
from tests.conftest import CORPUS

D = Decimal
CORPUS = CORPUS


# -------------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.6万", "36000"),
        ("七百余", "700"),
        ("两千四百五", "2450"),
        ("1,500", "1500"),
        ("１５００", "1500"),
        ("一万二", "12000"),
        ("十五", "15"),
        ("两百", "200"),
        ("零点五", "0.5"),
        ("3万余", "30000"),
        ("1.6万", "16000"),
        ("五十万", "500000"),
        ("1亿2千万", "120000000"),
        ("百分之九十五", "95"),
        ("负五", "-5"),
        ("一千零五", "1005"),
        ("一百零一万一千", "1011000"),
        ("3万4000", "34000"),
        ("二〇二三", "2023"),
        ("兩千肆佰伍拾", "2450"),
        ("九成", "90"),
        ("50%", "50"),
        ("千分之三", "0.3"),
        ("六个百分点", "6"),
        ("三分之一", D(1) / D(3)),  # a fraction with a digit denominator is a plain number
        ("百分之百", "100"),
        ("二十几万", "200000"),  # 几 counts as 0 here, as in Recognizers-Text
        ("一打", "12"),
        ("八折", "80"),
        ("半百", "50"),
        ("2e5", "200000"),
    ],
)
def test_parse_number(text: str, expected: str | Decimal) -> None:
    assert parse_number(text) == D(expected)


@pytest.mark.parametrize("text", ["", "万", "万万", "两两", "千百", "一切", "三官", "abc", "1.2.3", "百分之"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_parse_quantity_whole_expression() -> None:
    q = parse_quantity("3.6万余人")
    assert q is not None and (q.value, q.low, q.high, q.qualifier, q.unit) == (
        D(36000),
        D(36000),
        None,
        "余",
        "人",
    )
    pct = parse_quantity("百分之五")
    assert pct is not None and pct.is_percent and pct.value == 5
    assert parse_quantity("三官一律一网格") is None


# -------------------------------------------------------------------------------- find_quantities


def only(text: str) -> Quantity:
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


def stats(text: str) -> list[Quantity]:
    return [q for q in find_quantities(text) if q.is_statistic]


# (sentence from the seeds, [(span text, kind, value, low, high, qualifier, unit)])
SEED_FIGURES: list[tuple[str, list[tuple[str, str, str | None, str | None, str | None, str | None, str]]]] = [
    (
        "管辖边境线长8.5公里、常住人口3.6万余人、年出入境数百万人次……",
        [
            ("8.5公里", "length", "8.5", "8.5", "8.5", None, "公里"),
            ("3.6万余人", "count", "36000", "36000", None, "余", "人"),
            ("数百万人次", "count", None, "2000000", "9000000", "数", "人次"),
        ],
    ),
    (
        "建所73年来，东兴边境派出所荣立集体二等功4次、集体三等功16次",
        [("4次", "count", "4", "4", "4", None, "次"), ("16次", "count", "16", "16", "16", None, "次")],
    ),
    ("派出所辖区划分为37个网格，创立“网格警”", [("37个", "count", "37", "37", "37", None, "个")]),
    (
        "形成……的管控服务格局，矛盾纠纷调处成功率超过98%。",
        [("超过98%", "percent", "98", "98", None, "超过", "%")],
    ),
    (
        "近两年来，成功调处矛盾纠纷700余起，有力维护辖区和谐稳定。",
        [("700余起", "count", "700", "700", None, "余", "起")],
    ),
    (
        "面向东兴市上百家幼儿园及中小学校开展“万人守法”活动",
        [("上百家", "count", "100", "100", None, "上", "家")],
    ),
    (
        "两年来，该所收到群众反馈信息近千条，助力抓获违法犯罪嫌疑人200余名。",
        [
            ("近千条", "count", "1000", None, "1000", "近", "条"),
            ("200余名", "count", "200", "200", None, "余", "名"),
        ],
    ),
    ("建立42个涵盖各行各业的警民微信群", [("42个", "count", "42", "42", "42", None, "个")]),
    (
        "主动为群众办好事、解难事1500余次，获得广泛好评。",
        [("1500余次", "count", "1500", "1500", None, "余", "次")],
    ),
    (
        "16岁的女孩小丽(化名)是贵州人，奔波了1000多公里来到东兴散心",
        [("1000多公里", "length", "1000", "1000", None, "多", "公里")],
    ),
    (
        "矛盾化解率高达95%，糾紛調解率高達99.2%。",
        [
            ("高达95%", "percent", "95", "95", "95", "高达", "%"),
            ("高達99.2%", "percent", "99.2", "99.2", "99.2", "高达", "%"),
        ],
    ),
    (
        "民警4人次榮獲南寧市公安局個人三等功，21人次榮獲嘉獎，保持“0違法0違紀”記錄。",
        [
            ("4人次", "count", "4", "4", "4", None, "人次"),
            ("21人次", "count", "21", "21", "21", None, "人次"),
        ],
    ),
    ("成功將兩名攀爬入室盜竊嫌疑人抓獲。", [("兩名", "count", "2", "2", "2", None, "名")]),
    (
        "辖区面积79.8平方公里，海岸线长约90公里，共有15个村和1个社区，户籍人口约4.5万人，流动人口8000多人。",
        [
            ("79.8平方公里", "area", "79.8", "79.8", "79.8", None, "平方公里"),
            ("约90公里", "length", "90", "90", "90", "约", "公里"),
            ("15个", "count", "15", "15", "15", None, "个"),
            ("1个", "count", "1", "1", "1", None, "个"),
            ("约4.5万人", "count", "45000", "45000", "45000", "约", "人"),
            ("8000多人", "count", "8000", "8000", None, "多", "人"),
        ],
    ),
    ("一名社区民警平均每天入户走访要搭渡4次以上。", [("4次以上", "count", "4", "4", None, "以上", "次")]),
    (
        "“石板沙高峰期每天将近有1000名游客，单靠我们几个民警的力量是肯定管不过来的。",
        [
            ("将近有1000名", "count", "1000", None, "1000", "将近", "名"),
        ],
    ),
    (
        "目前，“睦洲义警”队伍已发展到800多人，成立了60多支分队。",
        [
            ("800多人", "count", "800", "800", None, "多", "人"),
            ("60多支", "count", "60", "60", None, "多", "支"),
        ],
    ),
    (
        "仅2021年至今成功调处矛盾187起，调处成功率达100%，全部不需要到派出所解决",
        [
            ("187起", "count", "187", "187", "187", None, "起"),
            ("达100%", "percent", "100", "100", "100", "达", "%"),
        ],
    ),
    (
        "已累计化解矛盾纠纷120余起，为群众追回薪资、欠款等50余万元",
        [
            ("120余起", "count", "120", "120", None, "余", "起"),
            ("50余万元", "money", "500000", "500000", None, "余", "元"),
        ],
    ),
    ("为企业节省经营成本超百万元。", [("超百万元", "money", "1000000", "1000000", None, "超", "元")]),
    (
        "今年6月，牧民赛某的7头牛进入农民王某的玉米地中，啃食玉米并踩踏约10亩菜地",
        [
            ("7头", "count", "7", "7", "7", None, "头"),
            ("约10亩", "area", "10", "10", "10", "约", "亩"),
        ],
    ),
    (
        "上半年，支队辖区矛盾纠纷化解成功率达97.1%，94.3%以上的纠纷在村(社区)一级就得到解决。",
        [
            ("达97.1%", "percent", "97.1", "97.1", "97.1", "达", "%"),
            ("94.3%以上", "percent", "94.3", "94.3", None, "以上", "%"),
        ],
    ),
    (
        "50部作品吸引粉丝3万余人，浏览量超80万人次",
        [
            ("50部", "count", "50", "50", "50", None, "部"),
            ("3万余人", "count", "30000", "30000", None, "余", "人"),
            ("超80万人次", "count", "800000", "800000", None, "超", "人次"),
        ],
    ),
    ("挽回经济损失35万余元。", [("35万余元", "money", "350000", "350000", None, "余", "元")]),
    ("累计开展各类培训课堂157场次。", [("157场次", "count", "157", "157", "157", None, "场次")]),
    (
        "花源派出所轄區面積32.06平方千米，常住人口5.3萬，",
        [
            ("32.06平方千米", "area", "32.06", "32.06", "32.06", None, "平方千米"),
            ("5.3萬", "number", "53000", "53000", "53000", None, ""),
        ],
    ),
    ("在校大學生1.6萬余人。", [("1.6萬余人", "count", "16000", "16000", None, "余", "人")]),
    ("一支由105名隊員組成的“花源義警”正式成立。", [("105名", "count", "105", "105", "105", None, "名")]),
]


@pytest.mark.parametrize(("sentence", "expected"), SEED_FIGURES, ids=[e[0][0] for _, e in SEED_FIGURES])
def test_seed_statistics(sentence: str, expected: list[tuple]) -> None:
    got = [(q.text, q.kind, q.value, q.low, q.high, q.qualifier, q.unit) for q in stats(sentence)]
    want = [
        (
            t,
            k,
            None if v is None else D(v),
            None if lo is None else D(lo),
            None if hi is None else D(hi),
            qual,
            u,
        )
        for t, k, v, lo, hi, qual, u in expected
    ]
    assert got == want


def test_spans_index_the_original_text() -> None:
    text = "常住人口3.6萬餘人，調處成功率超過98%。"
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
    assert [q.text for q in find_quantities(text)] == ["3.6萬餘人", "超過98%"]


def test_changes_keep_sign_and_comparison() -> None:
    qs = stats("2022年以来，刑事警情、治安警情同比下降33.9%，电信诈骗警情同比下降43.3%；")
    assert [(q.value, q.change, q.comparison, q.kind, q.is_percent) for q in qs] == [
        (D("-33.9"), "下降", "同比", "change", True),
        (D("-43.3"), "下降", "同比", "change", True),
    ]
    q = only("上半年，辖区电信诈骗案件与去年同期相比下降31%，这与精准的预警防控密不可分。")
    assert (q.value, q.comparison) == (D(-31), "与去年同期相比")
    # 分别下降15.8%、11.3%: the second figure inherits the change
    qs = stats("支队辖区刑事案件、治安案件与去年同期相比分别下降15.8%、11.3%，群众对治安的满意度达98.7%。")
    assert [(q.value, q.change, q.kind) for q in qs] == [
        (D("-15.8"), "下降", "change"),
        (D("-11.3"), "下降", "change"),
        (D("98.7"), None, "percent"),
    ]
    # a bound on a decrease flips: 下降超过30% → value ≤ -30
    q = only("盗窃案件下降超过30%")
    assert (q.value, q.low, q.high, q.qualifier) == (D(-30), None, D(-30), "超过")


def test_percentage_points_are_not_percent() -> None:
    q = only("满意度提高2.5个百分点")
    assert (q.value, q.kind, q.unit, q.is_percent, q.is_percentage_point, q.change) == (
        D("2.5"),
        "change",
        "百分点",
        False,
        True,
        "提高",
    )
    q = only("占比为3个百分点")
    assert (q.kind, q.is_percentage_point) == ("percentage_point", True)


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("九成以上群众", "90", "90", None),
        ("七成六", "76", "76", "76"),
        ("百分之九十五的纠纷", "95", "95", "95"),
        ("一半以上的纠纷", "50", "50", None),
        ("千分之三", "0.3", "0.3", "0.3"),
        ("不足10%", "10", None, "10"),
        ("5-20%的警情", None, "5", "20"),
    ],
)
def test_percent_forms(text: str, value: str | None, low: str | None, high: str | None) -> None:
    q = only(text)
    assert q.is_percent and q.unit == "%"
    assert (q.value, q.low, q.high) == tuple(None if v is None else D(v) for v in (value, low, high))


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier", "approx"),
    [
        ("数百万人次", "2000000", "9000000", "数", True),
        ("数十名民警", "20", "90", "数", True),
        ("几十万元", "200000", "900000", "几", True),
        ("十几个村", "11", "19", "几", True),
        ("二十几万人", "210000", "290000", "几", True),
        ("二三十人", "20", "30", None, True),
        ("5至10起", "5", "10", "至", False),  # a written range is exact about its ends
    ],
)
def test_ranges(text: str, low: str, high: str, qualifier: str | None, approx: bool) -> None:
    q = only(text)
    assert (q.value, q.low, q.high, q.qualifier, q.approx) == (None, D(low), D(high), qualifier, approx)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("抓获嫌疑人１５００人", "count", "1500"),
        ("1,500名", "count", "1500"),
        ("1亿2千万元", "money", "120000000"),
        ("两千四百五十人", "count", "2450"),
        ("一万二千人", "count", "12000"),
        ("1.2倍", "multiple", "1.2"),
        ("3小时", "duration", "3"),
        ("半小时", "duration", "0.5"),
        ("一个半小时", "duration", "1.5"),
        ("十来个人", "count", "10"),
        ("16岁", "age", "16"),
        ("82歲的黃奶奶", "age", "82"),
        ("第三批", "ordinal", "3"),
        ("全区第一", "ordinal", "1"),
        ("建所73年来", "service_years", "73"),
        ("建所短短五年", "service_years", "5"),
        ("2022年11期", "ordinal", "11"),
    ],
)
def test_kinds(text: str, kind: str, value: str) -> None:
    q = [q for q in find_quantities(text) if q.kind != "date"][-1]
    assert (q.kind, q.value) == (kind, D(value))
    assert q.kind in KINDS


@pytest.mark.parametrize(
    "text",
    [
        "2023年12月20日",
        "5月20日",
        "2022年5月",
        "2017年12月",
        "今年4月",
        "8月底",
        "2023-12-20",
        "2023/3/9",
        "二〇二三年",
        "2017以年来",
        "1982年4月",
        "2021-2023年",
        "1至3月",
    ],
)
def test_dates_are_one_date_span(text: str) -> None:
    q = only(text)
    assert q.kind == "date" and q.value is None and not q.is_statistic


@pytest.mark.parametrize(
    "text",
    [
        "民警与群众围坐在一起",
        "一线民警",
        "一体化",
        "一站式",
        "一张网",
        "统一",
        "唯一",
        "一些",
        "一个个",
        "一代代",
        "群众总是第一时间在群里反馈",
        "一言不合就闹起矛盾",
        "确保边境辖区万无一失",
        "千百年来村民出行",
        "在三道河乡",
        "六十九团推行“家园治理”模式",
        "三联四防强管控",
        "三民三心三主动",
        "“三官一律一网格”工作机制",
        "“4+N”工作模式",
        "“1+4+N”调解机制",
        "“六情”活动",
        "“十个一”工程",
        "“3减1”多元善治目标",
        "保持“0违法0违纪”记录",
        "《矛盾纠纷调处工作机制》",
        "出版社电话：010-83905589  010-83903250(兼传真)",
        "E-mail:zbs@cppsup.com",
        "原文链接:http://chinapeace.gov.cn/chinapeace/c100056/2023-12/19/content_12701709.shtml",
        "陆陆续续",
        "入伍",
        "收拾",
        "千万不要",
        "百姓",
        "十分重要",
        "民转刑案件“零发生”",
        "案件零发生",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "qualifier"),
    [
        ("十余起", "10", "10", None, "余"),
        ("百余人", "100", "100", None, "余"),
        ("万余人", "10000", "10000", None, "余"),
        ("近万人", "10000", None, "10000", "近"),
        ("逾千起", "1000", "1000", None, "逾"),
        ("上万人次", "10000", "10000", None, "上"),
        ("共接处警1.2万余起", "12000", "12000", None, "余"),
        ("10余万元", "100000", "100000", None, "余"),
        ("十名民警", "10", "10", "10", None),
        ("十来个人", "10", "10", "10", "来"),
    ],
)
def test_bounds(text: str, value: str, low: str | None, high: str | None, qualifier: str | None) -> None:
    q = only(text)
    assert (q.value, q.low, q.high, q.qualifier) == (
        D(value),
        None if low is None else D(low),
        None if high is None else D(high),
        qualifier,
    )


def test_recent_years_is_a_period_not_an_upper_bound() -> None:
    for text in ("近3年共调处纠纷", "近两年来", "近3个月"):
        q = only(text)
        assert q.kind == "duration" and q.qualifier is None and q.low == q.high == q.value
    q = only("将近3年")
    assert (q.qualifier, q.low, q.high) == ("将近", None, D(3))


@pytest.mark.parametrize(
    "text", ["拨打110报警", "12345热线", "7×24小时服务", "80后民警", "No.1", "5G基站", "带来好处", "每万人"]
)
def test_codes_and_labels_are_not_counts(text: str) -> None:
    assert [q for q in find_quantities(text) if q.kind != "duration"] == []


def test_non_statistics_are_marked() -> None:
    text = "5月20日下午，16岁的女孩在10:31:38报警，全国第三批，建所73年来，近两年来"
    qs = find_quantities(text)
    assert {q.kind for q in qs} == {"date", "age", "time", "ordinal", "service_years", "duration"}
    assert not any(q.is_statistic for q in qs)
    period = [q for q in qs if q.kind == "duration"][0]
    assert (period.text, period.qualifier, period.low, period.high) == ("两年", None, D(2), D(2))


def test_speech_in_quotes_keeps_its_figures() -> None:
    q = only("“调解中心半小时就解决了我们的问题，省时又省心。”")
    assert (q.kind, q.value) == ("duration", D("0.5"))


def test_statistic_kinds_are_kinds() -> None:
    assert STATISTIC_KINDS <= KINDS


# -------------------------------------------------------------------------------- whole seeds


def _sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\([a-zü]+[̄́̌̀]?[a-zü]*\)", "", text)  # pinyin glosses (區(qū)): the clean stage's job
        out += [s for s in re.split(r"[。！？；\n]", text) if s.strip()]
    return out


def test_seed_corpus_has_no_false_counts() -> None:
    """Every statistic found in the seeds is a real figure: no date, age, ordinal or slogan leaks in."""
    found = [(sent, q) for sent in _sentences() for q in find_quantities(sent)]
    for sent, q in found:
        assert sent[q.start : q.end] == q.text
        if q.is_statistic:
            assert not re.search(r"第|岁|歲|年$|月|日$|:|\+", q.text), (q, sent)
            assert q.value is not None or q.low is not None, q
    statistics = {q.text for _, q in found if q.is_statistic}
    for figure in [
        "700余起",
        "超过98%",
        "3.6万余人",
        "近千条",
        "200余名",
        "1500余次",
        "33.9%",
        "43.3%",
        "800多人",
        "60多支",
        "187起",
        "达100%",
        "达98.5%",
        "120余起",
        "50余万元",
        "320余件",
        "超百万元",
        "31%",
        "15.8%",
        "11.3%",
        "达98.7%",
        "130余起",
        "达96%",
        "达97.1%",
        "94.3%以上",
        "35万余元",
        "157场次",
        "1635人次",
        "68支",
        "600余次",
        "1.6萬余人",
        "105名",
        "32.06平方千米",
    ]:
        assert figure in statistics, figure


def test_the_figure_prefilter_lets_through_every_character_a_figure_can_start_from():
    # find_quantities skips text without a digit, numeral or 半 once folded: every character that folds to
    # one of those must pass the prefilter, or its figures would silently vanish
    from pipelines.extract.quantities import _CN_NUM, _MAY_HOLD_FIGURE, _fold

    starts = re.compile(rf"\d|[{_CN_NUM}半]")
    missed = [c for c in map(chr, range(0x10000)) if starts.match(_fold(c)) and not _MAY_HOLD_FIGURE.match(c)]
    assert missed == []
    assert len(find_quantities("參與群眾兩萬餘人次，調解糾紛三百起")) == 2
    assert find_quantities("派出所民警走访群众") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("居民老李来到昭化东路102号的警务室", "ordinal"),  # a house number
        ("学习党的二十届三中全会精神", "ordinal"),  # a term
        ("在深夜11时施工", "time"),  # a time of day
        ("当前版：02版", "ordinal"),  # an e-paper's page
        ("原载人民日报第3版", "ordinal"),
    ],
)
def test_house_numbers_terms_and_times_are_no_statistics(text, kind):
    first = find_quantities(text)[0]
    assert first.kind == kind and not first.is_statistic


@pytest.mark.parametrize("text", ["推出了三位一体的工作机制", "到老矿区里四处寻找破案线索"])
def test_set_phrases_with_numerals_are_no_figures(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("婚恋纠纷占了十分之一", Decimal(10), Decimal(10), Decimal(10)),  # 十分 (very) is no idiom before 之
        ("调解成功率达5 5 %", Decimal(55), Decimal(55), Decimal(55)),  # digits a layout spaced out
        ("调解成功率为99·5 9%", Decimal("99.59"), Decimal("99.59"), Decimal("99.59")),
        ("三四次", None, Decimal(3), Decimal(4)),  # 3–4, never 34
        ("两三人", None, Decimal(2), Decimal(3)),
        ("1/5以上的纠纷", Decimal(20), Decimal(20), None),
    ],
)
def test_fractions_spaced_digits_and_neighbouring_numerals(text, value, low, high):
    [q] = [q for q in find_quantities(text) if q.is_statistic]
    assert (q.value, q.low, q.high) == (value, low, high)


def test_a_written_fraction_needs_a_share_word_and_a_bare_one_may_be_a_day():
    [q] = find_quantities("约占1/3")
    assert q.kind == "percent" and round(q.value, 2) == Decimal("33.33")
    assert all(q.kind != "percent" for q in find_quantities("3/15那天"))
    assert [q.value for q in find_quantities("2023 98%")] == [Decimal(2023), Decimal(98)]  # no 202398%


@pytest.mark.parametrize(
    "text",
    [
        "9月5日12时26分许，一位热心群众打来电话。",  # a clock time
        "8月15日19时许，派出所接到报警。",
        "深化警调对接2.jpg",  # an image's file name
        "文章字数:766",  # the page's own counters
        "阅读：1234",
        "拿九户派出所来说，成效明显。",  # a place name before a unit's head
        "6点45分，民警开车离开家。",
        "11点，又有人闹起了纠纷。",
    ],
)
def test_clock_times_file_names_page_counters_and_place_names_are_no_figures(text):
    assert [q.text for q in find_quantities(text) if q.is_statistic] == []


def test_stations_counted_with_jia_still_count():
    assert [q.text for q in find_quantities("辖区两家派出所联合行动。") if q.is_statistic] == ["两家"]


def test_a_typeset_space_before_wan_keeps_the_number_whole():
    (q,) = [q for q in find_quantities("北方重工等 1.7 万余家企业") if q.is_statistic]
    assert (q.text, q.value, q.unit, q.qualifier) == ("1.7 万余家", 17000, "家", "余")
