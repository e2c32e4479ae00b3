"""Extraction end to end: `fqa extract`, the warehouse rows on both databases, and the gold evaluation bar."""

import json

import dagster as dg
import pytest
from rich.console import Console
from sqlalchemy import select
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.cli.extraction import _extract_file
from pipelines.defs.build import build
from pipelines.extract.evaluate import FIELDS, render_report
from tests.conftest import CORPUS, REPO, SEEDS
from tests.extract.scoring import score
from warehouse.db import get_engine
from warehouse.schema import Article, PracticeMention, Station, Statistic

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_000() -> dict:
    result = runner.invoke(app, ["extract", str(SEEDS["000"]), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_extract_json_names_the_station_its_place_and_figures(seed_000: dict):
    assert set(seed_000) == {"article", "stations", "practices", "slogans", "statistics"}
    assert seed_000["article"]["date"] == "2023-12-20" and seed_000["article"]["source"] == "中国长安网"
    (station,) = [s for s in seed_000["stations"] if s["name"] == "东兴边境派出所"]
    assert (station["province"], station["city"], station["county"]) == ("广西壮族自治区", "防城港市", "东兴市")
    assert any(h["batch"] == 3 for h in station["honours"])
    stats = {(s["metric"], s["text"]): s for s in seed_000["statistics"]}
    mediated = next(s for (m, t), s in stats.items() if m == "disputes_mediated" and "700" in t)
    assert (mediated["value"], mediated["low"], mediated["high"]) == (700, 700, None)
    assert mediated["period"] == "近两年来" and mediated["period_start"] == "2021-12-20"
    assert mediated["station"] == "东兴边境派出所"
    rate = next(s for (m, _), s in stats.items() if m == "mediation_success_rate")
    assert rate["low"] == 98 and rate["high"] is None and rate["qualifier"] == "超过"
    names = {p["name"] for p in seed_000["practices"]}
    assert {"三官一律一网格", "背包警务"} <= names
    for s in seed_000["statistics"]:
        assert s["text"] in s["sentence"]


def test_multi_station_article_attributes_figures_to_the_right_unit():
    article, extraction = _extract_file(SEEDS["003"])
    by_text = {s.text: s.station for s in extraction.statistics}
    assert by_text["120余起"] == "三道河边境派出所"
    assert by_text["31%"] == "霍尔果斯大队"
    assert by_text["达98.7%"] == "伊犁边境管理支队"
    assert len({s.name for s in extraction.stations}) >= 10


def test_extract_refuses_a_bad_file_with_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 1 and "empty.txt" in result.output and "Traceback" not in result.output


def test_warehouse_holds_every_extracted_row_with_its_spans(db_url: str, tmp_path):
    with dg.instance_for_test() as instance:
        summary = build([CORPUS], db_url, instance=instance)
    assert summary.checks["spans_match_text"] and summary.checks["rates_in_range"]
    assert summary.checks["counts_non_negative"]
    expected = sum(len(_extract_file(path)[1].statistics) for path in SEEDS.values())
    engine = get_engine(db_url)
    with engine.connect() as conn:
        texts = dict(conn.execute(select(Article.id, Article.simplified_text)).all())
        originals = dict(conn.execute(select(Article.id, Article.clean_text)).all())
        stats = conn.execute(select(Statistic)).all()
        stations = conn.scalars(select(Station.name)).all()
        practices = conn.execute(select(PracticeMention)).all()
    assert len(stats) == expected
    for s in stats:
        assert texts[s.article_id][s.start : s.end] == s.text
        assert texts[s.article_id][s.sentence_start : s.sentence_end] == s.sentence
        assert originals[s.article_id][s.original_start : s.original_end]
    assert "东兴边境派出所" in stations and "玉洞派出所" in stations
    assert practices and all(texts[p.article_id][p.sentence_start : p.sentence_end] == p.sentence for p in practices)


def test_evaluation_meets_the_bar_on_every_field():
    report = score(REPO / "tests" / "gold", CORPUS)
    for field in FIELDS:
        assert report.precision(field) >= 0.9, (field, report.precision(field))
        assert report.recall(field) >= 0.9, (field, report.recall(field))


def test_held_out_reports_are_scored_and_core_fields_generalise():
    """Hand-written reports no rule was tuned on (tests/heldout/README.md). The bar here is lower than on the
    seeds and covers what a researcher compares: whether each figure is found with its value and qualifier, and
    whether the practices are found. The full table is printed (pytest -s) and recorded in the README."""
    report = score(REPO / "tests" / "heldout" / "gold", REPO / "tests" / "heldout")
    print()
    render_report(report, Console(width=120))
    for field in ("statistics", "statistics.value", "statistics.qualifier", "statistics.unit", "practices"):
        assert report.precision(field) >= 0.9, (field, report.precision(field))
        assert report.recall(field) >= 0.9, (field, report.recall(field))
    for field in ("stations", "statistics.metric", "statistics.station", "statistics.period"):
        assert report.recall(field) >= 0.7, (field, report.recall(field))


def test_labelling_takes_the_segment_stages_words_and_labels_as_before(monkeypatch):
    # practices' sentences were segmented once already; the category model must not segment them again
    from models import features
    from models.labeller import label_practices
    from pipelines.batch.stages import process_files
    from pipelines.extract import article as extract

    _, _, segmented = process_files(sorted(SEEDS.values()))
    sentences = {s.text for article in segmented for s in article.sentences}
    segmenting: list[str] = []
    words = features._words
    monkeypatch.setattr(features, "_words", lambda text: segmenting.append(text) or words(text))
    taken = extract.extract_articles(segmented)
    assert sum(p.kind == "practice" for e in taken for p in e.practices) > 20
    assert not sentences & set(segmenting)
    # the same labels as a model that segments every text itself
    monkeypatch.setattr(extract, "label_practices", lambda items, segmented=None: label_practices(items))
    assert extract.extract_articles(segmented) == taken
    assert sentences & set(segmenting)


def test_known_words_are_taken_only_for_simplified_sentences_and_only_while_open():
    from models.features import known_words, word_tokens

    simplified, traditional = "调解员化解纠纷12起", "調解員化解糾紛12起"
    fake = ["调解", "员化", "解纠纷", "12", "起"]  # not jieba's words: shows where they came from
    with known_words({simplified: fake, traditional: ["調解員化解糾紛"]}):
        assert word_tokens(simplified) == ["调解", "员化", "解纠纷", "起"]  # numbers dropped, as when segmented
        assert word_tokens(traditional) == ["调解员", "化解", "纠纷", "起"]  # converted and segmented, not taken
    assert word_tokens(simplified) == ["调解员", "化解", "纠纷", "起"]


def test_a_unit_named_only_in_a_photo_caption_is_a_unit_of_the_report(tmp_path):
    body = "今年以来，城东派出所坚持和发展新时代“枫桥经验”，共化解各类矛盾纠纷126起，调解成功率达98%。\n" * 3
    path = tmp_path / "caption.txt"
    path.write_text(
        "民警守护中轴线\n\n" + body + "图：石桥派出所民警在广场巡逻\n图：城东派出所民警走访商户\n", encoding="utf-8"
    )
    _article, extraction = _extract_file(path)
    by_name = {s.name: s for s in extraction.stations}
    assert set(by_name) == {"城东派出所", "石桥派出所"}  # 城东 is named in the body too: one unit
    assert by_name["石桥派出所"].first_mention is None and by_name["城东派出所"].first_mention is not None


def test_a_bureau_named_only_as_the_source_is_a_unit_of_the_report(tmp_path):
    body = "今年以来，城东派出所坚持和发展新时代“枫桥经验”，共化解各类矛盾纠纷126起，调解成功率达98%。\n" * 3
    path = tmp_path / "source.txt"
    path.write_text("民警守护一方平安\n信息来源：泰州市公安局\n\n" + body, encoding="utf-8")
    _article, extraction = _extract_file(path)
    assert {s.name for s in extraction.stations} == {"城东派出所", "泰州市公安局"}
