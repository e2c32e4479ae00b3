"""Issue 20 items 6 and 9: `fqa compare --plot` draws Chinese from the shipped font on a machine without system
CJK fonts, an open interval never reaches past what was said, and rates near 100% stay apart."""

from __future__ import annotations

import json
from pathlib import Path

from matplotlib import pyplot as plt

from tests.warehouse.no_cjk_fonts import run_without_cjk_fonts
from warehouse.archive import ComparisonRow
from warehouse.cjk_font import sans_file
from warehouse.plot import draw_comparison


def row(station: str, shown: str, value=None, low=None, high=None, unit: str = "起") -> ComparisonRow:  # noqa: ANN001
    return ComparisonRow(
        station=station, province=None, city=None, county=None, shown=shown, value=value, low=low, high=high,
        unit=unit, measures="level", period="2023年", period_start=None, period_end=None, comparable=True, note="",
        text=shown, sentence="", article_id="a", title=None, published=None, url=None, other_figures=0,
        confidence=None,
    )  # fmt: skip


PLOT_SCRIPT = """
import json, warnings
from pathlib import Path
from matplotlib import font_manager
from tests.warehouse.test_plot import row
from warehouse.plot import cjk_font, plot_comparison
rows = [row("东兴边境派出所", "700+", low=700), row("睦洲派出所", "1,000", value=1000, low=1000, high=1000)]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    plot_comparison("调解成功数", rows, Path({png!r}))
found = font_manager.findfont(font_manager.FontProperties(family=cjk_font()), fallback_to_default=False)
print(json.dumps({{"warnings": [str(w.message) for w in caught], "found": found}}))
"""


def test_plot_draws_chinese_with_the_shipped_font_without_system_cjk_fonts(tmp_path: Path) -> None:
    png = tmp_path / "p.png"
    done = run_without_cjk_fonts(PLOT_SCRIPT.format(png=str(png)), tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [w for w in report["warnings"] if "missing from font" in w], report["warnings"][:3]
    assert "missing from font" not in done.stderr
    assert Path(report["found"]) == sans_file()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _row_extent(ax, y: int) -> float:  # noqa: ANN001 - matplotlib Axes
    """How far right the marks of row `y` reach, in data units (bars, lines, arrows; not the text label)."""
    ends = [p.get_x() + p.get_width() for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 0.01]
    for line in ax.lines:
        ys = line.get_ydata()
        if len(ys) and all(abs(v - y) <= 0.41 for v in ys):
            ends.extend(line.get_xdata())
    ends.extend(a.xy[0] for a in ax.texts if hasattr(a, "xy") and abs(a.xy[1] - y) < 0.01)
    return max(ends)


def test_an_open_interval_is_never_drawn_as_big_as_a_larger_closed_figure() -> None:
    rows = [row("甲派出所", "700+", low=700), row("乙派出所", "1,000", value=1000, low=1000, high=1000)]
    fig = draw_comparison("调解数", rows)
    try:
        ax = fig.axes[0]
        assert _row_extent(ax, 0) <= 700
        assert _row_extent(ax, 1) == 1000
    finally:
        plt.close(fig)


def test_rates_near_100_percent_stay_distinguishable() -> None:
    rows = [
        row("甲派出所", "98.5%", value=98.5, low=98.5, high=98.5, unit="%"),
        row("乙派出所", "99.2%", value=99.2, low=99.2, high=99.2, unit="%"),
    ]
    fig = draw_comparison("调解成功率", rows)
    try:
        ax = fig.axes[0]
        left, right = ax.get_xlim()
        assert (99.2 - 98.5) / (right - left) >= 0.05  # at least 5% of the axis apart, not 0.6%
        assert f"axis starts at {left:g}" in ax.get_xlabel()  # a reader is told the axis does not start at 0
    finally:
        plt.close(fig)
