"""Counts in words that agree in number: "1 article", "2 articles", "1 batch", "3 batches".

One helper for every count a user reads (the CLI, the web pages, the casebook), so none says "1 articles" and
none falls back on "article(s)". It lives in `warehouse` because every reader of the warehouse may import it.
"""

from __future__ import annotations

_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_VOWELS = "aeiou"


def plural(noun: str) -> str:
    """The regular English plural of a noun or a phrase ending in one: figure → figures, less confident figure
    → less confident figures, batch → batches, reprint copy → reprint copies."""
    if noun.endswith(_SIBILANT_ENDINGS):
        return noun + "es"
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in _VOWELS:
        return noun[:-1] + "ies"
    return noun + "s"


def count(n: int, noun: str, plural_form: str | None = None) -> str:
    """`n` and the singular `noun` in the number `n` calls for; `plural_form` for a noun the rule gets wrong."""
    return f"{n} {noun if n == 1 else plural_form or plural(noun)}"
