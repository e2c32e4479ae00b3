"""Find pinyin glosses injected after characters in Traditional-Chinese copies: 區(qū) → 區, 經(jīng)驗 → 經驗.

Some republishing sites run a converter that appends the reading of selected characters in brackets. The
glosses are noise for every later stage (segmentation, practice names, statistics), so the cleaner deletes
them; ordinary brackets - (化名), 村(社区), (新津公安 供稿), English words - must survive.

A bracketed token counts as a gloss only if it is one valid Mandarin syllable carrying a tone mark. The
syllable inventory is written out by hand below: pypinyin is not a dependency of the project, and a closed
initial + final table is small, exact, and keeps (a), (me), (cafe) and friends from matching.
"""

from __future__ import annotations

import re
import unicodedata

from pipelines.text.offsets import Replacement

# Finals allowed after each group of initials (toneless, ü written as "v"). Standard Hanyu Pinyin table.
_FINALS: dict[str, str] = {
    "": "a o e ai ei ao ou an en ang eng er",
    "b p m": "a o ai ei ao an en ang eng i ie iao ian in ing u",
    "p m": "ou",
    "m": "e iu",
    "f": "a o ei an en ang eng u ou iao",
    "d t": "a e ai ei ao ou an ang eng ong i ie iao ian ing u uo ui uan un",
    "d": "en iu ia",
    "n l": "a e ai ei ao ou an en ang eng ong i ie iao iu ian in iang ing u uo uan un v ve",
    "l": "o ia",
    "g k h": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "j q x": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "zh ch sh": "a e i ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "r": "e i ao ou an en ang eng ong u ua uo ui uan un",
    "z c s": "a e i ai ei ao ou an en ang eng ong u uo ui uan un",
    "y": "a o e ao ou an in ang ing ong i u ue uan un",
    "w": "a o ai ei an en ang eng u",
}
SYLLABLES: frozenset[str] = frozenset(
    initial + final
    for initials, finals in _FINALS.items()
    for initial in (initials.split() or [""])
    for final in finals.split()
)

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_LETTERS = "a-zü" + _TONED
# A gloss: ASCII or full-width brackets around 1-6 lowercase pinyin letters, at least one of them toned.
_GLOSS = re.compile(rf"[(（](?P<syl>[{_LETTERS}]{{1,6}})[)）]")
# A gloss whose toned vowel was lost in a re-encoding (Big5 and GBK have no ū, ǐ …; the encoder wrote `?`):
# 區(q?), 經(j?ng). Only after a Han character, a `?` that was one, or a capital that a mojibake run left in its
# place (Q(m?o)), so a bracketed `(a?)` in prose is kept.
_DAMAGED_GLOSS = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaffA-Z?])[(（](?P<syl>[a-z]{0,5}\?[a-z]{0,5})[)）]")
_TONE_VOWELS = "aoeiuv"  # what the lost letter can have been (ü written v, as in SYLLABLES)


def _toneless(syllable: str) -> tuple[str, int]:
    """The syllable without tone marks (ü as v) and the number of tone marks it carried."""
    decomposed = unicodedata.normalize("NFD", syllable)
    marks = sum(1 for c in decomposed if unicodedata.combining(c) and c != "\u0308")
    base = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0308")
    base = unicodedata.normalize("NFC", base).replace("ü", "v")
    return base, marks


def is_gloss_syllable(token: str) -> bool:
    """True for one valid pinyin syllable with exactly one tone mark (qū, jīng, lǜ)."""
    base, marks = _toneless(token)
    return marks == 1 and base in SYLLABLES


def _tone_index(syllable: str) -> int:
    """Where Hanyu Pinyin puts the tone mark: on a or e, else on the o of ou, else on the last vowel."""
    for vowel in ("a", "e"):
        if vowel in syllable:
            return syllable.index(vowel)
    if "ou" in syllable:
        return syllable.index("ou")
    return max(syllable.rfind(v) for v in "iouv")


def is_damaged_gloss_syllable(token: str) -> bool:
    """True for a syllable whose toned vowel became `?` (q?, j?ng, l?): a vowel in its place makes a valid
    syllable whose tone mark sits exactly there, so `(a?)` (the tone of ao/ai sits on the a) is no gloss."""
    if token.count("?") != 1 or len(token) < 2:
        return False
    at = token.index("?")
    return any(
        (syllable := token.replace("?", vowel)) in SYLLABLES and _tone_index(syllable) == at for vowel in _TONE_VOWELS
    )


def find_pinyin_glosses(text: str) -> list[Replacement]:
    """Deletions of every injected pinyin gloss in `text` (the character before it is kept), including glosses
    whose toned vowel a re-encoding replaced with `?`: a damaged copy must clean to the same text as the intact
    one, or it is not recognised as a reprint."""
    out: list[Replacement] = []
    for m in _GLOSS.finditer(text):
        if is_gloss_syllable(m.group("syl")):
            out.append(Replacement(m.start(), m.end(), "", "pinyin_gloss"))
    for m in _DAMAGED_GLOSS.finditer(text):
        if is_damaged_gloss_syllable(m.group("syl")):
            out.append(Replacement(m.start(), m.end(), "", "pinyin_gloss"))
    return sorted(out, key=lambda r: r.start)
