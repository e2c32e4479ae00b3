"""extract_html on hand-made Chinese news pages (tests/fixtures): main text, metadata, GBK bytes, no-article pages."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.text.boilerplate import find_boilerplate
from pipelines.text.html_extract import decode_html, extract_html
from pipelines.text.metadata import extract_metadata
from pipelines.text.offsets import apply_replacements
from tests.conftest import TESTS

FIXTURES = TESTS / "fixtures"
CHROME = ["首页", "当前位置", "相关阅读", "Copyright", "分享到", "浏览次数", "站内搜索", "高级搜索", "社长致辞",
          "ICP备", "版权所有", "邮编", "E-mail", "新书推荐", "首頁", "人民網版權所有"]


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_chinapeace_page_text_and_metadata() -> None:
    result = extract_html(page("chinapeace_000.html"))
    assert result.has_article_text and result.extractor == "precision"
    assert result.title == "与越南一河之隔,这个边境市的平安经验都在这……"
    assert result.published == dt.date(2023, 12, 20) and result.published_source == "page"
    assert result.publisher == "中国长安网"
    assert result.author is None  # 佚名
    assert result.url == "http://chinapeace.gov.cn/chinapeace/c100056/2023-12/19/content_12701709.shtml"
    for chrome in CHROME:
        assert chrome not in result.text, chrome
    lines = result.text.split("\n")
    assert all(line.strip() == line and line for line in lines)
    assert "以情以理 巧为矛盾化解人" in lines  # a heading is its own paragraph
    assert lines[-1].startswith("中越边境界河——北仑河清澈的河水平静地流淌着。")
    assert lines[-1].endswith("让“枫桥经验”在祖国南疆不断焕发新的生机与活力。")
    assert len(lines) >= 25


def test_gbk_declared_table_layout_page() -> None:
    raw = page("cppsup_002_gbk.html")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = extract_html(raw)
    assert result.encoding == "gb18030"
    assert result.title == "睦洲派出所:红色初心绘“枫”景 和睦之洲焕新颜"  # without the "_<site>" suffix
    assert result.published == dt.date(2023, 3, 9)
    assert result.publisher == "中国人民公安大学出版社"
    assert result.author == "黄伟锋"
    assert result.url is None
    for chrome in CHROME:
        assert chrome not in result.text, chrome
    assert "睦洲镇地处广东省江门市东部,是珠三角及港澳通往大西南的重要通道,吸引着300多家企业在此落户。" in result.text
    assert "派出所名称:广东省江门市公安局睦洲派出所。\n建所时间:1982年4月。" in result.text


def test_gbk_page_through_the_text_stages() -> None:
    result = extract_html(page("cppsup_002_gbk.html"))
    meta = extract_metadata(result.text)
    assert meta.author == "黄伟锋" and meta.editor == "石虹"
    report = find_boilerplate(result.text, meta)
    body, _ = apply_replacements(result.text, report.replacements)
    assert body.startswith("派出所名称:")
    assert body.endswith("保护覆盖率达98.5%。")
    assert "详见本刊" not in body and "编辑" not in body and "……" not in body


def test_br_separated_paragraphs_are_restored() -> None:
    result = extract_html(page("people_001_br.html"))
    lines = result.text.split("\n")
    assert "迎“楓”起航,黨建引領(lǐng)鑄鐵軍" in lines
    assert "三民三心三主動,服務(wù)不缺位" in lines
    assert len(lines) >= 20
    assert result.title == "南寧市良慶區玉洞派出所踐行新時代“楓橋經驗”紀實"
    assert result.published == dt.date(2022, 12, 1)
    assert result.publisher == "人民網-廣西頻道"
    assert result.url == "http://gx.people.com.cn/n2/2022/1201/c179430-40216520.html"
    assert "分享讓更多人看到" not in result.text and "首頁" not in result.text


def test_page_without_article_text_gives_empty_text() -> None:
    result = extract_html(page("index_no_article.html"))
    assert result.text == "" and not result.has_article_text
    assert result.extractor == "none"


@pytest.mark.parametrize("html", ["", "<html><body></body></html>", "<html><body><p>登录</p></body></html>"])
def test_empty_pages(html: str) -> None:
    result = extract_html(html)
    assert result.text == "" and not result.has_article_text


def test_str_and_bytes_agree_and_url_is_a_fallback() -> None:
    raw = page("people_001_br.html")
    from_bytes = extract_html(raw)
    from_str = extract_html(raw.decode("utf-8"), url="http://example.org/x.html")
    assert from_str.text == from_bytes.text and from_str.title == from_bytes.title
    assert from_str.url == from_bytes.url  # the page's og:url wins over the caller's
    no_canonical = extract_html(page("cppsup_002_gbk.html"), url="http://www.cppsup.com.cn/a/1.html")
    assert no_canonical.url == "http://www.cppsup.com.cn/a/1.html"


def test_decode_html() -> None:
    text = "<meta charset=gb2312><p>楓橋經驗 枫桥经验</p>"
    assert decode_html(text.encode("gb18030")) == (text, "gb18030")
    assert decode_html("\ufeff<p>平安</p>".encode()) == ("<p>平安</p>", "utf-8")
    big5 = "<meta charset=big5><p>派出所踐行新時代楓橋經驗</p>"
    assert decode_html(big5.encode("big5hkscs")) == (big5, "big5hkscs")
