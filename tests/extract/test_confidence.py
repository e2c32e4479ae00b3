"""Confidence from evidence: what makes a unit or a figure sure, and that the extractor attaches it."""

from __future__ import annotations

from pipelines.extract.confidence import CONFIDENT, is_confident, station_confidence, statistic_confidence
from pipelines.extract.stations import find_stations


def test_a_named_figure_attributed_in_its_sentence_is_confident_and_a_bare_one_is_not():
    sure = statistic_confidence("disputes_mediated", "起", "矛盾纠纷", "sentence", False, "今年以来", True)
    unsure = statistic_confidence("other", "", "", "main", False, None, False)
    assert sure >= CONFIDENT > unsure


def test_evidence_adds_up_and_anecdotes_stay_low():
    base = {"metric": "population", "unit": "人", "subject": "常住人口", "approx": False}
    base |= {"period_text": None, "period_resolved": False}
    by_attribution = [statistic_confidence(attribution=a, **base) for a in ("sentence", "paragraph", "main")]
    assert by_attribution == sorted(by_attribution, reverse=True) and by_attribution[0] > by_attribution[-1]
    assert statistic_confidence("incidental", "名", "群众", "sentence", False, None, False) < CONFIDENT
    # a rate given as a count is no fit: the metric's evidence does not count
    assert statistic_confidence("mediation_success_rate", "起", "成功率", "sentence", False, None, False) < (
        statistic_confidence("mediation_success_rate", "%", "成功率", "sentence", False, None, False)
    )


def test_station_confidence_prefers_full_place_names_and_caps_a_bare_level():
    full = station_confidence("七都派出所", 3, True, True)
    short = station_confidence("凉伞所", 1, False, False)
    bare = station_confidence("市公安局", 4, True, True)
    assert full > short and full >= CONFIDENT
    assert bare < CONFIDENT


def test_attribution_says_what_the_station_rests_on():
    text = "七都派出所开展走访。\n辖区共有5个村，调解纠纷12起。"
    report = find_stations(text)
    first, second = text.index("七都"), text.index("辖区")
    assert report.attribution(first, first + 10) == ("七都派出所", "sentence")
    assert report.attribution(second, len(text)) == ("七都派出所", "main")


def test_the_extractor_attaches_a_confidence_to_every_unit_and_figure():
    from pipelines.cli.extraction import _extract_file
    from pipelines.extract.article import extraction_json
    from tests.conftest import SEEDS

    result = extraction_json(*_extract_file(SEEDS["002"]))
    assert all(0 <= s["confidence"] <= 1 for s in result["stations"])
    assert all(0 <= s["confidence"] <= 1 for s in result["statistics"])
    assert {s["confidence"] >= CONFIDENT for s in result["statistics"]} == {True, False}


def test_an_unknown_confidence_is_shown_and_the_bar_is_inclusive():
    assert is_confident(None) and is_confident(CONFIDENT) and not is_confident(CONFIDENT - 0.01)
