import json
import re

import pytest

from pipelines.text.simplify import convert, detect_script, simplify
from tests.conftest import SHARED

OPENCC_CASES = SHARED / "peer-specs" / "opencc" / "testcases.json"
REQUIRED_CONFIGS = ("t2s", "tw2s", "hk2s")


def _opencc_cases() -> list[tuple[str, str, str, str]]:
    # OpenCC's file is JSON with trailing commas; strip them before parsing.
    raw = re.sub(r",(\s*[}\]])", r"\1", OPENCC_CASES.read_text(encoding="utf-8"))
    cases = json.loads(raw)["cases"]
    return [
        (case["id"], config, case["input"], case["expected"][config])
        for case in cases
        for config in REQUIRED_CONFIGS
        if config in case["expected"]
    ]


CASES = _opencc_cases()


def test_peer_suite_is_present_and_non_trivial():
    assert len(CASES) >= 100
    assert {config for _, config, _, _ in CASES} == set(REQUIRED_CONFIGS)


@pytest.mark.parametrize(("case_id", "config", "source", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_opencc_peer_case(case_id: str, config: str, source: str, expected: str):
    assert convert(source, config) == expected


def test_script_detection():
    assert detect_script("派出所调解矛盾纠纷").script == "simplified"
    assert detect_script("派出所調解矛盾糾紛").script == "traditional"
    assert detect_script("派出所調解矛盾糾紛，派出所调解矛盾纠纷").script == "mixed"


def test_traditional_is_converted_and_quantity_words_survive():
    result = simplify("近兩年來，成功調處矛盾糾紛300餘起。隨著經濟建設的快速發展")
    assert result.script == "traditional"
    assert result.simplified == "近两年来，成功调处矛盾纠纷300余起。随着经济建设的快速发展"
    assert result.original_span(0, 3) == (0, 3)


def test_simplified_text_keeps_its_own_spelling():
    text = "取得显著成效，余下300余起纠纷"
    assert simplify(text).simplified == text


def test_offsets_map_both_ways_even_when_length_changes(monkeypatch: pytest.MonkeyPatch):
    import pipelines.text.simplify as module

    real = module.convert

    def lengthening(text: str, config: str = module.TRADITIONAL_CONFIG) -> str:
        return real(text, config).replace("乾隆", "乾隆帝")

    monkeypatch.setattr(module, "convert", lengthening)
    original = "乾隆時期，民警調解糾紛。"
    result = module.simplify(original)
    assert result.simplified == "乾隆帝时期，民警调解纠纷。"
    start = result.simplified.index("民警")
    assert original[slice(*result.original_span(start, start + 2))] == "民警"
    assert result.simplified_span(*result.original_span(start, start + 2)) == (start, start + 2)
    first_clause = result.original_span(0, 1)
    assert first_clause == (0, original.index("，") + 1)
