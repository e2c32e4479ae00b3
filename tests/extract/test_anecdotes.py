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
    ],
)
def test_totals_arrests_and_settings_are_not(sentence):
    assert not is_incidental(sentence, _first(sentence))


def test_find_statistics_gives_story_counts_the_incidental_metric():
    text = "日前，辖区居民孙某夫妻二人因为家庭琐事吵了起来。派出所全年调解纠纷120起。"
    stats = find_statistics(text, [(0, 24), (24, len(text))])
    assert [(s.text, s.metric) for s in stats] == [("二人", "incidental"), ("120起", "disputes_mediated")]
