"""The casebook as a Word document with real footnotes.

python-docx 1.2 writes paragraphs, headings, tables and bookmarks but has no footnote API, so the footnotes part
(`word/footnotes.xml`) is added here by hand: one `<w:footnote>` per source and a `<w:footnoteReference>` run
at each citation, which Word, LibreOffice and Pandoc all show as page-foot notes.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from casebook.assemble import Casebook, Source
from casebook.notes import Notes, category_label, citation, figure_line

FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CJK_FONT = "Noto Serif CJK SC"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Control characters that XML 1.0 forbids (stray ones survive in scraped text) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _footnotes_xml(texts: list[str]) -> bytes:
    """Word's two separator notes (ids -1 and 0), then one note per source, numbered from 1."""
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>",
    ]
    for n, text in enumerate(texts, start=1):
        notes.append(
            f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {xml_escape(xml_safe(text))}</w:t></w:r></w:p></w:footnote>'
        )
    return f"<w:footnotes {nsdecls('w')}>{''.join(notes)}</w:footnotes>".encode()


class _DocxWriter:
    def __init__(self, book: Casebook) -> None:
        self.book = book
        self.notes = Notes(book)
        self.document = Document()
        self._bookmark_id = 0
        style = self.document.styles["Normal"]
        style.font.name = CJK_FONT
        style.font.size = Pt(10.5)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)  # Word picks CJK glyphs from eastAsia

    def cite(self, paragraph: Paragraph, source: Source) -> None:
        run = paragraph.add_run()
        rpr = run._r.get_or_add_rPr()
        vert = OxmlElement("w:vertAlign")
        vert.set(qn("w:val"), "superscript")
        rpr.append(vert)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(self.notes.number(source)))
        run._r.append(ref)

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        self._bookmark_id += 1
        start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{self._bookmark_id}" w:name="{name}"/>')
        end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{self._bookmark_id}"/>')
        paragraph._p.insert(0, start)
        paragraph._p.append(end)

    def internal_link(self, paragraph: Paragraph, text: str, anchor: str) -> None:
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), anchor)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        link.append(run)
        paragraph._p.append(link)

    def write(self, path: Path) -> None:
        doc, book = self.document, self.book
        doc.add_heading(book.title, level=0)
        filters = "; ".join(f"{k} = {v if isinstance(v, str) else ', '.join(v)}" for k, v in book.filters.items())
        doc.add_paragraph(
            f"Generated {book.generated} from the Fengqiao Archive warehouse. Filters: {filters or 'none'}. "
            "Every statement is footnoted to the sentence it comes from; reprints are credited to the original."
            + (f" {book.hidden_note}" if book.hidden_note else "")
        )
        doc.add_heading("Contents", level=1)
        for i, section in enumerate(book.stations, start=1):
            self.internal_link(doc.add_paragraph(), xml_safe(f"{i}. {section.name}"), f"station_{section.station_id}")
            for card in section.practices:
                p = doc.add_paragraph(style="List Bullet")
                self.internal_link(p, card.name, f"practice_{section.station_id}_{card.practice_id}")
        self.internal_link(doc.add_paragraph(), "Glossary", "glossary")

        for i, section in enumerate(book.stations, start=1):
            self.bookmark(doc.add_heading(xml_safe(f"{i}. {section.name}"), level=1), f"station_{section.station_id}")
            p = doc.add_paragraph()
            p.add_run("Where: ").bold = True
            p.add_run(f"{section.where} ({section.kind})")
            if section.place:
                self.cite(p, section.place.source)
            doc.add_paragraph().add_run("Honours:").bold = True
            for honour in section.honours:
                p = doc.add_paragraph(xml_safe(honour.text), style="List Bullet")
                self.cite(p, honour.source)
            if not section.honours:
                doc.add_paragraph("none reported", style="List Bullet")
            doc.add_paragraph().add_run("Profile:").bold = True
            for claim in section.profile:
                self.cite(doc.add_paragraph(xml_safe(claim.text), style="List Bullet"), claim.source)
            for figure in section.profile_figures:
                self.cite(doc.add_paragraph(figure_line(figure), style="List Bullet"), figure.source)
            for card in section.practices:
                heading = doc.add_heading(f"{card.name} — {category_label(card.category)}", level=2)
                self.bookmark(heading, f"practice_{section.station_id}_{card.practice_id}")
                self._card(card)

        self.bookmark(doc.add_heading("Glossary", level=1), "glossary")
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, ("term", "pinyin", "meaning", "articles"), strict=True):
            cell.text = label
        for entry in book.glossary:
            cells = table.add_row().cells
            cells[0].text = entry.term
            if entry.first_use:
                self.cite(cells[0].paragraphs[0], entry.first_use.source)
            cells[1].text, cells[2].text, cells[3].text = entry.pinyin, entry.meaning, str(entry.articles)

        part = Part(
            PackURI("/word/footnotes.xml"),
            FOOTNOTES_CONTENT_TYPE,
            _footnotes_xml([citation(s) for s in self.notes.sources]),
            doc.part.package,
        )
        doc.part.relate_to(part, RT.FOOTNOTES)
        doc.save(str(path))

    def _card(self, card) -> None:  # noqa: ANN001 - PracticeCard
        doc = self.document

        def label(text: str) -> Paragraph:
            p = doc.add_paragraph()
            p.add_run(text).bold = True
            return p

        p = label("What it is. ")
        for claim in card.what:
            p.add_run(xml_safe(claim.text))
            self.cite(p, claim.source)
        p = label("How it works. ")
        for claim in card.mechanism:
            p.add_run(xml_safe(claim.text))
            self.cite(p, claim.source)
        if not card.mechanism:
            p.add_run("No further description in the sources.")
        for title, terms in (("Who carries it out. ", card.actors), ("With what resources. ", card.resources)):
            p = label(title)
            for i, term in enumerate(terms):
                p.add_run(("、" if i else "") + term.term)
                self.cite(p, term.claim.source)
            if title.startswith("With"):
                for figure in card.resource_figures:
                    p.add_run(("; " if p.text.strip() != title.strip() else "") + figure_line(figure))
                    self.cite(p, figure.source)
            if p.text.strip() == title.strip():
                p.add_run("not named")
        label("Reported outcomes.")
        for figure in card.outcomes:
            self.cite(doc.add_paragraph(figure_line(figure), style="List Bullet"), figure.source)
        if not card.outcomes:
            doc.add_paragraph("no figures reported", style="List Bullet")


def write_docx(book: Casebook, path: Path) -> None:
    _DocxWriter(book).write(path)
