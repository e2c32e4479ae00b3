"""The casebook as one self-contained HTML page; the same page, in print mode, is what the PDF is made from."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from casebook.assemble import Casebook, Source
from casebook.notes import Notes, category_label, citation, figure_line


class _Citer:
    """Footnote markers. On screen: a link to the numbered note list. In print: the first citation of a source
    becomes a CSS footnote (WeasyPrint puts it at the foot of the page); later ones point back to its number."""

    def __init__(self, notes: Notes, for_print: bool) -> None:
        self.notes = notes
        self.for_print = for_print
        self.placed: set[tuple[str, int]] = set()

    def __call__(self, source: Source) -> Markup:
        n = self.notes.number(source)
        if self.for_print and source.key not in self.placed:
            self.placed.add(source.key)
            return Markup('<span class="footnote" data-n="{n}">{text}</span>').format(n=n, text=citation(source))
        if self.for_print:
            return Markup('<sup class="fnref">{n}</sup>').format(n=n)
        return Markup('<sup class="fnref"><a href="#fn-{n}">{n}</a></sup>').format(n=n)


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("casebook", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(book: Casebook, for_print: bool = False) -> str:
    """Autoescaped: a `<script>` in an article's text is printed as text."""
    notes = Notes(book)
    template = environment().get_template("casebook.html")
    return template.render(
        book=book,
        notes=[(n, citation(s)) for n, s in enumerate(notes.sources, start=1)],
        cite=_Citer(notes, for_print),
        for_print=for_print,
        category_label=category_label,
        figure_line=figure_line,
        escape=escape,
    )
