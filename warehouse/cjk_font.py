"""The Chinese fonts every output uses: Noto Sans SC and Noto Serif SC shipped by the `pylopdf-fonts-zh-cn`
wheel (SIL OFL 1.1), so PDFs and plots get Chinese glyphs from `pip install` alone, whatever the system has.

Renderers are pointed at these files directly (WeasyPrint's @font-face, matplotlib's addfont), never at a
font name for fontconfig or a font cache to resolve.
"""

from __future__ import annotations

from pathlib import Path

import pylopdf_fonts_zh_cn


def sans_file() -> Path:
    """Noto Sans SC (Regular): headings, plots."""
    return Path(pylopdf_fonts_zh_cn.sans_path())


def serif_file() -> Path:
    """Noto Serif SC (Regular): the casebook's body text."""
    return Path(pylopdf_fonts_zh_cn.serif_path())
