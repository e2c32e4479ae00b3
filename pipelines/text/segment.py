"""Sentences and jieba tokens, with the domain dictionary kept in `pipelines/text/data/domain_dict.txt`.

The tokens are jieba 0.42.1's, token for token and tag for tag, but the dictionary route through each block (the
DAG and its best path: most of jieba's time, in pure Python) comes from jieba-rs (`rjieba`), which loads the same
dictionary. Only the runs of single characters that are no dictionary word still go through jieba's own hidden
Markov models (`finalseg` for words, `posseg`'s for tagged words), exactly as jieba does. Why not rjieba's own HMM
and tags: they differ from jieba's (it keeps 这是, 98% and 2023-12-20 whole, tags 个 `q` where jieba's tagger says
`m`, a lone digit `m` and a lone letter `eng` where jieba says `x`), and the extraction rules read jieba's; the
figures are in docs/extraction.md ("Segmenter: jieba 0.42.1 vs jieba-rs").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jieba
import jieba.finalseg
import jieba.posseg
import rjieba

DOMAIN_DICTIONARY = resources.files("pipelines.text") / "data" / "domain_dict.txt"

# A sentence ends at 。！？ (and their ASCII forms, and ……) plus any closing quotes or brackets that
# follow, or at a line break: headings and captions are lines without terminal punctuation.
_SENTENCE_END = re.compile(r"(?:[。！？!?]+|……|\.{3,}|…)[”’」』）)\]]*|\n")
_WORD = re.compile(r"\w", re.UNICODE)
_ASCII_RUN = re.compile(r"[a-zA-Z0-9]+")
# A dictionary entry no block of text can contain (blocks hold only Han, ASCII letters and digits and +#&._%-):
# it keeps jieba-rs's total frequency equal to jieba's, see `Tokenizer.add_word`.
_TOTAL_PAD = "\x00total"
# Runs of single characters that are no dictionary word, remembered with what jieba's HMM made of them: the same
# names and phrases recur across a batch, and the HMM (pure Python) is what the tagger now spends its time on.
_HMM_RUNS = 1 << 15


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


class Tokenizer(jieba.Tokenizer):
    """jieba 0.42.1's tokenizer (its API, `FREQ` and HMM) with the dictionary route computed by jieba-rs.

    jieba's `cut` splits a sentence into blocks and hands each to `__cut_DAG` (HMM on) or `__cut_DAG_NO_HMM`; only
    those two are replaced. jieba-rs's cut without HMM is jieba's route with runs of single ASCII letters and digits
    joined, so `_route` splits those runs again, and the HMM step then treats the route as jieba does.
    """

    def __init__(self) -> None:
        super().__init__()
        self.fast = rjieba.Jieba()
        self._pad = 0
        self._hmm_words = lru_cache(maxsize=_HMM_RUNS)(lambda run: tuple(jieba.finalseg.cut(run)))

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Add to both dictionaries. jieba adds the new frequency to its total without taking an old one off
        (派出所 is in both dictionaries); jieba-rs takes it off, so a pad entry puts the difference back and the
        route probabilities, which divide by the total, stay jieba's."""
        self.check_initialized()
        old = self.FREQ.get(word, 0)
        super().add_word(word, freq, tag)  # a frequency of 0 changes how finalseg splits: forget what it said
        self._hmm_words.cache_clear()
        self.fast.add_word(word, self.FREQ[word], tag)
        if old:
            self._pad += old
            self.fast.add_word(_TOTAL_PAD, self._pad, None)

    def _route(self, block: str) -> list[str]:
        """The words of jieba's best path through one block, single characters one by one."""
        steps: list[str] = []
        for word in self.fast.cut(block, False):
            # a run of single-character steps that jieba-rs joined (neither dictionary has a word of ASCII letters
            # and digits alone, so a run that is a word could only come from words added later)
            if len(word) > 1 and _ASCII_RUN.fullmatch(word) and not self.FREQ.get(word):
                steps.extend(word)
            else:
                steps.append(word)
        return steps

    def _Tokenizer__cut_DAG_NO_HMM(self, sentence: str) -> list[str]:  # noqa: N802 - jieba's private name
        self.check_initialized()
        return self.fast.cut(sentence, False)

    def _Tokenizer__cut_DAG(self, sentence: str) -> Iterator[str]:  # noqa: N802 - jieba's private name
        self.check_initialized()
        for word, run in _words_and_runs(self._route(sentence)):
            if run:
                yield from self._single_run(word)
            else:
                yield word

    def _single_run(self, buf: str) -> Iterator[str]:
        if len(buf) == 1:
            yield buf
        elif not self.FREQ.get(buf):
            yield from self._hmm_words(buf)
        else:
            yield from buf


def _words_and_runs(route: list[str]) -> Iterator[tuple[str, bool]]:
    """The route's words of two or more characters as they are, and each run of single characters joined, flagged
    True: jieba's two __cut_DAG loops send such runs to an HMM, the tokenizer's and the tagger's."""
    buf = ""
    for word in route:
        if len(word) == 1:
            buf += word
            continue
        if buf:
            yield buf, True
            buf = ""
        yield word, False
    if buf:
        yield buf, True


class POSTokenizer(jieba.posseg.POSTokenizer):
    """jieba 0.42.1's part-of-speech tagger over `Tokenizer`'s route: tags from jieba's dictionary, runs of single
    characters that are no word through jieba's POS HMM, as `posseg.__cut_DAG` does."""

    tokenizer: Tokenizer

    def __init__(self, tok: Tokenizer) -> None:
        super().__init__(tok)
        self._hmm_words = lru_cache(maxsize=_HMM_RUNS)(lambda run: tuple(self._POSTokenizer__cut_detail(run)))

    def _POSTokenizer__cut_DAG(self, sentence: str) -> Iterator[jieba.posseg.pair]:  # noqa: N802
        self.tokenizer.check_initialized()
        tags = self.word_tag_tab
        for word, run in _words_and_runs(self.tokenizer._route(sentence)):
            if run:
                yield from self._single_run(word)
            else:
                yield jieba.posseg.pair(word, tags.get(word, "x"))

    def _single_run(self, buf: str) -> Iterator[jieba.posseg.pair]:
        tags = self.word_tag_tab
        if len(buf) == 1:
            yield jieba.posseg.pair(buf, tags.get(buf, "x"))
        elif not self.tokenizer.FREQ.get(buf):
            yield from self._hmm_words(buf)
        else:
            for char in buf:
                yield jieba.posseg.pair(char, tags.get(char, "x"))

    def _POSTokenizer__cut_DAG_NO_HMM(self, sentence: str) -> Iterator[jieba.posseg.pair]:  # noqa: N802
        self.tokenizer.check_initialized()
        buf = ""
        for word in self.tokenizer._route(sentence):
            if jieba.posseg.re_eng1.match(word):
                buf += word
                continue
            if buf:
                yield jieba.posseg.pair(buf, "eng")
                buf = ""
            yield jieba.posseg.pair(word, self.word_tag_tab.get(word, "x"))
        if buf:
            yield jieba.posseg.pair(buf, "eng")


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """The process's one tokenizer: its dictionaries take about a second to load, so never per article."""
    jieba.setLogLevel(logging.WARNING)
    tok = Tokenizer()
    # an open file rather than a path: given a path, jieba opens the file and never closes it
    with resources.as_file(DOMAIN_DICTIONARY) as path, path.open("rb") as handle:
        tok.load_userdict(handle)
    return tok


@lru_cache(maxsize=1)
def pos_tokenizer() -> POSTokenizer:
    """The process's one part-of-speech tagger. It must be shared: jieba hands the domain dictionary's tags to the
    first tagger built on a tokenizer and clears them, so a second tagger would tag 刑事警情 as "x" (unknown)."""
    return POSTokenizer(tokenizer())


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
