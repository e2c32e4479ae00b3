"""Mojibake runs and broken entities: the six runs of the seeds, synthetic damage, and clean text."""

from __future__ import annotations

import re

import pytest

from pipelines.text.mojibake import (
    LOST,
    DamageReport,
    MojibakeRun,
    find_broken_entities,
    find_mojibake_runs,
    repair_damage,
)
from pipelines.text.offsets import Replacement, apply_replacements
from pipelines.text.pinyin_gloss import find_pinyin_glosses
from tests.conftest import CORPUS, SEEDS, seed_text

TONED_IN_BRACKETS = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")

# (seed, run as it stands, repair); the residue "?yōu)" before two runs is a gloss whose "(" the decoder ate.
EXPECTED_RUNS = [
    ("001", "楦邩橇至⒌膰壹壸再Q", "為高樓林立的國家級自貿"),
    ("001", "!鞍斯ぷ鞣ā睂嵤┖螅瑢γ芗m", LOST + "“包菜工作法”實施后，對矛盾糾"),
    # "校”“少年警校”": 警校 lost one byte each to a vanished pair, and the last ” its trail byte; what the bytes
    # cannot settle is marked lost rather than guessed ("。" and "荆" would be wrong)
    ("001", "!薄吧倌昃!", LOST + "”“少年" + LOST + LOST),
    ("004", "?;ㄔ磁沙鏊?", LOST + "花源派出所"),
    ("004", "?;ㄔ磁沙鏊劢狗婪峨娦啪W", LOST + "花源派出所聚焦防范電信網"),
    ("004", "楝F", "為現"),
]


@pytest.fixture(scope="module")
def reports() -> dict[str, DamageReport]:
    return {key: repair_damage(seed_text(key)) for key in SEEDS}


def test_six_runs_in_the_damaged_seeds(reports: dict[str, DamageReport]) -> None:
    found = [(key, run.original, run.repaired) for key in ("001", "004") for run in reports[key].runs]
    assert found == EXPECTED_RUNS
    runs = [run for key in ("001", "004") for run in reports[key].runs]
    for key in ("001", "004"):
        text = seed_text(key)
        for run in reports[key].runs:
            assert text[run.start : run.end] == run.original
    # 54 characters stand in the runs; 2 more are the "?" of "?yōu)" that hold the runs' lost lead bytes.
    residues = [
        seed_text(k)[r.residue_start : r.start] for k in ("001", "004") for r in reports[k].runs if r.residue_start
    ]
    assert residues == ["?yōu)", "?yōu)"]
    # Counting: 52 characters stand out of step, 54 with the two "?" that hold a lost lead byte; the text they
    # stand for is 55 characters (the brief's 56 counts one more that no definition here reproduces). 49 come
    # back and 6 are marked lost: 55 in all, so every character the runs stand for is accounted for.
    assert sum(len(r.original) for r in runs) == 52
    assert sum(r.recovered_chars for r in runs) == 49
    assert sum(r.lost_chars for r in runs) == 6
    assert sum(len(r.repaired or "") for r in runs) == 55
    assert all(reports[k].unrecoverable == [] for k in ("001", "004"))


@pytest.mark.parametrize("key", ["000", "002", "003"])
def test_clean_seeds_untouched(reports: dict[str, DamageReport], key: str) -> None:
    assert reports[key].runs == []
    assert reports[key].replacements == []


def test_composition_with_glosses(reports: dict[str, DamageReport]) -> None:
    for key, expected_entities in (("001", 0), ("004", 1)):
        report = reports[key]
        assert report.entities_fixed == expected_entities
        repaired, first = apply_replacements(seed_text(key), report.replacements)
        cleaned, second = apply_replacements(repaired, find_pinyin_glosses(repaired))
        assert not TONED_IN_BRACKETS.search(cleaned)
        assert not re.search(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", cleaned)
        assert "ldquo;" not in cleaned
        assert "“” " not in cleaned
        if key == "001":
            full = first.then(second)
            start = cleaned.index("國家級自貿區")
            assert seed_text(key)[slice(*full.source_span(start, start + 6))].startswith("?yōu)楦邩")
            assert "蛻變為高樓林立的國家級自貿區。" in cleaned
    cleaned_004 = apply_replacements(seed_text("004"), reports["004"].replacements)[0]
    assert "花源派出所“我為群眾" in cleaned_004
    assert "變為現(xiàn)實" in cleaned_004


def test_intact_glosses_are_not_tried_as_runs(monkeypatch) -> None:
    # a gloss's tone letter is an odd character, but between intact brackets it is a reading: no trial
    # realignment (they were most of the repair time of glossed articles); the glossed seeds' runs still repair
    from pipelines.text import mojibake

    tried = []
    best_start = mojibake._best_start
    monkeypatch.setattr(mojibake, "_best_start", lambda *a, **k: tried.append(a[2:4]) or best_start(*a, **k))
    for key in ("001", "004"):
        text, tried[:] = seed_text(key), []
        insides = [(m.start() + 1, m.end() - 1) for m in TONED_IN_BRACKETS.finditer(text)]
        assert len(insides) > 200
        assert len(find_mojibake_runs(text)) == sum(seed == key for seed, *_ in EXPECTED_RUNS)
        assert tried and not [(s, e) for s, e in tried if any(a <= s and e <= b for a, b in insides)]


def test_curly_quotes_never_rewritten(reports: dict[str, DamageReport]) -> None:
    for key in SEEDS:
        text = seed_text(key)
        for rep in reports[key].replacements:
            assert not set(text[rep.start : rep.end]) & set("“”"), (key, rep)


PUA_LEADS = set(range(0xAA, 0xB0)) | set(range(0xF8, 0xFF))


def shift(raw: bytes) -> str:
    """What the seeds' decoder made of a GBK stream: pairs in order, ASCII resyncs, private-area pairs
    dropped, any other undecodable byte shown as "?"."""
    out, i = [], 0
    while i < len(raw):
        if raw[i] < 0x80:
            out.append(chr(raw[i]))
            i += 1
            continue
        try:
            out.append(raw[i : i + 2].decode("gbk"))
            i += 2
            continue
        except UnicodeDecodeError:
            pass
        if raw[i] in PUA_LEADS and i + 1 < len(raw) and raw[i + 1] >= 0xA1:
            i += 2
        else:
            out.append("?")
            i += 1
    return "".join(out)


def test_synthetic_lost_lead_byte_with_trail_letter() -> None:
    # 貿 is D9 51: out of step, its trail byte surfaces as the ASCII letter "Q"
    damaged = "高樓林立的自貿"
    broken = shift(damaged.encode("gbk")[1:] + "易".encode("gbk"))
    assert broken.startswith("邩") and "Q" in broken
    text = "這里是" + broken + "試驗區的新中心。"
    report = repair_damage(text)
    assert [(r.start, r.end) for r in report.runs] == [(3, 3 + broken.index("Q") + 1)]
    assert apply_replacements(text, report.replacements)[0] == "這里是高樓林立的自貿易試驗區的新中心。"
    assert report.runs[0].lost_chars == 0


def test_synthetic_run_with_a_vanished_pair() -> None:
    damaged = "这里已是高楼林立的国家级自贸区"  # 国家 = B9 FA BC D2: shifted, FA BC is private-area and vanishes
    broken = shift(damaged.encode("gbk")[5:])
    assert "墓壹" in broken and broken.endswith("?")
    text = "如今这里" + broken + ",一片繁华。"
    (run,) = find_mojibake_runs(text)
    assert run.start == 4 and run.end == text.index(",")
    assert run.repaired is not None and "是高楼林立的" in run.repaired and "级自贸" in run.repaired
    assert run.recovered_chars >= 10


def test_single_byte_guesses_need_a_dictionary_word() -> None:
    # the seed's damage rebuilt from its bytes: 校's lead byte lost, and 警校 straddling a vanished pair
    truth = "校”“少年警校”"
    broken = shift(truth.encode("gbk")[1:])
    text = "依托“公民警" + broken + ",联合开展宣传。"
    (run,) = find_mojibake_runs(text)
    assert run.repaired is not None and "少年" in run.repaired
    assert set(run.repaired) <= set(truth) | {LOST}, run.repaired  # right or marked, never a stand-in
    assert run.lost_chars >= 2


@pytest.mark.parametrize(
    "text",
    [
        "民警走进社区开展防诈骗宣传,群众满意度达98.7%。",
        "他说:“快要打起来了!”5月20日下午,民警赶到现场。",
        "调解的密码是什么?该所所长笑着说。",
        "木樨花开,疍家渔民和馕坑烤肉,茁壮成长。",
        "Community policing (Fengqiao) works; see https://example.com/a?b=1&c=2.",
    ],
)
def test_ordinary_text_has_no_runs(text: str) -> None:
    report = repair_damage(text)
    assert report.runs == [] and report.replacements == []


def test_entities() -> None:
    text = "所以&ldquo;我为群众办实事&rdquo;活动&hellip;&hellip;他说&mdash;&nbsp;好&#8220;x&#x201D;"
    fixed, _ = apply_replacements(text, find_broken_entities(text))
    assert fixed == "所以“我为群众办实事”活动……他说— 好“x”"
    eaten = "解群众之所难?ldquo;我为群众办实事"
    assert apply_replacements(eaten, find_broken_entities(eaten))[0] == "解群众之所难“我为群众办实事"
    assert find_broken_entities("the quot; and amp; of English, AT&T;") == []
    report = repair_damage("派出所以&ldquo;枫桥经验&rdquo;为抓手")
    assert report.entities_fixed == 2 and report.runs == []


def test_unrecoverable_run_is_flagged_not_replaced() -> None:
    flagged = MojibakeRun(3, 9, "鞍斯ぷ鞣ā睂", None, 0, 6)
    assert flagged.to_replacement() is None
    repaired = MojibakeRun(3, 9, "楦邩橇至⒌", "為高樓林立的", 6, 0, residue_start=1)
    assert repaired.to_replacement() == Replacement(1, 9, "為高樓林立的", "mojibake")


def test_a_gloss_residue_belongs_to_one_run_only() -> None:
    # generated article 2945 (seed 0): the "?" ending one run (碇ш?) is followed by a gloss's remains "duì)";
    # the plain text after them (深諳此道) was taken as a second run reaching back over the first, and
    # clean_article raised "overlapping replacements"
    from pipelines.batch.synth import generate, load_material

    article = generate(load_material([CORPUS]), 2945, seed=0)
    text = article.data.decode(article.encoding)
    assert "碇ш?duì)深諳此道" in text
    report = repair_damage(text)
    spans = sorted((r.start, r.end) for r in report.replacements)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert "深諳此道" in apply_replacements(text, report.replacements)[0]


def test_model_scores_follow_the_article_counts_they_are_memoised_on() -> None:
    """The memoised bigram scores and guesses must be forgotten whenever the article counts change: a span under
    test is excluded so it cannot vouch for itself, and a stale score would let it."""
    from pipelines.text.mojibake import _Model, _Repairer

    text = "该所推出包菜工作法。包菜工作法实施后，矛盾纠纷下降。"
    model = _Model(text)
    with_span = model.logp("包", "菜")
    model.guesses[(("菜",), "包", "工")] = "菜"
    model.exclude(text)
    without = model.logp("包", "菜")
    assert without < with_span
    assert without == model._bigram_logp("包", "菜")
    assert model.guesses == {}
    model.include(text)
    assert model.logp("包", "菜") == with_span
    repairer = _Repairer(model, "。", "。")
    assert repairer._guess(("菜",), "包", "工") == repairer._weigh(("菜",), "包", "工")


@pytest.mark.parametrize(
    "text",
    [
        "【警政時報 戴昱弘／桃園報導】今（19）日臺北市發生隨機暴力犯罪事件後，航空警察局高度關注。",
        "（通讯员 刘晨\u3000陆杨\u3000记者\u3000倪明）昨天，莲新湖派出所民警走进社区。",
        "记者：袁菡苓、薛育建\n成都市公安局武侯区分局。",
    ],
)
def test_rare_names_whose_bytes_decode_to_nothing_are_flagged_not_replaced(text: str) -> None:
    # an out-of-step stretch decodes back to text; one that would lose more characters than it gives may be
    # real text: flagged at most, never replaced by the little its bytes give
    assert all(run.repaired is None for run in find_mojibake_runs(text))
    report = repair_damage(text)
    assert apply_replacements(text, report.replacements)[0] == text
