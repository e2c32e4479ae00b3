"""An article's raw and clean text, stored by what they add to the texts the warehouse keeps anyway (issue 22).

The warehouse keeps every article's simplified text (searched, sliced into sentences). The other two texts are
mostly the same characters:

* the clean original-script text equals the simplified text in most articles (all Simplified sources): it is
  stored only where it differs, and `Article.clean_text` reads it in SQL (or the simplified text), so every
  query that read the column reads the same string. PostgreSQL keeps it as text (`article.clean_stored`,
  which its TOAST compresses). SQLite keeps a patch against the simplified text (`article.clean_patch`,
  issue 22's fourth step): the clean text with every character that is the simplified text's at the same
  offset written as NUL, zlib-compressed (a Traditional article changes about a quarter of its characters, so
  this is a fifth of the text's bytes), or, where the lengths differ or the clean text holds a NUL itself, the
  clean text whole, compressed; SQL reads it through the function `fqa_clean` (`clean_from_patch`, registered
  on every connection by `warehouse.db`);
* the raw text (the file as decoded) is the clean text plus what cleaning took out or replaced: boilerplate
  lines, blank lines, indentation, glosses, mojibake. It is stored as a patch against the clean text, found
  with the clean text's map onto it (`clean_to_raw` runs), compressed with zlib (`article.raw_patch`):

      [24, "\\n\\n时间:…\\n\\n  ", 93, …]   a count copies that many characters of the clean text, a string is
                                           raw text as written, a negative count skips clean characters that
                                           replaced the raw text just written

  A patch is checked when it is made: if it does not give the raw text back exactly (a map that does not run
  forward), the patch is the whole raw text as one string. An HTML page's clean text is not in its markup, so
  its patch is the page, compressed.

`raw_text(clean, patch)` gives the raw text back; `Article.raw_text` does it for an ORM row.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence

_LEVEL = 6  # zlib: 9 saves under 1% more here and costs twice the time


def clean_stored(clean: str, simplified: str) -> str | None:
    """The value of `article.clean_stored`: None where the clean text is the simplified text."""
    return None if clean == simplified else clean


SQL_CLEAN = "fqa_clean"  # SQLite: clean_from_patch(simplified_text, clean_patch), on every connection
_SAME = "\0"  # in a masked patch: the simplified text's character at this offset
_MASKED, _WHOLE = b"M", b"Z"


def clean_patch(clean: str, simplified: str) -> bytes | None:
    """The value of SQLite's `article.clean_patch` (see the module docstring): None where the clean text is the
    simplified text. Checked when made. Raises UnicodeEncodeError on a lone surrogate, as the driver did."""
    if clean == simplified:
        return None
    if len(clean) == len(simplified) and _SAME not in clean:
        masked = "".join(_SAME if a == b else b for a, b in zip(simplified, clean, strict=True))
        stored = _MASKED + zlib.compress(masked.encode(), _LEVEL)
        if clean_from_patch(simplified, stored) == clean:
            return stored
    return _WHOLE + zlib.compress(clean.encode(), _LEVEL)


def clean_from_patch(simplified: str | None, stored: bytes | None) -> str | None:
    """The clean text back from the simplified text and `article.clean_patch` (None: it is the simplified text)."""
    if stored is None or simplified is None:
        return simplified
    body = zlib.decompress(stored[1:]).decode()
    return body if stored[:1] == _WHOLE else _unmask(simplified, body)


def _unmask(simplified: str, masked: str) -> str:
    """A masked patch's characters, each _SAME replaced by the simplified text's at that offset."""
    return "".join([s if c == _SAME else c for s, c in zip(simplified, masked, strict=True)])


SQL_CLEAN_SPAN = "fqa_clean_span"  # SQLite: clean_span(simplified_text, clean_patch, start, end)


def clean_span(simplified: str | None, stored: bytes | None, start: int | None, end: int | None) -> str | None:
    """clean_text[start:end] from the simplified text and `article.clean_patch`, rebuilding only the span (what a
    search hit's original-script sentence needs: a fifth of the time of the whole text)."""
    if simplified is None or start is None or end is None:
        return None
    start, end = max(start, 0), max(end, start)
    if stored is None:
        return simplified[start:end]
    body = zlib.decompress(stored[1:]).decode()
    return body[start:end] if stored[:1] == _WHOLE else _unmask(simplified[start:end], body[start:end])


def patch(raw: str, clean: str, runs: Sequence[Sequence[int]]) -> list[int | str]:
    """The raw text as copies of the clean text and what lies between them (see the module docstring)."""
    out: list[int | str] = []

    def literal(s: str) -> None:
        if s:
            if out and isinstance(out[-1], str):
                out[-1] += s
            else:
                out.append(s)

    def copy(n: int) -> None:
        if out and isinstance(out[-1], int) and out[-1] > 0:
            out[-1] += n
        else:
            out.append(n)

    at_raw = at_clean = 0
    for start, end, n, identity in runs:
        if identity and start >= at_raw and raw[start : start + n] == clean[at_clean : at_clean + n]:
            literal(raw[at_raw:start])
            copy(n)
            at_raw = start + n
        elif end >= at_raw:  # clean characters that stand for raw[..end): write the raw ones, skip these
            literal(raw[at_raw:end])
            out.append(-n)
            at_raw = end
        else:
            return [-len(clean), raw] if clean else [raw]
        at_clean += n
    literal(raw[at_raw:])
    if rebuild(clean, out) != raw:
        return [-len(clean), raw] if clean else [raw]
    return out


def rebuild(clean: str, ops: Sequence[int | str]) -> str:
    parts = []
    at = 0
    for op in ops:
        if isinstance(op, str):
            parts.append(op)
        elif op < 0:
            at -= op
        else:
            parts.append(clean[at : at + op])
            at += op
    return "".join(parts)


def encode(raw: str, clean: str, runs: Sequence[Sequence[int]]) -> bytes | None:
    """The value of `article.raw_patch` (None: the raw text is the clean text). Raises UnicodeEncodeError on
    text no database could store (a lone surrogate), as the driver did when the raw text was a column."""
    if raw == clean:
        return None
    ops = patch(raw, clean, runs)
    return zlib.compress(json.dumps(ops, ensure_ascii=False, separators=(",", ":")).encode(), _LEVEL)


def raw_text(clean: str, stored: bytes | None) -> str:
    """The raw text back from the clean text and `article.raw_patch`."""
    if stored is None:
        return clean
    return rebuild(clean, json.loads(zlib.decompress(stored).decode()))
