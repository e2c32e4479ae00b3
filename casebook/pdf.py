"""The casebook as PDF: the print-mode HTML laid out by WeasyPrint, with a Noto CJK font embedded.

WeasyPrint (pango underneath) gives real page-foot footnotes (CSS `float: footnote`) and TOC page numbers
(`target-counter`), and embeds subsets of the fonts it uses. The Chinese fonts are the Noto Serif SC / Noto
Sans SC files shipped with the Python dependencies (`warehouse.cjk_font`), loaded through @font-face from
their paths, so the PDF does not depend on the system's fonts; characters the font lacks are reported.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from casebook.assemble import Casebook
from casebook.html import render_html
from warehouse.cjk_font import sans_file, serif_file

# Family names of our own, so a system font of the template's names can never stand in for the shipped files;
# `!important` because WeasyPrint gives `stylesheets=` the user origin, below the template's own rules.
PRINT_FONTS = """
@font-face {{ font-family: "FQA Noto Serif CJK SC"; src: url("{serif}"); }}
@font-face {{ font-family: "FQA Noto Sans CJK SC"; src: url("{sans}"); }}
body {{ font-family: "FQA Noto Serif CJK SC", serif !important; }}
h1, h2, h3 {{ font-family: "FQA Noto Sans CJK SC", sans-serif !important; }}
"""


class MissingFont(ValueError):
    pass


def cjk_font_file() -> Path:
    """The body text's font file (the shipped Noto Serif SC); an incomplete install is a clear error."""
    font = serif_file()
    if not font.is_file():
        raise MissingFont(f"no Chinese font for the PDF: {font} is missing; reinstall pylopdf-fonts-zh-cn")
    return font


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
    # imported here: pango is loaded only when a PDF is asked for
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font = cjk_font_file()
    html = render_html(book, for_print=True)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fonts = FontConfiguration()
    css = CSS(string=PRINT_FONTS.format(serif=font.as_uri(), sans=sans_file().as_uri()), font_config=fonts)
    HTML(string=html).write_pdf(str(path), stylesheets=[css], font_config=fonts)
    return missing_glyphs(_visible_text(html), font)


def _visible_text(html: str) -> str:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    for style in tree.iter("style"):
        style.drop_tree()
    return tree.text_content()
