"""Character offset maps between a text and the text derived from it.

Every cleaning step reports *what* it would change as `Replacement`s instead of rewriting the string itself;
`apply_replacements` performs them and returns an `OffsetMap`, so any span found later (a statistic, a
search hit) can be traced back to the exact characters of the raw file it came from.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_TYPECODE = "i"  # int32: a source text is far below 2**31 characters


@dataclass(frozen=True)
class Replacement:
    """Replace text[start:end] with `text`; an empty `text` deletes, start == end inserts."""

    start: int
    end: int
    text: str
    kind: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad replacement span {self.start}:{self.end}")


@dataclass(frozen=True)
class OffsetMap:
    """For each character i of a derived text, the span [starts[i], ends[i]) of its source it came from.

    A character produced by a replacement maps to the whole replaced source span; an untouched character
    maps to itself. `source_length` closes the map for spans that end at the end of the text. The spans are
    kept in int32 arrays, not tuples: two maps ride along with every article of a batch, and a tuple of Python
    ints costs nine times the memory (peak memory of a build, docs/benchmarks.md).
    """

    starts: array
    ends: array
    source_length: int

    def __post_init__(self) -> None:
        for name in ("starts", "ends"):
            value = getattr(self, name)
            if not (isinstance(value, array) and value.typecode == _TYPECODE):
                object.__setattr__(self, name, array(_TYPECODE, value))

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        # from numpy's buffer: an array filled from a range walks it one Python int at a time, for every article
        counting = np.arange(length + 1, dtype=np.int32).tobytes()
        starts, ends = array(_TYPECODE), array(_TYPECODE)
        starts.frombytes(counting[: 4 * length])
        ends.frombytes(counting[4:])
        return cls(starts, ends, length)

    def __len__(self) -> int:
        return len(self.starts)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span covering derived text[start:end]."""
        if not 0 <= start <= end <= len(self.starts):
            raise IndexError(f"span {start}:{end} outside a text of {len(self.starts)} characters")
        if start == end:
            pos = self.starts[start] if start < len(self.starts) else self.source_length
            return pos, pos
        return self.starts[start], max(self.ends[start:end])

    def derived_span(self, start: int, end: int) -> tuple[int, int]:
        """The smallest derived span whose characters come from source[start:end] (empty if none do)."""
        hits = [i for i, (s, e) in enumerate(zip(self.starts, self.ends, strict=True)) if s < end and e > start]
        if not hits:
            pos = next((i for i, s in enumerate(self.starts) if s >= start), len(self.starts))
            return pos, pos
        return hits[0], hits[-1] + 1

    def then(self, later: OffsetMap) -> OffsetMap:
        """Compose: `later` maps a newer text onto this map's derived text; the result maps it onto our source.

        Each character of the newer text takes the source span of the characters it came from: its first
        one's start and the greatest end among them (an empty span: the source position there). Done with
        numpy indexing rather than a loop over characters, since cleaning composes two maps for every article.
        """
        size = len(self.starts)
        s = np.frombuffer(later.starts, dtype=np.int32).astype(np.int64)
        e = np.frombuffer(later.ends, dtype=np.int32).astype(np.int64)
        bad = np.flatnonzero((s < 0) | (s > e) | (e > size))
        if bad.size:
            i = int(bad[0])
            raise IndexError(f"span {s[i]}:{e[i]} outside a text of {size} characters")
        own_starts = np.append(np.frombuffer(self.starts, dtype=np.int32), np.int32(self.source_length))
        own_ends = np.frombuffer(self.ends, dtype=np.int32)
        starts = own_starts[s]  # at s == size: the end of the source
        ends = starts.copy()  # empty spans stay empty
        filled = np.flatnonzero(e > s)
        ends[filled] = own_ends[s[filled]]
        for i in np.flatnonzero(e - s > 1).tolist():  # a replacement's characters: rare, the max taken exactly
            ends[i] = own_ends[s[i] : e[i]].max()
        return OffsetMap(_int_array(starts), _int_array(ends), self.source_length)

    def to_runs(self) -> list[list[int]]:
        """Run-length form for storage: rows of [source_start, source_end, length, is_identity].

        An identity run maps its i-th character to source_start + i; any other run is characters that all
        map to the one source span [source_start, source_end) (the output of a replacement). Found with numpy
        rather than a loop over characters: the load step, which runs in one process, does this twice an article.
        """
        count = len(self.starts)
        if not count:
            return []
        starts = np.frombuffer(self.starts, dtype=np.int32)
        ends = np.frombuffer(self.ends, dtype=np.int32)
        single = (ends - starts) == 1
        continues = np.zeros(count, dtype=bool)
        continues[1:] = np.where(
            single[1:],
            single[:-1] & (starts[1:] == ends[:-1]),  # the next source character
            ~single[:-1] & (starts[1:] == starts[:-1]) & (ends[1:] == ends[:-1]),  # the same replaced span
        )
        firsts = np.flatnonzero(~continues)
        lasts = np.append(firsts[1:], count) - 1
        return [
            [int(starts[a]), int(ends[b]), int(b - a + 1), int(single[a])]
            for a, b in zip(firsts.tolist(), lasts.tolist(), strict=True)
        ]

    @classmethod
    def from_runs(cls, runs: Iterable[Sequence[int]], source_length: int) -> OffsetMap:
        starts: list[int] = []
        ends: list[int] = []
        for s0, e0, n, is_identity in runs:
            if is_identity:
                starts.extend(range(s0, s0 + n))
                ends.extend(range(s0 + 1, s0 + n + 1))
            else:
                starts.extend([s0] * n)
                ends.extend([e0] * n)
        return cls(array(_TYPECODE, starts), array(_TYPECODE, ends), source_length)


def _int_array(values: np.ndarray) -> array:
    out = array(_TYPECODE)
    out.frombytes(values.astype(np.int32).tobytes())
    return out


def apply_replacements(text: str, replacements: Iterable[Replacement]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping replacements to `text`; return the new text and its map back onto `text`.

    The map is built from numpy ranges, not by extending lists one Python int at a time: every article goes
    through this three times, mostly with nothing or a few things to replace.
    """
    ordered = sorted(replacements, key=lambda r: (r.start, r.end))
    if not ordered:
        return text, OffsetMap.identity(len(text))
    pieces: list[str] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    pos = 0
    for rep in ordered:
        if rep.start < pos:
            raise ValueError(f"overlapping replacements at {rep.start} ({rep.kind})")
        if rep.end > len(text):
            raise ValueError(f"replacement {rep.start}:{rep.end} ({rep.kind}) beyond text of {len(text)}")
        pieces.append(text[pos : rep.start])
        starts.append(np.arange(pos, rep.start, dtype=np.int32))
        ends.append(np.arange(pos + 1, rep.start + 1, dtype=np.int32))
        pieces.append(rep.text)
        src_end = rep.end if rep.end > rep.start else rep.start
        starts.append(np.full(len(rep.text), rep.start, dtype=np.int32))
        ends.append(np.full(len(rep.text), src_end, dtype=np.int32))
        pos = rep.end
    pieces.append(text[pos:])
    starts.append(np.arange(pos, len(text), dtype=np.int32))
    ends.append(np.arange(pos + 1, len(text) + 1, dtype=np.int32))
    return "".join(pieces), OffsetMap(_int_array(np.concatenate(starts)), _int_array(np.concatenate(ends)), len(text))
