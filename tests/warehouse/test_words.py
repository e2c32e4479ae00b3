"""`warehouse.words`: a sentence's search-mode words stored as spans of the sentence read back as the words, and
count as the words themselves did."""

from __future__ import annotations

import pytest

from warehouse import words

CASES = [
    ("东兴边境派出所调解矛盾纠纷700余起", "东兴 边境 派出 派出所 调解 矛盾 纠纷 700 余 起"),
    ("派出所派出所，派出", "派出 派出所 派出 派出所 派出"),  # repeated words: each names its first occurrence
    ("用APP报警，app也行", "用 APP 报警 app 也 行"),  # folding changes characters: decoded, then compared
    ("𠮷野家的Straße", "𠮷野家 的 Straße"),  # outside the BMP; ß folds to ss
    ("长" + "的" * 2000 + "尾", "长 尾"),  # a word far into a long sentence: codes past the surrogates
]


@pytest.mark.parametrize(("sentence", "tokens"), CASES)
def test_words_round_trip_and_count_as_the_words(sentence: str, tokens: str) -> None:
    stored = words.encode(sentence, tokens)
    assert words.text(sentence, stored) == tokens
    folded = tokens.casefold().split()
    for word in {*folded, "派出所", "app", "strasse", "没有"}:
        assert words.count(sentence, stored, word) == folded.count(word), word
    assert len(stored.encode()) < len(tokens.encode()) or stored.startswith(words.PLAIN)


def test_words_that_cannot_be_spans_are_kept_as_text() -> None:
    for sentence, tokens in [("调解纠纷", "调解 不在 纠纷"), ("x" * 70, "x" * 70), ("长" * 20000 + "尾", "尾")]:
        stored = words.encode(sentence, tokens)
        assert stored == words.PLAIN + tokens
        assert words.text(sentence, stored) == tokens
        assert words.count(sentence, stored, "尾") == tokens.split().count("尾")


def _layout_1(sentence: str, tokens: str) -> str:
    """What the code before layout 2 stored."""
    return "".join(words._char_1(sentence.find(w), len(w)) for w in tokens.split())


@pytest.mark.parametrize(("sentence", "tokens"), CASES[:-1] + [("长" + "的" * 600 + "尾巴", "长 尾巴")])
def test_values_in_the_first_layout_still_read_and_count(sentence: str, tokens: str) -> None:
    older = _layout_1(sentence, tokens)
    assert words.text(sentence, older) == tokens
    folded = tokens.casefold().split()
    for word in {*folded, "派出所", "没有"}:
        assert words.count(sentence, older, word) == folded.count(word), word
    newer = words.encode(sentence, tokens)
    assert newer.startswith(words.MARK) and words.text(sentence, newer) == tokens
    assert words.encode(sentence, words.decode(sentence, older)) == newer  # what the upgrade writes


def test_the_second_layout_takes_at_most_two_bytes_a_short_word() -> None:
    sentence = "".join(chr(0x4E00 + i) for i in range(400))
    tokens = " ".join(sentence[i : i + 2] for i in range(0, len(sentence), 2))
    stored = words.encode(sentence, tokens)
    assert words.text(sentence, stored) == tokens
    assert len(stored.encode()) <= 1 + 2 * len(tokens.split()) < len(_layout_1(sentence, tokens).encode())
