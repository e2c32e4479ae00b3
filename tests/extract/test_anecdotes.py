"""Counts in a story are `incidental`; totals, arrests and figures about the station are not."""

from __future__ import annotations

import pytest

from pipelines.extract.anecdotes import is_incidental
from pipelines.extract.quantities import find_quantities
from pipelines.extract.statistics import find_statistics


def _first(sentence: str):  # noqa: ANN202
    return next(q for q in find_quantities(sentence) if q.is_statistic)


@pytest.mark.parametrize(
    "sentence",
    [
        "日前，辖区居民孙某夫妻二人因为家庭琐事吵了起来。",
        "某小区两户居民为一点小事吵了起来。",
        "当天下午，3名民警赶到现场，把两只走失的羊送回了老人家里。",
        "这时所里只剩下两名守着电话的民警。",
        # a month or a season dates one event; it is no total (今年以来 is)
        "今年春天，社区里两户居民为堆放杂物起了争执。",
        "今年3月，牧民巴特尔（化名）的丈夫病故，家里还有两个正在上学的孩子。",
        # repeated tries in a story (先后), its rough counts (10余次) and a story told after 原来 or 前些日子
        "原来两人对田埂归属各执一词，冲突不断，村委会先后6次调解都没谈成。",
        "前些日子，两户人家为琐事较起了劲，先后报警达10余次。",
        # the arrest is the story's end, the two officers who went along are no staffing figure
        "他带上两位辅警，搭上一个月的休假，跑遍邻县，硬是把小偷抓了回来。",
        # the people of a story named by role (业主, 大姐)
        "小区里两名业主为车位结下了梁子。",
    ],
)
def test_story_counts_are_incidental(sentence):
    assert is_incidental(sentence, _first(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "今年以来，该所共调解矛盾纠纷12起。",  # a total
        "当天，民警抓获了4名非法入境人员。",  # an arrest is a statistic even in a story
        "派出所现有民警5人、辅警6人。",  # staffing
        "辖区有3个村。",  # the station's setting
        "当天共有15名志愿者参加巡逻，覆盖率达100%。",  # a total and a rate
        "今年前两个月，该所调解矛盾纠纷12起。",  # a period of months is a total
        "当天，民警先后抓获了3名嫌疑人。",  # the arrest's own clause
        "在省内只有这一家获此殊荣，全国也仅有3家。",  # 这一家 is the station, not a family
    ],
)
def test_totals_arrests_and_settings_are_not(sentence):
    assert not is_incidental(sentence, _first(sentence))


def test_find_statistics_gives_story_counts_the_incidental_metric():
    text = "日前，辖区居民孙某夫妻二人因为家庭琐事吵了起来。派出所全年调解纠纷120起。"
    stats = find_statistics(text, [(0, 24), (24, len(text))])
    assert [(s.text, s.metric) for s in stats] == [("二人", "incidental"), ("120起", "disputes_mediated")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # sums, lengths and goods in a story about individual people are the story's
        ("张某因此提出要吴某赔偿13万元。", [("13万元", "incidental")]),
        ("两人对一条约5米宽的田埂归谁各执一词。", [("两人", "incidental"), ("约5米", "incidental")]),
        ("货商委托马先生代卖水果，只卖出了710箱。", [("710箱", "incidental")]),
        # a figure a metric names stays named, even about one person
        ("民警帮王某追回被骗的2万元。", [("2万元", "money_recovered")]),
        # and without the people of a story a figure no metric names stays other
        ("辖区有寺庙12座。", [("12座", "other")]),
    ],
)
def test_figures_no_metric_names_in_a_story_are_incidental(sentence, expected):
    spans = [(0, len(sentence))]
    assert [(s.text, s.metric) for s in find_statistics(sentence, spans)] == expected
