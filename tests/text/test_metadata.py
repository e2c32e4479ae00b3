"""extract_metadata on the five seed articles (exact expectations) and on small made-up texts (the rules)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipelines.text.metadata import date_from_url, extract_metadata, is_headline, parse_date
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


# --- issue 18 item 5: metadata on reports nobody tuned for (made-up texts of the shapes real pages have) -----

BODY = "今年以来，某派出所坚持和发展新时代“枫桥经验”，把矛盾纠纷化解在基层，辖区治安持续向好。"


def test_fullwidth_sentence_punctuation_makes_a_paragraph_not_a_title() -> None:
    m = extract_metadata("钟声响起，旋律如约奏响；灯光映照之下，钟楼显得格外安详……\n\n" + BODY)
    assert m.title is None
    m = extract_metadata("民警来敲门！是为了……\n某某融媒\n2021-03-19 12:58:44\n\n" + BODY)
    assert m.title == "民警来敲门！是为了……"


@pytest.mark.parametrize(
    "chrome",
    [
        "您当前的位置 ：某某在线 > 新闻 > 正文",
        "首页 > 治理要闻 > 正文",
        "某某日报报业集团主管 《某某法治报》官方网站",
        "第05版:综合新闻 PDF版阅读",
        "□ 本报记者 王小明",
        "法治日报全媒体记者 王小明",
        "原标题：另一个标题在这里",
        "3上一篇 4下一篇",
        "放大 缩小 默认",
        "《某某日报》 《某某晚报》 《某某商报》",
        "某某日报",
        "· 另一篇文章的标题",
        "法治号 手机版 | 站内搜索",
    ],
)
def test_chrome_lines_are_never_titles(chrome: str) -> None:
    m = extract_metadata(f"{chrome}\n\n平安村镇建设见成效 群众安全感提升\n\n2024-05-09 10:12 来源：某某日报\n\n{BODY}")
    assert m.title == "平安村镇建设见成效 群众安全感提升"
    m = extract_metadata(f"{chrome}\n\n{BODY}")
    assert m.title is None


def test_kicker_ending_in_a_dash_and_headline_below_the_date_line() -> None:
    text = f"2024年06月04日\n\n某边境派出所倾情服务群众，守护一方安宁—\n\n践行“枫桥经验” 绘就“平安画卷”\n\n{BODY}"
    m = extract_metadata(text)
    assert m.title == "践行“枫桥经验” 绘就“平安画卷”"
    assert m.published == dt.date(2024, 6, 4)


def test_title_after_dian_ti_label_bracketed_title_and_outlet_glued_by_a_pipe() -> None:
    text = f"某某网某地7月8日电 题：“42岁”草原边境派出所与牧民的故事\n作者 张某某 李某某\n\n{BODY}"
    m = extract_metadata(text)
    assert m.title == "“42岁”草原边境派出所与牧民的故事" and at(text, m.title_span) == m.title
    assert m.publisher == "某某网" and m.author == "张某某 李某某"
    assert extract_metadata(f"【推进大调解网络建设】\n\n{BODY}").title == "推进大调解网络建设"
    m = extract_metadata(f"某某政法报|架起新“枫桥” 打造平安建设“共同体”\n\n{BODY}")
    assert m.title == "架起新“枫桥” 打造平安建设“共同体”" and m.publisher == "某某政法报"


def test_disclosure_page_name_field_is_the_title() -> None:
    text = f"某某市公安局政府信息公开\n索引号: 1144/2023-00574 分类:\n名称: 【所见所闻】某派出所:小镇的守护者\n\n{BODY}"
    assert extract_metadata(text).title == "【所见所闻】某派出所:小镇的守护者"


def test_source_value_is_reduced_to_the_outlet_and_gives_the_date() -> None:
    text = f"标题在这里写着\n来源:某某新闻网 2017-07-31 15:45 http://www.example.com/\n\n{BODY}"
    m = extract_metadata(text)
    assert m.publisher == "某某新闻网" and at(text, m.publisher_span) == "某某新闻网"
    assert m.published == dt.date(2017, 7, 31)
    for value, outlet in [
        ("某某晚报 某某客户端官方网站", "某某晚报"),
        ("人民网-人民日报", "人民日报"),
        ("澎湃新闻·澎湃号·政务", "澎湃新闻"),
        ("某某网   2017-05-15 08:50:56报料热线:81850000", "某某网"),
        ("某某公安微信公众号 某某长安网 |", "某某公安微信公众号"),
    ]:
        assert extract_metadata(f"标题在这里写着\n来源：{value}\n\n{BODY}").publisher == outlet, value
    assert extract_metadata(f"标题在这里写着\n来源： sp20241105\n\n{BODY}").publisher is None


def test_print_citation_and_epaper_header_name_the_paper_and_its_day() -> None:
    text = f"警民共治 化解纠纷\n发布时间：2024-11-05 22:41:59 来源：某某网\n\n{BODY}\n"
    text += "《 某某日报 》（ 2024年03月25日 10 版）"
    m = extract_metadata(text)
    assert m.publisher == "某某日报" and m.published == dt.date(2024, 3, 25)
    m = extract_metadata(f"正文复制\n某某法治报/2024 年/5 月/28 日/第 008 版警讯\n警务室实现双向奔赴\n\n{BODY}")
    assert m.publisher == "某某法治报" and m.published == dt.date(2024, 5, 28)
    assert m.title == "警务室实现双向奔赴"


def test_news_dateline_names_the_outlet_and_the_reporters() -> None:
    m = extract_metadata(f"标题在这里写着\n\n某某日报讯（记者 陈某 谷某某）{BODY}")
    assert m.publisher == "某某日报" and m.author == "陈某 谷某某"
    m = extract_metadata(f"标题在这里写着\n\n本报讯 记者王某、通讯员丁某某、李某某报道:{BODY}")
    assert m.publisher is None  # 本报 names no paper
    assert m.author == "王某 丁某某、李某某"  # groups by a space, the text's own 、 inside a group
    m = extract_metadata(f"标题在这里写着\n\n某某网某地1月12日电 (张某){BODY}")
    assert m.publisher == "某某网" and m.author == "张某"
    assert extract_metadata(f"标题在这里写着\n\n【通讯员刘某某 】{BODY}").author == "刘某某"


def test_datelines_with_a_place_a_second_site_or_a_two_character_outlet() -> None:
    m = extract_metadata(f"标题在这里写着\n\n今报南宁讯（记者王某）{BODY}")
    assert m.publisher == "今报" and m.author == "王某"
    m = extract_metadata(f"《某地日报》 《某地商报》\n标题在这里写着\n\n商报讯（记者 范某某）{BODY}")
    assert m.publisher == "某地商报"  # the short name by the page's own longer one
    m = extract_metadata(f"标题在这里写着\n\n某某法治报—海峡法治在线11月3日讯　{BODY}")
    assert m.publisher == "某某法治报"  # the paper, then its site
    m = extract_metadata(f"标题在这里写着\n\n某北区融媒体中心讯（记者 欧某某）{BODY}")
    assert m.publisher == "某北区融媒体中心"  # the whole outlet, not cut before a "place"
    assert extract_metadata(f"标题在这里写着\n\n本报讯（记者 王某）{BODY}").publisher is None


def test_a_closing_byline_with_its_label_a_brand_and_padded_names() -> None:
    m = extract_metadata(f"标题在这里写着\n\n{BODY}\n文/草原全媒·某方新报记者 杨  佳  通讯员  梁某某\n")
    assert m.publisher == "某方新报" and m.author == "杨佳 梁某某"
    m = extract_metadata(f"标题在这里写着\n来源:某东政法网 作者:佚名时间:2024-01-04\n\n{BODY}")
    assert (m.publisher, m.author, m.published) == ("某东政法网", None, dt.date(2024, 1, 4))  # glued 时间
    bracketed = extract_metadata(f"标题在这里写着\n來源:【某某日報一撇一捺】\n\n{BODY}")
    assert bracketed.publisher == "某某日報一撇一捺"  # metadata is read before the script is converted


def test_site_lines_a_greeting_a_media_label_and_a_closing_credit_with_its_paper() -> None:
    m = extract_metadata(f"某京西城警方织起反诈劝阻网\n\n关键词:\n2025-01-28 13:59:07  某明網\n{BODY}")
    assert (m.publisher, m.published) == ("某明網", dt.date(2025, 1, 28))  # the time, then the site
    assert extract_metadata(f"新媒体人士走进警营\n欢迎访问某通州网!\n\n{BODY}").publisher == "某通州网"
    m = extract_metadata(f"媒体:原创 作者:某徽种苗\n2015/3/3 11:37:57\n\n{BODY}")
    assert (m.title, m.publisher, m.author) == (None, None, "某徽种苗")  # 媒体: a label line, no headline
    m = extract_metadata(f"标题在这里写着\n\n{BODY}\n(某明日报全媒体记者 郭某某 通讯员 刘某某)\n(责任编辑 李某某)\n")
    assert (m.publisher, m.author) == ("某明日报", "郭某某 刘某某")


def test_a_mirror_link_is_no_title_and_a_closing_credit_may_end_in_a_bar() -> None:
    m = extract_metadata(f"查看原文\n其他\n\n某某公安全力做好元宵安保\n\n{BODY}")
    assert m.title != "查看原文"
    m = extract_metadata(f"标题在这里写着\n\n{BODY}移送起诉犯罪嫌疑人597人。(记者张某 实习生林某) |\n")
    assert m.author == "张某 林某"


def test_a_menu_line_lost_encodings_taiwanese_brackets_and_credits_led_by_their_outlet() -> None:
    menu = "即時 熱門 政治 軍武 社會 生活 健康 國際 地方 蒐奇 影音 財經"
    m = extract_metadata(f"{menu}\n\n警察明換新制服 某安分局今舉辦換裝宣導活動\n\n2019/04/17 13:53\n\n{BODY}")
    assert (m.title, m.published) == ("警察明換新制服 某安分局今舉辦換裝宣導活動", dt.date(2019, 4, 17))
    m = extract_metadata(f"旗下栏目: 北京 上海 广东 河北 天津 海南 山西\n\n某南公安多项战果进入全国前列\n{BODY}")
    assert m.title == "某南公安多项战果进入全国前列"  # a labelled menu
    trail = "您当前位置:首页 >  图片要闻  > 海拔4200米的坚守"
    m = extract_metadata(f"{trail}\n\n海拔4200米的坚守\n\n2020-04-17    来源:某海日报\n{BODY}")
    assert m.title == "海拔4200米的坚守"  # the trail ends in the headline itself, right above the date line
    m = extract_metadata(f"????某江都市報訊(記者 黃某某)昨天，某州市召開新聞通氣會。\n{BODY}")
    assert (m.publisher, m.author) == ("某江都市報", "黃某某")
    m = extract_metadata(f"2014.12.04 19:53 pm【某時電子報╱記者鄭某某、周某某╱台北報導】\n{BODY}")
    assert (m.publisher, m.author, m.published) == ("某時電子報", "鄭某某、周某某", dt.date(2014, 12, 4))
    m = extract_metadata(f"标题写着\n\n某报全媒体讯(椰网/海拔手机端记者 吴某 通讯员 陈某)为守住道路安全。\n{BODY}")
    assert m.author == "吴某 陈某"
    m = extract_metadata(f"标题在这里写着\n\n{BODY}住处附近有派出所能让住户安心。(某国台湾网 高某)\n列表一览。\n")
    assert (m.publisher, m.author) == ("某国台湾网", "高某")


def test_credits_closing_a_report_in_more_shapes() -> None:
    m = extract_metadata(f"标题写着\n\n{BODY}安民护鸟。(吴某 刘某某 卢某某 江西南昌报道)\n发表评论\n")
    assert m.author == "吴某 刘某某 卢某某"  # names and a place's 报道
    m = extract_metadata(f"标题写着\n\n{BODY}（看看新闻Knews记者：钱某某 赵某某 实习编辑：郭某某）\n全部评论\n")
    assert (m.publisher, m.author) == ("看看新闻Knews", "钱某某 赵某某")  # an outlet with Latin; not the editor
    m = extract_metadata(f"标题写着\n\n{BODY}满意率达到九成。\n全媒体记者 林某某 通讯员 管某某\n")
    assert m.author == "林某某 管某某"  # a reporter line of its own at the end
    for chrome in ("设为首页", "【核心提示】"):
        assert extract_metadata(f"{chrome}\n\n{BODY}").title is None


def test_a_writer_before_the_paper_an_aggregator_line_and_an_editor_box_name_the_outlet() -> None:
    m = extract_metadata(f"标题写在这里\n2025-11-13 09:18:17\n胡某某 某川法治报全媒体记者 俞某 文/图\n{BODY}")
    assert (m.publisher, m.author) == ("某川法治报", "胡某某 俞某")
    assert extract_metadata(f"标题写在这里\n某华网云南频道  3小时前\n{BODY}").publisher == "某华网云南频道"
    m = extract_metadata(f"标题写在这里\n{BODY}\n[某城新闻网编辑|苗某某 复审|赵某某 终审|贾某某]\n")
    assert m.publisher == "某城新闻网"


def test_reporter_lines_give_names_only_and_join_across_lines() -> None:
    m = extract_metadata(f"标题在这里写着\n□ 本报记者 王某\n□ 本报通讯员 郑某某 夏某某\n\n{BODY}")
    assert m.author == "王某 郑某某 夏某某"
    m = extract_metadata(f"标题在这里写着\n某某日报农村版全媒记者 董某某 通讯员 欧阳某某\n\n{BODY}")
    assert m.author == "董某某 欧阳某某" and m.publisher == "某某日报农村版"
    text = f"标题在这里写着\n2024-04-02 16:57作者：记者 黄某某 王某某 通讯员 徐某某来源：某某法治报\n\n{BODY}"
    m = extract_metadata(text)
    assert m.author == "黄某某 王某某 徐某某" and m.publisher == "某某法治报"
    assert m.published == dt.date(2024, 4, 2)
    m = extract_metadata(f"标题在这里写着\n2026/02/05 11:04 記者張某某／台中報導\n\n{BODY}")
    assert m.author == "張某某" and m.publisher is None


def test_wechat_account_lines() -> None:
    m = extract_metadata(f"民警来敲门是为了什么\n某某融媒\n2021-03-19 12:58:44\n\n{BODY}")
    assert m.publisher == "某某融媒" and m.title == "民警来敲门是为了什么"
    m = extract_metadata(f"民警来敲门是为了什么\n某某公安　2024年08月21日 20:05　江苏\n\n{BODY}")
    assert m.publisher == "某某公安" and m.published == dt.date(2024, 8, 21)
    assert extract_metadata(f"{BODY}\n阅读更多 某某公安 的文章").publisher == "某某公安"
    assert extract_metadata(f"标题在这里写着\n创始人\n2025-12-20 12:07:18\n\n{BODY}").publisher is None


def test_platform_reprint_names_the_outlet_it_took_the_article_from() -> None:
    text = f"标题在这里写着\n\n{BODY}\n本文来自【某某日报】，仅代表作者观点。\n来源：某某信息公共平台"
    assert extract_metadata(text).publisher == "某某日报"


def test_day_first_dates_only_when_unambiguous_and_never_from_the_body() -> None:
    assert parse_date("18.11.2017  15:57")[0] == dt.date(2017, 11, 18)  # type: ignore[index]
    assert parse_date("04.12.2014  13:26") is None
    assert parse_date("2006年11月06日04:08 某某今报")[0] == dt.date(2006, 11, 6)  # type: ignore[index]
    m = extract_metadata(f"标题在这里写着\n\n2019年4月5日，村民前来反映情况。{BODY}")
    assert m.published is None
    m = extract_metadata(f"标题在这里写着\n- 发布日期：2025-06-20 09:48\n\n{BODY}")
    assert m.published == dt.date(2025, 6, 20)
    m = extract_metadata(f"标题在这里写着\n2019-09-22 19:02來(lái)源：某某警察\n\n{BODY}")
    assert m.published == dt.date(2019, 9, 22) and m.publisher == "某某警察"


def test_stacked_headlines_above_the_date_line_the_first_is_the_title_unless_a_short_column() -> None:
    text = "访问某某出版社\n\n报警数量降五成 满意度双提升\n某社区警务室构建平安和谐社区\n"
    text += f"2025-06-13 16:00:52 来源：某某日报\n\n{BODY}"
    assert extract_metadata(text).title == "报警数量降五成 满意度双提升"
    text = f"海上枫桥\n海上“枫警”别样美——某派出所多措并举\n2024-04-02 16:57 来源：某某法治报\n\n{BODY}"
    assert extract_metadata(text).title == "海上“枫警”别样美——某派出所多措并举"


@pytest.mark.parametrize("headline", ["市公安局主办平安宣传活动", "返回家乡的民警", "最美基层民警的一天"])
def test_headlines_that_share_a_word_with_page_chrome_stay_titles(headline: str) -> None:
    assert extract_metadata(f"{headline}\n2024-05-09 来源：某某日报\n\n{BODY}").title == headline


def test_a_short_dateline_without_an_outlet_word_still_names_the_reporter() -> None:
    assert extract_metadata(f"标题在这里写着\n\n阳光讯(记者 某某某 文/图) {BODY}").author == "某某某"


def test_a_supplier_credit_names_the_person_as_author_and_an_office_as_source() -> None:
    assert extract_metadata(f"标题在这里写着\n\n{BODY}（供稿：李某某）").author == "李某某"
    office = extract_metadata(f"标题在这里写着\n\n{BODY}（供稿：某某县公安局）")
    assert office.author is None and office.publisher == "某某县公安局"


def test_an_original_headline_line_gives_its_source_but_not_the_title() -> None:
    m = extract_metadata(f"原标题：某某节丨何为片儿警？一心为民的执法者　来源：某某新闻客户端\n\n{BODY}")
    assert m.publisher == "某某新闻客户端" and m.title is None


def test_quoted_speech_is_not_a_headline_but_a_quoted_slogan_is() -> None:
    assert not is_headline("“某大哥，最近过得咋样？”“某阿姨，您还好吧？”")
    assert not is_headline("“扶手都装好了！”“爱护绿地的人越来越多啦！”……")  # speech trailing off
    assert is_headline("“小事不出村”的某某经验")


def test_an_epaper_masthead_and_its_ui_lines() -> None:
    ui = "通版阅读请点击：\n展开通版\n收缩通版\n当前版：02版\n发布日期："
    text = f"某某生活报\n2025年11月25日\n{ui}\n某某派出所：让烟火里满是安心\n{BODY}"
    m = extract_metadata(text)
    assert (m.title, m.publisher, m.published) == ("某某派出所：让烟火里满是安心", "某某生活报", dt.date(2025, 11, 25))


def test_a_phone_pages_stacked_label_value_and_date_lines() -> None:
    m = extract_metadata(f"2025\n03/18\n07:03\n來源\n某某日報\n分享\n{BODY}")
    assert (m.published, m.publisher) == (dt.date(2025, 3, 18), "某某日報")
    assert extract_metadata(f"2025\n13/45\n{BODY}").published is None  # no such day


def test_a_copyright_footer_names_the_outlet_and_a_compiled_source_is_the_paper() -> None:
    assert extract_metadata(f"标题在这里写着\n\n{BODY}\n关于我们|COPYRIGHT版权所有 ： 某某日报").publisher == "某某日报"
    assert extract_metadata(f"标题在这里写着\n( 2025-07-01 ) 稿件来源: 某某日报综合\n\n{BODY}").publisher == "某某日报"


def test_share_buttons_and_captions_are_never_titles() -> None:
    assert not is_headline("点击右上角微信好友")
    assert not is_headline("民警和志愿者一起开展防溺水宣讲(资料图)")
    assert extract_metadata(f"点击右上角微信好友\n朋友圈\n请使用浏览器分享功能进行分享\n{BODY}").title is None


def test_a_reprints_paper_in_title_marks_is_the_publisher() -> None:
    text = (
        "北京：聚焦“接诉即办”提升服务群众能力\n\n来源：光明网-《光明日报》2025-10-05 02:00\n\n"
        "  正文第一段写得很长，民警走进社区听取意见，解决了群众反映的噪声问题。\n"
    )
    assert extract_metadata(text).publisher == "光明日报"


def test_the_section_a_breadcrumb_ends_in_is_no_title() -> None:
    text = (
        "当前位置: 首页 > 法治工作 > 人民参与和促进法治\n人民参与和促进法治\n\n交调委靠什么获得社会广泛认可\n\n"
        "发布时间: 2019-07-22 15:16      来源: 法制日报\n\n"
        "  正文第一段写得很长，交调委在交警大队的支持下调解了大量纠纷。\n"
    )
    assert extract_metadata(text).title == "交调委靠什么获得社会广泛认可"
    text = "现在的位置:首页 / 某海要闻\n\n坚守雪域高原 护卫平安\n\n来源:某海日报     发布时间:2022-08-14\n\n" + _BODY
    assert extract_metadata(text).title == "坚守雪域高原 护卫平安"  # 现在的位置: a bread-crumb too


def test_bulleted_fields_are_read() -> None:
    text = (
        "科左中旗公安局:夯实基层基础筑牢平安根基\n\n  • 2023-03-24 18:55\n  • 来源: 科左中旗公安局\n\n"
        "  春风吹绿大地，草木刚刚萌发。来到内蒙古通辽市科左中旗，映入眼帘的是一幅政通人和的图景。\n"
    )
    m = extract_metadata(text)
    assert (m.published, m.publisher) == (dt.date(2023, 3, 24), "科左中旗公安局")


def test_a_xiaoxi_dateline_names_outlet_and_reporters_and_a_caption_credit_does_not() -> None:
    text = (
        "央广网昆明1月9日消息(记者 魏文青 实习记者 谢宛均)1月10日是第五个中国人民警察节。1月9日，"
        "庆祝第五个中国人民警察节暨云南公安工作新闻发布会召开。\n发布会现场(央广网实习记者 谢宛均 摄)\n"
    )
    m = extract_metadata(text)
    assert (m.publisher, m.author) == ("央广网", "魏文青 谢宛均")


def test_a_bracketed_credit_closing_the_report_names_its_reporters() -> None:
    text = (
        "成都公安打击整治行动取得成效\n\n人民网成都9月21日电 成都市公安局9月20日就夏季治安打击整治行动举行新闻发布会。"
        "截至目前，全市已抓获违法犯罪嫌疑人1.8万余名。（李平、实习生崔熙滟）\n"
    )
    m = extract_metadata(text)
    assert (m.publisher, m.author) == ("人民网", "李平 崔熙滟")


@pytest.mark.parametrize(
    ("head", "published", "publisher"),
    [
        ("原创 平安城关 平安城关 2024-05-06 18:30 发表于四川", dt.date(2024, 5, 6), "平安城关"),  # a WeChat post's head
        ("2024年05月06日 09:12  来源：人民网－人民日报", dt.date(2024, 5, 6), "人民日报"),  # full-width dash
    ],
)
def test_wechat_heads_and_site_paper_sources(head: str, published: dt.date, publisher: str) -> None:
    text = (
        f"城关派出所探索基层治理新路径\n{head}\n\n　　今年以来，城关派出所坚持和发展新时代“枫桥经验”，"
        "共化解各类矛盾纠纷126起，调解成功率达98%。\n"
    )
    m = extract_metadata(text)
    assert (m.title, m.published, m.publisher) == ("城关派出所探索基层治理新路径", published, publisher)


def test_a_site_suffix_on_a_plain_text_headline_is_cut() -> None:
    text = (
        "三亚警方科学部署警力，保障游客游玩安全-新华网\n\n2024-02-16\n\n"
        "正文第一段写得很长，三亚警方在春节期间科学部署警力，保障游客游玩安全。\n"
    )
    m = extract_metadata(text)
    assert m.title == "三亚警方科学部署警力，保障游客游玩安全"
    assert at(text, m.title_span) == m.title


def test_a_magazine_issue_line_a_tongxun_dateline_and_a_name_beside_a_date() -> None:
    text = (
        "“塞上枫桥”新警务\n\n2024-01-01陶永艳\n\n现代世界警察 2024年5期\n\n"
        "银川市公安局交警支队支队长隋宏陆讲起节假日的交通保障：“重点区域和要紧路段都安排了警力。”\n"
    )
    m = extract_metadata(text)
    assert (m.published, m.publisher) == (dt.date(2024, 1, 1), "现代世界警察")
    text = "中国藏族网通讯 记者12日从拉萨铁路公安处了解到，拉萨站位列全国101个重点客运交通枢纽，也是西藏的一处门户。\n"
    assert extract_metadata(text).publisher == "中国藏族网"


def test_a_name_before_an_outlets_role_word_is_a_credit_and_the_outlet_its_publishers() -> None:
    from pipelines.text.metadata import credit_names

    assert credit_names("胡星文 四川法治报全媒体记者 俞阳 文/图") == ("胡星文 俞阳", "四川法治报")


def test_a_taiwan_reporter_line_with_a_division_slash() -> None:
    text = (
        "南警社区治安 夺直辖市组特优\n\n2025-12-23\n\n记者翁圣权∕新营报导\n\n"
        "台南市警察局推动社区治安有成，获内政部评为直辖市组特优。\n"
    )
    assert extract_metadata(text).author == "翁圣权"


_BODY = "\n\n　　今年以来，城关派出所坚持和发展新时代“枫桥经验”，共化解各类矛盾纠纷126起，调解成功率达98%。\n"
_GANSU = (
    "(资料图片)\n(省公安厅供图)\n"
    "中国甘肃网5月9日讯据兰州晚报报道 今年以来，全省公安机关治安部门完善矛盾纠纷多元化解机制。\n"
)
_FUAN = (
    "福安公安书写群众满意的公安答卷\n来源:本站原创 作者:福安新闻网 发布时间:2021-10-22 17:23:21\n\n"
    "2021年10月21日,《福建法治报》报道 书写群众满意的公安答卷\n原文如下" + _BODY
)
_TAIHE = "依托驻所民调建设平安前哨\n\n来源:辽宁法治报 | 作者:李一星 本报驻锦州记者 王璐璐 | 发布时间: 2025-02-13"
_YONGKANG = (
    "浙江永康西城派出所“娘家人调解室”\n"
    "本报讯(记者傅潇潇 □蒋定国 通讯员胡永丽) 浙江省永康市西城派出所管着该市的城乡接合部。\n"
)


_FOOTER_CREDIT = (
    "洮北分局破获诈骗案\n" + _BODY + "（记者姜宁）\n[白城新闻网编辑|苗金明]\n（责任编辑：贾涤非）标签：\n经济\n生活\n"
)
_OUTLET_CREDIT = "边防派出所启动运行\n" + _BODY + "渔船民报警有了着落。（湄洲日报 孙卫锋 林建明）\n"
_PAGE_REPRINT = "聚焦重大矛盾\n2022年8月1日，河南日报第8版刊发《聚焦重大矛盾》一文。\n" + _BODY
_TW = "強化國門安全 航警局提升機場巡邏密度\n\n【警政時報 戴昱弘／桃園報導】今（19）日航空警察局高度關注治安。\n"
_EPAPER = "手机终端下载：\n\n当前位置：茂名晚报 第2019-07-05期 第06版：茂闻.社会\n\n400警力雷霆出击打电诈" + _BODY


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (_GANSU, "publisher", "兰州晚报"),  # a reprint named in its dateline
        (_GANSU, "author", None),  # a photo's credit is no author
        (_GANSU, "title", None),  # nor is a caption a title
        ("法治在线\n云阳凤鸣派出所凝聚多元解纷合力\n城乡统筹发展网 10-15 10:31" + _BODY, "publisher", "城乡统筹发展网"),
        (_TAIHE + _BODY, "author", "李一星 王璐璐"),
        (_FUAN, "publisher", "福建法治报"),  # a reprint that says so at its head
        (_FUAN, "published", dt.date(2021, 10, 21)),
        (_FUAN, "author", None),  # an outlet in the author field
        (_YONGKANG, "author", "傅潇潇 蒋定国 胡永丽"),
        ("四川发布客户端消息 这几年，绵阳市游仙区汉仙桥派出所总有几个人来闹矛盾。\n", "publisher", "四川发布客户端"),
        # an app outlet ending in 新闻, not where a longer name goes on
        ("奔流新闻讯（记者 张秀芸）1月3日上午，甘肃省公安厅召开新闻发布会。\n", "publisher", "奔流新闻"),
        ("中国新闻网北京7月1日电 (记者 李某) 公安部召开新闻发布会。\n", "publisher", "中国新闻网"),
        # a Taiwanese paper's bracketed credit; a credit alone on its line; an e-paper page's issue
        (_TW, "publisher", "警政時報"),
        (_TW, "author", "戴昱弘"),
        ("（记者姜宁）\n\n　　不久前，洮北分局在排查辖区行业场所时发现一伙可疑人员。\n", "author", "姜宁"),
        # a CMS's empty timestamp is no date; an e-paper's issue line holds the date
        ("春节天津启动重大节日勤务模式\n来源: 更新时间:1970-01-01 08:00:00 编辑:管理员" + _BODY, "published", None),
        ("他们是牧民群众的“套特尼昏”\n标题 站内高级搜索\n第4908期:第03版 本期出版日期:2025-05-15" + _BODY, "published",
         dt.date(2025, 5, 15)),
        # a long line of clauses strung on commas opens a paragraph; it is no headline
        (
            "来这里歇脚的游客越来越多，“边境警务服务站”也成了普法宣传的好地方，民警主动向游客讲解边境政策法规……\n"
            "服务站建起来没多久，一位游客急匆匆地敲门求救。\n",
            "title",
            None,
        ),
        # a Taiwanese credit's role and place, names set off by slashes, a photo reproduced; an en dash suffix
        ("警深入社区 宣导犯罪预防 – 天天上新闻\n特派员孙崇文/台中\n" + _BODY, "author", "孙崇文"),
        ("警深入社区 宣导犯罪预防 – 天天上新闻\n特派员孙崇文/台中\n" + _BODY, "title", "警深入社区 宣导犯罪预防"),
        ("边境派出所守护国门\n作者：/任博 /贾华加\n" + _BODY, "author", "任博 贾华加"),
        # a reprint named by its paper and page; a name before an outlet's role word is an author too
        ("民警救助受伤旅客\n" + _BODY + "救助受伤旅客(央广网发 南川区公安局供图)\n", "publisher", "央广网"),
        ("民警救助受伤旅客\n" + _BODY + "救助受伤旅客(新华社发 李某摄)\n", "publisher", None),
        # a closing credit alone on its line before a page's footer; an outlet before the names is no author
        (_FOOTER_CREDIT, "author", "姜宁"),
        (_OUTLET_CREDIT, "author", "孙卫锋 林建明"),
        (_PAGE_REPRINT, "publisher", "河南日报"),
        (_PAGE_REPRINT, "published", dt.date(2022, 8, 1)),
        (_EPAPER, "publisher", "茂名晚报"),
        (_EPAPER, "published", dt.date(2019, 7, 5)),
    ],
)
def test_reprints_captions_and_credits_of_varied_pages(text: str, field: str, value: object) -> None:
    assert getattr(extract_metadata(text), field) == value


_ROLE_HEADLINE = "记者探访山区派出所的除夕夜，一次巡逻和一顿年夜饭"
_GLUED_LABELS = "守护一方平安\n2024-07-27 21:38 信息来源:某某新媒体中心发布者:某某网点击量:\n"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # a platform account line: outlet and date, the headline below it
        ("某某法治报 · 公众号 · 2025-02-11 09:20\n民警的元宵夜\n" + _BODY, "publisher", "某某法治报"),
        ("某某法治报 · 公众号 · 2025-02-11 09:20\n民警的元宵夜\n" + _BODY, "published", dt.date(2025, 2, 11)),
        ("某某法治报 · 公众号 · 2025-02-11 09:20\n民警的元宵夜\n" + _BODY, "title", "民警的元宵夜"),
        # the writer only, not the photographer or editor after the writer's name
        ("民警的元宵夜\n记者|李小青　摄影|赵大海　编辑|钱多多\n" + _BODY, "author", "李小青"),
        ("民警的元宵夜\n记者 李小青 摄像 赵大海 编辑 钱多多\n" + _BODY, "author", "李小青"),
        # a long headline that opens with 记者 is a headline, not a byline
        (_ROLE_HEADLINE + "\n" + _BODY, "title", _ROLE_HEADLINE),
        # a footer naming its holder first; a bread-crumb trail with the site first
        ("民警的元宵夜\n" + _BODY + "某某县融媒体电视台 版权所有\n", "publisher", "某某县融媒体电视台"),
        ("某某新闻云 › 专题 › 警察\n民警的元宵夜\n" + _BODY, "publisher", "某某新闻云"),
        ("首页 › 专题 › 警察\n民警的元宵夜\n" + _BODY, "publisher", None),
        # a time phrase alone on the first line opens a sentence broken over lines, no headline
        ("今年以来\n" + _BODY, "title", None),
        # a closing credit of names alone in brackets; not a role or a note
        ("守护一方平安\n" + _BODY + "（王青 李一博）\n", "author", "王青 李一博"),
        ("守护一方平安\n" + _BODY + "（责任编辑）\n", "author", None),
        # an aggregator's stars, a site's column before the headline, an underscore site suffix
        ("守护一方平安的日日夜夜******\n" + _BODY, "title", "守护一方平安的日日夜夜"),
        ("某某新闻：守护一方平安的日日夜夜\n" + _BODY, "title", "守护一方平安的日日夜夜"),
        ("守护一方平安的日日夜夜_新消息\n" + _BODY, "title", "守护一方平安的日日夜夜"),
        # 本文转自 names the source, never the headline; a paper's 报社 is the paper
        ("本文转自：某某晚报\n" + _BODY, "title", None),
        ("本文转自：某某晚报\n" + _BODY, "publisher", "某某晚报"),
        ("守护一方平安\n" + _BODY + "某某晚报社 版权所有\n", "publisher", "某某晚报"),
        # page-furniture labels run into the value before them; UI lines are no headlines
        (_GLUED_LABELS + _BODY, "publisher", "某某新媒体中心"),
        ("微信扫一扫\n" + _BODY, "title", None),
        ("点击蓝色字关注我们吧！\n" + _BODY, "title", None),
        # people named where the outlet goes wrote it
        ("守护一方平安\n来源：王青 李一博\n" + _BODY, "author", "王青 李一博"),
        ("守护一方平安\n来源：王青 李一博\n" + _BODY, "publisher", None),
        # a medium's tag after the headline; a slash setting a name off its role
        ("守护一方平安（权威发布）\n" + _BODY, "title", "守护一方平安"),
        ("守护一方平安\n" + _BODY + "民警走访牧户。(某某网 通讯员/李青 记者/王海)\n", "author", "李青 王海"),
    ],
)
def test_account_lines_writer_credits_footers_and_crumbs(text: str, field: str, value: object) -> None:
    assert getattr(extract_metadata(text), field) == value
