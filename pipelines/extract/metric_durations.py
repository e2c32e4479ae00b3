"""Durations that are statistics: how fast a unit arrives, how long it takes, its time limits and its streaks.

`quantities` reads every duration (5分钟, 48小时, 连续8年) but keeps none as a statistic, since most are the time a
story took (4个小时后双方签下协议, 仅用2小时). A duration becomes a figure only when the words around it say what it
measures (DESIGN.md's taxonomy, tests/annotated/README.md):

* `response_minutes` — the time to reach the scene: 5分钟到警, 大约5分钟内就能赶到现场;
* `handling_time_hours` — the time a case takes on average (平均每件案子用时3天) or must be closed in (48小时内办结);
* `time_limit_days` — a deadline in days (原则上7天内调处完毕);
* `streak` — how long an achievement has lasted: 连续8年, 27年从不断水, 已有15年没出过….

Any other duration is the time a story took or waited (4个小时后, 拖了五年的纠纷, 几分钟就办好): kept as an
`incidental` figure, so a reader sees it was read and that it measures nothing comparable (`story_duration`).
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


# a point in time, not a length: 五年前土地承包时 (两天后 is kept: the time a story took until something happened)
_AGO = re.compile(r"^(多|余)?(前|之前|以前)")
# a period phrase that governs the sentence's figures (三年来, 五年间, 近两年以来): periods, not figures
_PERIOD_AFTER = re.compile(r"^(来|以来)(?:[，,、]|$)|^(间|期间)")
_PERIOD_BEFORE = re.compile(r"(近|最近|过去|这|这些|那)$")
# 近/过去 before years or months (近两年): the past that many, a period; before hours or days (近一天) it is "nearly"
_PAST_BEFORE = re.compile(r"(近|最近|过去)$")
# a few of a time after a pointer (这几年, 近几个月, 前几天): a time the report points at
_FEW_BEFORE = re.compile(r"(近|最近|过去|这|那|前)$")
# an age or a career, not a measure: 已有260多年历史, 树龄数十年, 警龄30多年, 干了20年, 从事…工作已有26年
_AGE_AFTER = re.compile(r"^(多|余)?(的)?(历史|实践|新低|新高|树龄|从警)")
_CAREER_BEFORE = re.compile(
    r"(树龄|警龄|工龄|从警|从事[^，,。；;]{0,12}|干了|做了|当了|住了|工作了?|扎根|坚守|任职)(已有|已经|有|了|近|长达)?$"
)
# a day of the month (7月31日电, 12日上午, 28日至29日), unless the words make it a length (拘留5日, 3日内)
_DAY_LENGTH = re.compile(r"(拘留|用时|历时|花了|用了|仅用|只用)$")
# a service that runs around the clock (24小时在线, 全天24小时有人值守) is a mode of work, not a figure
_AROUND_THE_CLOCK = 24
# a response ring (5分钟控制圈, 15分钟生活圈) names a target zone, not a measured time
_RING_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,4}圈")


def story_duration(sentence: str, q: Quantity) -> bool:
    """True for a duration that is no metric but a length of time a report states (an anecdote's 20分钟后, a
    dispute 拖了五年): kept as `incidental`. Times ago, dates, ages, careers, round-the-clock service and
    governing periods (三年来,) are no figures at all."""
    if q.kind != "duration":
        return False
    before, after = sentence[: q.start], sentence[q.end :]
    if _AGO.match(after) or _PERIOD_AFTER.match(after) or _AGE_AFTER.match(after) or _RING_AFTER.match(after):
        return False
    if q.unit == "日" and not (_DAY_LENGTH.search(before) or after.startswith(("内", "之内", "以内"))):
        return False
    if q.unit in ("小时", "个小时") and q.value == _AROUND_THE_CLOCK:
        return False
    if q.unit == "年" and _CAREER_BEFORE.search(before):
        return False
    if q.unit in ("年", "个月") and _PAST_BEFORE.search(before):
        return False  # 近两年的一组数据: the past two years, a period (近一天 and 近5个小时 stay lengths)
    if q.value is None and _FEW_BEFORE.search(before):
        return False  # 这几年, 近几个月, 前几天: a time the report points at, not a length it states
    return not (_PERIOD_BEFORE.search(before) and after.startswith(("来", "以来", "里", "中")))
