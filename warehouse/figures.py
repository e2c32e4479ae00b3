"""How a statistic reads to a person ("700+", "≥98%"), and when two statistics can be compared directly.

Extraction stores figures as intervals: 700余起 is [700, ∞), 近千条 is (−∞, 1000], 超过98% is [98, ∞). Showing
those as bare numbers would overstate what the article said, so every display goes through `shown`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

PERCENT_UNITS = ("%", "百分点")


def number(x: float) -> str:
    """12,000 and 99.2, never 12000.0 or 99.19999."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def shown(value: float | None, low: float | None, high: float | None, unit: str | None, approx: bool) -> str:
    """The figure with its qualifier: 700+, ≥98%, ≤1,000, ~90, 2,000,000–9,000,000, 99.2%."""
    percent = unit in PERCENT_UNITS
    suffix = "%" if unit == "%" else (" 百分点" if unit == "百分点" else "")
    tilde = "~" if approx else ""
    if low is not None and high is not None:
        if low == high:
            return f"{tilde}{number(low)}{suffix}"
        return f"{tilde}{number(low)}–{number(high)}{suffix}"
    if low is not None:
        return f"≥{number(low)}{suffix}" if percent else f"{number(low)}+{suffix}"
    if high is not None:
        return f"≤{number(high)}{suffix}"
    if value is not None:
        return f"{tilde}{number(value)}{suffix}"
    return "?"


def comparison_kind(change: str | None, comparison: str | None) -> str:
    """What a figure measures: a level, or a change against some baseline (year on year, …)."""
    if not change and not comparison:
        return "level"
    basis = comparison or ""
    if "同比" in basis or "去年同期" in basis or "上年同期" in basis:
        basis = "year on year"
    elif "环比" in basis:
        basis = "period on period"
    return f"change ({basis or 'baseline not stated'})"


def period_label(period: str | None) -> str:
    return period or "not stated"


def period_key(period: str | None, start: dt.date | None, end: dt.date | None) -> tuple:
    """Two periods are the same when they resolve to the same dates, or are written alike when unresolved."""
    if start or end:
        return ("dates", start, end)
    return ("text", period or None)


@dataclass(frozen=True)
class Comparability:
    comparable: bool
    note: str  # why not, in words; empty when comparable


def comparability(rows: Sequence[tuple[str, str, tuple, str]]) -> list[Comparability]:
    """For rows of (unit, kind, period key, period label): does each match the most common definition and
    period? Rows that differ are flagged with what differs; the reference is the commonest combination."""
    if not rows:
        return []
    reference = Counter((unit, kind, key) for unit, kind, key, _ in rows).most_common(1)[0][0]
    ref_label = next(label for unit, kind, key, label in rows if (unit, kind, key) == reference)
    out = []
    for unit, kind, key, label in rows:
        notes = []
        if unit != reference[0]:
            notes.append(f"unit {unit or 'none'} vs {reference[0] or 'none'}")
        if kind != reference[1]:
            notes.append(f"measures {kind} vs {reference[1]}")
        if key != reference[2]:
            notes.append(f"period {label} vs {ref_label}")
        out.append(Comparability(not notes, "; ".join(notes)))
    return out
