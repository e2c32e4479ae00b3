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

