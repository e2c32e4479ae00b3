"""Durations become figures only where the words around them say what they measure; a story's durations never."""

from __future__ import annotations

import pytest

from pipelines.extract.metric_durations import duration_metric
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


def test_find_statistics_keeps_only_the_durations_that_measure():
    text = "该所连续8年实现“零上访”，接警后5分钟到场。4个小时后，双方握手言和。"
    stats = find_statistics(text, [(0, 23), (23, len(text))])
    expected = [("8年", "streak", "年", "连续"), ("5分钟", "response_minutes", "分钟", None)]
    assert [(s.text, s.metric, s.unit, s.qualifier) for s in stats] == expected
