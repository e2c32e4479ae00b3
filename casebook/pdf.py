"""The casebook as PDF: the print-mode HTML laid out by WeasyPrint, with a Noto CJK font embedded.

WeasyPrint (pango underneath) gives real page-foot footnotes (CSS `float: footnote`) and TOC page numbers
(`target-counter`), and embeds subsets of the fonts it uses. The Chinese font comes from Debian's
fonts-noto-cjk (no maintained PyPI package ships a full CJK font); a machine without it gets a clear error
instead of a PDF full of tofu boxes, and characters the font lacks are reported before anything is written.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from casebook.assemble import Casebook
from casebook.html import render_html

FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
)
FONT_FILES = (
    "NotoSerifCJK-Regular.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSerifCJKsc-Regular.otf",
    "NotoSansCJKsc-Regular.otf",
)


class MissingFont(ValueError):
    pass


def cjk_font_file() -> Path:
    for folder in FONT_DIRS:
        for name in FONT_FILES:
            if (folder / name).is_file():
                return folder / name
    raise MissingFont(
        "no Chinese font for the PDF: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk); "
        f"looked for {', '.join(FONT_FILES)} in {', '.join(map(str, FONT_DIRS))}"
    )


@cache
def _covered(font_file: Path) -> frozenset[int]:
    if font_file.suffix == ".ttc":
        fonts = TTCollection(str(font_file), lazy=True).fonts
    else:
        fonts = [TTFont(str(font_file), lazy=True)]
    cmap: set[int] = set()
    for font in fonts:  # the SC, TC, JP, KR faces of a collection share glyphs but differ in their cmaps
        cmap.update(font.getBestCmap() or {})
    return frozenset(cmap)


def missing_glyphs(text: str, font_file: Path | None = None) -> list[str]:
    """Characters of `text` that the CJK font cannot draw (they would print as tofu boxes)."""
    covered = _covered(font_file or cjk_font_file())
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered})


def write_pdf(book: Casebook, path: Path) -> list[str]:
    """Write the PDF; returns the characters no font could draw (an empty list on the seeds)."""
    from weasyprint import HTML  # imported here: pango is loaded only when a PDF is asked for

    font = cjk_font_file()
    html = render_html(book, for_print=True)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html).write_pdf(str(path))
    return missing_glyphs(_visible_text(html), font)


def _visible_text(html: str) -> str:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    for style in tree.iter("style"):
        style.drop_tree()
    return tree.text_content()
