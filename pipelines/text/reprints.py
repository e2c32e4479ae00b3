"""Reprint (near-duplicate) detection: MinHash over character shingles of the Simplified text, LSH for candidates.

Chinese has no spaces, so whitespace tokens would make a whole clause one "word" and clause fingerprints break
on a changed comma; overlapping 5-character shingles of the Han characters, digits and letters survive a new
title line, publisher boilerplate or punctuation. Shingling the Simplified text is what makes the Traditional
version of a Simplified report cluster with it. datasketch supplies MinHash and the LSH index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

SHINGLE_SIZE = 5
NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default, named because stored signatures must be read back with it
# LSH finds candidates above about this Jaccard similarity; each candidate is then confirmed against
# REPRINT_JACCARD on the estimate. A reprint with a new headline and publisher block keeps 0.8+ of its shingles
# (see tests/text/test_reprints.py); two different reports about the same station share well under 0.1.
LSH_THRESHOLD = 0.4
REPRINT_JACCARD = 0.5
MIN_SHINGLES = 20  # texts shorter than this carry too little to call anything a reprint of them
# A copy cut short (the first screens of a page, one section of a long report) shares few shingles with the
# whole, so its Jaccard is low whatever it repeats. It is a reprint when nearly all of the shorter text's
# shingles are in the longer one. The MinHash estimate only picks the pairs worth checking; the check itself
# is exact, on both texts' shingles, because at a tenth of the length the estimate rests on a dozen values.
REPRINT_CONTAINMENT = 0.9
CONTAINMENT_HINT = 0.6
MIN_CONTAINED_SHINGLES = 50  # a shorter text than this (a headline, a caption) is no evidence of copying


def _kept(ch: str) -> bool:
    return ch.isalnum()  # Han characters, digits and letters; punctuation and spaces differ between reprints


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters → ASCII), lower-case, punctuation and whitespace dropped."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if _kept(ch))


def shingles(simplified_text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Overlapping character n-grams of the normalised text."""
    text = normalise(simplified_text)
    if len(text) <= size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}


@dataclass(frozen=True)
class Fingerprint:
    """A MinHash signature (NUM_PERM 32-bit values) and how many shingles it summarises."""

    signature: bytes
    shingle_count: int

    def minhash(self) -> MinHash:
        from datasketch import MinHash  # imported when used: datasketch pulls in scipy, ~1 s of `fqa` start-up

        hashvalues = np.frombuffer(self.signature, dtype=np.uint32)
        return MinHash(num_perm=NUM_PERM, hashvalues=hashvalues, permutations=_permutations(), scheme=SCHEME)

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two shingle sets: the share of equal signature values, as datasketch's
        `MinHash.jaccard` computes it, but without building two MinHash objects for it. Each drew its 128
        permutations afresh (~1 ms), and a load compares every article with all its LSH candidates: at 50,000
        generated articles that was two thirds of the load step, and growing with the warehouse."""
        mine = np.frombuffer(self.signature, dtype=np.uint32)
        theirs = np.frombuffer(other.signature, dtype=np.uint32)
        if len(mine) != len(theirs):
            raise ValueError(f"signatures of {len(mine)} and {len(theirs)} values cannot be compared")
        return float(np.count_nonzero(mine == theirs)) / float(len(mine))


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The seeded permutations every MinHash here uses (datasketch derives them from the seed each time)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def fingerprint(simplified_text: str) -> Fingerprint:
    from datasketch import MinHash

    grams = shingles(simplified_text)
    minhash = MinHash(num_perm=NUM_PERM, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch(g.encode("utf-8") for g in grams)  # any order: each value is a minimum
    return Fingerprint(minhash.hashvalues.astype(np.uint32).tobytes(), len(grams))


@lru_cache(maxsize=1)
def lsh_bands() -> tuple[int, int]:
    """(bands, rows per band) datasketch's LSH picks for LSH_THRESHOLD and NUM_PERM."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def band_hashes(print_: Fingerprint) -> list[int]:
    """A signed 64-bit hash of each LSH band of the signature: two texts are reprint candidates when any band
    is equal, exactly as in datasketch's index, so the warehouse can keep the bands and be queried for them."""
    bands, rows = lsh_bands()
    width = rows * 4  # the signature is NUM_PERM uint32 values
    digests = (
        hashlib.blake2b(print_.signature[i * width : (i + 1) * width], digest_size=8).digest() for i in range(bands)
    )
    return [int.from_bytes(digest, "big", signed=True) for digest in digests]


def estimated_containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the shorter text's shingles that the longer one holds: |A∩B| = J(|A|+|B|)/(1+J)."""
    return _containment_given(a.similarity(b), a.shingle_count, b.shingle_count)


def _containment_given(jaccard: float, count: int, other_count: int) -> float:
    smaller = min(count, other_count)
    if smaller == 0:
        return 0.0
    return min(1.0, jaccard * (count + other_count) / ((1 + jaccard) * smaller))


def containment(text: str, other: str) -> float:
    """Exact share of the shorter text's shingles found in the longer (0 for a text too short to judge)."""
    return _shared_share(shingles(text), shingles(other))


def _shared_share(mine: set[str], theirs: set[str]) -> float:
    smaller = min(len(mine), len(theirs))
    return len(mine & theirs) / smaller if smaller >= MIN_CONTAINED_SHINGLES else 0.0


def confirmed(
    print_: Fingerprint,
    candidates: Iterable[tuple[str, Fingerprint]],
    text: str | None = None,
    text_of: Callable[[str], str] | None = None,
) -> list[tuple[str, float]]:
    """(key, estimated Jaccard) of the candidates this text is a reprint of, most similar first.

    With the text and a way to read a candidate's (`text_of`), a candidate that one of the two is contained in
    counts too, whatever their lengths."""
    found = []
    mine: set[str] | None = None  # this text's shingles, made once and only if a candidate needs the exact check
    for key, other in candidates:
        score = print_.similarity(other)
        if score >= REPRINT_JACCARD:
            found.append((key, score))
            continue
        if (
            text is None
            or text_of is None
            or min(print_.shingle_count, other.shingle_count) < MIN_CONTAINED_SHINGLES
            or _containment_given(score, print_.shingle_count, other.shingle_count) < CONTAINMENT_HINT
        ):
            continue
        mine = shingles(text) if mine is None else mine
        if _shared_share(mine, shingles(text_of(key))) >= REPRINT_CONTAINMENT:
            found.append((key, score))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


class ReprintIndex:
    """The fingerprints of some texts, in memory, queried for near-duplicates of a new one, with datasketch's own
    LSH. The warehouse keeps its bands on disk instead (`warehouse.reprint_clusters.WarehouseReprintIndex`); this
    one is for fingerprints outside a warehouse, and is what the tests hold the warehouse's answers against."""

    def __init__(self, items: Iterable[tuple[str, Fingerprint]] = ()) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._prints: dict[str, Fingerprint] = {}
        for key, print_ in items:
            self.add(key, print_)

    def __contains__(self, key: str) -> bool:
        return key in self._prints

    def __len__(self) -> int:
        return len(self._prints)

    def add(self, key: str, print_: Fingerprint) -> None:
        if key in self._prints or print_.shingle_count < MIN_SHINGLES:
            return
        self._prints[key] = print_
        self._lsh.insert(key, print_.minhash())

    def remove(self, key: str) -> None:
        if self._prints.pop(key, None) is not None:
            self._lsh.remove(key)

    def matches(self, print_: Fingerprint) -> list[tuple[str, float]]:
        """(key, estimated Jaccard) of indexed texts this one is a reprint of, most similar first."""
        if print_.shingle_count < MIN_SHINGLES:
            return []
        return confirmed(print_, ((key, self._prints[key]) for key in self._lsh.query(print_.minhash())))


@dataclass(frozen=True)
class Copy:
    """One member of a reprint cluster, with what decides which copy is the original."""

    id: str
    published: dt.date | None
    first_ingested: dt.datetime | None


def original_of(copies: Sequence[Copy]) -> str:
    """The earliest dated copy; undated copies come after dated ones, then the first ingested, then by id."""
    if not copies:
        raise ValueError("a reprint cluster needs at least one copy")
    return min(
        copies,
        key=lambda c: (c.published is None, c.published or dt.date.max, c.first_ingested or dt.datetime.max, c.id),
    ).id
