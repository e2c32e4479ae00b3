"""The gold evaluator: matching rules, P/R counting and the issue lists the lead reads to fix the extractor."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from rich.console import Console

from pipelines.extract.evaluate import (
    FIELDS,
    evaluate,
    evaluate_article,
    gold_as_output,
    load_gold,
    render_report,
    trust_figures,
)
from tests.conftest import TESTS

GOLD_DIR = TESTS / "gold"

SENTENCE = "该所所长介绍,派出所辖区划分为37个网格,矛盾纠纷调处成功率超过98%。"
OTHER = "近年来,该所共调解矛盾纠纷700余起,挽回经济损失50余万元。"


def _stat(text: str, value: float | None, sentence: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "metric": "other",
        "value": value,
        "low": value,
        "high": value,
        "unit": None,
        "qualifier": None,
        "period": None,
        "subject": None,
        "station": "东兴边境派出所",
        "text": text,
        "sentence": sentence,
    }
    return {**base, **extra}


def _gold() -> dict[str, Any]:
    return {
        "source_file": "900_test.txt",
        "article": {
            "title": "标题",
            "date": "2023-12-20",
            "publisher": "中国长安网",
            "author": None,
            "url": "http://example.org/a",
            "script": "simplified",
        },
        "stations": [
            {
                "name": "东兴边境派出所",
                "kind": "边境派出所",
                "aliases": ["广西东兴边境派出所", "该所"],
                "province": "广西壮族自治区",
                "city": "防城港市",
                "county": "东兴市",
                "honours": [{"text": "全国第三批“枫桥式公安派出所”", "batch": 3, "year": None, "level": "national"}],
            }
        ],
        "practices": [
            {
                "name": "网格警",
                "normalized": "网格警",
                "category": "grid_community_policing",
                "station": "东兴边境派出所",
                "sentence": SENTENCE,
            },
            {
                "name": "三官一律一网格",
                "normalized": "三官一律一网格",
                "category": "mediation",
                "station": "东兴边境派出所",
                "sentence": SENTENCE,
            },
        ],
        "slogans": [{"text": "格中有警、事在格中、稳在格内", "station": "东兴边境派出所"}],
        "statistics": [
            _stat("37个", 37, SENTENCE, metric="grid_cells", unit="个", subject="网格"),
            _stat("98%", 98, SENTENCE, metric="mediation_success_rate", unit="%", qualifier="超过", high=None),
            _stat("700余起", 700, OTHER, metric="disputes_mediated", unit="起", qualifier="余", high=None),
        ],
    }


def _all_perfect(score: Any) -> None:
    for name, _tp, fp, fn, precision, recall in score.rows():
        assert (name, fp, fn, precision, recall) == (name, 0, 0, 1.0, 1.0)


def test_perfect_match_scores_one_everywhere() -> None:
    gold = _gold()
    score = evaluate_article(gold_as_output(gold), gold)
    assert [row[0] for row in score.rows()] == list(FIELDS)
    _all_perfect(score)
    assert score.misses == [] and score.false_hits == []
    assert score.counts["statistics"].tp == 3
    assert score.counts["article.source"].tp == 1  # gold `publisher` read as output `source`


def test_missing_statistic_lowers_recall_and_is_listed() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["statistics"] = predicted["statistics"][:2]
    report = evaluate([("900_test", predicted, gold)])
    assert report.precision("statistics") == 1.0
    assert report.recall("statistics") == pytest.approx(2 / 3)
    [(article, field, detail)] = report.misses
    assert (article, field) == ("900_test", "statistics")
    assert "700余起" in detail
    assert report.false_hits == []


def test_spurious_statistic_lowers_precision_and_is_listed() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["statistics"].append(_stat("50余万元", 500000, OTHER, unit="元"))
    score = evaluate_article(predicted, gold, name="900_test")
    assert score.recall("statistics") == 1.0
    assert score.precision("statistics") == pytest.approx(3 / 4)
    [(article, field, detail)] = score.false_hits
    assert (article, field) == ("900_test", "statistics")
    assert "50余万元" in detail


def test_station_alias_matching_and_alias_aware_station_fields() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["stations"][0]["name"] = "广西东兴边境派出所"  # a gold alias
    predicted["stations"][0]["aliases"] = ["东兴所"]
    predicted["practices"][0]["station"] = "该所"  # gold alias
    predicted["slogans"][0]["station"] = "东兴所"  # alias known only from the matched predicted station
    score = evaluate_article(predicted, gold)
    _all_perfect(score)

    # The other direction: the gold name is among the predicted aliases.
    predicted["stations"][0].update(name="东兴派出所", aliases=["东兴边境派出所"])
    predicted["slogans"][0]["station"] = "东兴派出所"
    _all_perfect(evaluate_article(predicted, gold))

    # An unrelated name does not match.
    predicted["stations"][0].update(name="玉洞派出所", aliases=[])
    score = evaluate_article(predicted, gold)
    assert score.counts["stations"].tp == 0
    assert score.misses[0][1:] == ("stations", "station 东兴边境派出所")
    assert score.false_hits[0][1:] == ("stations", "station 玉洞派出所")


def test_figure_text_containment_98_percent() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["statistics"][1]["text"] = "超过98%"
    predicted["statistics"][2]["text"] = "700余起"  # full-width digits fold to the same figure
    _all_perfect(evaluate_article(predicted, gold))


def test_statistic_needs_equal_value_unless_figure_text_is_identical() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["statistics"][1].update(text="超过98%", value=0.98)  # not the same figure key
    score = evaluate_article(predicted, gold)
    assert score.counts["statistics"].fn == 1 and score.counts["statistics"].fp == 1

    predicted = gold_as_output(gold)
    predicted["statistics"][2]["value"] = 7  # same span, wrong number: an attribute error
    score = evaluate_article(predicted, gold)
    assert score.counts["statistics"].tp == 3
    assert score.counts["statistics.value"].fp == 1 and score.counts["statistics.value"].fn == 1
    assert score.accuracy("statistics.value") == pytest.approx(2 / 3)


def test_mojibake_edge_sentences_still_match() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["statistics"][2]["sentence"] = "鍏徃近年来,该所共调解矛盾纠纷700余起,挽回经济损失50余万元!还有"
    _all_perfect(evaluate_article(predicted, gold))

    predicted["statistics"][2]["sentence"] = "另一句话里也有700余起。"
    assert evaluate_article(predicted, gold).counts["statistics"].tp == 2


def test_attribute_errors_counted_as_miss_or_false_hit() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["article"]["author"] = "佚名"  # gold null → false hit
    predicted["article"]["date"] = None  # gold value → miss
    predicted["statistics"][0]["metric"] = "population"  # wrong → both
    predicted["statistics"][0]["subject"] = "网格数"  # containment: lenient
    score = evaluate_article(predicted, gold)
    assert score.counts["article.author"].fp == 1 and score.counts["article.author"].fn == 0
    assert score.counts["article.date"].fn == 1 and score.counts["article.date"].fp == 0
    assert score.counts["statistics.metric"].fp == 1 and score.counts["statistics.metric"].fn == 1
    assert score.precision("statistics.metric") == pytest.approx(2 / 3)
    assert score.counts["statistics.subject"].tp == 1
    assert {field for _, field, _ in score.misses} == {"article.date", "statistics.metric"}


def test_practices_and_slogans_match_by_containment() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["practices"][1].update(name="“三官一律一网格”工作机制", normalized="三官一律一网格工作机制")
    predicted["practices"].reverse()
    predicted["slogans"][0]["text"] = "“格中有警,事在格中,稳在格内”"
    _all_perfect(evaluate_article(predicted, gold))


def test_load_gold_reads_the_five_seed_annotations() -> None:
    gold = load_gold(GOLD_DIR)
    assert len(gold) == 5
    for source_file, document in gold.items():
        assert source_file == document["source_file"]
        assert document["statistics"]


@pytest.mark.parametrize("source_file", sorted(load_gold(GOLD_DIR)))
def test_each_gold_file_against_itself_is_perfect(source_file: str) -> None:
    gold = load_gold(GOLD_DIR)[source_file]
    predicted = gold_as_output(copy.deepcopy(gold))
    assert "publisher" not in predicted["article"]
    report = evaluate([(source_file, predicted, gold)])
    _all_perfect(report)
    assert report.counts["statistics"].tp == len(gold["statistics"])


def test_render_report_prints_table_and_issues() -> None:
    gold = _gold()
    predicted = gold_as_output(gold)
    predicted["statistics"] = predicted["statistics"][:2]
    buffer = io.StringIO()
    render_report(evaluate([("900_test", predicted, gold)]), Console(file=buffer, width=200))
    out = buffer.getvalue()
    assert "statistics.metric" in out and "Misses (1)" in out and "700余起" in out and "False hits (0)" in out


ANECDOTE = "当天,两名群众赶到派出所求助。"


def _trust_gold() -> dict[str, Any]:
    gold = _gold()
    gold["not_stations"] = [{"text": "枫桥式公安派出所", "why": "honour"}]
    gold["stations"].append({**gold["stations"][0], "name": "防城港市公安局", "kind": "公安局", "aliases": []})
    for stat in gold["statistics"]:
        stat.update(period_start=None, period_end=None)
    gold["statistics"][2].update(period="近年来", period_start=None, period_end="2023-12-20")
    gold["statistics"].append(
        _stat("两名", 2, ANECDOTE, metric="incidental", unit="名", period="当天", period_start=None, period_end=None)
    )
    return gold


def test_trust_figures_count_false_units_named_metrics_and_periods() -> None:
    gold = _trust_gold()
    predicted = gold_as_output(gold)
    predicted["stations"] = [
        s for s in predicted["stations"] if s["kind"] != "公安局"  # a missed bureau is a miss, not a false unit
    ] + [
        {"name": "枫桥式公安派出所", "kind": "派出所", "aliases": [], "honours": []},
        {"name": "江北分局", "kind": "分局", "aliases": [], "honours": []},  # bureaus are not counted as units
    ]
    stats = predicted["statistics"]
    stats[0]["metric"] = "other"  # 37个 found without a named metric
    stats[2]["period_start"] = "2021-12-20"  # a confident wrong start
    stats[3]["metric"] = "population"  # the anecdote's two people given a named metric
    stats.append(_stat("20日", 20, OTHER, metric="officers"))  # no statistic at all
    figures = trust_figures(evaluate([("900_test", predicted, gold)]))
    assert figures["stations found (recall)"] == pytest.approx(1 / 2)
    assert figures["false units per non-bureau unit"] == pytest.approx(1 / 2)  # 东兴 matched, the honour title not
    assert figures["figures found (recall)"] == 1.0
    assert figures["named-metric share"] == pytest.approx(2 / 3)  # 98% and 700余起 named; 37个 other
    assert figures["false named figures"] == pytest.approx(2 / 4)  # population (anecdote) and officers (nothing)
    assert figures["periods right"] == pytest.approx(1 / 2)  # 近年来 wrong; the anecdote's 当天 null–null right
    report = evaluate([("900_test", predicted, gold)])
    reasons = [detail for _, name, detail in report.false_hits if name.startswith("trust.")]
    assert any("枫桥式公安派出所 is no unit (honour)" in d for d in reasons)
    assert any("an anecdote's count" in d for d in reasons) and any("no statistic in the gold" in d for d in reasons)
    assert any(name == "trust.period" and "2021-12-20" in detail for _, name, detail in report.misses)


def test_trust_figures_are_perfect_on_gold_itself_and_skip_periods_older_gold_lacks() -> None:
    gold = _trust_gold()
    figures = trust_figures(evaluate([("g", gold_as_output(gold), gold)]))
    rates = {"false units per non-bureau unit", "false named figures"}
    assert {name: value for name, value in figures.items() if name not in rates} == dict.fromkeys(
        figures.keys() - rates, 1.0
    )
    assert [figures[name] for name in sorted(rates)] == [0.0, 0.0]
    old = _gold()  # no period_start/period_end keys: periods are not scored
    predicted = gold_as_output(old)
    predicted["statistics"][0]["period_start"] = "2020-01-01"
    assert evaluate([("old", predicted, old)]).trust["period"].compared == 0
