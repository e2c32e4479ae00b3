"""Sentences and jieba tokens, with the domain dictionary kept in `pipelines/text/data/domain_dict.txt`."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jieba
import jieba.posseg

DOMAIN_DICTIONARY = resources.files("pipelines.text") / "data" / "domain_dict.txt"

# A sentence ends at 。！？ (and their ASCII forms, and ……) plus any closing quotes or brackets that
# follow, or at a line break: headings and captions are lines without terminal punctuation.
_SENTENCE_END = re.compile(r"(?:[。！？!?]+|……|\.{3,}|…)[”’」』）)\]]*|\n")
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """The process's one jieba tokenizer: its dictionary takes about a second to load, so never per article."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    # an open file rather than a path: given a path, jieba opens the file and never closes it
    with resources.as_file(DOMAIN_DICTIONARY) as path, path.open("rb") as handle:
        tok.load_userdict(handle)
    return tok


@lru_cache(maxsize=1)
def pos_tokenizer() -> jieba.posseg.POSTokenizer:
    """The process's one part-of-speech tagger. It must be shared: jieba hands the domain dictionary's tags to the
    first tagger built on a tokenizer and clears them, so a second tagger would tag 刑事警情 as "x" (unknown)."""
    return jieba.posseg.POSTokenizer(tokenizer())


def split_sentences(text: str) -> list[Sentence]:
    """Non-empty sentences with their spans in `text`; surrounding whitespace is trimmed from each."""
    sentences: list[Sentence] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        _append_trimmed(sentences, text, pos, match.end())
        pos = match.end()
    _append_trimmed(sentences, text, pos, len(text))
    return sentences


def _append_trimmed(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    out.append(Sentence(start + lead, start + lead + len(stripped), stripped))


def tokenize(text: str) -> list[Token]:
    """Accurate-mode tokens with their spans (HMM on, so unseen names still come out as words)."""
    return [Token(start, end, word) for word, start, end in tokenizer().tokenize(text) if _WORD.search(word)]


def search_tokens(text: str) -> list[str]:
    """Search-mode tokens: every dictionary word inside a long token too (老人 inside 老人家)."""
    return [word for word in tokenizer().cut_for_search(text) if _WORD.search(word)]
