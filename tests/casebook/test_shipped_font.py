"""Issue 20 item 6: the casebook PDF carries Chinese glyphs from the shipped font on a machine whose system
fonts have no CJK (fontconfig restricted to DejaVu)."""

from __future__ import annotations

import io
import pickle
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from casebook.assemble import CasebookFilters, assemble
from tests.casebook_warehouse import load_seed_warehouse
from tests.warehouse.no_cjk_fonts import run_without_cjk_fonts
from warehouse.cjk_font import sans_file, serif_file
from warehouse.db import get_engine

SCRIPT = """
import pickle, sys
from pathlib import Path
from casebook.pdf import write_pdf
book = pickle.loads(Path({book!r}).read_bytes())
print(write_pdf(book, Path({pdf!r})))
"""


def _postscript_name(path: Path | io.BytesIO) -> str:
    return TTFont(path, lazy=True)["name"].getDebugName(6)


def _embedded_font_programs(reader) -> set[str]:  # noqa: ANN001 - pypdf.PdfReader
    """PostScript names read from the font programs embedded in the PDF (not the renamed /BaseFont)."""
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            for descendant in font.get_object().get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor") or {}
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        data = descriptor[key].get_object().get_data()
                        if data[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
                            names.add(_postscript_name(io.BytesIO(data)))
    return names


def test_pdf_embeds_the_shipped_chinese_font_without_system_cjk_fonts(tmp_path: Path) -> None:
    from pypdf import PdfReader

    url = f"sqlite:///{tmp_path / 'w.db'}"
    load_seed_warehouse(url)
    book = assemble(get_engine(url), CasebookFilters(category="mediation"))
    (tmp_path / "book.pickle").write_bytes(pickle.dumps(book))
    pdf = tmp_path / "c.pdf"
    done = run_without_cjk_fonts(SCRIPT.format(book=str(tmp_path / "book.pickle"), pdf=str(pdf)), tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"  # no character the font cannot draw

    reader = PdfReader(pdf)
    embedded = _embedded_font_programs(reader)
    assert _postscript_name(serif_file()) in embedded  # body text: Noto Serif SC from the wheel
    assert _postscript_name(sans_file()) in embedded  # headings: Noto Sans SC from the wheel
    compact = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for phrase in ("东兴边境派出所", "百人调解团", "枫桥经验", "700余起"):
        assert phrase in compact, phrase
