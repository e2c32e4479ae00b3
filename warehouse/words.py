"""A sentence's jieba search-mode words, stored as spans of the sentence instead of as a copy of the words.

The ranker counts whole-word hits (`warehouse.search.bm25`), and FTS5 cannot give a row's counts back, so the
words must be kept somewhere outside the index; but every word is a substring of its sentence, which the
warehouse already holds (issue 22). Each word is stored as one character naming its first occurrence in the
sentence and its length. A word is identified by its text alone, so its first occurrence names it as well as
the one it was cut from. A word that cannot be written so (not found in the sentence, longer than 63
characters, or too far in) makes the whole value the words as text, after a space (`PLAIN`).

Two layouts of the character (the second from issue 22's second step, marked by a leading `MARK`):

* 1: `chr(0x30 + (start << 6 | length))`, code points past the surrogates shifted up by 0x800: three bytes of
  UTF-8 for any word past the first character or so;
* 2: a word of 1 to 4 characters (99% of them) starting before character 500 is `chr(0x30 + (start << 2 |
  length - 1))`, under 0x800, two bytes of UTF-8; any other is `chr(0x800 + (start << 6 | length))`, shifted
  past the surrogates likewise. About 2 bytes a word against 3 (and 7 for the words themselves).

New values are written in layout 2; `warehouse.upgrade.upgrade_search_words` rewrites older ones, and both read.

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
MARK = "\x01"  # prefix of a value in layout 2
_SHORT_LIMIT = 0x800  # layout 2: codes below are short words (1-4 characters), from here long ones
_SHORT_LENGTH = 4


def _char(start: int, length: int) -> str | None:
    """Layout 2's character for a word, or None if it has none."""
    if length <= _SHORT_LENGTH and (code := _BASE + (start << 2 | (length - 1))) < _SHORT_LIMIT:
        return chr(code)
    code = _SHORT_LIMIT + (start << _LENGTH_BITS | length)
    if code >= _SURROGATES:
        code += _SHIFT
    return chr(code) if code <= 0x10FFFF else None


def _char_1(start: int, length: int) -> str | None:
    """Layout 1's character for a word, or None if it has none."""
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
    if max(lengths) <= _SHORT_LENGTH:  # the common case, without a call per word
        codes = [_BASE + (start << 2 | (length - 1)) for start, length in zip(starts, lengths, strict=True)]
        if max(codes) < _SHORT_LIMIT:
            return MARK + "".join(map(chr, codes))
    chars = [_char(start, length) for start, length in zip(starts, lengths, strict=True)]
    if None in chars:
        return PLAIN + " ".join(listed)
    return MARK + "".join(chars)  # type: ignore[arg-type] - None is ruled out above


def _span(code: int) -> tuple[int, int]:
    """(start, length) of a layout 2 character."""
    if code < _SHORT_LIMIT:
        code -= _BASE
        return code >> 2, (code & 3) + 1
    code = (code - _SHIFT if code >= _SURROGATES + _SHIFT else code) - _SHORT_LIMIT
    return code >> _LENGTH_BITS, code & _MAX_LENGTH


def _span_1(code: int) -> tuple[int, int]:
    """(start, length) of a layout 1 character."""
    code = (code - _SHIFT if code >= _SURROGATES + _SHIFT else code) - _BASE
    return code >> _LENGTH_BITS, code & _MAX_LENGTH


def decode(sentence: str, stored: str) -> list[str]:
    """The words, in the order the segmenter gave them."""
    if stored.startswith(PLAIN):
        return stored.split()
    if stored.startswith(MARK):
        spans = [_span(ord(char)) for char in stored[1:]]
    else:
        spans = [_span_1(ord(char)) for char in stored]
    return [sentence[start : start + length] for start, length in spans]


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
        if start < 0 or not 0 < len(word) <= _MAX_LENGTH:
            return 0
        char = (_char if stored.startswith(MARK) else _char_1)(start, len(word))
        return stored.count(char) if char is not None else 0
    return [w.casefold() for w in decode(sentence, stored)].count(word)
