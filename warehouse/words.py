"""A sentence's jieba search-mode words, stored as spans of the sentence instead of as a copy of the words.

The ranker counts whole-word hits (`warehouse.search.bm25`), and FTS5 cannot give a row's counts back, so the
words must be kept somewhere outside the index; but every word is a substring of its sentence, which the
warehouse already holds (issue 22). Each word is stored as one character: its first occurrence in the sentence
and its length, `chr(0x30 + (start << 6 | length))` (code points past the surrogates shifted up by 0x800). A
word is identified by its text alone, so its first occurrence names it as well as the one it was cut from.
About 2.5 bytes a word against 7 for the words themselves. A word that cannot be written so (not found in the
sentence, longer than 63 characters, or too far in) makes the whole value the words as text, after a space.

Counting a word needs no decoding when the sentence is unchanged by case folding (Chinese text always is): the
word's first occurrence gives its character, and `str.count` counts it.
"""

from __future__ import annotations

from collections.abc import Iterable

_BASE = 0x30
_LENGTH_BITS = 6
_MAX_LENGTH = (1 << _LENGTH_BITS) - 1
_SURROGATES, _SHIFT = 0xD800, 0x800
_MAX_CODE = 0x10FFFF - _SHIFT
PLAIN = " "  # prefix of a value that holds the words themselves, space-separated


def _char(start: int, length: int) -> str | None:
    code = _BASE + (start << _LENGTH_BITS | length)
    if code > _MAX_CODE:
        return None
    return chr(code + _SHIFT if code >= _SURROGATES else code)


def encode(sentence: str, words: str | Iterable[str]) -> str:
    """The stored form of a sentence's words (space-separated text, or a sequence). Runs once per sentence
    loaded, so it stays in comprehensions and builtins."""
    listed = words.split() if isinstance(words, str) else list(words)
    if not listed:
        return ""
    starts = [sentence.find(word) for word in listed]
    lengths = [len(word) for word in listed]
    if min(starts) < 0 or min(lengths) < 1 or max(lengths) > _MAX_LENGTH:
        return PLAIN + " ".join(listed)
    codes = [_BASE + (start << _LENGTH_BITS | length) for start, length in zip(starts, lengths, strict=True)]
    highest = max(codes)
    if highest < _SURROGATES:
        return "".join(map(chr, codes))
    if highest > _MAX_CODE:
        return PLAIN + " ".join(listed)
    return "".join(chr(code + _SHIFT if code >= _SURROGATES else code) for code in codes)


def decode(sentence: str, stored: str) -> list[str]:
    """The words, in the order the segmenter gave them."""
    if stored.startswith(PLAIN):
        return stored.split()
    words = []
    for char in stored:
        code = ord(char)
        code = (code - _SHIFT if code >= _SURROGATES + _SHIFT else code) - _BASE
        start = code >> _LENGTH_BITS
        words.append(sentence[start : start + (code & _MAX_LENGTH)])
    return words


def text(sentence: str, stored: str) -> str:
    """The words as space-separated text, as the segment stage wrote them."""
    return " ".join(decode(sentence, stored))


def count(sentence: str, stored: str, word: str) -> int:
    """How many of the sentence's words are `word` once case-folded (`word` is already folded)."""
    if stored.startswith(PLAIN):
        return stored.casefold().split().count(word)
    # Only the word itself folds to a word without cased characters (Chinese, digits); and in a sentence folding
    # leaves alone, every word is its own folded form. Either way its first occurrence names all its copies.
    if word.upper() == word.lower() or sentence.casefold() == sentence:
        start = sentence.find(word)
        char = _char(start, len(word)) if start >= 0 and 0 < len(word) <= _MAX_LENGTH else None
        return stored.count(char) if char is not None else 0
    return [w.casefold() for w in decode(sentence, stored)].count(word)
