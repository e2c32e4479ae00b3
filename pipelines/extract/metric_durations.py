"""Durations that are statistics: how fast a unit arrives, how long it takes, its time limits and its streaks.

`quantities` reads every duration (5分钟, 48小时, 连续8年) but keeps none as a statistic, since most are the time a
story took (4个小时后双方签下协议, 仅用2小时). A duration becomes a figure only when the words around it say what it
measures (DESIGN.md's taxonomy, tests/annotated/README.md):

* `response_minutes` — the time to reach the scene: 5分钟到警, 大约5分钟内就能赶到现场;
* `handling_time_hours` — the time a case takes on average (平均每件案子用时3天) or must be closed in (48小时内办结);
* `time_limit_days` — a deadline in days (原则上7天内调处完毕);
* `streak` — how long an achievement has lasted: 连续8年, 27年从不断水, 已有15年没出过….

Anything else, and any duration inside a story (a time and the people of one event), is not a statistic.
"""

from __future__ import annotations

import re

from pipelines.extract.anecdotes import is_story
from pipelines.extract.quantities import Quantity

_CLAUSE_END = re.compile(r"[，,；;。！？!?：:]")
_SHORT = ("分钟", "秒", "小时", "个小时", "个半小时")
_DAYS = ("天", "日", "个工作日", "工作日")
_STREAK = ("年", "个月")

# arriving: 5分钟到警, 5分钟内就能赶到现场 (not 5分钟就把业务办妥, nor 5分钟控制圈)
_ARRIVES = re.compile(r"^(内|以内|之内)?(就能|就可|即可|便能|就会|就|即|能)?(到场|到达|赶到|到警|抵达|响应|赶赴|到位)")
# closed within: 48小时内办结, 7天内调处完毕
_CLOSED_WITHIN = re.compile(
    r"^(内|以内|之内)(必须|即|就|全部|要)?(办结|办理完毕|办完|处理完毕|完成|答复|反馈|回复|化解|调处|调结|结案)"
)
# the average time a case takes: 平均每件案子用时3天, 平均办结用时
_AVERAGE_TAKES = re.compile(r"平均[^，,；;。\d]{0,10}(用时|耗时|历时)$")
# a streak: 连续8年, 已连续14年; or a span followed by never (27年从不断水, 已有15年没出过)
_STREAK_BEFORE = re.compile(r"连续了?$")
_STREAK_AFTER = re.compile(r"^(来|以来)?(从未|从不|未曾|未|没有?|不曾|无一)")


def _clause_before(sentence: str, pos: int) -> str:
    left = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, pos)), default=0)
    return sentence[left:pos]


def duration_metric(sentence: str, q: Quantity) -> str | None:
    """The metric of a duration `q` in `sentence`, or None when it is no statistic."""
    if q.kind != "duration" or is_story(sentence):
        return None
    lead, after = _clause_before(sentence, q.start), sentence[q.end :]
    if q.unit in _STREAK:
        return "streak" if _STREAK_BEFORE.search(lead) or _STREAK_AFTER.match(after) else None
    if q.unit in _SHORT and _ARRIVES.match(after):
        return "response_minutes"
    if _AVERAGE_TAKES.search(lead):
        return "handling_time_hours"
    if _CLOSED_WITHIN.match(after):
        return "time_limit_days" if q.unit in _DAYS else "handling_time_hours" if q.unit in _SHORT else None
    return None


def duration_qualifier(sentence: str, q: Quantity) -> str | None:
    """连续 for a streak written with it (连续8年), as the annotations keep it; None otherwise."""
    return "连续" if _STREAK_BEFORE.search(_clause_before(sentence, q.start)) else None
