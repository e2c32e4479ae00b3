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
    """The period's kind, which decides comparability: a resolved period by its length (a year, a month, …),
    so that 2022 and 2023 figures compare as yearly figures; an unresolved one by how it is written."""
    if start and end:
        return ("span", span_kind(start, end))
    if start or end:
        return ("open", "since" if start else "until")
    return ("text", period or None)


def span_kind(start: dt.date, end: dt.date) -> str:
    """A day, a month, a quarter, half a year, a year, or a number of days: what a period measures over."""
    days = (end - start).days + 1
    for name, low, high in (
        ("a day", 1, 1),
        ("a week", 7, 7),
        ("a month", 28, 31),
        ("a quarter", 89, 92),
        ("half a year", 181, 184),
        ("a year", 365, 366),
    ):
        if low <= days <= high:
            return name
    return f"{days} days"


def _kind_label(key: tuple, label: str) -> str:
    if key and key[0] == "span":
        return f"{label} ({key[1]})" if label != key[1] else label
    return label


@dataclass(frozen=True)
class Comparability:
    comparable: bool
    note: str  # why not, in words; empty when comparable


def comparability(rows: Sequence[tuple[str, str, tuple, str]]) -> list[Comparability]:
    """For rows of (unit, kind, period key, period label): does each belong to the group most rows share (same
    unit, definition and period kind)? Rows outside it are flagged with what differs. When two or more groups
    are equally common there is no such group, whatever the rows' order, and every row is flagged."""
    if not rows:
        return []
    counts = Counter((unit, kind, key) for unit, kind, key, _ in rows)
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        tied = sum(1 for _, n in ranked if n == ranked[0][1])
        note = f"no definition and period shared by most figures ({tied} groups of {ranked[0][1]})"
        return [Comparability(False, note) for _ in rows]
    reference = ranked[0][0]
    ref_kind = reference[2][1] if reference[2] and reference[2][0] == "span" else None
    ref_label = ref_kind or next(label for unit, kind, key, label in rows if (unit, kind, key) == reference)
    out = []
    for unit, kind, key, label in rows:
        notes = []
        if unit != reference[0]:
            notes.append(f"unit {unit or 'none'} vs {reference[0] or 'none'}")
        if kind != reference[1]:
            notes.append(f"measures {kind} vs {reference[1]}")
        if key != reference[2]:
            notes.append(f"period {_kind_label(key, label)} vs {ref_label}")
        out.append(Comparability(not notes, "; ".join(notes)))
    return out
