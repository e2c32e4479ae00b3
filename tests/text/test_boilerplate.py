"""find_boilerplate on the five seeds (footers, captions, credits gone; body intact) and on made-up pages."""

from __future__ import annotations

import re

import pytest

from pipelines.text.boilerplate import find_boilerplate, is_caption
from pipelines.text.metadata import extract_metadata
from pipelines.text.offsets import apply_replacements
from tests.conftest import SEEDS, seed_text

# sentences that must survive, first and last paragraph of each body included
KEEP = {
    "000": [
        "冬日暖阳下,广西东兴国门景区游人如织",
        "以情以理\u2002巧为矛盾化解人",
        "矛盾纠纷调处成功率超过98%。",
        "近两年来,成功调处矛盾纠纷700余起,有力维护辖区和谐稳定。",
        "16岁的女孩小丽(化名)是贵州人",
        "让“枫桥经验”在祖国南疆不断焕发新的生机与活力。",
    ],
    "001": [
        "曾經(jīng),這里是一片的土丘菜地",
        "迎“楓”起航,黨建引領(lǐng)鑄鐵軍",
        "矛盾化解率高達(dá)95%,糾紛調(diào)解率高達(dá)99.2%。",
        "把為民辦實事落到實處。",
    ],
    "002": [
        "派出所名称:广东省江门市公安局睦洲派出所。",
        "建所时间:1982年4月。",
        "睦洲镇地处广东省江门市东部",
        "依靠群众\xa0 共建共治开稳“平安渡”",
        "“石板沙高峰期每天将近有1000名游客",
        "国家反诈中心App和江门公安“邑安”反诈小程序保护覆盖率达98.5%。",
    ],
    "003": [
        "在祖国西北边陲的伊犁河谷",
        "知民情:深耕民生脉络,架起社情民意“连心桥”",
        "94.3%以上的纠纷在村(社区)一级就得到解决。",
        "共同书写新时代边疆治理的新篇章。",
    ],
    "004": [
        "近年來,新津公安花源派出所",
        "多元調(diào)解,探索化解矛盾新路徑",
        "開展法治宣傳20余次。",
    ],
}
GONE = {
    "000": ["免责声明", "原文链接", "http://", "时间:", "佚名", "付浩", " 摄", "与越南一河之隔,这个"],
    "001": ["攝", "責(zé)編", "分享", "(王勇 卜英豪)"],
    "002": [
        "Copyright", "邮编", "E-mail", "站内搜索", "详见本刊", "高级搜索", "社长致辞", "访问群众出版社",
        "浏览次数", "文/图/", "编辑:", "关键字", "方\xa0式", "互联网地址", "……\n", "2023/3/9",
    ],
    "003": ["作者:"],
    "004": ["供稿"],
}
LAST = {"000": "活力。", "001": "落到實處。", "002": "98.5%。", "003": "新篇章。", "004": "實(shí)。"}


def clean(text: str) -> tuple[str, object]:
    report = find_boilerplate(text)
    out, offsets = apply_replacements(text, report.replacements)
    return out, (report, offsets)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_body_survives_and_boilerplate_goes(key: str) -> None:
    text = seed_text(key)
    out, _ = clean(text)
    for sentence in KEEP[key]:
        assert sentence in out, sentence
    for residue in GONE[key]:
        assert residue not in out, residue
    assert out.endswith(LAST[key])


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_paragraphs_are_single_lines_without_indentation(key: str) -> None:
    out, _ = clean(seed_text(key))
    assert "\n\n" not in out
    assert not out.startswith("\n") and not out.endswith("\n")
    for line in out.split("\n"):
        assert line and line == line.strip(" \t\u00a0\u3000\u2002"), repr(line[:20])


@pytest.mark.parametrize(("key", "low", "high"), [
    ("000", 0.80, 0.90), ("001", 0.95, 0.99), ("002", 0.80, 0.90), ("003", 0.99, 1.0), ("004", 0.99, 1.0),
])
def test_body_length_is_reasonable(key: str, low: float, high: float) -> None:
    text = seed_text(key)
    out, _ = clean(text)
    visible = len(re.sub(r"\s", "", text))
    kept = len(re.sub(r"\s", "", out))
    assert low <= kept / visible <= high


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_offsets_map_body_back_to_the_raw_text(key: str) -> None:
    text = seed_text(key)
    out, (report, offsets) = clean(text)
    assert all(r.text == "" and r.kind in ("boilerplate", "whitespace") for r in report.replacements)
    assert [(r.start, r.end) for r in report.replacements] == [(s, e) for s, e, _ in report.removed]
    for sentence in KEEP[key]:
        start = out.index(sentence)
        src = offsets.source_span(start, start + len(sentence))
        assert text[src[0] : src[1]] == sentence


def test_captions_are_reported_apart() -> None:
    text = seed_text("000")
    report = find_boilerplate(text)
    captions = [text[s:e] for s, e in report.captions]
    assert captions == [
        "东兴边境派出所移民管理警察在国门景区值守。付浩\u2002摄",
        "该所移民管理警察联合“三官一律一网格”工作人员调解矛盾纠纷。黄心惠\u2002摄",
        "该所移民管理警察定点执勤。蒙正欢\u2002摄",
        "该所对表现突出的“北仑河卫士”群防队员进行年度表彰奖励。沈世婷\u2002摄",
    ]
    text = seed_text("001")
    report = find_boilerplate(text)
    assert len(report.captions) == 4
    assert all(text[s:e].endswith("人民網(wǎng) 王勇攝") for s, e in report.captions)


def test_reasons_for_seed_002_footer() -> None:
    text = seed_text("002")
    reasons = {why for _, _, why in find_boilerplate(text).removed}
    assert {"navigation", "view counter", "copyright footer", "contact footer", "print-edition reference",
            "ellipsis line", "metadata: title", "metadata: dateline", "metadata: author"} <= reasons


def test_metadata_can_be_passed_in_and_headings_kept() -> None:
    text = seed_text("000")
    meta = extract_metadata(text)
    report = find_boilerplate(text, meta, drop_headings=False)
    out, _ = apply_replacements(text, report.replacements)
    assert report.metadata is meta
    assert out.startswith("与越南一河之隔,这个边境市的平安经验都在这……\n创边境市域治理新模式")
    assert "时间:" not in out


PAGE = """当前位置:首页 > 警务动态 > 正文
【字号 大 中 小】 【打印】 【关闭】
社区民警化解邻里纠纷
发布时间:2024-05-06 09:12 来源:某某县公安局 阅读:356

\u3000\u3000某某派出所社区民警走访辖区,化解邻里纠纷12起。
\u3000\u3000派出所地址:某某县人民路1号,电话:0000-1234567,群众可随时来所反映问题。
▲民警入户走访。
\u3000\u3000下一步,该所将继续深化“枫桥经验”,把矛盾化解在基层。
(完)
上一篇:某某派出所开展防诈宣传
下一篇:暂无
主办单位:某某县公安局 版权所有 备案号:某ICP备00000000号
联系电话:0000-1234567
"""


def test_made_up_page_rules_generalise() -> None:
    report = find_boilerplate(PAGE)
    out, _ = apply_replacements(PAGE, report.replacements)
    assert out == (
        "某某派出所社区民警走访辖区,化解邻里纠纷12起。\n"
        "派出所地址:某某县人民路1号,电话:0000-1234567,群众可随时来所反映问题。\n"
        "下一步,该所将继续深化“枫桥经验”,把矛盾化解在基层。"
    )
    assert [PAGE[s:e] for s, e in report.captions] == ["▲民警入户走访。"]
    assert report.metadata is not None and report.metadata.title == "社区民警化解邻里纠纷"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("东兴边境派出所移民管理警察在国门景区值守。付浩 摄", True),
        ("民警走進(jìn)社區(qū)進(jìn)行防詐騙宣傳。人民網(wǎng) 王勇攝", True),
        ("民警在现场指导群众。(记者 张三 摄)", True),
        ("图为民警走访辖区商户。", True),
        ("民警对现场进行了拍摄", False),
        ("民警对事故现场进行拍摄。随后联系了保险公司,当事双方达成和解,此事得到妥善处理。", False),
    ],
)
def test_is_caption(line: str, expected: bool) -> None:
    assert is_caption(line) is expected


def test_crlf_and_empty_text() -> None:
    out, _ = clean("标题一行\r\n\r\n  正文第一段,内容完整。\r\n正文第二段。\r\n")
    assert out == "正文第一段,内容完整。\n正文第二段。"
    assert find_boilerplate("").replacements == []
