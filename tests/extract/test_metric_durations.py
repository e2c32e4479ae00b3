"""Durations get a metric only where the words around them say what they measure; the rest of the lengths of time a
report states are `incidental`, and times ago, ages, careers and periods are no figures."""

from __future__ import annotations

import pytest

from pipelines.extract.metric_durations import duration_metric, story_duration
from pipelines.extract.quantities import find_quantities
from pipelines.extract.statistics import find_statistics


def _duration(sentence: str):  # noqa: ANN202
    return next(q for q in find_quantities(sentence) if q.kind == "duration")


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("接到群众电话后，民警大约8分钟就能到场。", "response_minutes"),
        ("城区做到3分钟到警。", "response_minutes"),
        ("巡逻车接警后10分钟内就能赶到现场。", "response_minutes"),
        ("群众诉求一律48小时内办结。", "handling_time_hours"),
        ("平均每件纠纷用时2天。", "handling_time_hours"),
        ("一般纠纷原则上7天内调处完毕。", "time_limit_days"),
        ("该所已连续6年获评“平安单位”。", "streak"),
        ("辖区连续十年未发生命案。", "streak"),
        ("村里已有12年没出过一起刑事案件。", "streak"),
    ],
)
def test_durations_that_measure_work(sentence, metric):
    assert duration_metric(sentence, _duration(sentence)) == metric


@pytest.mark.parametrize(
    "sentence",
    [
        "4个小时后，双方签下协议，握手言和。",  # the time a story took
        "当天深夜，老李报警后民警5分钟就赶到了现场。",  # a story, though it tells an arrival
        "值班民警5分钟就把业务办妥了。",  # no arrival, no deadline
        "织起了5分钟控制圈。",  # a radius, not a response
        "这桩拖了五年的纠纷总算了结。",  # how long a dispute lasted is no streak
        "该工地连续两天在深夜施工。",  # days are no streak
    ],
)
def test_other_durations_are_not_statistics(sentence):
    assert duration_metric(sentence, _duration(sentence)) is None


def test_find_statistics_names_durations_that_measure_and_keeps_story_times_incidental():
    text = "该所连续8年实现“零上访”，接警后5分钟到场。4个小时后，双方握手言和。"
    stats = find_statistics(text, [(0, 23), (23, len(text))])
    expected = [
        ("8年", "streak", "年", "连续"),
        ("5分钟", "response_minutes", "分钟", None),
        ("4个小时", "incidental", "个小时", None),
    ]
    assert [(s.text, s.metric, s.unit, s.qualifier) for s in stats] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "4个小时后，双方签下协议，握手言和。",
        "这桩拖了五年的纠纷总算了结。",
        "两周后，值班民警5分钟就把业务办妥了。",
        "当事人依法被行政拘留5日。",
    ],
)
def test_story_times_are_incidental_figures(sentence):
    q = _duration(sentence)
    assert duration_metric(sentence, q) is None and story_duration(sentence, q)


@pytest.mark.parametrize(
    "sentence",
    [
        "五年前土地承包时地界标得不清。",  # a time ago
        "三年来，该所共调解纠纷300起。",  # a period governing the figures
        "五年间平安态势稳中有进。",
        "福鼎种植黄栀子已有260多年历史。",  # an age
        "老潘在社区做了15年物业管理公司经理。",  # a career
        "他的警龄已有30多年。",
        "中新网恩施7月31日电 湖北省利川市公安局31日通报称。",  # a day of the month
        "网上警务室24小时在线。",  # round the clock
        "织起了5分钟控制圈。",  # a target ring
    ],
)
def test_times_that_are_no_figures(sentence):
    q = next((q for q in find_quantities(sentence) if q.kind == "duration"), None)
    assert q is None or not story_duration(sentence, q)


@pytest.mark.parametrize(
    ("sentence", "text", "low", "high"),
    [
        ("接报后几分钟，民警就赶到了迟家。", "几分钟", 2, 9),
        ("经过民警数小时的调解，双方答应各让一步。", "数小时", 2, 9),
        ("这桩拖了好几年的纠纷总算了结。", "好几年", 2, 9),
        ("哪怕再简单的案子，也要花一个多小时。", "一个多小时", 1, None),
        ("只用了不到一天时间，烦心事便解决了。", "不到一天", None, 1),
    ],
)
def test_few_and_one_are_lengths_of_time(sentence, text, low, high):
    (stat,) = find_statistics(sentence, [(0, len(sentence))])
    assert (stat.text, stat.metric, stat.low, stat.high) == (text, "incidental", low, high)


@pytest.mark.parametrize(
    "sentence",
    [
        "这几年，辖区治安好得很。",
        "近几年诈骗警情不断增多。",
        "前几天，记者走访了几个社区警务室。",
        "有一天晚上，老李来到所里。",
    ],
)
def test_times_pointed_at_are_no_figures(sentence):
    assert find_statistics(sentence, [(0, len(sentence))]) == []
