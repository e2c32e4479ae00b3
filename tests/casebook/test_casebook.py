"""The trainers' casebook: content assembled from the warehouse (SQLite and PostgreSQL), and all four formats."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from casebook import export
from casebook.assemble import CasebookFilters, assemble, figure_display
from casebook.markdown import render_markdown
from casebook.pdf import MissingFont, cjk_font_file, missing_glyphs
from pipelines.cli import app
from tests.casebook_warehouse import HOSTILE_SCRIPT, load_seed_warehouse
from warehouse.db import get_engine
from warehouse.schema import Article, PracticeMention, Statistic

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def warehouse(db_url: str) -> str:
    load_seed_warehouse(db_url)
    return db_url


@pytest.fixture
def mediation(warehouse: str):
    return assemble(get_engine(warehouse), CasebookFilters(category="mediation"))


def test_mediation_casebook_has_stations_cards_and_sourced_figures(warehouse: str, mediation) -> None:
    names = {s.name for s in mediation.stations}
    assert {"东兴边境派出所", "玉洞派出所", "睦洲派出所", "清水河边境派出所"} <= names
    cards = [c for s in mediation.stations for c in s.practices]
    assert cards and all(c.category == "mediation" for c in cards)
    assert "背包警务" not in {c.name for c in cards}  # grid policing, not mediation
    dongxing = next(s for s in mediation.stations if s.name == "东兴边境派出所")
    assert dongxing.where == "广西壮族自治区防城港市东兴市"
    assert any("第三批" in h.text for h in dongxing.honours)
    team = next(c for c in dongxing.practices if c.name == "百人调解团")
    assert {"律师", "法官", "检察官", "网格员"} <= {t.term for t in team.actors}
    disputes = next(f for f in team.outcomes if f.metric == "disputes_mediated")
    assert (disputes.display, disputes.text, disputes.qualifier, disputes.period) == (
        "700+ 起",
        "700余起",
        "余",
        "近两年来",
    )
    assert disputes.period_start and disputes.period_end
    # Every claim and figure rests on a sentence of a real article, with that article's metadata.
    engine = get_engine(warehouse)
    with engine.connect() as conn:
        meta = {r.id: r for r in conn.execute(select(Article.id, Article.title, Article.publisher, Article.url))}
    for source in mediation.sources():
        row = meta[source.article_id]
        assert (source.title, source.publisher, source.url) == (row.title, row.publisher, row.url)
        assert source.sentence and source.seq is not None
    for section in mediation.stations:
        for figure in section.profile_figures + [f for c in section.practices for f in c.outcomes]:
            assert figure.text in figure.source.sentence
    assert dongxing.honours[0].source.url.startswith("http://chinapeace.gov.cn/")
    _glossary_lists_recurring_terms_with_first_use(mediation)
    _filters_select_stations_and_refuse_nonsense(warehouse)


def _glossary_lists_recurring_terms_with_first_use(mediation) -> None:
    terms = {e.term: e for e in mediation.glossary}
    assert {"枫桥经验", "网格员", "义警", "三官一律一网格"} <= set(terms)
    assert terms["枫桥经验"].articles >= 4
    assert "三官一律一网格" in terms["三官一律一网格"].first_use.source.sentence


def _filters_select_stations_and_refuse_nonsense(warehouse: str) -> None:
    engine = get_engine(warehouse)
    book = assemble(engine, CasebookFilters(stations=["玉洞派出所"]))
    assert [s.name for s in book.stations] == ["玉洞派出所"]
    assert len(book.stations[0].practices) >= 5  # every category when no category is asked for
    traditional = assemble(engine, CasebookFilters(province="廣西", practices=["包菜工作法"]))
    assert [s.name for s in traditional.stations] == ["玉洞派出所"]
    assert [c.name for c in traditional.stations[0].practices] == ["包菜工作法"]
    with pytest.raises(ValueError, match="unknown practice category 'nope'"):
        assemble(engine, CasebookFilters(category="nope"))
    with pytest.raises(ValueError, match="no station"):
        assemble(engine, CasebookFilters(stations=["不存在派出所"]))


def test_reprints_are_credited_to_the_original_and_not_counted_twice(warehouse: str) -> None:
    engine = get_engine(warehouse)
    with engine.begin() as conn:
        original = conn.execute(select(Article).where(Article.publisher == "中国长安网")).mappings().one()
        copy = {
            **{k: v for k, v in original.items() if k != "key"},  # a new integer key: the database's
            "id": "f" * 32,
            "publisher": "转载日报",
            "source_file": "reprint.txt",
            "reprint_cluster": original["id"],
        }
        copy_key = conn.execute(insert(Article).values(copy).returning(Article.key)).scalar_one()
        conn.execute(update(Article).where(Article.id == original["id"]).values(reprint_cluster=original["id"]))
        for table in (PracticeMention, Statistic):
            rows = conn.execute(select(table).where(table.article_key == original["key"])).mappings().all()
            dropped = ("id", "article_id")  # the row's own id, and its article's id (read through the key)
            conn.execute(
                insert(table),
                [{**{k: v for k, v in r.items() if k not in dropped}, "article_key": copy_key} for r in rows],
            )
    book = assemble(engine, CasebookFilters(category="mediation"))
    assert all(s.article_id != copy["id"] for s in book.sources())
    dongxing = next(s for s in book.stations if s.name == "东兴边境派出所")
    outcomes = [f.text for c in dongxing.practices for f in c.outcomes]
    assert outcomes.count("700余起") == 1
    assert any("转载日报" in credit for credit in dongxing.practices[0].what[0].source.also_published_by)


def test_figure_display_keeps_the_qualifier_meaning() -> None:
    assert figure_display(700, 700, None, "起", False) == "700+ 起"
    assert figure_display(98, 98, None, "%", False) == "≥98%"
    assert figure_display(1000, None, 1000, "条", False) == "≤1,000 条"
    assert figure_display(45000, 45000, 45000, "人", True) == "≈45,000 人"
    assert figure_display(32.06, 32.06, 32.06, "平方千米", False) == "32.06 平方千米"


def test_markdown_html_and_docx_carry_every_footnote(mediation, tmp_path: Path) -> None:
    _markdown_footnotes_toc_and_escaping(mediation, tmp_path)
    _html_is_escaped_and_every_note_link_resolves(mediation, tmp_path)
    _docx_has_real_footnotes(mediation, tmp_path)


def _markdown_footnotes_toc_and_escaping(mediation, tmp_path: Path) -> None:
    text = render_markdown(mediation)
    refs = {int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", text)}
    defined = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", text, flags=re.M)]
    assert defined == list(range(1, len(mediation.sources()) + 1))
    assert refs == set(defined)
    assert "## Contents" in text and "(#station-" in text and "## Glossary" in text
    assert "700+ 起" in text and "period 近两年来" in text
    assert "<script>" not in text and r"\<script\>" in text
    assert "中国长安网" in text and "http://chinapeace.gov.cn/" in text


def _html_is_escaped_and_every_note_link_resolves(mediation, tmp_path: Path) -> None:
    export(mediation, "html", tmp_path / "c.html")
    tree = html.fromstring((tmp_path / "c.html").read_text(encoding="utf-8"))
    assert not tree.xpath("//script") and not tree.xpath("//img")
    assert HOSTILE_SCRIPT in tree.text_content()
    notes = tree.xpath("//ol[@class='notes']/li")
    assert len(notes) == len(mediation.sources())
    ids = set(tree.xpath("//@id"))
    assert all(href[1:] in ids for href in tree.xpath("//a/@href") if href.startswith("#"))
    assert len(tree.xpath("//ul[@class='toc']//a")) >= len(mediation.stations) + 1


def _docx_has_real_footnotes(mediation, tmp_path: Path) -> None:
    path = tmp_path / "c.docx"
    export(mediation, "docx", path)
    with zipfile.ZipFile(path) as package:
        footnotes = etree.fromstring(package.read("word/footnotes.xml"))
        body = etree.fromstring(package.read("word/document.xml"))
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "footnotes.xml" in rels
    notes = {int(n.get(f"{W}id")): "".join(n.itertext()) for n in footnotes.iter(f"{W}footnote")}
    numbered = {k: v for k, v in notes.items() if k > 0}
    assert sorted(numbered) == list(range(1, len(mediation.sources()) + 1))
    refs = {int(r.get(f"{W}id")) for r in body.iter(f"{W}footnoteReference")}
    assert refs == set(numbered)
    assert any("中国长安网" in t and "chinapeace.gov.cn" in t for t in numbered.values())
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")} <= bookmarks
    assert HOSTILE_SCRIPT in "".join(body.itertext())


def _need_cjk_font() -> None:
    try:
        cjk_font_file()
    except MissingFont as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc} (.ci/run installs fonts-noto-cjk)")
        pytest.skip(str(exc))


def _embedded_fonts(reader) -> set[str]:  # noqa: ANN001 - pypdf.PdfReader
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descendant.get_object()["/BaseFont"]))
    return names


def test_pdf_embeds_a_chinese_font_renders_pages_and_its_text_is_extractable(tmp_path: Path) -> None:
    """Rendering only: assembly is tested on both databases above, so one SQLite warehouse suffices here."""
    from pypdf import PdfReader

    _need_cjk_font()
    url = f"sqlite:///{tmp_path / 'w.db'}"
    load_seed_warehouse(url)
    book = assemble(get_engine(url), CasebookFilters(category="mediation"))
    path = tmp_path / "c.pdf"
    assert export(book, "pdf", path) == []  # no character the font cannot draw
    reader = PdfReader(path)
    compact = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for phrase in ("东兴边境派出所", "百人调解团", "三官一律一网格", "枫桥经验", "700余起", "<script>window.__pwned"):
        assert phrase in compact, phrase
    assert any("Noto" in name and "CJK" in name for name in _embedded_fonts(reader))
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) missing in CI: .ci/run installs it")
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")
    subprocess.run(["pdftoppm", "-r", "50", "-f", "2", "-l", "2", "-png", str(path), str(tmp_path / "p")], check=True)
    from PIL import Image

    gray = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    histogram = gray.histogram()
    dark = sum(histogram[:160])
    assert dark > 0.003 * gray.width * gray.height  # a page of text, not a blank page


def test_missing_glyphs_reports_what_the_font_cannot_draw() -> None:
    _need_cjk_font()
    font = cjk_font_file()
    assert missing_glyphs("东兴边境派出所 調解 700余起", font) == []
    assert missing_glyphs("\U000f0000", font) == ["\U000f0000"]  # a private-use character


def test_cli_exports_each_format_and_reports_bad_input(warehouse: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("md", "docx"):
        out = tmp_path / f"book.{fmt}"
        result = runner.invoke(
            app, ["casebook", "--category", "mediation", "--format", fmt, "-o", str(out), "--db", warehouse]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000 and "footnotes" in result.output
    bad = runner.invoke(app, ["casebook", "--category", "nope", "-o", str(tmp_path / "x.md"), "--db", warehouse])
    assert bad.exit_code == 1 and "unknown practice category 'nope'" in bad.output
    assert "Traceback" not in bad.output
    fmt = runner.invoke(app, ["casebook", "-o", str(tmp_path / "x.txt"), "--db", warehouse])
    assert fmt.exit_code == 1 and "x.txt: give --format" in fmt.output
