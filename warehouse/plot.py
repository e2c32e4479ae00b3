"""`fqa compare --plot`: a labelled horizontal bar chart that draws what the articles said, not more.

An exact figure is a solid bar. A lower bound (700余, 超过98%) is a solid bar that stops at the bound, ending
in an open arrowhead: the true value is somewhere to the right, but the bar never reaches past what was said, so
700+ cannot look as big as a stated 1,000. An upper bound (近千) is a hatched, unfilled bar ending in
a bar-cap: the true value is somewhere to the left. A range (数百万) is solid to its low end and hatched to
its high end. Rows flagged as not directly comparable are grey. Every bar carries its figure as written in
the comparison ("700+", "≥98%").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen on a server, and no GUI toolkit needed

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from warehouse.archive import ComparisonRow  # noqa: E402
from warehouse.cjk_font import sans_file  # noqa: E402

COMPARABLE, NOT_COMPARABLE = "#3b6ea5", "#9a9a9a"
NEAR_FULL = 90.0  # rates all at or above this get an axis that starts near them, so 98.5% and 99.2% differ


@cache
def cjk_font() -> str:
    """Registers the shipped Noto Sans SC file with matplotlib and returns its family name: the file is added
    directly, so neither the system's fonts nor matplotlib's font cache decide whether Chinese is drawn."""
    path = str(sans_file())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def plot_comparison(metric: str, rows: Sequence[ComparisonRow], path: Path) -> Path:
    """Write the comparison as a PNG; `draw_comparison` explains what the marks mean."""
    if path.suffix.lower() != ".png":
        raise ValueError(f"{path}: the plot is written as PNG; give a file name ending in .png")
    fig = draw_comparison(metric, rows)
    try:
        fig.savefig(path, dpi=120)
    finally:
        plt.close(fig)
    return path


def draw_comparison(metric: str, rows: Sequence[ComparisonRow]) -> Figure:
    """The chart as a matplotlib Figure (the caller closes it). Rates all near 100% get an axis starting just
    below the lowest, stated in the axis label, so close rates stay apart."""
    if not rows:
        raise ValueError(f"nothing to plot: no station has a {metric} figure")
    percent = all(r.unit == "%" for r in rows)
    known = [v for r in rows for v in (r.value, r.low, r.high) if v is not None]
    top = max(known) if known else 1.0
    right = 100.0 if percent and top <= 100 else top * 1.15 or 1.0
    left = min(0.0, min(known) * 1.15) if known else 0.0
    if percent and known and min(known) >= NEAR_FULL:
        left = float(math.floor(min(known) - max(1.0, (right - min(known)) * 0.5)))
    with plt.rc_context({"font.family": [cjk_font(), "DejaVu Sans"], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(9, 0.6 * len(rows) + 1.6))
        for y, row in enumerate(rows):
            _draw_row(ax, y, row, left, right)
        ax.set_yticks(range(len(rows)), [r.station for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(left, right + (right - left) * 0.25)
        if left <= 0:
            ax.axvline(0, color="black", linewidth=0.8)
        unit = rows[0].unit if len({r.unit for r in rows}) == 1 else "mixed units"
        start = f"; axis starts at {left:g}, not 0" if left > 0 else ""
        ax.set_xlabel(f"{metric} ({unit}{start})")
        ax.set_title(f"{metric}: one figure per station (grey: not directly comparable)")
        fig.tight_layout()
    return fig


def _draw_row(ax, y: int, row: ComparisonRow, left: float, right: float) -> None:  # noqa: ANN001 - matplotlib Axes
    color = COMPARABLE if row.comparable else NOT_COMPARABLE
    low, high, value = row.low, row.high, row.value
    base = max(left, 0.0)
    end = value if value is not None else (low if low is not None else high)
    if low is not None and high is not None and low != high:  # a range: certain part solid, the rest hatched
        ax.barh(y, low - base, left=base, color=color)
        ax.barh(y, high - low, left=low, color="none", edgecolor=color, hatch="//")
        end = high
    elif low is not None and high is None:  # lower bound: the bar stops at the bound, an open end marks "more"
        ax.barh(y, low - base, left=base, color=color)
        ax.plot([low], [y], marker=">", markersize=7, color="white", markeredgecolor=color, linestyle="none")
        end = low
    elif high is not None and low is None:  # upper bound: somewhere below the cap
        ax.barh(y, high - base, left=base, color="none", edgecolor=color, hatch="..")
        ax.plot([high, high], [y - 0.4, y + 0.4], color=color, linewidth=2)
    elif end is not None:
        ax.barh(y, end - base, left=base, color=color, alpha=0.6 if "~" in row.shown else 1.0)
    ax.text((end or base) + abs(right - left) * 0.01, y, f"{row.shown}  {row.period}", va="center", fontsize=8)
