"""extract_html on hand-made Chinese news pages (tests/fixtures): main text, metadata, GBK bytes, no-article pages."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.text.boilerplate import find_boilerplate
from pipelines.text.html_extract import _clean_title, _page_author, decode_html, extract_html
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


# --- issue 18 item 5: the page's own title, markup dates, repaired bytes ------------------------------------

ARTICLE = "<p>" + "今年以来，某派出所坚持和发展新时代“枫桥经验”，把矛盾纠纷化解在基层，辖区治安持续向好。" * 3 + "</p>"


def html_page(title: str, body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("raw", "headline", "site"),
    [
        ("派出所里的调解故事-新华网", "派出所里的调解故事", "新华网"),
        ("派出所里的调解故事_新浪网", "派出所里的调解故事", "新浪网"),
        ("派出所里的调解故事 - 中国长安网", "派出所里的调解故事", "中国长安网"),
        ("派出所里的调解故事|人民网", "派出所里的调解故事", "人民网"),
        ("派出所里的调解故事_地方新闻_新浪网", "派出所里的调解故事", "新浪网"),
        ("派出所里的调解故事 - 凤凰网 - www.ifeng.com", "派出所里的调解故事", "凤凰网"),
        ("致敬70 平安景色 | 某某派出所：踏实服务社区居民", "致敬70 平安景色 | 某某派出所：踏实服务社区居民", None),
        ("2019-2023年派出所工作回顾", "2019-2023年派出所工作回顾", None),
    ],
)
def test_site_suffixes_are_cut_from_the_page_title(raw: str, headline: str, site: str | None) -> None:
    assert _clean_title(raw) == (headline, site)


def test_a_title_that_is_only_the_site_name_is_the_publisher() -> None:
    result = extract_html(html_page("中国长安网", ARTICLE))
    assert result.title is None and result.publisher == "中国长安网"


def test_a_date_htmldate_found_only_in_the_body_is_not_the_publication_date() -> None:
    body = "<h1>村里的调解员</h1><p>2019年4月5日，村民前来反映情况。</p>" + ARTICLE
    assert extract_html(html_page("村里的调解员", body)).published is None
    head = "<meta property='article:published_time' content='2023-05-06T08:00:00+08:00'>"
    assert extract_html(html_page("村里的调解员", body, head)).published == dt.date(2023, 5, 6)


def test_a_cms_role_is_no_author() -> None:
    body = "<h1>村里的调解员</h1><div><span class='author'>创始人</span></div>" + ARTICLE
    assert extract_html(html_page("村里的调解员", body)).author is None
    assert _page_author("人民公安报 胡某某") == "胡某某"


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_one_undecodable_byte_is_repaired_not_rejected(codec: str) -> None:
    html = html_page("村里的调解员", ARTICLE).replace("utf-8", "gbk" if codec == "gb18030" else codec)
    data = html.encode(codec)
    cut = data.index("枫".encode(codec))
    damaged = data[:cut] + b"\xff" + data[cut:]
    text, used = decode_html(damaged)
    assert used == codec
    assert "辖区治安持续向好" in text and 1 <= text.count("\ufffd") <= 3


_ARTICLE = (
    '<div class="article"><p>今年以来，城关派出所坚持和发展新时代“枫桥经验”，组建由民警、网格员和调解员组成的联调队伍，'
    "深入村居排查矛盾纠纷，共化解各类矛盾纠纷126起，调解成功率达98%，辖区警情同比下降15%。</p></div>"
)


def test_cms_meta_fields_name_source_and_author() -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>城关派出所探索基层治理新路径 - 平安网</title>'
        '<meta name="author" content="张三"><meta name="source" content="平安日报"></head><body>'
        f"<h2>城关派出所探索基层治理新路径</h2>{_ARTICLE}</body></html>"
    )
    found = extract_html(page)
    assert (found.title, found.publisher, found.author) == ("城关派出所探索基层治理新路径", "平安日报", "张三")


def test_the_site_in_the_pages_own_title_is_the_publisher_when_nothing_says_more() -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>群防群治护稳定 “护蝶齐飞”保平安--云南频道--人民网</title></head>'
        f"<body>{_ARTICLE}</body></html>"
    )
    assert extract_html(page).publisher == "人民网"


def test_a_short_site_name_before_the_pages_own_headline_is_the_publisher() -> None:
    sentence = "新界某区防止罪案办公室本年度举办了多场长者防骗讲座，向市民介绍最新的行骗手法和防骗技巧。"
    body = "<p>" + sentence * 3 + "</p>"
    html = (
        "<html><head><meta charset='utf-8'><title>警讯 - 新界某区 关爱长者</title></head><body>"
        f"<h2>新界某区</h2><h1>关爱长者</h1>{body}</body></html>"
    )
    page = extract_html(html)
    assert (page.title, page.publisher) == ("关爱长者", "警讯")
    # a first segment that is no site: the <title> does not end with the headline
    other = html.replace("<title>警讯 - 新界某区 关爱长者</title>", "<title>新界某区 - 年度回顾</title>")
    assert extract_html(other).publisher is None


def test_a_page_title_that_is_an_offices_name_is_its_publisher() -> None:
    sentence = "县公安局某某派出所民警走进村组，为群众调解邻里纠纷，讲解防范电信诈骗的知识。"
    html = f"<html><head><title>某某县人民政府</title></head><body><p>{sentence * 3}</p></body></html>"
    page = extract_html(html)
    assert (page.title, page.publisher) == (None, "某某县人民政府")
