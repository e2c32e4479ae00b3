"""extract_metadata on the five seed articles (exact expectations) and on small made-up texts (the rules)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipelines.text.metadata import date_from_url, extract_metadata, parse_date
from tests.conftest import SEEDS, seed_text

_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def at(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def test_seed_000_dateline_subtitle_anonymous_author_and_source_link() -> None:
    text = seed_text("000")
    m = extract_metadata(text)
    assert m.title == "与越南一河之隔,这个边境市的平安经验都在这……"
    assert at(text, m.title_span) == m.title
    assert m.subtitle == "创边境市域治理新模式绘北仑河畔平安好“枫警”——记全国第三批“枫桥式公安派出所”东兴边境派出所"
    assert m.published == dt.date(2023, 12, 20)
    assert at(text, m.published_span) == "2023-12-20"
    assert m.publisher == "中国长安网"
    assert at(text, m.publisher_span) == "中国长安网"
    assert m.author is None and m.author_as_written == "佚名" and m.authors == ()
    assert at(text, m.author_span) == "佚名"
    assert m.url == "http://chinapeace.gov.cn/chinapeace/c100056/2023-12/19/content_12701709.shtml"
    assert at(text, m.url_span) == m.url
    assert m.missing == ("author", "editor")
    assert m.inferred == ()  # the dateline's date wins over the URL's 2023-12/19


def test_seed_001_trailing_credit_editor_and_publisher_from_own_photo_credit() -> None:
    text = seed_text("001")
    m = extract_metadata(text)
    assert m.title == "南寧市良慶區玉洞派出所踐行新時代“楓橋經驗”紀實"
    assert at(text, m.title_span) == "南寧市良慶區(qū)玉洞派出所踐行新時代“楓橋經(jīng)驗”紀(jì)實"
    assert m.author == "王勇 卜英豪" and m.authors == ("王勇", "卜英豪")
    assert m.editor == "王勇、黃昱梅" and m.editors == ("王勇", "黃昱梅")
    assert m.publisher == "人民網" and "publisher" in m.inferred
    assert m.published is None and m.url is None
    assert set(m.missing) == {"published", "url"}


def test_seed_001_title_is_the_same_after_gloss_stripping() -> None:
    raw = extract_metadata(seed_text("001"))
    stripped_text = _GLOSS.sub("", seed_text("001"))
    stripped = extract_metadata(stripped_text)
    assert stripped.title == raw.title
    assert at(stripped_text, stripped.title_span) == raw.title
    assert (stripped.author, stripped.editor, stripped.publisher) == (raw.author, raw.editor, raw.publisher)


def test_seed_002_nav_above_title_dateline_byline_and_column_editor() -> None:
    text = seed_text("002")
    m = extract_metadata(text)
    assert m.title == "睦洲派出所:红色初心绘“枫”景 和睦之洲焕新颜"
    assert m.published == dt.date(2023, 3, 9)
    assert m.publisher == "中国人民公安大学出版社"
    assert m.author == "黄伟锋" and at(text, m.author_span) == "黄伟锋"
    assert m.editor == "石虹" and at(text, m.editor_span) == "石虹"
    assert m.missing == ("url",)
    assert m.subtitle is None


def test_seed_003_first_line_is_body_so_no_title() -> None:
    text = seed_text("003")
    m = extract_metadata(text)
    assert m.title is None and "title" in m.missing
    assert m.authors == ("王帅", "张国斌", "王鹏飞")
    assert m.author == "王帅、张国斌、王鹏飞"
    assert at(text, m.author_span) == "王帅、张国斌、王鹏飞"
    assert m.removable == ((5340, 5355, "credit"),)
    assert at(text, m.removable[0][:2]) == "(作者:王帅、张国斌、王鹏飞)"


def test_seed_004_contributed_copy() -> None:
    text = seed_text("004")
    m = extract_metadata(text)
    assert m.title is None
    assert m.publisher is None and m.author == "新津公安"
    assert at(text, m.author_span) == "新津公安"
    assert set(m.missing) == {"title", "published", "publisher", "editor", "url"}


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_spans_are_trimmed_and_inside_the_text(key: str) -> None:
    text = seed_text(key)
    m = extract_metadata(text)
    for start, end, _ in m.removable:
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
    for name in ("title", "published", "publisher", "author", "editor", "url"):
        span = getattr(m, f"{name}_span")
        if span is not None:
            assert 0 <= span[0] < span[1] <= len(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-12-20", dt.date(2023, 12, 20)),
        ("2023/3/9 10:31:38", dt.date(2023, 3, 9)),
        ("2023年12月20日", dt.date(2023, 12, 20)),
        ("发布时间:2023年 3月 9日 08:00", dt.date(2023, 3, 9)),
        ("2023.12.20", dt.date(2023, 12, 20)),
        ("2023-13-40", None),
        ("2023-12/20", None),
        ("电话 010-83905589", None),
    ],
)
def test_parse_date(value: str, expected: dt.date | None) -> None:
    hit = parse_date(value)
    assert (hit[0] if hit else None) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://chinapeace.gov.cn/chinapeace/c100056/2023-12/19/content_12701709.shtml", dt.date(2023, 12, 19)),
        ("http://gx.people.com.cn/n2/2022/1201/c179430-40216520.html", dt.date(2022, 12, 1)),
        ("https://www.mps.gov.cn/n2254314/n6409334/c9321523/content.html", None),
        ("http://www.gov.cn/xinwen/2023-03/09/content_5745.htm", dt.date(2023, 3, 9)),
        ("http://gaj.example.gov.cn/art/t20230309_1234.html", dt.date(2023, 3, 9)),
    ],
)
def test_date_from_url(url: str, expected: dt.date | None) -> None:
    hit = date_from_url(url)
    assert (hit[0] if hit else None) == expected


def test_date_falls_back_to_the_url_and_is_flagged_inferred() -> None:
    text = (
        "某某派出所推进“枫桥式”治理\n来源:某某日报\n"
        "近年来,某某派出所坚持和发展新时代“枫桥经验”,化解矛盾纠纷120余起。\n"
        "原文地址:http://news.example.cn/a/2022-05/07/content_1.shtml\n"
    )
    m = extract_metadata(text)
    assert m.title == "某某派出所推进“枫桥式”治理"
    assert m.publisher == "某某日报"
    assert m.published == dt.date(2022, 5, 7) and m.inferred == ("published",)
    assert at(text, m.published_span) == "2022-05/07"


def test_traditional_labels_and_year_month_day_dateline() -> None:
    text = "社區警務新模式\n發布時間:2023年12月20日 來源:某某網 記者 張三\n民警走訪轄區群眾,收集意見建議。\n"
    m = extract_metadata(text)
    assert m.title == "社區警務新模式"
    assert m.published == dt.date(2023, 12, 20)
    assert m.publisher == "某某網"


def test_sentences_and_pseudonyms_are_not_metadata() -> None:
    text = (
        "记者:请问你们是怎样化解这起纠纷的?\n"
        "所长:我们先把双方请到调解室,听他们把话说完。\n"
        "16岁的女孩小丽(化名)是贵州人,因和父母吵架,奔波了1000多公里来到东兴。民警陈某摄下了现场。\n"
    )
    m = extract_metadata(text)
    assert m.author is None and m.removable == ()


def test_photo_credit_of_someone_else_does_not_name_the_publisher() -> None:
    text = (
        "民警走进社区进行防诈骗宣传。新华社 李四摄\n"
        "近年来,某派出所深入践行新时代“枫桥经验”,辖区警情同比下降12%。(张三)\n"
    )
    m = extract_metadata(text)
    assert m.author == "张三"
    assert m.publisher is None


def test_full_width_labels_and_credits() -> None:
    # real pages write labels with full-width colons and credits in full-width brackets; the seeds happen not to
    text = (
        "小巷里的调解室\n来源：法治日报\n作者：陈晓峰 周婷\n编辑：林可\n日期：2024-03-18\n\n"
        "　　清晨七点半，派出所一楼的调解室已经开门，民警和调解员等着当天约好的两户村民。\n"
        "　　一年来，调解室化解纠纷三百余起。（完）\n（某某公安 供稿）"
    )
    m = extract_metadata(text)
    assert (m.title, m.published, m.publisher, m.author, m.editor) == (
        "小巷里的调解室", dt.date(2024, 3, 18), "法治日报", "陈晓峰 周婷", "林可",
    )


def test_wechat_account_dateline() -> None:
    text = (
        "“海上枫桥”护渔安｜走近某某派出所\n东山公安 2024-06-12 18:30 发表于福建\n\n"
        "　　渔港里，民警正在走访船东，宣传防溺水知识。\n"
    )
    m = extract_metadata(text)
    assert m.published == dt.date(2024, 6, 12) and m.publisher == "东山公安"
    assert m.title == "“海上枫桥”护渔安｜走近某某派出所"
