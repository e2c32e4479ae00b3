"""The trainers' casebook: assembled from the warehouse's query API (`assemble.py`, through
`warehouse.evidence`) and rendered as Markdown, HTML, DOCX or PDF. Never imports the CLI or Dagster."""

from __future__ import annotations

from pathlib import Path

from casebook.assemble import Casebook

FORMATS = ("md", "html", "docx", "pdf")


def export(book: Casebook, fmt: str, path: Path) -> list[str]:
    """Write the casebook in one format; returns characters the PDF font lacks (empty for other formats)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown casebook format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "md":
        from casebook.markdown import render_markdown

        path.write_text(render_markdown(book), encoding="utf-8")
    elif fmt == "html":
        from casebook.html import render_html

        path.write_text(render_html(book), encoding="utf-8")
    elif fmt == "docx":
        from casebook.docx import write_docx

        write_docx(book, path)
    else:
        from casebook.pdf import write_pdf

        return write_pdf(book, path)
    return []
