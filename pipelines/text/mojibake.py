"""Detect and repair GBK mojibake runs and broken HTML entities in article text.

How the damage arises (worked out from the seed articles): the pages were GBK byte streams into which a
converter inserted ASCII (pinyin glosses such as ``(yōu)``, entities such as ``&ldquo;``) or from which a
byte was lost. From that point the decoder paired every byte with the wrong neighbour - the *trail* byte of
one character with the *lead* byte of the next - and produced fluent-looking nonsense (``鞍斯ぷ鞣ā睂``)
until the next ASCII byte put it back in step. Three more things happened on the way:

* a shifted pair that fell in GBK's user-defined (private) area was silently dropped, taking one byte of each
  of two real characters with it;
* an undecodable pair, or a lone byte, became ``?`` (sometimes swallowing the ASCII byte after it, e.g. the
  ``&`` of ``&ldquo;`` or the ``(`` of a gloss);
* full-width ``！；：`` were folded to ASCII afterwards, so ``!`` inside a run is really the pair A3 A1.

Repair therefore re-encodes the run as GBK, restores the lost lead byte in front, re-pairs the bytes and
decodes again. Which byte was lost, and where private-area pairs vanished, is decided by a small noisy-channel
search scored with a character-bigram model. The model is built from jieba's ``dict.txt`` (installed with
jieba, so it works offline, needs no new dependency, and its word frequencies give character co-occurrence
for free) plus bigrams of the article itself (articles repeat their practice names, which is what pins down
a half-lost ``包菜工作法``). A character of which only one byte survives is filled in only when it forms a
dictionary word with a neighbour and the model is clearly sure; a decoded character that pairs with neither
neighbour (two halves glued across a vanished pair nobody could place) is not trusted either. Both become U+FFFD:
marked and counted, never a plausible stand-in. Runs that yield nothing usable are reported, not replaced.

Limits: the six seed runs are the test bed. On synthetic damage with two vanished pairs in a row, or where the
run's first character is itself plausible text, the start can be misplaced and a character guessed wrongly.
"""

from __future__ import annotations

import bisect
import dataclasses
import html.entities
import logging
import math
import operator
import pickle
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from pathlib import Path

from pipelines.text.offsets import Replacement
from pipelines.text.pinyin_gloss import find_pinyin_glosses
from pipelines.text.simplify import SIMPLIFIED_CONFIG, convert

LOST = "\ufffd"

# Full-width punctuation that the publisher folded to ASCII after decoding; inside a run these are GBK pairs.
_FOLDED = {"!": b"\xa3\xa1", ";": b"\xa3\xbb", ":": b"\xa3\xba"}
_UNKNOWN = "?"  # stands for one byte the decoder could not place
# Lead bytes of GBK's user-defined areas (AAA1-AFFE, F8A1-FEFE): a shifted pair starting with one was dropped.
_PUA_LEADS = tuple(range(0xAA, 0xB0)) + tuple(range(0xF8, 0xFF))
_ALL_LEADS = tuple(range(0x81, 0xFF))
_ALL_TRAILS = tuple(range(0x40, 0x7F)) + tuple(range(0x80, 0xFF))
_HIGH = tuple(range(0xA1, 0xFF))

_P_UNK = 1e-8  # probability of a character the model has never seen
_P_LOST = 3e-4  # a lost character is some ordinary character: score it like an average one
_P_RARE = 1e-6  # below this a character is not expected in news text
_P_COMMON = 1e-3  # above this a character (的, 为, 后 …) is a function word or close to one
_DROP_COST = 4.0  # nats: about 4% of shifted pairs land in the private area, so a drop needs evidence
_INFER_SHARE = 0.6  # posterior share a guessed character needs (among all its byte-compatible rivals)
_START_SLACK = 4  # characters before an odd one where a run may begin (its first few can look ordinary)
_RUN_GAIN = 8.0  # nats realignment must gain over the text as it stands to call a span a run
_GAIN_PER_CHAR = 1.0
_PINYIN_RESIDUE = re.compile(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)$")


@dataclass(frozen=True)
class MojibakeRun:
    """One out-of-step stretch of text: where it is, what it says, and what the bytes allow it to say."""

    start: int
    end: int
    original: str
    repaired: str | None  # None: nothing recoverable; flag the span instead of replacing it
    recovered_chars: int  # characters of `repaired` that are real text (exact or confidently inferred)
    lost_chars: int  # LOST markers in `repaired` (characters whose bytes are gone)
    inferred_chars: int = 0  # of recovered_chars, those rebuilt from one surviving byte plus the model
    residue_start: int | None = None  # start of a swallowed gloss like "?yōu)" just before the run, if any

    @property
    def replace_start(self) -> int:
        return self.start if self.residue_start is None else self.residue_start

    def to_replacement(self) -> Replacement | None:
        """The replacement for a recovered run (None when the run is flagged only)."""
        if self.repaired is None:
            return None
        return Replacement(self.replace_start, self.end, self.repaired, "mojibake")


@dataclass(frozen=True)
class DamageReport:
    """Everything `repair_damage` found; `replacements` are non-overlapping and ready for apply_replacements."""

    replacements: list[Replacement]
    runs: list[MojibakeRun]
    entities_fixed: int
    unrecoverable: list[tuple[int, int]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- language model


_HANS: dict[str, str] = {}  # a plain dict, not lru_cache: this is called millions of times per batch
_HANS_TABLE: dict[int, str] = {}  # the same, for str.translate: only the characters that change
_HANS_CHANGED: set[str] = set()  # those characters (most articles have none: no translate needed)


def _hans(ch: str) -> str:
    """The Simplified form of one character (the model's counts are Simplified)."""
    try:
        return _HANS[ch]
    except KeyError:
        out = convert(ch, SIMPLIFIED_CONFIG) if len(ch) == 1 else ch
        _HANS[ch] = out if len(out) == 1 else ch
        if len(ch) == 1 and _HANS[ch] != ch:
            _HANS_TABLE[ord(ch)] = _HANS[ch]
            _HANS_CHANGED.add(ch)
        return _HANS[ch]


def _hans_text(text: str) -> str:
    """`_hans` of every character (a translate, not a join over a generator: whole articles go through this)."""
    chars = set(text)
    for ch in chars.difference(_HANS):
        _hans(ch)
    return text if chars.isdisjoint(_HANS_CHANGED) else text.translate(_HANS_TABLE)


@lru_cache(maxsize=1)
def _jieba_counts() -> tuple[Counter[str], Counter[str], int]:
    """Character and character-bigram counts implied by jieba's word-frequency dictionary (Simplified)."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    stat = path.stat()
    cache = Path.home() / ".cache" / "fengqiao" / f"jieba_chars_{stat.st_size}_{int(stat.st_mtime)}.pickle"
    try:
        with cache.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            word, freq = parts[0], int(parts[1])
            for ch in word:
                uni[ch] += freq
            for i in range(len(word) - 1):
                bi[word[i : i + 2]] += freq
    counts = (uni, bi, sum(uni.values()))
    try:  # a derived cache outside the repository; rebuilding it takes a couple of seconds
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump(counts, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass
    return counts


_PUNCT = "。，、；：？！“”‘’（）《》—…·「」"
_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _dictionary_neighbours() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Per character, the characters that follow it and that precede it inside some dictionary word: set
    membership instead of building and looking up a bigram string, for each of a lost byte's 126 values."""
    _, bi, _ = _jieba_counts()
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for pair, count in bi.items():
        if count > 0:
            after.setdefault(pair[0], set()).add(pair[1])
            before.setdefault(pair[1], set()).add(pair[0])
    return {c: frozenset(v) for c, v in after.items()}, {c: frozenset(v) for c, v in before.items()}


def load_language_model() -> None:
    """Build the bigram tables now rather than at the first damaged run (the pool's fork server does this, so
    every worker shares one copy)."""
    _dictionary_neighbours()
    _segment_pattern()


@lru_cache(maxsize=8192)
def _option_forms(options: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]:
    """The Simplified form of each candidate character, its dictionary share of `_Model.unigram`, and its whole
    `_Model.unigram` while the article has none of it (as most of a lost byte's 126 candidates)."""
    uni, _, total = _jieba_counts()
    simplified = tuple(_hans(c) for c in options)
    shares = tuple(0.7 * uni.get(h, 0) / total for h in simplified)
    return simplified, shares, tuple(_unigram_floors(h, share) for h, share in zip(simplified, shares, strict=True))


def _unigram_floors(ch: str, p: float) -> float:
    """`p` with `_Model.unigram`'s floors for punctuation and unknowns."""
    if ch in _PUNCT:
        p = max(p, 0.01)
    return max(p, _P_UNK)


def _bigrams(text: str) -> Iterable[str]:
    """Every two-character substring, in order (`map` over the two offsets runs in C)."""
    return map(operator.add, text, text[1:])


class _Model:
    """Interpolated character-bigram model: jieba's dictionary plus the article's own text."""

    def __init__(self, document: str) -> None:
        self.uni, self.bi, self.total = _jieba_counts()
        doc = _hans_text(document)
        self.doc_uni = Counter(doc)
        self.doc_bi = Counter(_bigrams(doc))
        self.doc_total = max(len(doc), 1)
        self.seen = set(self.doc_uni)  # the characters whose article count is above zero
        # Scores memoised while the article counts stay put: finding where a run starts scores the same
        # suffix of a paragraph once per candidate start, so most pairs are asked for many times.
        self._logp: dict[tuple[str, str], float] = {}
        self._unigram: dict[str, float] = {}
        self.guesses: dict[tuple[tuple[str, ...], str, str], str | None] = {}  # `_Repairer._guess`
        self.pair_guesses: dict[tuple[tuple[str, ...], tuple[str, ...], str, str], tuple[str, str] | None] = {}

    def exclude(self, text: str) -> None:
        """Stop the span under test from vouching for itself."""
        doc = _hans_text(text)
        self.doc_uni.subtract(doc)
        self.doc_bi.subtract(_bigrams(doc))
        self._recount(doc)
        self._forget()

    def include(self, text: str) -> None:
        doc = _hans_text(text)
        self.doc_uni.update(doc)
        self.doc_bi.update(_bigrams(doc))
        self._recount(doc)
        self._forget()

    def _recount(self, doc: str) -> None:
        """Keep `seen` in step with the counts of the characters just changed."""
        for ch in set(doc):
            if self.doc_uni[ch] > 0:
                self.seen.add(ch)
            else:
                self.seen.discard(ch)

    def _forget(self) -> None:
        """Drop the memoised scores: the article counts they came from have changed."""
        self._logp.clear()
        self._unigram.clear()
        self.guesses.clear()
        self.pair_guesses.clear()

    def unigram(self, ch: str) -> float:
        try:
            return self._unigram[ch]
        except KeyError:
            p = _P_LOST if ch == LOST else self.unigram_given(ch, 0.7 * self.uni.get(ch, 0) / self.total)
            self._unigram[ch] = p
            return p

    def unigram_given(self, ch: str, dictionary_share: float) -> float:
        """`unigram` of a Simplified character whose dictionary share is known (cached per candidate tuple by
        `_option_forms`): the dictionary's 0.7 plus the article's 0.3, with floors for punctuation and unknowns."""
        seen = self.doc_uni.get(ch, 0)
        return _unigram_floors(ch, dictionary_share + 0.3 * seen / self.doc_total if seen > 0 else dictionary_share)

    def logp(self, prev: str, ch: str) -> float:
        key = (prev, ch)
        try:
            return self._logp[key]
        except KeyError:
            self._logp[key] = p = self._bigram_logp(prev, ch)
            return p

    def _bigram_logp(self, prev: str, ch: str) -> float:
        prev, ch = _hans(prev), _hans(ch)
        pu = self.unigram(ch)
        if LOST in (prev, ch):
            return math.log(pu)
        pj = self.bi.get(prev + ch, 0) / self.uni[prev] if self.uni.get(prev) else 0.0
        dp = max(self.doc_uni.get(prev, 0), 0)
        pd = max(self.doc_bi.get(prev + ch, 0), 0) / dp if dp else 0.0
        return math.log(0.45 * pj + 0.35 * pd + 0.2 * pu)

    def supported(self, prev: str, ch: str) -> bool:
        """Whether the pair is attested (in the dictionary or elsewhere in the article), not just plausible."""
        pair = _hans(prev) + _hans(ch)
        return self.bi.get(pair, 0) > 0 or self.doc_bi.get(pair, 0) > 0

    def score(self, text: str) -> float:
        return sum(self.logp(a, b) for a, b in zip(text, text[1:], strict=False))


# ------------------------------------------------------------------------------------------- byte-level model


_PAIR_BYTES: dict[str, bytes | None] = {}  # a plain dict: asked of every character of every article


def _pair_bytes(ch: str) -> bytes | None:
    """GBK bytes of a character that could be a mis-paired double byte (None when it cannot be)."""
    try:
        return _PAIR_BYTES[ch]
    except KeyError:
        _PAIR_BYTES[ch] = raw = _gbk_pair(ch)
        return raw


def _gbk_pair(ch: str) -> bytes | None:
    if ch in _FOLDED:
        return _FOLDED[ch]
    if ord(ch) < 0x80:
        return None
    try:
        raw = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return raw if len(raw) == 2 else None


@lru_cache(maxsize=131072)
def _decode_pair(lead: int, trail: int) -> str | None:
    try:
        out = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return out if len(out) == 1 and ord(out) >= 0x80 else None


Slot = tuple[int, ...]  # the values a byte may take: one when seen, many when lost


@lru_cache(maxsize=65536)
def _candidates(lead: Slot, trail: Slot) -> tuple[str, ...]:
    """Characters a lead/trail slot pair can decode to (cached: slots repeat, and a lost byte has 126 values)."""
    return tuple(sorted({c for a in lead for b in trail if (c := _decode_pair(a, b)) is not None}))


def _slots(run: str, trail_byte: str | None, lead_lost: bool) -> tuple[list[Slot], list[int]] | None:
    """The byte slots of a run in the original alignment (unknown lead first), and the slot indices that
    fall between two intact double-byte characters of the run (where a private-area pair may have vanished)."""
    slots: list[Slot] = [_ALL_LEADS] if lead_lost else []
    boundaries: list[int] = []
    prev_pair = False
    for ch in run:
        if ch == _UNKNOWN:
            slots.append(_ALL_LEADS if len(slots) % 2 == 0 else _ALL_TRAILS)
            prev_pair = False
            continue
        raw = _pair_bytes(ch)
        if raw is None:
            return None
        if prev_pair:
            boundaries.append(len(slots))
        slots.extend((b,) for b in raw)
        prev_pair = True
    if trail_byte is not None:
        slots.append((ord(trail_byte),))
    return slots, boundaries


def _with_drops(slots: list[Slot], drops: Iterable[int]) -> list[Slot]:
    """Insert a vanished private-area pair before slot index i for each i in drops."""
    out = list(slots)
    for i in sorted(drops, reverse=True):
        out[i:i] = [_PUA_LEADS, _HIGH]
    return out


class _Repairer:
    def __init__(self, model: _Model, left: str, right: str) -> None:
        self.model = model
        self.left = left[-1:] or "。"
        self.right = right[:1] or "。"

    def decode(self, slots: list[Slot], passes: int = 1) -> tuple[str, int, int]:
        """Best text for a slot sequence: (text, chars inferred from one byte, chars lost)."""
        pairs = [(slots[i], slots[i + 1] if i + 1 < len(slots) else _ALL_TRAILS) for i in range(0, len(slots), 2)]
        cands = [_candidates(a, b) for a, b in pairs]
        fixed = [
            c[0] if len(c) == 1 and len(a) == 1 and len(b) == 1 else None
            for c, (a, b) in zip(cands, pairs, strict=True)
        ]
        chars = [f if f is not None else LOST for f in fixed]
        # the two halves a vanished pair leaves are decided together first: alone, each grabs whatever fits
        # one neighbour ("警校" came out as "均。")
        inferred = self._infer_pairs(chars, cands, pairs)
        for i, options in list(enumerate(cands)) * passes:  # a second pass sees neighbours inferred later
            if fixed[i] is not None or chars[i] != LOST:
                continue
            if len(options) == 1 and 1 in (len(pairs[i][0]), len(pairs[i][1])):
                chars[i] = options[0]
                inferred += 1
                continue
            prev = chars[i - 1] if i else self.left
            nxt = chars[i + 1] if i + 1 < len(chars) else self.right
            known = sum(len(s) == 1 for s in pairs[i])
            if not options or known == 0:
                continue
            guess = self._guess(options, prev, nxt)
            if guess is not None:
                chars[i] = guess
                inferred += 1
        return "".join(chars), inferred, chars.count(LOST)

    def _guess(self, options: tuple[str, ...], prev: str, nxt: str) -> str | None:
        """The character one surviving byte most likely belonged to between `prev` and `nxt`, or None when the
        evidence is too weak. Memoised on the model: a run's start is searched by decoding the same paragraph
        suffix once per candidate start, so the same gap between the same neighbours comes back many times."""
        key = (options, prev, nxt)
        guesses = self.model.guesses
        if key not in guesses:
            guesses[key] = self._weigh(options, prev, nxt)
        return guesses[key]

    def _weigh(self, options: tuple[str, ...], prev: str, nxt: str) -> str | None:
        def around(c: str, prev: str = prev, nxt: str = nxt) -> float:
            return self.model.logp(prev, c) + self.model.logp(c, nxt)

        # a character rebuilt from one byte must form a dictionary word with a neighbour: the article's own
        # bigrams vouched for "警。”" where the bytes said "警校”"
        forms, shares, unseen = _option_forms(options)
        attested = self._vouched(prev, options, forms, nxt)
        if not attested:
            return None
        scores = {c: around(c) for c in attested}
        best = max(scores, key=scores.__getitem__)
        top = scores[best]
        # unattested rivals still share the probability mass; their bigrams are all back-off, so the
        # unigram estimate is what logp would give them anyway
        base = math.log(0.2) * 2 + math.log(self.model.unigram(_hans(nxt)))
        # a rival the article lacks has its unigram cached (most of the 126): start from those and redo the few
        # the article has, then drop the attested ones; summed in the same order as one pass over the options
        terms = list(unseen)
        seen = self.model.seen
        for i in compress(range(len(forms)), map(seen.__contains__, forms)):
            terms[i] = self.model.unigram_given(forms[i], shares[i])
        for i in sorted((options.index(c) for c in scores), reverse=True):
            del terms[i]
        rivals = math.exp(base - top) * sum(terms)
        share = 1.0 / (sum(math.exp(v - top) for v in scores.values()) + rivals)
        return best if share >= _INFER_SHARE and top >= around(LOST) else None

    def _vouched(self, prev: str, options: Sequence[str], forms: Sequence[str], nxt: str) -> list[str]:
        """The options that form a dictionary word with `prev` or `nxt`: stronger evidence than the article's own
        text. By set membership, since this runs for each of the 126 values a lost byte can take."""
        after, before = _dictionary_neighbours()
        follows, precedes = after.get(_hans(prev), _NONE), before.get(_hans(nxt), _NONE)
        either = map(operator.or_, map(follows.__contains__, forms), map(precedes.__contains__, forms))
        return list(compress(options, either))

    def _infer_pairs(self, chars: list[str], cands: list[tuple[str, ...]], pairs: list[tuple[Slot, Slot]]) -> int:
        """Fill two neighbouring half-known characters (what a vanished pair leaves) when they form an
        attested pair: alone neither has a known neighbour to lean on."""
        filled = 0
        pair_guesses = self.model.pair_guesses
        for i in range(len(chars) - 1):
            if chars[i] != LOST or chars[i + 1] != LOST:
                continue
            if pairs[i][1] != _PUA_LEADS or pairs[i + 1][0] != _HIGH:
                continue  # only the two halves a vanished private-area pair leaves behind
            prev = chars[i - 1] if i else self.left
            nxt = chars[i + 2] if i + 2 < len(chars) else self.right
            # memoised like `_guess`: placing the vanished pairs of a run decodes it once per candidate place,
            # and every decode weighs again the pairs already placed
            key = (cands[i], cands[i + 1], prev, nxt)
            if key not in pair_guesses:
                pair_guesses[key] = self._weigh_pair(cands[i], cands[i + 1], prev, nxt)
            best = pair_guesses[key]
            if best is not None:
                chars[i], chars[i + 1] = best
                filled += 2
        return filled

    def _weigh_pair(
        self, first: tuple[str, ...], second: tuple[str, ...], prev: str, nxt: str
    ) -> tuple[str, str] | None:
        """The two characters a vanished pair's halves most likely belonged to, or None when unsure."""
        # same standard of evidence as a single guess: a dictionary word, or attested on every side
        # (`_Model.supported` inlined: up to 12 x 94 pairs for every place a pair may have vanished)
        bi, doc_bi, hp, hn = self.model.bi, self.model.doc_bi, _hans(prev), _hans(nxt)
        firsts = [(a, ha := _hans(a), bi.get(hp + ha, 0) > 0 or doc_bi.get(hp + ha, 0) > 0) for a in first]
        seconds = [(b, hb := _hans(b), bi.get(hb + hn, 0) > 0 or doc_bi.get(hb + hn, 0) > 0) for b in second]
        after, _ = _dictionary_neighbours()  # `hb in after[ha]` is `bi[ha + hb] > 0` without building the pair
        combos = [
            (a, b)
            for a, ha, left_ok in firsts
            for follows in (after.get(ha, _NONE),)
            for b, hb, right_ok in seconds
            if hb in follows or (left_ok and right_ok and doc_bi.get(ha + hb, 0) > 0)
        ]
        if not combos:
            return None

        def joint(a: str, b: str) -> float:
            m = self.model
            return m.logp(prev, a) + m.logp(a, b) + m.logp(b, nxt)

        scores = {c: joint(*c) for c in combos}
        best = max(scores, key=scores.__getitem__)
        top = scores[best]
        share = 1.0 / sum(math.exp(v - top) for v in scores.values())
        return best if share >= _INFER_SHARE and top >= joint(LOST, LOST) else None

    def repair(self, slots: list[Slot], boundaries: Sequence[int]) -> tuple[str, int, int]:
        """Choose where private-area pairs vanished (greedy, left to right) and decode."""
        drops: list[int] = []
        best = self.decode(slots)
        best_score = self._score(best[0])
        for i in boundaries:
            trial = self.decode(_with_drops(slots, [*drops, i]))
            score = self._score(trial[0])
            if score > best_score + _DROP_COST:
                drops.append(i)
                best, best_score = trial, score
        text, inferred, _ = self.decode(_with_drops(slots, drops), passes=2)
        text = self._unmoored_to_lost(text)
        return text, inferred, text.count(LOST)

    def _unmoored_to_lost(self, text: str) -> str:
        """A character that forms an attested pair with neither neighbour is most likely two halves of different
        characters glued by a vanished pair nobody could place ("警校" read as "荆"): mark it lost, not wrong."""
        padded = self.left + text + self.right
        out = list(text)
        for i, ch in enumerate(text):
            if ch == LOST or ch in _PUNCT or self.model.unigram(_hans(ch)) >= _P_COMMON:
                continue  # function words pair with anything, so their lack of attested pairs says nothing
            prev, nxt = padded[i], padded[i + 2]
            if prev in _PUNCT or nxt in _PUNCT:
                continue  # a clause edge: one side is all the context there is
            if not (self.model.supported(prev, ch) or self.model.supported(ch, nxt)):
                out[i] = LOST
        return "".join(out)

    def _score(self, text: str) -> float:
        return self.model.score(self.left + text + self.right)


# --------------------------------------------------------------------------------------------- run detection


_ODD: dict[str, bool] = {}  # `_is_odd` depends on the character alone and is asked of most characters


def _is_odd(ch: str) -> bool:
    """Characters that rarely occur in news text but are what shifted GBK pairs typically decode to."""
    try:
        return _ODD[ch]
    except KeyError:
        o = ord(ch)
        if 0x3400 <= o <= 0x9FFF:
            uni, _, total = _jieba_counts()
            odd = uni.get(_hans(ch), 0) / total < 5e-6
        else:
            odd = o >= 0x80 and ch not in _PUNCT and ch not in "‘’“”…—·" and _pair_bytes(ch) is not None
        _ODD[ch] = odd
        return odd


def _segments(text: str) -> list[tuple[int, int]]:
    """Maximal stretches that could be a mis-paired byte stream (they stop at real ASCII and line breaks)."""
    return [m.span() for m in _segment_pattern().finditer(text)]


@lru_cache(maxsize=1)
def _segment_pattern() -> re.Pattern[str]:
    """Runs of the characters a stretch is made of: "?" and every character `_pair_bytes` has bytes for (only
    BMP characters can be; the GBK codec has no four-byte forms). A regex finds them in C; a loop asked
    `_pair_bytes` of every character of every article."""
    ok = [o for o in range(0x10000) if chr(o) == _UNKNOWN or _gbk_pair(chr(o)) is not None]
    ranges: list[tuple[int, int]] = []
    for o in ok:
        if ranges and ranges[-1][1] == o - 1:
            ranges[-1] = (ranges[-1][0], o)
        else:
            ranges.append((o, o))
    members = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{members}]+")


def _realign_quick(chunk: str, trail: str | None, repairer: _Repairer) -> str:
    """Re-pair a chunk with a lost lead byte, without looking for vanished pairs. Implausible results count
    as lost, since a vanished private-area pair leaves exactly one such character behind."""
    got = _slots(chunk, trail, lead_lost=not chunk.startswith(_UNKNOWN))
    if got is None:
        return chunk
    text = repairer.decode(got[0])[0]
    return "".join(c if repairer.model.unigram(_hans(c)) >= _P_RARE else LOST for c in text)


def _trail_after(chunk: str, nxt: str) -> str | None:
    """The ASCII character after a run when it is the run's missing trail byte (0x40-0x7E)."""
    slot_len = sum(1 if c == _UNKNOWN else 2 for c in chunk) + (not chunk.startswith(_UNKNOWN))
    return nxt if slot_len % 2 and nxt and 0x40 <= ord(nxt) <= 0x7E else None


def _best_start(
    text: str, model: _Model, seg_start: int, seg_end: int, floor: int = 0, exact: bool = True
) -> tuple[int | None, float]:
    """Where in a segment realignment pays off most, and by how many nats.

    With `exact` False the answer may be (None, 0.0) for a segment no start of which can reach `_RUN_GAIN`:
    whichever start is best, it is not a run.
    """
    seg = text[seg_start:seg_end]
    nxt = text[seg_end : seg_end + 1]
    residue = _PINYIN_RESIDUE.search(text[max(floor, seg_start - 8) : seg_start])  # never inside an earlier run
    left_pos = seg_start - (len(residue.group(0)) if residue else 0)
    left = text[max(left_pos - 1, 0) : left_pos]
    best_gain, best_s = 0.0, None
    # A run starts at, or just before, the first odd character it produced. Trying only those starts keeps this
    # linear: with full-width punctuation a segment is a whole paragraph, and every start is a full decode.
    odd = [i for i, ch in enumerate(seg) if _is_odd(ch)]
    starts = sorted({s for i in odd for s in range(max(0, i - _START_SLACK), i + 1)})
    shared = None
    bounds = [math.inf] * len(starts)
    if _UNKNOWN not in seg:
        shared = _SharedRealignment(seg, nxt, text[seg_end : seg_end + 2], model, starts[0])
        ctx0 = left[-1:] or "。"
        bounds = [shared.gain_bound(s, ctx0) if s or not residue else math.inf for s in starts]
        if not exact and max(bounds) < _RUN_GAIN - _BOUND_SLACK:
            return None, 0.0
    for s, bound in zip(starts, bounds, strict=True):
        if bound < best_gain - _BOUND_SLACK:
            continue  # cannot beat the best start so far
        if shared is not None and s < len(seg) - 1 and (s or not residue):
            gain = shared.gain(s, left[-1:] or "。")
        else:
            chunk = seg[s:]
            trail = _trail_after(chunk, nxt)
            ctx = (left + seg[:s])[-1:] or "。"
            after = text[seg_end + (1 if trail else 0) : seg_end + (2 if trail else 1)] or "。"
            fixed = _realign_quick(chunk, trail, _Repairer(model, ctx, after))
            raw = ((residue.group(0) if residue and s == 0 else "") + chunk + (trail or "")).replace(_UNKNOWN, LOST)
            gain = model.score(ctx + fixed + after) - model.score(ctx + raw + after)
        if gain > best_gain:
            best_gain, best_s = gain, s
    return best_s, best_gain


# The most one `_Model.logp` can be: log(0.45 pj + 0.35 pd + 0.2 pu) with pj <= 1 (a dictionary pair never outnumbers
# its first character), pu <= 1, and pd <= 2 (with one segment taken out of the article counts, a pair can outnumber
# its first character only by the one pair that straddles the segment's end). Used to bound the gain of a start
# without guessing its lost characters; `_BOUND_SLACK` covers the rounding of sums that are not done in one order.
_LOGP_MAX = math.log(0.45 + 0.35 * 2 + 0.2)
_BOUND_SLACK = 1e-6


class _SharedRealignment:
    """`_realign_quick` and the score difference of `_best_start`, for every start inside one segment at once.

    Realigning the suffix that starts at character s pairs the trail byte of each character with the lead byte
    of the next, so every start of a segment without "?" produces the same characters after its first one; only
    the first (its lead byte lost) and the last (when no ASCII trail byte follows) are guessed, and those guesses
    see one neighbour each. The characters and bigram scores between are worked out once per segment; each
    start then adds up the same terms in the same order as `_Model.score`, so the gain is the same float.
    """

    def __init__(self, seg: str, nxt: str, following: str, model: _Model, first_start: int = 0) -> None:
        self.seg = seg
        self.model = model
        n = len(seg)
        self.trail = _trail_after(seg, nxt)  # a chunk of k >= 1 characters without "?" has 2k + 1 slots
        after_at = 1 if self.trail else 0
        self.after = following[after_at : after_at + 1] or "。"
        raw = [_pair_bytes(ch) for ch in seg]
        self.leads = [b[0] for b in raw]  # type: ignore[index]
        # what each character k >= 1 becomes when re-paired with the byte before it, before and after the
        # rarity check of `_realign_quick`; only from the first start on (the rest is never read: placeholders)
        lo = max(1, first_start)
        self.init = [LOST] * lo + [
            c[0] if len(c := _candidates((raw[k - 1][1],), (raw[k][0],))) == 1 else LOST  # type: ignore[index]
            for k in range(lo, n)
        ]
        self.mapped = [LOST] * lo + [self._rare_to_lost(c) for c in self.init[lo:]]
        logp = model.logp
        self.fixed_terms = [0.0] * lo + [logp(self.mapped[k], self.mapped[k + 1]) for k in range(lo, n - 1)]
        raw_lo = max(0, first_start - 1)
        self.raw_terms = [0.0] * raw_lo + [logp(seg[k], seg[k + 1]) for k in range(raw_lo, n - 1)]
        last = raw[-1][1]  # type: ignore[index]
        self.last_slots: tuple[Slot, Slot] = ((last,), (ord(self.trail),) if self.trail else _ALL_TRAILS)
        self.last_options = _candidates(*self.last_slots)
        trail_terms = [logp(seg[-1], self.trail), logp(self.trail, self.after)] if self.trail else None
        self.raw_tail = trail_terms or [logp(seg[-1], self.after)]
        # with an ASCII trail byte the last character is read, not guessed: its two terms are known
        self.last_fixed = self._rare_to_lost(self.last_options[0] if len(self.last_options) == 1 else LOST)
        self.fixed_tail = [logp(self.last_fixed, self.after)] if self.trail else [_LOGP_MAX]

    def _rare_to_lost(self, c: str) -> str:
        return c if self.model.unigram(_hans(c)) >= _P_RARE else LOST

    def _fill(
        self, slots: tuple[Slot, Slot], options: tuple[str, ...], prev: str, nxt: str, repairer: _Repairer
    ) -> str:
        """`_Repairer.decode`'s choice for one pair with exactly one byte known."""
        if len(options) == 1 and 1 in (len(slots[0]), len(slots[1])):
            return options[0]
        if not options:
            return LOST
        guess = repairer._guess(options, prev, nxt)
        return LOST if guess is None else guess

    def gain_bound(self, s: int, ctx0: str) -> float:
        """At least the gain of realigning seg[s:] (`ctx0`: the character before the segment, for s == 0): each
        term that involves a guessed character counted at `_LOGP_MAX`, the rest as they are."""
        n = len(self.seg)
        if s == 0:
            raw = self.model.logp(ctx0, self.seg[0]) + sum(self.raw_terms) + sum(self.raw_tail)
        else:
            raw = sum(self.raw_terms[s - 1 :]) + sum(self.raw_tail)
        if s == n - 1:  # the first character and the last are both guessed, or the last read after the first
            between = self.model.logp(self.last_fixed, self.after) if self.trail else _LOGP_MAX
            return 2 * _LOGP_MAX + between - raw
        before_last = _LOGP_MAX if not self.trail else self.model.logp(self.mapped[n - 1], self.last_fixed)
        fixed = 2 * _LOGP_MAX + sum(self.fixed_terms[s + 1 : n - 1]) + before_last + self.fixed_tail[0]
        return fixed - raw

    def gain(self, s: int, ctx0: str) -> float:
        """The gain of realigning seg[s:], for s < len(seg) - 1 (a suffix of two characters or more; `ctx0`: the
        character before the segment, for s == 0 when no swallowed gloss precedes it)."""
        seg, model, n = self.seg, self.model, len(self.seg)
        ctx = seg[s - 1] if s else ctx0
        repairer = _Repairer(model, ctx, self.after)
        first_slots: tuple[Slot, Slot] = (_ALL_LEADS, (self.leads[s],))
        first = self._fill(first_slots, _candidates(*first_slots), repairer.left, self.init[s + 1], repairer)
        if self.trail:
            last = self.last_options[0] if len(self.last_options) == 1 else LOST
        else:
            last = self._fill(self.last_slots, self.last_options, self.init[n - 1], repairer.right, repairer)
        head, tail = self._rare_to_lost(first), self._rare_to_lost(last)
        logp = model.logp
        fixed = sum(
            [
                logp(ctx, head),
                logp(head, self.mapped[s + 1]),
                *self.fixed_terms[s + 1 : n - 1],
                logp(self.mapped[n - 1], tail),
                logp(tail, self.after),
            ]
        )
        raw = [*self.raw_terms[s - 1 :], *self.raw_tail] if s else [logp(ctx0, seg[0]), *self.raw_terms, *self.raw_tail]
        return fixed - sum(raw)


def find_mojibake_runs(text: str, debug: list[tuple[int, int, float]] | None = None) -> list[MojibakeRun]:
    """Find out-of-step GBK stretches and repair each as far as its bytes allow."""
    model: _Model | None = None  # built at the first suspect stretch: most articles have none
    runs: list[MojibakeRun] = []
    glosses = _gloss_insides(text)
    odd = frozenset(ch for ch in set(text) if _is_odd(ch))  # asked once per distinct character, not per position
    for seg_start, seg_end in _segments(text):
        seg = text[seg_start:seg_end]
        if odd.isdisjoint(seg) or _inside(glosses, seg_start, seg_end):
            continue
        model = model or _Model(text)
        model.exclude(seg)
        floor = runs[-1].end if runs else 0
        best_s, gain = _best_start(text, model, seg_start, seg_end, floor, exact=debug is not None)
        if debug is not None and best_s is not None:
            debug.append((seg_start + best_s, seg_end, gain))
        if best_s is not None and gain >= max(_RUN_GAIN, _GAIN_PER_CHAR * (len(seg) - best_s)):
            run = _repair_run(text, model, seg_start + best_s, seg_end, floor)
            # Out-of-step bytes decode back to text; a stretch whose bytes would lose more characters than they
            # give may be rare real text (names 袁菡苓, 昱弘): it is flagged, never replaced by what is left.
            if run.recovered_chars < run.lost_chars:
                run = dataclasses.replace(run, repaired=None)
            runs.append(run)
        model.include(seg)
    return runs


def _gloss_insides(text: str) -> list[tuple[int, int]]:
    """The insides of intact pinyin glosses, 區(qū) → "qū", in order.

    Their tone letters are odd characters (shifted GBK pairs decode to them too), so every gloss used to cost
    a trial realignment of its tone letter: most of the repair time of an article without mojibake. A stretch
    that sits between the brackets of a well-formed gloss is a reading, not a run.
    """
    return [(g.start + 1, g.end - 1) for g in find_pinyin_glosses(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect.bisect_right(spans, (start, _MAX_OFFSET)) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]


_MAX_OFFSET = 2**62


def _repair_run(text: str, model: _Model, start: int, end: int, floor: int = 0) -> MojibakeRun:
    chunk = text[start:end]
    lead_lost = not chunk.startswith(_UNKNOWN)
    trail = _trail_after(chunk, text[end : end + 1])
    run_end = end + (1 if trail else 0)
    residue_start = None
    if lead_lost and (m := _PINYIN_RESIDUE.search(text[max(floor, start - 8) : start])):
        residue_start = start - len(m.group(0))
    slots, boundaries = _slots(chunk, trail, lead_lost) or ([], [])
    ctx_start = residue_start if residue_start is not None else start
    repairer = _Repairer(model, text[max(0, ctx_start - 1) : ctx_start], text[run_end : run_end + 1])
    repaired, inferred, lost = repairer.repair(slots, boundaries)
    recovered = len(repaired) - lost
    return MojibakeRun(
        start=start,
        end=run_end,
        original=text[start:run_end],
        repaired=repaired if recovered else None,
        recovered_chars=recovered,
        lost_chars=lost,
        inferred_chars=inferred,
        residue_start=residue_start,
    )


# ------------------------------------------------------------------------------------------ broken entities

# Entity names worth recognising even when the "&" was eaten (by a "?" or by a run): all are distinctive.
_BARE_OK = {"ldquo", "rdquo", "lsquo", "rsquo", "hellip", "mdash", "ndash", "nbsp", "middot", "laquo", "raquo"}
_ENTITY = re.compile(r"(?P<amp>[&?]?)(?P<body>#[0-9]{2,7};|#[xX][0-9a-fA-F]{2,6};|[A-Za-z][A-Za-z0-9]{1,9};)")


def _entity_text(body: str) -> str | None:
    if body.startswith("#"):
        try:
            code = int(body[2:-1], 16) if body[1] in "xX" else int(body[1:-1])
            return chr(code) if 0 < code < 0x110000 else None
        except ValueError:
            return None
    value = html.entities.html5.get(body)
    if value is None:
        return None
    return " " if value == "\xa0" else value


def find_broken_entities(text: str, run_ends: Sequence[int] = ()) -> list[Replacement]:
    """HTML entities left as literal text, including ones whose "&" became "?" or vanished into a run."""
    ends = set(run_ends)
    out: list[Replacement] = []
    for m in _ENTITY.finditer(text):
        amp, body = m.group("amp"), m.group("body")
        value = _entity_text(body)
        if value is None:
            continue
        start = m.start()
        if amp != "&":
            name = body[:-1]
            if name not in _BARE_OK:
                continue
            if amp == "?" and (start in ends or start + 1 in ends):
                start += 1  # that "?" belongs to the run before it; only the name is ours
                amp = ""
            prev = text[start - 1 : start]
            if not amp and start not in ends and (not prev or prev.isascii()):
                continue  # a bare name after ASCII is more likely English than a broken entity
        out.append(Replacement(start, m.end(), value, "entity"))
    return out


# --------------------------------------------------------------------------------------------- entry point


def repair_damage(text: str) -> DamageReport:
    """Find mojibake runs and broken entities in raw body text; return non-overlapping repairs."""
    runs = find_mojibake_runs(text)
    run_reps = [r for run in runs if (r := run.to_replacement()) is not None]
    entities = find_broken_entities(text, [run.end for run in runs])
    taken = [(r.start, r.end) for r in run_reps]
    kept = [e for e in entities if all(e.end <= s or e.start >= t for s, t in taken)]
    for run in runs:
        if run.repaired is None:
            taken.append((run.start, run.end))
    unrecoverable = sorted((run.start, run.end) for run in runs if run.repaired is None)
    replacements = sorted([*run_reps, *kept], key=lambda r: (r.start, r.end))
    return DamageReport(replacements, runs, len(kept), unrecoverable)


logging.getLogger("jieba").setLevel(logging.WARNING)
