"""Pinyin glosses: exact counts on the seeds, and ordinary brackets left alone."""

from __future__ import annotations

import re

import pytest

from pipelines.text.offsets import apply_replacements
from pipelines.text.pinyin_gloss import SYLLABLES, find_pinyin_glosses, is_damaged_gloss_syllable, is_gloss_syllable
from tests.conftest import seed_text

TONED_IN_BRACKETS = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


@pytest.mark.parametrize(("key", "count"), [("000", 0), ("001", 274), ("002", 0), ("003", 0), ("004", 216)])
def test_seed_counts(key: str, count: int) -> None:
    assert len(find_pinyin_glosses(seed_text(key))) == count


def test_490_in_the_damaged_seeds_and_none_left() -> None:
    total = 0
    for key in ("001", "004"):
        text = seed_text(key)
        reps = find_pinyin_glosses(text)
        total += len(reps)
        assert all(r.kind == "pinyin_gloss" and r.text == "" for r in reps)
        cleaned, _ = apply_replacements(text, reps)
        assert not TONED_IN_BRACKETS.search(cleaned)
    assert total == 490


def test_glosses_on_mojibake_letters_are_found() -> None:
    text = seed_text("001") + seed_text("004")
    hits = {text[r.start - 1 : r.end] for r in find_pinyin_glosses(text) if text[r.start - 1].isascii()}
    assert hits == {"Q(mào)", "W(wǎng)", "F(xiàn)"}


def test_examples() -> None:
    text = "南寧市良慶區(qū)玉洞派出所踐行“楓橋經(jīng)驗”,綠（lǜ）色"
    cleaned, offsets = apply_replacements(text, find_pinyin_glosses(text))
    assert cleaned == "南寧市良慶區玉洞派出所踐行“楓橋經驗”,綠色"
    assert offsets.source_span(5, 6) == (5, 6)


@pytest.mark.parametrize(
    "text",
    [
        "张某(化名)说",
        "(新津公安 供稿)",
        "(作者:王帅、张国斌、王鹏飞)",
        "(1个中心+4个街道调解站+N个社区调解室)",
        "(“4”是指四个调解站)",
        "刑事案(事)件",
        "在村(社区)一级",
        "国(边)境",
        "(責編:王勇、黃昱梅)",
        "通过(WeChat)群和(app)",
        "选项(a)和(b)",
        "法语(café)",
        "(me)",
        "(qu)",
    ],
)
def test_legitimate_brackets_untouched(text: str) -> None:
    assert find_pinyin_glosses(text) == []


def test_syllable_check() -> None:
    assert 400 <= len(SYLLABLES) <= 430
    for ok in ("qū", "jīng", "zhuǎn", "lǜ", "nüè", "ér", "xiàn"):
        assert is_gloss_syllable(ok), ok
    for bad in ("qū̄", "bīang", "fēi1", "zhā́", "gī", "cafē", "qu"):
        assert not is_gloss_syllable(bad), bad


@pytest.mark.parametrize("key", ["001", "004"])
def test_glosses_whose_tone_a_big5_copy_lost_are_glosses(key: str) -> None:
    """A Big5 re-encoding writes `?` for every toned vowel (區(q?)): the copy must clean like the original."""
    text = seed_text(key)
    damaged = text.encode("big5", errors="replace").decode("big5")
    assert len(find_pinyin_glosses(damaged)) == len(find_pinyin_glosses(text))
    cleaned, _ = apply_replacements(damaged, find_pinyin_glosses(damaged))
    assert not re.search(r"[(（][a-z]*\?[a-z]*[)）]", cleaned)


@pytest.mark.parametrize("text", ["你说(a?)", "是(?)吗", "问(what?)", "(q?)开头", "名单(ab?)"])
def test_question_marks_in_ordinary_brackets_stay(text: str) -> None:
    assert find_pinyin_glosses(text) == []


def test_damaged_syllable_check() -> None:
    for ok in ("q?", "j?ng", "l?", "zhu?n", "xi?n", "g?u"):
        assert is_damaged_gloss_syllable(ok), ok
    for bad in ("?", "q??", "xyz?", "qu", "b?ang"):
        assert not is_damaged_gloss_syllable(bad), bad
