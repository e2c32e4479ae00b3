"""The topic check holds what is not about policing and never a real report."""

from pathlib import Path

import pytest

from pipelines.extract.topic import is_off_topic, policing_mentions
from pipelines.text.read import read_article
from pipelines.text.simplify import simplify
from tests.defs.test_hostile_batch import RECIPE

ROOT = Path(__file__).parents[1]
REPORTS = sorted(
    p
    for folder in ("annotated/dev", "heldout", "../corpus")  # not the frozen test split: nothing is tuned on it
    for p in (ROOT / folder).iterdir()
    if p.suffix in (".txt", ".html")
)


def test_every_real_report_is_about_policing_even_without_a_unit():
    """No annotated, held-out or seed report is held, on its vocabulary alone (as if no unit were found); the
    check reads the simplified text, as the pipeline gives it (警區 is 警区)."""
    assert len(REPORTS) > 120
    held = [p.name for p in REPORTS if is_off_topic(simplify(read_article(p).text).simplified, None)]
    assert held == []


@pytest.mark.parametrize(
    "text",
    [
        RECIPE,
        "今日天气晴，最高气温25度，适宜外出踏青。市民可前往公园赏花，注意防晒补水。",
        "本店新品上市，全场八折，会员再享九五折，活动时间有限，欢迎选购。平安夜特价。",
    ],
)
def test_recipes_weather_and_shop_notices_are_off_topic(text: str):
    assert policing_mentions(text) < 2 and is_off_topic(text, None)


def test_one_word_is_not_enough_but_two_are():
    assert is_off_topic("小区门口新开了一家面馆，味道不错，有民警也来吃过。", None)
    assert not is_off_topic("社区民警上门调解邻里纠纷。", None)
