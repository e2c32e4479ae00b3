import datetime as dt
from decimal import Decimal

import pytest

from pipelines.extract.statistics import find_statistics
from pipelines.text.segment import split_sentences


def stats(text: str, published: dt.date | None = dt.date(2024, 6, 30), skip=()):
    spans = [(s.start, s.end) for s in split_sentences(text)]
    return find_statistics(text, spans, published, skip)


@pytest.mark.parametrize(
    ("sentence", "metric", "text", "value", "low", "high"),
    [
        ("三年来，该所成功化解矛盾纠纷360余起。", "disputes_mediated", "360余起", 360, 360, None),
        ("矛盾纠纷调解成功率超过97%。", "mediation_success_rate", "超过97%", 97, 97, None),
        ("矛盾化解率高达93.5%。", "dispute_resolution_rate", "高达93.5%", Decimal("93.5"), Decimal("93.5"),
         Decimal("93.5")),
        ("辖区划分为24个网格。", "grids", "24个", 24, 24, 24),
        ("建立18个警民微信群。", "wechat_groups", "18个", 18, 18, 18),
        ("群众对治安的满意度达99.1%。", "satisfaction_rate", "达99.1%", Decimal("99.1"), Decimal("99.1"),
         Decimal("99.1")),
        ("刑事警情同比下降12.5%。", "crime_change_pct", "12.5%", Decimal("-12.5"), Decimal("-12.5"),
         Decimal("-12.5")),
        ("收到群众举报线索近五百条。", "tips_received", "近五百条", 500, None, 500),
        ("抓获违法犯罪嫌疑人80余名。", "suspects_caught", "80余名", 80, 80, None),
        ("辖区面积45.2平方公里。", "area_km2", "45.2平方公里", Decimal("45.2"), Decimal("45.2"), Decimal("45.2")),
        ("常住人口2.1万余人。", "population", "2.1万余人", 21000, 21000, None),
        ("管辖边境线长12公里。", "border_km", "12公里", 12, 12, 12),
    ],
)
def test_metric_value_and_interval(sentence, metric, text, value, low, high):
    (stat,) = stats(sentence)
    assert (stat.metric, stat.value, stat.low, stat.high) == (metric, value, low, high)
    assert text.endswith(stat.text) or stat.text.endswith(text) or stat.text == text


def test_counted_thing_is_kept_for_other():
    (stat,) = stats("无人机协助扑灭山林火情3起。")
    assert stat.metric == "other"
    assert "火情" in stat.subject


def test_extended_metrics_follow_the_counted_thing():
    (money,) = stats("民警为企业挽回经济损失120万余元。")
    assert money.metric == "money_recovered" and money.value == 1200000
    (schools,) = stats("80名民警被辖区9所中小学聘为法治副校长。")[1:]
    assert schools.metric == "schools"
    (people, teams) = stats("义警队伍已发展到600多人，成立了40多支分队。")
    assert (people.metric, teams.metric) == ("volunteers", "volunteer_teams")


def test_not_statistics():
    assert stats("建所60年来，2021年5月3日，第二批试点，16岁的少年。") == []
    assert stats("落实巡逻防控、信息反馈等六项措施。") == []
    assert stats("推行“2+N”工作模式。") == []


def test_mojibake_spans_are_never_a_source():
    text = "调处纠纷300余起。"
    assert len(stats(text)) == 1
    assert stats(text, skip=[(4, 8)]) == []


def test_period_as_written_and_resolved():
    (stat,) = stats("今年以来，该所调处纠纷60起。")
    assert stat.period.text == "今年以来"
    assert (stat.period.start, stat.period.end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))


def test_comparison_with_last_year_is_not_the_period():
    (stat,) = stats("上半年，辖区盗窃案件与去年同期相比下降20%。")
    assert stat.period.text == "上半年"
    assert stat.metric == "crime_change_pct"
