"""`fqa compare --plot`: a labelled horizontal bar chart that draws what the articles said, not more.

An exact figure is a solid bar. A lower bound (700余, 超过98%) is a solid bar up to the bound with an arrow
past it: the true value is somewhere to the right. An upper bound (近千) is a hatched, unfilled bar ending in
a bar-cap: the true value is somewhere to the left. A range (数百万) is solid to its low end and hatched to
its high end. Rows flagged as not directly comparable are grey. Every bar carries its figure as written in
the comparison ("700+", "≥98%").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen on a server, and no GUI toolkit needed

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from warehouse.archive import ComparisonRow  # noqa: E402

COMPARABLE, NOT_COMPARABLE = "#3b6ea5", "#9a9a9a"
# Fonts with CJK glyphs, in order of preference; Debian's fonts-noto-cjk provides the first ones.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


def cjk_font() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def plot_comparison(metric: str, rows: Sequence[ComparisonRow], path: Path) -> Path:
    if not rows:
        raise ValueError(f"nothing to plot: no station has a {metric} figure")
    if path.suffix.lower() != ".png":
        raise ValueError(f"{path}: the plot is written as PNG; give a file name ending in .png")
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    percent = all(r.unit == "%" for r in rows)
    known = [v for r in rows for v in (r.value, r.low, r.high) if v is not None]
    top = max(known) if known else 1.0
    right = 100.0 if percent and top <= 100 else top * 1.15 or 1.0
    left = min(0.0, min(known) * 1.15) if known else 0.0
    with plt.rc_context({"font.family": families, "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(9, 0.6 * len(rows) + 1.6))
        for y, row in enumerate(rows):
            _draw_row(ax, y, row, right)
        ax.set_yticks(range(len(rows)), [r.station for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(left, right * 1.12 if not percent else 112)
        ax.axvline(0, color="black", linewidth=0.8)
        unit = rows[0].unit if len({r.unit for r in rows}) == 1 else "mixed units"
        ax.set_xlabel(f"{metric} ({unit})")
        ax.set_title(f"{metric}: one figure per station (grey: not directly comparable)")
        fig.tight_layout()
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return path


def _draw_row(ax, y: int, row: ComparisonRow, right: float) -> None:  # noqa: ANN001 - matplotlib Axes
    color = COMPARABLE if row.comparable else NOT_COMPARABLE
    low, high, value = row.low, row.high, row.value
    end = value if value is not None else (low if low is not None else high)
    if low is not None and high is not None and low != high:  # a range: certain part solid, the rest hatched
        ax.barh(y, low, color=color)
        ax.barh(y, high - low, left=low, color="none", edgecolor=color, hatch="//")
        end = high
    elif low is not None and high is None:  # lower bound: the value lies beyond the bar's end
        ax.barh(y, low, color=color)
        ax.annotate(
            "",
            xy=(right, y),
            xytext=(low, y),
            arrowprops={"arrowstyle": "->", "color": color, "linestyle": "--", "linewidth": 1.2},
        )
        end = right
    elif high is not None and low is None:  # upper bound: somewhere below the cap
        ax.barh(y, high, color="none", edgecolor=color, hatch="..")
        ax.plot([high, high], [y - 0.4, y + 0.4], color=color, linewidth=2)
    elif end is not None:
        ax.barh(y, end, color=color, alpha=0.6 if "~" in row.shown else 1.0)
    ax.text((end or 0) + abs(right) * 0.01, y, f"{row.shown}  {row.period}", va="center", fontsize=8)
