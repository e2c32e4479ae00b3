"""Traditional → Simplified conversion that keeps the original text and maps offsets both ways.

We use the C++-backed `opencc` package (18–40 M characters/s here, 38–66× the pure-Python
reimplementation, which also turns 什么 into 什幺 under tw2s: `benchmarks/opencc_speed.py`); the two share
the import name `opencc`, so only this one is declared. Traditional articles go through `tw2s`: our
Traditional copies come from Taiwan-style converters, and `t2s` leaves 著 where Simplified writes 着
(隨著 → 随着). Simplified articles go through `t2s`, which only touches stray Traditional characters:
`tw2s` would rewrite correct Simplified 显著 as 显着.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import cache

import opencc

from pipelines.text.offsets import OffsetMap

TRADITIONAL_CONFIG = "tw2s"
SIMPLIFIED_CONFIG = "t2s"
# Share of script-specific characters below which the minority script counts as noise (a quoted name,
# a character OpenCC classes as convertible in both directions).
MIXED_THRESHOLD = 0.1
_CLAUSE_END = re.compile(r"[。！？；，、\n!?;,]")


@cache
def converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per config and process (loading its dictionaries is the expensive part)."""
    return opencc.OpenCC(config)


def convert(text: str, config: str = TRADITIONAL_CONFIG) -> str:
    return converter(config).convert(text)


@dataclass(frozen=True)
class ScriptCounts:
    traditional: int  # characters that t2s changes
    simplified: int  # characters that s2t changes

    @property
    def script(self) -> str:
        total = self.traditional + self.simplified
        if total == 0:
            return "simplified"
        share = self.traditional / total
        if share <= MIXED_THRESHOLD:
            return "simplified"
        if share >= 1 - MIXED_THRESHOLD:
            return "traditional"
        return "mixed"


def _changed_chars(text: str, config: str) -> int:
    out = convert(text, config)
    if len(out) == len(text):
        return sum(map(operator.ne, text, out))  # compared in C: this runs in the calling process, serially
    return sum(1 for ch in set(text) if convert(ch, config) != ch)


def detect_script(text: str) -> ScriptCounts:
    """Count script-specific characters: only Traditional text contains characters t2s would change."""
    return ScriptCounts(_changed_chars(text, "t2s"), _changed_chars(text, "s2t"))


@dataclass(frozen=True)
class SimplifiedText:
    original: str
    simplified: str
    script: str
    to_original: OffsetMap  # simplified position → original span

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original.source_span(start, end)

    def simplified_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original.derived_span(start, end)


def _aligned_map(original: str, config: str) -> tuple[str, OffsetMap]:
    """Convert clause by clause so a length-changing phrase only blurs offsets inside its own clause.

    A clause whose length changes maps each of its characters to the whole original clause: coarse, but
    never wrong about where a character came from.
    """
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    bounds = [m.end() for m in _CLAUSE_END.finditer(original)]
    if not bounds or bounds[-1] != len(original):
        bounds.append(len(original))
    for end in bounds:
        chunk = original[pos:end]
        out = convert(chunk, config)
        pieces.append(out)
        if len(out) == len(chunk):
            starts.extend(range(pos, end))
            ends.extend(range(pos + 1, end + 1))
        else:
            starts.extend([pos] * len(out))
            ends.extend([end] * len(out))
        pos = end
    return "".join(pieces), OffsetMap(starts, ends, len(original))


def config_for(script: str) -> str:
    return SIMPLIFIED_CONFIG if script == "simplified" else TRADITIONAL_CONFIG


def simplify(original: str) -> SimplifiedText:
    """Simplified text for an article in any script.

    Every article is converted, not only those detected as Traditional: a Simplified report quoting a
    Traditional name must still be searchable in Simplified.
    """
    script = detect_script(original).script
    config = config_for(script)
    simplified = convert(original, config)
    if len(simplified) == len(original):
        return SimplifiedText(original, simplified, script, OffsetMap.identity(len(original)))
    simplified, mapping = _aligned_map(original, config)
    return SimplifiedText(original, simplified, script, mapping)
