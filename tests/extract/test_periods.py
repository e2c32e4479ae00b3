"""Periods: finding the phrase a figure covers and resolving it against the report's date (tests/annotated/README.md).

The resolution tests moved here from test_statistics.py with the code; `13-2月` now resolves to nothing at all
(no such months), where it used to claim an end on the report's date.
"""

import datetime as dt

import pytest

from pipelines.extract.periods import (
    PERIOD_PATTERN,
    Period,
    is_bare_point,
    is_single_day,
    resolve_period,
    resolve_period_at,
)
from pipelines.extract.statistics import find_statistics

D = dt.date
REPORT_DATE = D(2024, 5, 1)


def found(sentence: str) -> list[str]:
    return [m.group("p") for m in PERIOD_PATTERN.finditer(sentence)]


def period_of(sentence: str, figure: str, published: dt.date | None = REPORT_DATE) -> str | None:
    stats = {s.text: s for s in find_statistics(sentence, [(0, len(sentence))], published)}
    return stats[figure].period.text if stats[figure].period else None


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("近两年来", dt.date(2023, 12, 20), dt.date(2021, 12, 20), dt.date(2023, 12, 20)),
        ("近5年来", dt.date(2023, 5, 1), dt.date(2018, 5, 1), dt.date(2023, 5, 1)),
        ("上半年", dt.date(2025, 8, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        ("2022年以来", dt.date(2023, 3, 9), dt.date(2022, 1, 1), dt.date(2023, 3, 9)),
        ("2021年至今", None, dt.date(2021, 1, 1), None),
        ("2006年初至今", dt.date(2013, 6, 18), dt.date(2006, 1, 1), dt.date(2013, 6, 18)),
        ("去年以来", dt.date(2025, 7, 1), dt.date(2024, 1, 1), dt.date(2025, 7, 1)),
        ("两年来", None, None, None),
        ("2019以年来", dt.date(2023, 3, 9), dt.date(2019, 1, 1), dt.date(2023, 3, 9)),
        ("自2016年开始", dt.date(2023, 3, 9), dt.date(2016, 1, 1), dt.date(2023, 3, 9)),
        # months, quarters, halves and whole years end where they end, not on the day the report appeared
        ("今年1至7月", dt.date(2024, 8, 10), dt.date(2024, 1, 1), dt.date(2024, 7, 31)),
        ("1-7月", dt.date(2024, 8, 10), dt.date(2024, 1, 1), dt.date(2024, 7, 31)),
        ("今年1月至7月", dt.date(2024, 8, 10), dt.date(2024, 1, 1), dt.date(2024, 7, 31)),
        ("2023年1至10月", dt.date(2024, 8, 10), dt.date(2023, 1, 1), dt.date(2023, 10, 31)),
        ("今年2-3月", dt.date(2024, 3, 12), dt.date(2024, 2, 1), dt.date(2024, 3, 12)),  # not past the report
        ("去年前三季度", dt.date(2024, 8, 10), dt.date(2023, 1, 1), dt.date(2023, 9, 30)),
        ("今年一季度", dt.date(2024, 8, 10), dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("第四季度", dt.date(2024, 1, 20), dt.date(2023, 10, 1), dt.date(2023, 12, 31)),  # the last one
        ("2023年上半年", dt.date(2024, 8, 10), dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
        ("去年下半年", dt.date(2024, 8, 10), dt.date(2023, 7, 1), dt.date(2023, 12, 31)),
        ("2023年", dt.date(2024, 8, 10), dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("2023年度", None, dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("近5年", dt.date(2024, 8, 10), dt.date(2019, 8, 10), dt.date(2024, 8, 10)),
        ("截至2024年6月底", dt.date(2024, 8, 10), None, dt.date(2024, 6, 30)),
        ("13-2月", dt.date(2024, 8, 10), None, None),  # no such months: nothing is claimed
    ],
)
def test_resolve_period(text: str, published: dt.date | None, start: dt.date | None, end: dt.date | None) -> None:
    period = resolve_period(text, published)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "sentence, text, period",
    [
        ("所长介绍,近三年,调解室累计调解矛盾纠纷1260余起。", "1260余起", "近三年"),
        ("今年一季度,辖区电信网络诈骗发案数同比下降21.3%。", "21.3%", "今年一季度"),
        ("今年休渔期以来,民警走访渔户2300余户。", "2300余户", "今年休渔期以来"),
        ("去年夏天,义警队员当场抓获三名盗窃嫌疑人。", "三名", "去年夏天"),
        ("2023年,辖区刑事警情同比下降18.6%。", "18.6%", "2023年"),
        ("自2020年以来,共化解矛盾纠纷六百八十余起。", "六百八十余起", "自2020年以来"),
        ("今年1至7月,该所共调解矛盾纠纷120起。", "120起", "今年1至7月"),
        ("2023年1-10月,辖区刑事警情同比下降18.6%。", "18.6%", "2023年1-10月"),
        ("去年上半年,辖区盗窃案件下降20%。", "20%", "去年上半年"),
        # a verb's 到 names the year of the value: 2023年, not "up to 2023"
        ("群众安全感由2019年的97.17%升到2023年的98.54%。", "98.54%", "2023年"),
        # a rate period governs only what follows it
        ("14名社区民警分包62个村,每名民警每月走访300户以上。", "62个", None),
        ("14名社区民警分包62个村,每名民警每月走访300户以上。", "300户以上", "每月"),
    ],
)
def test_period_forms_beyond_the_seeds(sentence: str, text: str, period: str | None) -> None:
    stats = {s.text: s for s in find_statistics(sentence, [(0, len(sentence))], dt.date(2024, 5, 1))}
    assert (stats[text].period.text if stats[text].period else None) == period


# The resolution table of tests/annotated/README.md, form by form.
@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("5月", D(2024, 8, 10), D(2024, 5, 1), D(2024, 5, 31)),
        ("12月", D(2024, 3, 10), D(2023, 12, 1), D(2023, 12, 31)),  # a month after the report: last year's
        ("去年9月", D(2024, 8, 10), D(2023, 9, 1), D(2023, 9, 30)),
        ("今年4月", D(2020, 11, 26), D(2020, 4, 1), D(2020, 4, 30)),
        ("2021年10月", None, D(2021, 10, 1), D(2021, 10, 31)),
        ("今年前五个月", D(2024, 8, 10), D(2024, 1, 1), D(2024, 5, 31)),
        ("前7个月", D(2024, 8, 10), D(2024, 1, 1), D(2024, 7, 31)),
        ("今年1至10月份", D(2014, 12, 3), D(2014, 1, 1), D(2014, 10, 31)),
        ("从去年9月起", D(2024, 8, 10), D(2023, 9, 1), D(2024, 8, 10)),
        ("去年9月以来", D(2024, 8, 10), D(2023, 9, 1), D(2024, 8, 10)),
        ("从今年年初起", D(2006, 11, 6), D(2006, 1, 1), D(2006, 11, 6)),
        ("年初以来", D(2024, 8, 10), D(2024, 1, 1), D(2024, 8, 10)),
        ("今年6月1日至今", D(2017, 7, 31), D(2017, 6, 1), D(2017, 7, 31)),
        ("从2006年起", D(2009, 7, 9), D(2006, 1, 1), D(2009, 7, 9)),
        ("2013年以来", None, D(2013, 1, 1), None),
        ("截至今年6月底", D(2024, 8, 10), None, D(2024, 6, 30)),
        ("截至今年三季度末", D(2024, 11, 23), None, D(2024, 9, 30)),
        ("截至2024年6月", None, None, D(2024, 6, 30)),
        ("至2007年", None, None, D(2007, 12, 31)),
        ("8月底", D(2024, 9, 10), None, D(2024, 8, 31)),
        ("三季度末", D(2024, 11, 10), None, D(2024, 9, 30)),
        ("到年底", D(2015, 11, 20), None, None),  # a target the report looks forward to, not what was counted
        ("截至目前", D(2024, 8, 10), None, D(2024, 8, 10)),
        ("到目前为止", D(2024, 8, 10), None, D(2024, 8, 10)),
        ("截至目前", None, None, None),
        ("目前", D(2024, 8, 10), None, D(2024, 8, 10)),
        ("如今", D(2024, 8, 10), None, D(2024, 8, 10)),
        ("现", D(2024, 8, 10), None, D(2024, 8, 10)),
        ("眼下", D(2017, 7, 31), None, D(2017, 7, 31)),
        ("中心启用至今", D(2022, 10, 28), None, D(2022, 10, 28)),
        ("2019年至2023年", None, D(2019, 1, 1), D(2023, 12, 31)),
        ("2019—2023年", None, D(2019, 1, 1), D(2023, 12, 31)),
        ("2007年与2009年间", None, D(2007, 1, 1), D(2009, 12, 31)),
        ("8月31日至9月6日", D(2024, 10, 1), D(2024, 8, 31), D(2024, 9, 6)),
        ("8月31日至9月6日", None, None, None),
        ("近三年", D(2024, 8, 10), D(2021, 8, 10), D(2024, 8, 10)),
        ("三年来", D(2024, 8, 10), D(2021, 8, 10), D(2024, 8, 10)),
        ("近3个月", D(2024, 8, 10), D(2024, 5, 10), D(2024, 8, 10)),
        ("近90天", D(2024, 8, 10), D(2024, 5, 12), D(2024, 8, 10)),
        ("上个季度", D(2024, 8, 10), D(2024, 4, 1), D(2024, 6, 30)),
        ("上季度", D(2024, 2, 10), D(2023, 10, 1), D(2023, 12, 31)),
        ("一季度", D(2024, 8, 10), D(2024, 1, 1), D(2024, 3, 31)),
        ("第三季度", D(2024, 12, 10), D(2024, 7, 1), D(2024, 9, 30)),
        ("二〇二三年", None, D(2023, 1, 1), D(2023, 12, 31)),
        ("二零二三年", None, D(2023, 1, 1), D(2023, 12, 31)),
        ("23年", None, D(2023, 1, 1), D(2023, 12, 31)),
        ("2025 年", D(2025, 10, 17), D(2025, 1, 1), D(2025, 12, 31)),
        ("去年", D(2025, 6, 13), D(2024, 1, 1), D(2024, 12, 31)),
        ("3月以来", D(2024, 11, 20), D(2024, 3, 1), D(2024, 11, 20)),  # since March, not the last 3 months
        ("近3月", D(2024, 11, 20), D(2024, 8, 20), D(2024, 11, 20)),
        ("近半年", D(2024, 11, 20), D(2024, 5, 20), D(2024, 11, 20)),
        ("上个月", D(2024, 1, 20), D(2023, 12, 1), D(2023, 12, 31)),
        ("本月", D(2024, 11, 20), D(2024, 11, 1), D(2024, 11, 20)),
    ],
)
def test_resolution_table(text: str, published: dt.date | None, start: dt.date | None, end: dt.date | None) -> None:
    period = resolve_period(text, published)
    assert (period.text, period.start, period.end) == (text, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "近年来",
        "多年来",
        "每天",
        "每年",
        "日均",
        "年均",
        "连续三年",
        "春节期间",
        "今年春天",
        "去年大约5月的一个深夜",
        "一年多来",
        "11年间",
        "机制运行以来",
        "“娘娘”调解室成立以来",
        "上世纪末以来",
        "短短4个月",
        "一个月下来",
        "当年",
        "今年元旦当天",
        "今年春运期间",
        "去年汛期以来",
    ],
)
def test_vague_periods_keep_their_text_and_claim_no_dates(text: str) -> None:
    assert resolve_period(text, D(2024, 8, 10)) == resolve_period(text, None)
    period = resolve_period(text, D(2024, 8, 10))
    assert (period.text, period.start, period.end) == (text, None, None)


@pytest.mark.parametrize(
    ("sentence", "periods"),
    [
        ("今年4月,金东公安分局选派120名民警。", ["今年4月"]),  # the month, not just 今年
        ("截至今年三季度末,共受理调解申请105.9万件。", ["截至今年三季度末"]),
        ("今年1月至9月,全市可防性案件共发生8697起,比去年同期下降了58.9%。", ["今年1月至9月"]),
        ("2020年,辖区刑事案件与上年相比下降18%。", ["2020年"]),  # 与上年相比 is the comparison
        ("今年前5个月,共调解纠纷60起。", ["今年前5个月"]),
        ("去年大约5月的一个深夜,小区2号楼突然起火。", ["去年大约5月的一个深夜"]),
        ("从今年年初起,挑出6类社区。", ["从今年年初起"]),
        ("“娘娘”调解室成立以来,经它调处的矛盾纠纷已有1346起。", ["“娘娘”调解室成立以来"]),
        ("单是 2025 年新增的就有3000 多名。", ["2025 年"]),
        ("二〇二三年,全所共调解纠纷60起。", ["二〇二三年"]),
        ("石板沙高峰期每天将近有1000名游客。", ["高峰期每天"]),
        ("一年多来,这两个调委会共接收案件298件。", ["一年多来"]),
        ("今年春运期间,共查处违法行为300起。", ["今年春运期间"]),  # the event's time, not the year to date
        ("近半年,共调解纠纷60起。", ["近半年"]),
        ("上个月,全所共接警300起。", ["上个月"]),
        ("2月15日是大年初六,带着一家六口到渔村过年。", ["2月15日"]),  # a lunar new-year day, not 年初
        # no period: a satisfaction rate, a count of cases, a dateline, an ordinal, a founding, a verb, a bare season
        ("群众满意度达99.5%。", []),
        ("调处的矛盾纠纷已有1346起。", []),
        ("中新网杭州11月23日电 全省受理纠纷27.5万件。", []),
        ("今年第一趟和平专案,走访33户。", []),
        ("1982年建所至今,守护着8个村寨。", []),
        ("与“公安蓝”一道出现在村民身边。", []),
        ("辖区夏季夜间警情环比下降15.6%。", []),
        ("他带上两位民警,搭上一个月的休假。", []),
        ("经过近一年的试行,建立十类机制。", []),
        ("建所短短五年,先后荣获集体嘉奖4次。", []),
    ],
)
def test_periods_found_in_a_sentence(sentence: str, periods: list[str]) -> None:
    assert found(sentence) == periods


@pytest.mark.parametrize(
    ("sentence", "figure", "period"),
    [
        # a date inside a clause dates that clause only; opening the clause, it governs the rest of the sentence
        ("北京站派出所成立于1959年,管辖范围包括主站区22万平方米。", "22万平方米", None),
        ("张先生在2020年从村民手里承包了10多亩农田。", "10多亩", "2020年"),
        ("只有一名民警,可去年辖区警情同比下降50%,可防性案件同比下降70%。", "70%", "去年"),
        ("2023年,辖区刑事警情同比下降18.6%,治安警情下降12%。", "12%", "2023年"),
        ("建所时间:1981年8月辖区概况:辖区面积约110平方千米。", "约110平方千米", None),
        # a bare year opening the sentence is the sentence's, whatever comes between; not a year something began,
        # a relative year dating an event, or a month of one event
        ("2024年甘肃公安破获电诈案件3500余起,返还涉诈资金3.1亿元。", "3.1亿元", "2024年"),
        ("2006年开始旅游开发以后,当地陆续建起100多个项目。", "100多个", None),
        ("今年公安部部署开门评警,他走访了10家企业。", "10家", None),
        ("去年10月的一天傍晚,学生小杰看见两个陌生人。", "两个", None),
        ("据了解,2022年保定公安多项工作位列全省第一,全市有效警情同比下降14.2%。", "14.2%", "2022年"),
        # a year compared with (比2022年减少) is no period, whatever verb follows it
        ("现有吸毒人员比2022年减少19.77%。", "19.77%", None),
        ("入室盗窃2016年比2015年下降了49.73%。", "49.73%", "2016年"),
        # 今年同比: this year's figure, compared with the last
        ("半年来,全县刑事警情在2021年度降幅全市第一的基础上,今年同比再降47.38%。", "47.38%", "今年"),
        # a rate governs its own clause; the period before it takes over again after it
        ("截至目前,日均警情下降16.1%,化解率达75.6%。", "达75.6%", "截至目前"),
        ("截至目前,日均警情下降16.1%,化解率达75.6%。", "16.1%", "日均"),
        # a single day dates an event, not what a figure counts
        ("1月14日,三江公安局接到报警:有两名男子神色慌张。", "两名", None),
        # a period written after the figure does not govern it
        ("苗寨常住人口6000余人,去年接待游客超过700万人次。", "6000余人", None),
        ("苗寨常住人口6000余人,去年接待游客超过700万人次。", "超过700万人次", "去年"),
        # the year compared with is no period; a clause about the same count (其中, 与…同比) keeps the period
        ("今年1-6月全省共发生事故6450起,与2009年同比分别下降5.09%。", "5.09%", "今年1-6月"),
        ("2025年一季度接到100余起警情,其中矛盾纠纷占比超60%。", "超60%", "2025年一季度"),
        ("成立于1959年,辖区有群众3000人。", "3000人", None),
        # a year written right before its value is that value's; it governs nothing after it
        ("调解率从2020年的88%提高到2024年的95%，群众满意度达98%。", "88%", "2020年"),
        ("调解率从2020年的88%提高到2024年的95%，群众满意度达98%。", "95%", "2024年"),
        ("近两年的一组数据：调解率从2020年的88%提高到2024年的95%，群众满意度达98%。", "达98%", "近两年"),
        # a streak runs over its own years
        ("2021年至2024年,全省公众安全感连续4年稳定在98%以上。", "4年", None),
    ],
)
def test_period_governs_later_figures(sentence: str, figure: str, period: str | None) -> None:
    assert period_of(sentence, figure) == period


def test_period_of_a_figure_is_resolved_against_the_report_date() -> None:
    sentence = "今年6月1日至今,该所接处警达1500起,其中交通事故警情150余起。"
    (first, second) = find_statistics(sentence, [(0, len(sentence))], D(2017, 7, 31))
    assert first.period == second.period
    assert (first.period.text, first.period.start, first.period.end) == (
        "今年6月1日至今",
        D(2017, 6, 1),
        D(2017, 7, 31),
    )


def test_point_and_day_helpers() -> None:
    assert is_bare_point("2021年10月") and is_bare_point("去年")
    assert not is_bare_point("2021年以来") and not is_bare_point("截至目前") and not is_bare_point("短短4个月")
    assert is_single_day("1月14日") and is_single_day("2019年4月5 日") and not is_single_day("8月31日至9月6日")


def test_that_year_is_the_year_the_sentence_wrote_before_it() -> None:
    sentence = "1996年“110”刚开通,当年接处警就有20万余起。"
    (stat,) = find_statistics(sentence, [(0, len(sentence))], None)
    assert (stat.period.text, stat.period.start, stat.period.end) == ("当年", D(1996, 1, 1), D(1996, 12, 31))
    assert resolve_period_at("讲到当年的事,调解了3起。", 2, "当年", REPORT_DATE) == Period("当年", None, None)


def test_a_dated_campaign_start_is_the_start_of_the_period():
    # 自2022年11月开展…行动以来: from that month to the report's date, whatever the campaign is called
    period = resolve_period("自2022年11月开展冬季严打整治专项行动以来", dt.date(2023, 3, 21))
    assert (period.start, period.end) == (dt.date(2022, 11, 1), dt.date(2023, 3, 21))
    # a year alone before the campaign reads as 2022年以来 does (the README's period table): from that year's start
    period = resolve_period("自2023年实施“双中心警务前延”模式以来", dt.date(2025, 5, 27))
    assert (period.start, period.end) == (dt.date(2023, 1, 1), dt.date(2025, 5, 27))
