"""Article metadata (title, date, publisher, author, editor, original URL) found in plain article text.

Reposted Chinese news text carries its metadata in a handful of conventional places: a headline line at the
top, a "dateline" under it (``时间:… 来源:… 作者:…`` or ``<出版社>  2023/3/9 10:31:38``), a byline
(``文/图/黄伟锋``), a trailing credit on the last paragraph (``(王勇 卜英豪)``, ``(作者:…)``,
``(新津公安 供稿)``), editor lines (``(责编:…)``, ``编辑:栏目----姓名``) and a source link
(``原文链接:http://…``).  The rules below look for those *shapes*, never for particular outlets.

Every value comes with the span of ``text`` it was read from, and `ArticleMetadata.removable` lists the
spans that hold nothing but metadata, so the boilerplate stage can drop them from the body and the offset
map still points at the raw characters.  Values are normalised (whitespace trimmed, pinyin glosses such as
``區(qū)`` dropped), so a title comes out the same whether glosses were stripped before this stage or after.

Decisions:

* **Title**: page chrome (breadcrumbs, mastheads, e-paper page headers, UI words, bylines and reporter lines,
  原标题 lines, captions, a bare outlet name) is never a title, whatever its shape.  Of the headline-shaped
  lines before the first paragraph: the first of the run right above the first dateline (主题 before 副题; a
  short column name such as "海上枫桥" before a longer line is skipped), else the first below it, else the
  first one.  A kicker ending in a dash introduces the headline and is skipped; ``…电 题：X`` gives X;
  a disclosure page's ``名称:`` field is used when no line qualifies.  Otherwise ``None``: we do not invent one.
* **Publisher**: the 来源 field (cut to the outlet's name: no date, URL, hotline or second name), overridden
  by the original's print citation ``《X》（2024年03月25日 10 版）``, an e-paper header ``X报/2024 年/5 月/28 日``
  or ``本文来自【X】`` on a reprint; failing those, indirect evidence: the outlet of a ``X讯``/``X电``
  dateline, of a reporter line (``X全媒体记者 …``), a WeChat account line above a date-only line, ``阅读更多 X
  的文章``, a breadcrumb's root.  ``本报``/``本网`` name no outlet.
* **Author**: names only, role words dropped; role groups joined by a space, a group's own separators kept
  (``记者王某、通讯员丁某、李某报道`` → ``王某 丁某、李某``).
* **Subtitle**: headline-shaped lines between the title block and the first paragraph, accepted only when
  one of them starts with a dash (``——记…``, the 副题 convention); the lines are joined without separator.
* **Anonymous authors** (佚名, 匿名, 不详 …) give ``author=None`` with ``author_as_written`` kept.
* **Publisher from a photo credit** (``人民网 王勇摄``) is inferred only when the credited photographer is
  one of the article's own authors: then the credit's organisation is the author's employer and the article
  is its own report; a credit naming someone else says only who owns the picture.  Flagged in ``inferred``.
* **Contributed copy** (``(新津公安 供稿)``): the contributor is the author; it supplied the copy to an outlet
  the text does not name, so the publisher stays unknown rather than being filled with the contributor.
* **Date** from a dateline or labelled field; else an unlabelled date-only line; else the date in the
  article URL path (``/2023-12/19/``), flagged in ``inferred``.  Never from the body.  A day-first
  ``18.11.2017`` is read only when unambiguous (day > 12 or day = month).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

Span = tuple[int, int]

FIELDS = ("title", "published", "publisher", "author", "editor", "url")

# --- character helpers ---------------------------------------------------------------------------------

# Simplified → Traditional variants of the characters used in labels, so label regexes match both scripts.
_TRAD = {
    "时": "時", "间": "間", "来": "來", "发": "發", "布": "佈", "记": "記", "编": "編", "辑": "輯",
    "责": "責", "浏": "瀏", "览": "覽", "阅": "閱", "读": "讀", "点": "點", "击": "擊", "讯": "訊",
    "员": "員", "转": "轉", "载": "載", "摄": "攝", "图": "圖", "网": "網", "链": "鏈", "处": "處",
    "笔": "筆", "审": "審", "核": "核", "对": "對", "数": "數", "稿": "稿", "题": "題", "关": "關",
    "页": "頁", "报": "報", "导": "導", "实": "實", "习": "習", "约": "約", "从": "從",
}
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A pinyin gloss after a Han character: "區(qū)".  Requires a tone mark or ü so "(APP)", "(2022)" survive.
_GLOSS_RE = re.compile(rf"(?<=[\u3400-\u9fff])[(（](?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}[)）]")
_OPT_GLOSS = rf"(?:[(（][a-z{_TONED}]{{1,7}}[)）])?"

_WS = " \t\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff"
_COLON = "[:：]"
_TERMINAL = "。！？；!?;"


def _label(*words: str) -> str:
    """Regex alternation for labels in either script, tolerating spaces inside ("来 源") and glosses."""
    alts = []
    for word in sorted(words, key=len, reverse=True):
        parts = []
        for ch in word:
            cls = re.escape(ch) if ch not in _TRAD else f"[{ch}{_TRAD[ch]}]"
            parts.append(cls + _OPT_GLOSS)
        alts.append(rf"[{_WS}]*".join(parts))
    return "(?:" + "|".join(alts) + ")"


def strip_glosses(value: str) -> str:
    """Drop pinyin glosses ("區(qū)" → "區") from a short value; the body is the cleaner's business."""
    return _GLOSS_RE.sub("", value)


@lru_cache(maxsize=8192)
def _norm(value: str) -> str:
    """Glosses dropped, whitespace runs as one space (cached: the same lines are normalised dozens of times)."""
    return _WS_RUN_RE.sub(" ", strip_glosses(value)).strip()


_WS_RUN_RE = re.compile(rf"[{_WS}]+")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# --- labels ---------------------------------------------------------------------------------------------

_DATE_LABELS = _label("时间", "日期", "发布时间", "发布日期", "发表时间", "发表日期", "更新时间", "发稿时间",
                      "发布于", "发表于", "出版日期", "本期出版日期")
_SOURCE_LABELS = _label("来源", "媒体", "稿源", "稿件来源", "出处", "文章来源", "信息来源", "新闻来源", "转自",
                        "转载自", "来自", "供稿", "供稿单位", "发布机构", "本文来源", "本文转自", "文章转自")
_AUTHOR_LABELS = _label("作者", "记者", "撰稿", "撰文", "文字", "通讯员", "特约记者", "本报记者", "本刊记者",
                        "实习记者", "文", "文/图", "图/文", "文图", "图文", "笔者")
_EDITOR_LABELS = _label("责任编辑", "责编", "编辑", "本文编辑", "网络编辑", "值班编辑")
_OTHER_LABELS = _label("审核", "校对", "责任校对", "编审", "浏览次数", "浏览", "阅读", "阅读数", "点击",
                       "点击数", "点击率", "访问量", "字号", "字体", "文章字体", "摄影", "图片", "来源链接",
                       "发布人", "发布者", "点击量", "成文日期", "索引号", "分类", "文号")
_TITLE_LABELS = _label("标题", "名称", "文章标题")  # a government disclosure page's "名称: <title>" field
# "原标题：X　来源：Y": the line is metadata (its 来源 is read), the original headline is not the title
_ORIGINAL_TITLE_LABELS = _label("原标题", "原標題", "原题", "原題")
_URL_LABELS = _label("原文链接", "原文地址", "原文网址", "本文链接", "文章链接", "原文", "链接", "网址",
                     "出处链接", "URL", "url", "Url")

_REPORTER_LABELS = _label("记者", "通讯员", "特约记者", "本报记者", "本刊记者", "实习记者", "作者")
# "来源:X" anywhere in a line; "记者 张三" (no colon) only for reporter labels, which precede a name.
_GLUED_LABELS = _label("发布者", "发布人", "点击量", "浏览量", "阅读量", "浏览次数", "责任编辑", "责编")
_ANY_LABEL = re.compile(
    rf"(?:(?:(?<=^)|(?<=[{_WS}|｜【\[(（\d]))(?:(?P<label>{_DATE_LABELS}|{_SOURCE_LABELS}|{_AUTHOR_LABELS}"
    rf"|{_EDITOR_LABELS}|{_OTHER_LABELS}|{_URL_LABELS}|{_TITLE_LABELS}|{_ORIGINAL_TITLE_LABELS})[{_WS}]*{_COLON}"
    rf"|(?P<label2>{_REPORTER_LABELS})[{_WS}]+)"
    # a page-furniture label run into the value before it ("信息来源:某中心发布者:某网点击量:")
    rf"|(?<=[\u4e00-\u9fff])(?P<label3>{_GLUED_LABELS})[{_WS}]*{_COLON})"
    rf"[{_WS}]*"
)

_ANONYMOUS = {"佚名", "匿名", "不详", "不詳", "未知", "网络", "網絡", "本站", "admin", "管理员", "管理員"}
# CMS account roles shown where a name or an account would be: neither an author nor a publisher
ROLE_NOUNS = frozenset({
    "创始人", "創始人", "管理员", "管理員", "超级管理员", "小编", "小編", "编辑", "編輯", "作者", "站长", "站長",
    "系统管理员", "admin", "Admin", "administrator",
})

# --- credits: reporter lines, 讯/电 datelines, outlets ---------------------------------------------------

# A role word before reporters' names: 记者, 本报记者, 全媒体记者, 通讯员, 实习生 … (either script).
_ROLE = (
    r"(?:本报|本報|本刊|本网|本網|本台)?(?:首席|特约|特約|见习|見習|实习|實習|全媒体|全媒體|全媒|融媒体|融媒體|融媒|"
    r"摄影|攝影)?(?:主任|高级|高級)?(?:驻[\u4e00-\u9fff]{1,4})?(?:记者|記者|通讯员|通訊員|实习生|實習生|见习生|見習生|特派员|特派員)"
)
_ROLE_RE = re.compile(_ROLE)
# not a caption: 现场(央广网记者 X 摄); a writer's name may stand first (胡星文 四川法治报全媒体记者 俞阳)
_REPORTER_LINE_RE = re.compile(rf"^(?:[\u4e00-\u9fff]{{2,4}}[{_WS}]+)?[^\s，。,:：（(]{{0,14}}?{_ROLE}")
# "【通讯员刘兴云 】他们穿…": a bracketed credit opening the first paragraph
_BRACKET_CREDIT_RE = re.compile(rf"^[【\[](?P<credit>{_ROLE}[^】\]]{{2,24}})[】\]]")
# "（记者姜宁）" alone on its line, opening or closing the report
_PAREN_CREDIT_LINE_RE = re.compile(  # （记者姜宁）, (光明日报全媒体记者 郭俊锋 通讯员 刘小满), （看看新闻Knews记者：…）
    rf"^[（(](?P<credit>(?:[\u4e00-\u9fff]{{2,10}}?(?:报|報|网|網|社|台|新闻|新聞)[A-Za-z]*)?{_ROLE}[^（）()]{{2,30}})[）)][{_WS}]*$"
)
_PAREN_NAMES_LINE_RE = re.compile(r"[（(]([\u4e00-\u9fff、 ]{2,14})[）)]")
_NOT_A_NAME_RE = re.compile(r"编|审|校对|记者|通讯员|摄|图|圖|完|来源|來源|转载|轉載|供稿|视频|視頻|责任|責任")
_CLOSING_CREDIT_RE = re.compile(r"[。！？!?”][ \t\u3000]*[（(](?P<credit>[^（）()]{2,30})[）)][ \t\u3000|｜]*$")
# "本文来自【淮安日报】": the outlet a platform took the article from
_TAKEN_FROM_RE = re.compile(
    r"本文(?:来自|來自|来源于|來源於|转自|轉自|转载自|轉載自)[【《「]?(?P<org>[^】》」，,。\s]{2,14}?)[】》」]"
)
_REPORT_TAIL_RE = re.compile(
    r"(?:[/／∕\s][\u4e00-\u9fff]{1,6})?(?:报道|報道|报导|報導|[摄攝])$|\s+[文图圖][/／][文图圖]$"
)
# 新闻 ends an app's name (奔流新闻, 封面新闻) but not where a longer name goes on (中国新闻网, 央视新闻客户端)
_OUTLET_SUFFIX = (
    r"(?:网|網|报|報|社|台|臺|在线|在線|中心|客户端|客戶端|频道|頻道|融媒|杂志|雜誌|日报|晚报|时报"
    r"|新[闻聞](?![网網]|客[户戶]端))"
)
_OUTLET_RE = re.compile(rf"^[\u4e00-\u9fff《》]{{1,14}}{_OUTLET_SUFFIX}[A-Za-z]{{0,8}}$")  # 看看新闻Knews
_OWN_OUTLET = re.compile(r"^(?:本报|本報|本刊|本网|本網|本台|本站)")
_REPORTED_BY_RE = re.compile(rf"[{_WS}]*据(?P<org>[\u4e00-\u9fff]{{2,12}}?{_OUTLET_SUFFIX})报道")
_REPRINT_OF_RE = re.compile(
    r"^[\s\u3000]*(?P<date>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)?[，,]?\s*"
    r"(?:《(?P<org>[\u4e00-\u9fff]{2,12})》|(?P<paper>[\u4e00-\u9fff]{2,10}?(?:日报|晚报|报))第\s*\d{1,3}\s*版)"
    r"(?:报道|刊发|刊登|刊载)"
)  # "2021年10月21日,《福建法治报》报道", "2022年8月1日，河南日报第8版刊发《…》"
_SITE_TIME_LINE_RE = re.compile(
    rf"^(?P<org>[\u4e00-\u9fff]{{2,14}}?{_OUTLET_SUFFIX})\s+\d{{1,2}}-\d{{1,2}}\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?$"
)
# …and the other way round, a full date and time, then the site: "2025-01-28 13:59:07  光明網"
_TIME_SITE_LINE_RE = re.compile(
    rf"^(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s+(?P<org>[\u4e00-\u9fff]{{2,14}}?{_OUTLET_SUFFIX})$"
)
# an aggregator's line of the site and how long ago it posted: "新华网云南频道  3小时前"
_SITE_AGO_RE = re.compile(
    rf"^(?P<org>[\u4e00-\u9fff]{{2,14}}?{_OUTLET_SUFFIX}[\u4e00-\u9fff]{{0,6}})\s+\d{{1,2}}(?:分钟|小时|天)前$"
)
# a page's editor box naming its site: "[白城新闻网编辑|苗金明 复审|赵翠丽 终审|贾涤非]"
_SITE_EDITOR_RE = re.compile(
    rf"^[\[【](?P<org>[\u4e00-\u9fff]{{2,14}}?{_OUTLET_SUFFIX})(?:编辑|責任編輯|责任编辑)[|｜:：]"
)
# a site's greeting at the top of its pages: "欢迎访问南通州网!"
_WELCOME_RE = re.compile(
    rf"^(?:欢迎|歡迎)(?:访问|訪問|来到|來到|光临|光臨)(?P<org>[\u4e00-\u9fff]{{2,14}}?{_OUTLET_SUFFIX})[!！。]?$"
)
_ISSUE_LINE_RE = re.compile(r"^(?P<org>[\u4e00-\u9fff]{2,12}?)\s*(?:\d{4}\s*年\s*)?第?\s*\d{1,3}\s*期$")
# "江津日报讯（记者 陈婷）", "荆楚网（湖北日报网）讯（…）", "中新网恩施7月31日电 (姚舜 周婕)", "本报讯 记者王恬报道:"
# "福建法治报—海峡法治在线11月3日讯": the paper, then its site; "今报南宁讯（记者王斯）": a place without a date
_NEWS_DATELINE_RE = re.compile(  # after "????", what a lost encoding left of the paragraph's indent
    rf"^[?？\ufffd]*(?P<org>[\u4e00-\u9fff]{{1,14}}?{_OUTLET_SUFFIX})(?:[（(][^）)]{{1,14}}[）)])?"
    rf"(?:[—－-]{{1,2}}[\u4e00-\u9fff]{{2,12}}?{_OUTLET_SUFFIX})?"
    rf"(?:[\u4e00-\u9fff]{{0,6}}\d{{1,2}}月\d{{1,2}}日)?[{_WS}]*(?:[讯訊电電]|消息|通讯|通訊)[{_WS}]*"
    rf"(?:[（(](?P<credit>[^）)]{{2,40}})[）)]|(?P<credit2>{_ROLE}[^:：。]{{2,40}}?(?:报道|報道|报导|報導)[:：]))?"
)
# tried only where the above fails, so that a longer outlet (渝北区融媒体中心讯) is not cut before a "place"
_PLACE_DATELINE_RE = re.compile(
    rf"^[?？\ufffd]*(?P<org>[\u4e00-\u9fff]{{1,10}}?{_OUTLET_SUFFIX})[\u4e00-\u9fff]{{2,4}}[讯訊][{_WS}]*"
    rf"[（(](?P<credit>{_ROLE}[^）)]{{2,30}})[）)]"
)
# "阳光讯(记者 熊玺 文/图)": a dateline whose outlet is a short name without 报/网, with a reporter credit
# …and "商报全媒体讯(椰网/海拔手机端记者 吴平 通讯员 陈萌)": the credit may open with its outlet
_SHORT_DATELINE_RE = re.compile(
    rf"^[?？\ufffd]*[\u4e00-\u9fff]{{2,8}}[讯訊][{_WS}]*[（(](?P<credit>(?:[^（）()\s]{{1,12}}?)?{_ROLE}[^）)]{{2,30}})[）)]"
)
# WeChat-style "阅读更多 黑河公安 的文章"; a print citation 《人民日报》（2024年03月25日 10 版）; an e-paper header
# "宁夏法治报/2024 年/5 月/28 日/第 008 版…".
_MORE_FROM_RE = re.compile(rf"^(?:阅读更多|閱讀更多)[{_WS}]*(?P<org>\S{{2,20}})[{_WS}]*的文章$")
_PRINT_CITATION_RE = re.compile(
    rf"^[{_WS}]*《[{_WS}]*(?P<org>[^》]{{2,14}}?)[{_WS}]*》[{_WS}]*[（(][{_WS}]*(?P<date>(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日)"
    rf"[{_WS}]*(?:第?[{_WS}]*\d+[{_WS}]*版)?[{_WS}]*[）)][{_WS}]*$"
)
_EPAPER_RE = re.compile(
    rf"^(?P<org>[^/／\s]{{2,14}}?(?:报|報|刊))[{_WS}]*[/／][{_WS}]*(?P<date>(?:19|20)\d{{2}}[{_WS}]*年[{_WS}]*[/／]?"
    rf"[{_WS}]*\d{{1,2}}[{_WS}]*月[{_WS}]*[/／]?[{_WS}]*\d{{1,2}}[{_WS}]*日)"
)
# A page's footer: "COPYRIGHT版权所有 ： 吉林日报", "版权所有©某某网": the holder is the outlet that published it.
_COPYRIGHT_HOLDER_RE = re.compile(
    rf"(?:版权所有|版權所有)[{_WS}]*[:：©]?[{_WS}]*(?:©|\(c\)|（c）)?[{_WS}]*(?P<org>[\u4e00-\u9fff]{{2,12}}{_OUTLET_SUFFIX})"
    rf"|^[{_WS}]*(?:©|Copyright)?[{_WS}]*(?P<org2>[\u4e00-\u9fff]{{2,12}}{_OUTLET_SUFFIX})[{_WS}]*(?:版权所有|版權所有)"
)  # …or the holder first: "宝应网络电视台 版权所有"
# A page's bread-crumb trail without a label, the site first: "ETtoday新闻云 › 专题 › 警察"
_BARE_BREADCRUMB_RE = re.compile(
    rf"^[{_WS}]*(?P<org>[^>»›\s]{{2,14}})[{_WS}]*[»›](?:[^>»›]{{1,12}}[»›]){{0,4}}[^>»›]{{1,12}}$"
)
# A Taiwanese paper's bracketed credit: "【警政時報 戴昱弘／桃園報導】", "〔記者張三／台北報導〕"
_BRACKET_REPORT_RE = re.compile(  # also after the post's time: "2014.12.04 19:53 pm【中時電子報╱記者鄭某╱台北報導】"
    rf"^(?P<when>[\d./:\-{_WS}]+(?:[ap]m|[AP]M)?[{_WS}]*)?[【〔\[](?:(?P<org>[\u4e00-\u9fff]{{2,10}}?{_OUTLET_SUFFIX})[{_WS}╱／/]+)?"
    r"(?P<credit>[^【〔\[】〕\]／/╱]{2,30}?)[／/╱][\u4e00-\u9fff]{1,6}(?:报导|報導|报道|報道)[】〕\]]"
)
# A photo caption's credit naming the site that ran it: "(央广网发 南川区公安局供图)"; not 新华社发, a wire service
# whose photos every outlet runs
_PHOTO_BY_SITE_RE = re.compile(rf"[（(](?P<org>[\u4e00-\u9fff]{{2,10}}?(?:网|網))[发發][{_WS}]")
# An e-paper page's location: "当前位置：茂名晚报 第2019-07-05期 第06版：茂闻.社会"
_EPAPER_ISSUE_RE = re.compile(
    rf"(?:当前位置|您的位置)[{_WS}]*[:：][{_WS}]*(?P<org>[\u4e00-\u9fff]{{2,10}}?(?:报|報))[{_WS}]*"
    rf"第[{_WS}]*(?P<date>(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}})[{_WS}]*期"
)
_BREADCRUMB_ROOT_RE = re.compile(
    rf"(?:当前位置|您的位置|您现在的位置|您当前的位置)[{_WS}]*[:：][{_WS}]*(?P<org>[^>»›\s]{{2,14}})[{_WS}]*[>»›]"
)


# Roles after the writer's in a credit line that wrote no copy: photographers, editors, reviewers.
_NOT_WRITERS_RE = re.compile(
    r"(?<=\s)(?:摄影|摄像|编辑|责任编辑|实习编辑|责编|校对|审核|审校|美编|制图|图片|视频|统筹|监制|出品)(?=\s|[:：])"
)


def credit_names(value: str) -> tuple[str, str] | None:
    """(names, outlet prefix) of a reporter credit ("法治日报全媒体记者 王家梁 通讯员 李某"); None if not one.

    Names keep the text's own separators inside a role group ("丁永涛、李安福"); role groups are joined by a
    space.  The role words themselves are dropped: the author field holds names only.
    """
    v = _norm(re.sub(r"[□■|｜]", " ", value)).strip("()（）:： ")  # □ and | separate credits (记者A □B)
    v = _NOT_WRITERS_RE.split(v, maxsplit=1)[0]  # "记者 胡蝶飞 摄影 王湧 编辑 陈姝楠": the writer only
    v = re.sub(r"^[文图圖](?:[/／、][文图圖])*[/／]", "", v)  # "文/北方新报记者 杨佳": the byline's 文/ label
    # a two-character name padded to the width of three ("杨  佳") is one name
    v = re.sub(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])[ \u3000]{1,3}([\u4e00-\u9fff])(?![\u4e00-\u9fff])", r"\1\2", v)
    v = _REPORT_TAIL_RE.sub("", v).strip(_WS + "、，,:：")
    roles = list(_ROLE_RE.finditer(v))
    if not roles:
        parts = v.split(" ")
        outlet = parts.pop(0) if len(parts) > 1 and _OUTLET_RE.match(parts[0]) else ""  # （湄洲日报 孙卫锋 林建明）
        names = " ".join(parts)
        return (names, outlet) if _name_list(names) else None
    groups = []
    for i, m in enumerate(roles):
        end = roles[i + 1].start() if i + 1 < len(roles) else len(v)
        group = v[m.end() : end].strip(_WS + "、，,:：/／")  # 通讯员/任博: the slash sets the name off
        if not group:
            continue
        if not _name_list(group):
            return None
        groups.append(group)
    prefix = v[: roles[0].start()]
    lead = prefix.strip(_WS + "、，,")
    if (prefix[-1:] in _WS or prefix[-1:] in "、，,") and _name_list(lead) and not _OUTLET_RE.match(lead):
        groups.insert(0, lead)  # "张宇 本报通讯员 母丹", "李平、实习生崔熙滟": a name before the first role
        prefix = ""
    elif " " in lead and _OUTLET_RE.match(lead.rsplit(" ", 1)[1]) and _name_list(lead.rsplit(" ", 1)[0]):
        # "胡星文 四川法治报全媒体记者 俞阳": a name, then the outlet of the role after it
        groups.insert(0, lead.rsplit(" ", 1)[0])
        prefix = lead.rsplit(" ", 1)[1]
    if not groups:
        return None
    # "草原全媒·北方新报": a media group's brand, then the paper whose reporter this is
    return " ".join(groups), prefix.strip(_WS + "□■|｜").rsplit("·", 1)[-1]


def _outlet(value: str) -> str | None:
    """An outlet's name from a credit prefix ("湖北日报农村版全媒" → "湖北日报农村版"); None if not outlet-shaped."""
    v = re.sub(r"(?:全媒体|全媒體|全媒|融媒体|融媒體)$", "", _norm(value)).strip(_WS + "|｜")
    if not v or _OWN_OUTLET.match(v) or len(v) < 3:
        return None
    return v if _OUTLET_RE.match(v) or _org_token(v) and len(v) <= 10 else None


def _full_outlet(text: str, short: str) -> tuple[str, tuple[int, int]] | None:
    """A two-character outlet (商报, 今报) by the longer name the page gives it (《西藏商报》), else as written."""
    m = re.search(rf"《(?P<org>[\u4e00-\u9fff]{{1,6}}{re.escape(short)})》", text)
    if m:
        return m["org"], m.span("org")
    m = re.search(re.escape(short), text)
    return (short, m.span()) if m else None


def clean_publisher(value: str) -> str | None:
    """The outlet's name alone: dates, URLs, hotlines, "|" tails and second names cut off; None if no name is left.

    "人民网-人民日报" (site-original paper) gives the original paper, "人民網-廣西頻道" (site-channel) stays
    whole; "澎湃新闻·澎湃号·政务" the outlet.
    """
    v = _norm(value).strip("/／ 【】〔〕[]")  # "中央社/": a credit's slash; "【人民日报一撇一捺】": a bracketed name
    if re.fullmatch(r"(?:本站|本网|本網)?原创|本站|本网|本網", v):
        return None  # 来源:本站原创 names no outlet
    cuts = [len(v)]
    date = parse_date(v)
    if date:
        cuts.append(date[1][0])
    for rx in (_URL_RE, re.compile(r"[|｜]|报料|報料|热线|熱線|电话|電話|\d{2}:\d{2}")):
        m = rx.search(v)
        if m:
            cuts.append(m.start())
    v = v[: min(cuts)].strip(_WS + "-—_·")
    v = v.split(" ")[0] if v else v
    v = v.split("·")[0]
    v = re.sub(r"(?<=[报報网網刊台社])(?:综合|綜合|整理|编辑|編輯)$", "", v)  # "法治日报综合": compiled from it
    v = re.sub(r"(?<=[报報])社$", "", v)  # "阳光报社 版权所有": the paper, named as the paper
    parts = [p.strip("《》〈〉") for p in re.split(r"[-—－]", v) if p.strip("《》〈〉")]  # 光明网-《光明日报》
    paper = len(parts) == 2 and re.search(r"[报報刊志誌]$", parts[1])
    if paper and all(sum(_is_han(c) for c in p) >= 2 for p in parts):
        v = parts[1]  # "人民网-人民日报": the site carries the paper's article; "人民網-廣西頻道" stays whole
    elif len(parts) == 1:
        v = parts[0]  # 《人民日报》: the title marks are no part of the name
    if sum(_is_han(c) for c in v) < 2 or len(v) > 30:
        return None
    return v


def clean_author(value: str) -> str | None:
    """Names only: role words (记者, 通讯员, 文/, 本报记者) and a leading outlet name removed."""
    v = re.sub(r"^(?:作者|作\s+者)[:：]?\s*", "", _norm(value))
    # "孙崇文/台中": a Taiwanese credit's place after the slash; "/任博 /贾华加": names set off by slashes;
    # "许顺德翻摄": a photo reproduced, the name before it
    place = re.search(r"(?<=[\u4e00-\u9fff]{2})[／/][\u4e00-\u9fff]{2,3}$", v)
    if place and len(re.findall(r"[／/]", v)) == 1:
        v = v[: place.start()]  # not "张三/文": 文, 图, 摄 are one character
    v = re.sub(r"(?<=[\u4e00-\u9fff])(?:翻摄|翻攝|摄|攝)$", "", re.sub(r"(?:^|\s)[／/]\s*", " ", v)).strip()
    credit = credit_names(v)
    if credit:
        return credit[0]
    parts = v.split(" ")
    while len(parts) > 1 and _OUTLET_RE.match(parts[0]):
        parts = parts[1:]
    v = " ".join(parts)
    if _OUTLET_RE.match(v) and re.search(r"(?:网|網|报|報|社|台|客户端|客戶端)$", v):
        return None  # 作者:福安新闻网: an outlet in the author field is no author
    return v if any(_is_han(c) for c in v) else None

# --- dates ----------------------------------------------------------------------------------------------

_TIME = r"(?:[\sT]*\d{1,2}[:时時]\d{2}(?:[:分]\d{2}秒?)?)?"
_DATE_RES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)" + _TIME),
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*/?\s*(?P<m>\d{1,2})\s*月\s*/?\s*(?P<d>\d{1,2})\s*[日号號]" + _TIME
    ),
)
# Day-first "18.11.2017": read only when the order is unambiguous (day > 12, or day == month).
_DAY_FIRST_RE = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.])" + _TIME)
_URL_DATE_RES = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})-?(?P<m>\d{2})/(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})/?(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})/"),
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_"),
)
_URL_RE = re.compile(r"https?://[^\s<>\"'“”()（）]+")


def parse_date(value: str) -> tuple[dt.date, Span] | None:
    """First valid calendar date in `value` (2023-12-20, 2023/3/9 10:31:38, 2023年12月20日, 2023.12.20)."""
    hits = []
    for rx in _DATE_RES:
        for m in rx.finditer(value):
            try:
                hits.append((m.start(), dt.date(int(m["y"]), int(m["m"]), int(m["d"])), m.span()))
            except ValueError:
                continue
    for m in _DAY_FIRST_RE.finditer(value):
        day, month = int(m["d"]), int(m["m"])
        if day > 12 or day == month:
            try:
                hits.append((m.start(), dt.date(int(m["y"]), month, day), m.span()))
            except ValueError:
                continue
    hits = [hit for hit in hits if hit[1] != _EPOCH]  # a CMS's empty timestamp (1970-01-01 08:00:00), no date
    if not hits:
        return None
    _, date, span = min(hits)
    return date, span


_EPOCH = dt.date(1970, 1, 1)


def date_from_url(url: str) -> tuple[dt.date, Span] | None:
    """A date written into a URL path (/2023-12/19/, /20231219/, /t20231219_…); span within `url`."""
    for rx in _URL_DATE_RES:
        for m in rx.finditer(url):
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"])), (m.start("y"), m.end("d"))
            except ValueError:
                continue
    return None


# --- lines ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the text: `start:end` is its content with surrounding whitespace trimmed."""

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return self.start == self.end


def split_lines(text: str) -> list[Line]:
    """Lines with trimmed spans (leading indentation and trailing spaces excluded)."""
    lines = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        lead = len(raw) - len(raw.lstrip(_WS))
        content = raw.strip(_WS)
        start = pos + lead if content else pos
        lines.append(Line(i, start, start + len(content), content))
        pos += len(raw) + 1
    return lines


_NAV_HINT = re.compile(r">>|›|»|\s>\s|当前位置|您的位置|您现在的位置|现在的位置|^收藏|^首页|正文$")
# "法治号 手机版 | 站内搜索" is navigation; "致敬70 平安景色 | 香蜜湖派出所：…" is a headline with a column name.
_PIPE_RE = re.compile(r"[|｜]")
_UI_WORDS = re.compile(
    r"手机版|手機版|搜索|登录|登錄|注册|註冊|客户端|客戶端|公众号|公眾號|订阅|訂閱|无障碍|無障礙|收藏|分享|"
    r"上一篇|下一篇|上一期|下一期|返回|往期|正文复制|字体|字號|字号|PDF|Logo|logo|打印|关闭|關閉|放大|缩小|縮小|默认|默認|"
    r"核心阅读|核心閱讀|本版列表|天气预报|天氣預報|通版|微信好友|朋友圈|点击右上角|點擊右上角|扫一扫|掃一掃|关注我们|關注我們"
    r"|点击蓝字|點擊藍字|点击蓝色字|點擊藍色字|查看原文|閱讀原文|阅读原文|设为首页|設為首頁|核心提示"
)
_DATELINE_UI_RE = re.compile(
    r"上一期|下一期|上一篇|下一篇|[大中小]字[号號]|字体|字體|打印|关闭|關閉|收藏|分享|返回|浏览|瀏覽"
)
_UI_LINE_RE = re.compile(rf"(?:{_UI_WORDS.pattern}|[\d\s|｜:：>]|[大中小])+")
# Lines that only the page's frame carries: mastheads, e-paper page headers, copyright and sponsor lines.
_MASTHEAD_RE = re.compile(
    r"(?:主管|主办|主辦)(?:[\s:：]|$)|出品[:：]|版权|版權|ICP|报业集团|報業集團|官方网站|官方網站|^第\s*\d+\s*版|版[:：]|"
    r"^本版|^导读$|^導讀$|^资料图|^（?相关资料图）?$|^\(?相关资料图\)?$|[摄攝]$|供图$|供圖$|^图为|^圖為|"
    r"^原标题|^原標題|^原题|^原題|^阅读更多|^閱讀更多|^(?:本报|本報|本刊|本网|本網)?(?:首席|特约|特約|全媒体?|融媒体?)?"
    r"(?:记者|記者|通讯员|通訊員)|信息公开|資訊公開|^[·•]|^(?:访问|訪問|进入|進入)\S{2,12}$|^表\s*\d|^第[一二三四五六七八九十百\d]+[篇章节節]|\d{1,2}月\d{1,2}日[讯訊电電]$"
)
# a bare outlet name ("无锡日报", "中国长安网") and a list of paper names (《西藏日报》 《西藏商报》 …)
BARE_OUTLET_RE = re.compile(r"^[\u4e00-\u9fff]{2,8}(?:网|網|报|報|在线|在線|客户端|客戶端)$")
_PAPER_LIST_RE = re.compile(r"^(?:《[^》]{1,20}》\s*){2,}$")
_TERMINAL_SENTENCE = "。；;"
_CAPTION_RE = re.compile(
    r"^图为|^圖為|^\(?（?图[:：]|[摄攝][)）]?$|供图[)）]?$|供圖[)）]?$|[(（]资料(?:图|图片|照片)[)）]$"
    r"|[(（]資料(?:圖|圖片|照片)[)）]$"
)


def _is_chrome(line: str) -> bool:
    """Navigation, masthead, page-header, caption, byline and 原标题 lines: never a title, whatever their shape."""
    value = _norm(line).lstrip("□■ ")
    reporter = _REPORTER_LINE_RE.match(value)
    # a byline is chrome; a long headline that opens with the word is not (记者直击派出所除夕夜，…)
    headline = reporter is not None and len(value) > 20 and credit_names(value) is None
    masthead = _MASTHEAD_RE.search(value, reporter.end() if reporter and headline else 0)
    if _NAV_HINT.search(value) or masthead or (reporter and not headline):
        return True
    if BARE_OUTLET_RE.match(value) or _PAPER_LIST_RE.match(value) or _UI_LINE_RE.fullmatch(value):
        return True
    if _CAPTION_RE.search(value):  # "…宣讲(资料图)": a photo's caption
        return True
    words = re.split(r"[:：]", value)[-1].split()
    if len(words) >= 6 and all(len(w) <= 4 for w in words):
        return True  # a site's menu: "即时 热门 政治 军武 社会 生活 …", "旗下栏目: 北京 上海 广东 …"
    if _PIPE_RE.search(value):
        parts = [p.strip() for p in _PIPE_RE.split(value)]
        return bool(_UI_WORDS.search(value)) or any(len(p) < 5 for p in parts)
    if len(_UI_WORDS.findall(value)) >= 2:
        return True
    value = value.strip("【】〔〕[]")  # "【核心提示】": a bracketed label
    ui = _UI_WORDS.search(value)
    if ui is None:
        return False
    # "往期阅读"; "标题 站内高级搜索" (a headline may open with such a word: 返回家乡的民警)
    at_end = ui.end() == len(value)
    return len(value) <= 6 and (ui.start() == 0 or at_end) or len(value) <= 10 and at_end


# A line that is nothing but quotations with a pause or question inside: someone speaking, not a headline
# ("“袁大哥，最近咋样？”“祁阿姨，您还好吧？”"); a quoted slogan title (“小事不出村”) has no such pause.
_QUOTED_SPEECH_RE = re.compile(r"(?:“[^“”]*[，,？?！!][^“”]*”)+(?:……|…|\.{3,6})?")


def is_headline(line: str) -> bool:
    """Short, no sentence punctuation: the shape of a title (a trailing …… or ！ is allowed)."""
    value = _norm(line)
    if not 4 <= len(value) <= 64 or _is_chrome(value):
        return False
    if any(ch in _TERMINAL_SENTENCE for ch in value) or value.endswith((":", "：")):
        return False
    if len(value) >= 30 and value.count("，") + value.count(",") >= 2:
        return False  # clauses strung on commas (来这里歇脚的游客越来越多，…，民警主动…): a paragraph's opening
    if _URL_RE.search(value) or parse_date(value) or _QUOTED_SPEECH_RE.fullmatch(value):
        return False
    if _TIME_PHRASE_RE.fullmatch(value):
        return False  # "今年以来" alone on the first line: a sentence's opening broken over lines, no headline
    return sum(_is_han(ch) for ch in value) >= max(4, len(value) // 2)


_TIME_PHRASE_RE = re.compile(
    r"(?:今年|去年|近年|近期|日前|近日|目前|当前|如今|眼下|此前|随后|同时|此外|其中|据悉|据了解)"
    r"(?:以来|来|年初|年底|上半年|下半年|以后|以前)?[，,]?"
)


def is_paragraph(line: str) -> bool:
    """A body paragraph: sentence punctuation or long."""
    value = _norm(line)
    return len(value) >= 40 or (len(value) >= 8 and any(ch in _TERMINAL for ch in value))


# --- result ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleMetadata:
    """Metadata of one article; each `*_span` is the (start, end) of `text` the value was read from."""

    title: str | None = None
    title_span: Span | None = None
    subtitle: str | None = None
    subtitle_span: Span | None = None
    published: dt.date | None = None
    published_span: Span | None = None
    publisher: str | None = None
    publisher_span: Span | None = None
    author: str | None = None
    author_span: Span | None = None
    author_as_written: str | None = None  # "佚名" when the text names the author as anonymous
    authors: tuple[str, ...] = ()
    editor: str | None = None
    editor_span: Span | None = None
    editors: tuple[str, ...] = ()
    url: str | None = None
    url_span: Span | None = None
    missing: tuple[str, ...] = ()  # FIELDS whose value is None
    inferred: tuple[str, ...] = ()  # fields read from indirect evidence ("published" from the URL, …)
    removable: tuple[tuple[int, int, str], ...] = ()  # (start, end, field): spans holding only metadata


@dataclass
class _Found:
    value: str
    span: Span
    raw: str = ""


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(rf"[、,，;；/／{_WS}]+", value) if p)


def _name_list(value: str) -> bool:
    """A list of personal names: 2–4 Han characters each (the common shape of Chinese names)."""
    parts = _split_names(value)
    return bool(parts) and all(2 <= len(p) <= 4 and all(_is_han(c) for c in p) for p in parts)


_SUPPLIER_LABELS = _label("供稿")
_ORG_MARKER = re.compile(r"公安|派出所|[局所队部办委院站网报社台会厅处室组]$|中心|政府|集团")


def _personal_names(value: str) -> bool:
    """Names of people, not of an office: 2-4 Han characters each and no organisation word (新津公安, 宣传科)."""
    return _name_list(value) and not any(_ORG_MARKER.search(p) for p in _split_names(value))


def _org_token(value: str) -> bool:
    """One organisation-like token: no spaces or punctuation, 2–30 characters, mostly Han."""
    return (
        2 <= len(value) <= 30
        and not re.search(rf"[{_WS},，。、:：;；!?！？“”‘’\"'《》「」<>]", value)
        and sum(_is_han(c) for c in value) >= len(value) * 0.6
    )


_TITLE_LABEL_RE = re.compile(rf"[电電讯訊][{_WS}]*[题題][{_WS}]*[:：][{_WS}]*(?P<title>.+?)[{_WS}]*$")
_INNER_LABEL = re.compile(
    rf"(?P<label>{_label('来源', '稿源', '作者', '发布时间', '发布日期', '时间', '日期', '责任编辑', '编辑')})"
    rf"[{_WS}]*{_COLON}[{_WS}]*"
)


def _label_matches(text: str) -> list[re.Match[str]]:
    """Label matches of a line; a colon label glued to a name ("徐文韬来源：…") counts after the first field."""
    matches = list(_ANY_LABEL.finditer(text))
    if not matches:
        return matches
    taken = [m.span() for m in matches]
    for m in _INNER_LABEL.finditer(text, matches[0].end()):
        if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
            matches.append(m)
    return sorted(matches, key=lambda m: m.start())


# An e-paper's issue and page before its fields: "第4908期:第03版 本期出版日期:2025-05-15"
_ISSUE_PAGE_RE = re.compile(r"第?\s*\d+\s*期\s*[:：]?\s*第?\s*\d+\s*版")


def _fields_in_line(line: Line) -> list[tuple[str, str, Span]] | None:
    """Labelled fields of a metadata line as (kind, value, span); None when the line is not metadata."""
    text = line.text
    matches = _label_matches(text)
    if not matches:
        return None
    if matches[0].start() != 0 and text[: matches[0].start()].strip(_WS + "【[(（-•·") != "":
        # something unlabelled before the first label: a date ("2023-12-20 来源:…") or an outlet ("杭州网 发布时间:…")
        head = text[: matches[0].start()].strip(_WS)
        if not parse_date(head) and not _org_token(_norm(head).strip("|｜")) and not _ISSUE_PAGE_RE.fullmatch(head):
            return None
    if len(_norm(text)) > 100:
        return None
    out: list[tuple[str, str, Span]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        raw = text[m.end() : end]
        value = raw.rstrip(_WS + "】]) ")
        if value.endswith(("）", ")")) and value.count("（") + value.count("(") < value.count("）") + value.count(")"):
            value = value[:-1].rstrip(_WS)
        label = _norm(m["label"] or m["label2"] or m["label3"] or "")
        kind = _label_kind(label)
        if kind not in ("url", "original_title") and not _field_value_ok(kind, _norm(value)):
            return None
        if kind == "publisher" and re.fullmatch(_SUPPLIER_LABELS, label) and _personal_names(_norm(value)):
            kind = "author"  # "（供稿：李东晓）": who supplied the copy, as in "（新津公安 供稿）"
        span = (line.start + m.end(), line.start + m.end() + len(value))
        if kind == "author" and out and out[-1][0] == "author" and m.groupdict().get("label2"):
            # "作者：记者 李攀 实习生 陈嘉 通讯员 陈谊": one credit, role words and all
            prev_span = out[-1][2]
            out[-1] = ("author", text[prev_span[0] - line.start : span[1] - line.start], (prev_span[0], span[1]))
            continue
        if kind == "author" and m.groupdict().get("label2"):
            span = (line.start + m.start(), span[1])  # keep the role word: clean_author reads the credit
            value = text[m.start() : m.end()] + value
        out.append((kind, value, span))
    return out


def _field_value_ok(kind: str, value: str) -> bool:
    """Field values are short and not sentences; "记者:请问……?" in an interview is body text."""
    if kind == "date":
        return parse_date(value) is not None
    if kind == "publisher":  # "中国新闻网 2017-07-31 15:45 http://…": the outlet, its date and a link
        value = _URL_RE.sub("", value)
    return len(value) <= 40 and not any(ch in _TERMINAL for ch in value)


def _label_kind(label: str) -> str:
    label = label.replace(" ", "")
    for kind, rx in (
        ("original_title", _ORIGINAL_TITLE_LABELS),
        ("url", _URL_LABELS),
        ("title", _TITLE_LABELS),
        ("date", _DATE_LABELS),
        ("editor", _EDITOR_LABELS),
        ("publisher", _SOURCE_LABELS),
        ("author", _AUTHOR_LABELS),
    ):
        if re.fullmatch(rx, label):
            return kind
    return "other"


_BYLINE_RE = re.compile(
    rf"^(?:[文图圖](?:[{_WS}]*[/／、和][{_WS}]*[文图圖])*)[{_WS}]*[/／|｜][{_WS}]*(?P<names>.+)$"
)
_DATELINE_EXTRAS = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?\b|[发發]表于[\u4e00-\u9fff]{2,3}$"
    # a platform's account marker: "上海法治报 · 公众号 · 2025-01-29 13:36"
    r"|[·•]?\s*(?:微信)?(?:公众号|公眾號|头条号|頭條號|百家号|百家號|网易号|網易號|搜狐号|搜狐號|企鹅号|企鵝號|视频号|視頻號)"
    r"\s*[·•]?|\s[·•]\s"
)
_CREDIT_TAIL_RE = re.compile(r"[(（](?P<inner>[^()（）]{2,60})[)）]$")
_CONTRIB_RE = re.compile(rf"^(?P<org>.+?)[{_WS}]*(?:供稿|报道|報導|通讯|通訊)$")  # 供图 credits a photo, not the copy
_PHOTO_CREDIT_RE = re.compile(
    rf"(?:^|[{_TERMINAL}{_WS}(（])(?P<org>(?:[^\s{_TERMINAL}(（)）]{_OPT_GLOSS}){{2,20}}?)?[{_WS}]*"
    rf"(?:记者|記者)?[{_WS}]*(?P<name>[\u3400-\u9fff]{{2,4}})[{_WS}]*[摄攝][)）]?$"
)


def _editor_value(value: str) -> tuple[str, int]:
    """Editor lines may name the column first ("派出所工作----石虹"): keep what follows the last dash run."""
    runs = list(re.finditer(r"(?:-{2,}|—+|–{2,})", value))
    if not runs:
        return value, 0
    return value[runs[-1].end() :], runs[-1].end()


_YEAR_ALONE_RE = re.compile(r"(?:19|20)\d{2}年?")
_STACKED_DAY_RE = re.compile(r"(?P<m>\d{1,2})[/\-.月](?P<d>\d{1,2})日?")


_LINE_BULLET_RE = re.compile(r"(?m)(?<=^)[ \t\u3000]*[•●▪◆][ \t\u3000]+(?=\S)")


def extract_metadata(text: str) -> ArticleMetadata:
    """Find the article's metadata in plain text; see the module docstring for the rules and why."""
    # a list bullet before a field ("  • 2023-03-24 18:55", "  • 来源: …") is layout: read as a space, offsets kept
    text = _LINE_BULLET_RE.sub(lambda m: " " * len(m.group()), text)
    lines = split_lines(text)
    nonblank = [ln for ln in lines if not ln.blank]
    found: dict[str, _Found] = {}
    removable: list[tuple[int, int, str]] = []
    inferred: list[str] = []
    author_as_written: str | None = None

    def put(kind: str, value: str, span: Span, raw: str = "") -> None:
        if kind in FIELDS and kind not in found and value:
            found[kind] = _Found(value, span, raw)

    weak: dict[str, _Found] = {}

    def put_weak(kind: str, value: str | None, span: Span) -> None:
        """Indirect evidence (an outlet in a credit or breadcrumb): used only when nothing direct is found."""
        if value and kind not in weak:
            weak[kind] = _Found(value, span)

    def in_line(ln: Line, value: str) -> Span:
        """Where a value read from the normalised line stands in the line (it may be indented)."""
        off = ln.text.find(value)
        return (ln.start + off, ln.start + off + len(value))

    def override(kind: str, value: str, span: Span) -> None:
        found[kind] = _Found(value, span)

    # 1. metadata lines: labelled fields, datelines "<org> <date>", bylines "文/图/X", reporter lines
    metadata_lines: list[Line] = []
    first_paragraph = next((ln.index for ln in nonblank if _body_line(ln)), None)
    # 1a. a phone page's head stacks label and value, and year and day, on lines of their own: "來源" / "無錫日報",
    # "2025" / "03/18" / "07:03"
    for a, b in zip(nonblank, nonblank[1:], strict=False):
        if first_paragraph is not None and b.index >= first_paragraph:
            break
        label, value = _norm(a.text), _norm(b.text)
        day = _STACKED_DAY_RE.fullmatch(value) if _YEAR_ALONE_RE.fullmatch(label) else None
        if re.fullmatch(_SOURCE_LABELS, label) and len(value) <= 20 and _org_token(value):
            put("publisher", b.text, (b.start, b.end))
        elif day:
            try:
                date = dt.date(int(label), int(day["m"]), int(day["d"]))
            except ValueError:
                continue
            put("published", date.isoformat(), (a.start, b.end))
        else:
            continue
        metadata_lines.extend((a, b))
        removable.append((a.start, b.end, "stacked field"))
    for ln in nonblank:
        head_zone = first_paragraph is None or ln.index < first_paragraph
        cited = _PRINT_CITATION_RE.match(ln.text) or (_EPAPER_RE.match(ln.text) if head_zone else None)
        if cited:
            # the original print edition of a reprint (or the e-paper page header): its paper and day win
            date = parse_date(cited["date"])
            if date:
                date_span = (ln.start + cited.start("date"), ln.start + cited.end("date"))
                override("published", date[0].isoformat(), date_span)
            override("publisher", cited["org"], (ln.start + cited.start("org"), ln.start + cited.end("org")))
            metadata_lines.append(ln)
            continue
        fields = _fields_in_line(ln)
        if fields is not None:
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "labelled line"))
            head = ln.text[: _label_matches(ln.text)[0].start()]
            date_head = parse_date(head)
            if date_head:
                put("published", date_head[0].isoformat(), (ln.start + date_head[1][0], ln.start + date_head[1][1]))
                head = head[: date_head[1][0]] + " " + head[date_head[1][1] :]
            outlet = _norm(head).strip(_WS + "|｜-•·")
            if outlet and _org_token(outlet) and not _DATELINE_UI_RE.search(outlet):
                off = ln.text.find(outlet)
                put_weak("publisher", outlet, (ln.start + off, ln.start + off + len(outlet)))
            for kind, value, span in fields:
                _take_field(kind, value, span, put)
            continue
        m = _BYLINE_RE.match(ln.text)
        if m and head_zone and _name_list(_norm(m["names"])):
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "author"))
            put("author", m["names"], (ln.start + m.start("names"), ln.start + m.end("names")))
            continue
        early = head_zone or ln.index <= nonblank[min(len(nonblank), 10) - 1].index
        credit = credit_names(ln.text) if early and _REPORTER_LINE_RE.match(_norm(ln.text).lstrip("□■ ")) else None
        if credit and len(_norm(ln.text)) <= 60:
            previous = metadata_lines[-1] if metadata_lines else None
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "author"))
            if previous is not None and found.get("author") and found["author"].span == (previous.start, previous.end):
                # "□ 本报记者 王春" / "□ 本报通讯员 郑莲花 夏晓楠": one credit on two lines
                joined = clean_author(found["author"].value) + " " + credit[0]
                found["author"] = _Found(joined, (previous.start, ln.end))
            else:
                put("author", ln.text, (ln.start, ln.end))
            off = ln.text.find(credit[1]) if credit[1] else -1
            if off >= 0:
                put_weak("publisher", _outlet(credit[1]), (ln.start + off, ln.start + off + len(credit[1])))
            continue
        if head_zone and len(_norm(ln.text)) <= 80:
            date = parse_date(ln.text)
            rest = _dateline_rest(ln.text, date[1]) if date else None
            said = _dateline_rest(ln.text, date[1], credit=True) if date else None
            credit = credit_names(said) if said and _ROLE_RE.search(said) else None
            if date and credit and credit[0]:  # "2026/02/05 11:04 记者张轩哲／台中报导"
                metadata_lines.append(ln)
                removable.append((ln.start, ln.end, "dateline"))
                put("published", date[0].isoformat(), (ln.start + date[1][0], ln.start + date[1][1]))
                put("author", credit[0], (ln.start + date[1][1], ln.end))
                continue
            if date and rest is not None:
                metadata_lines.append(ln)
                removable.append((ln.start, ln.end, "dateline"))
                put("published", date[0].isoformat(), (ln.start + date[1][0], ln.start + date[1][1]))
                if rest:
                    off = ln.text.find(rest)
                    put("publisher", rest, (ln.start + off, ln.start + off + len(rest)))
                continue
        if _URL_RE.fullmatch(ln.text):
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "url"))
            put("url", ln.text, (ln.start, ln.end))
            continue
        more = _MORE_FROM_RE.match(_norm(ln.text))
        if more:
            put_weak("publisher", more["org"], in_line(ln, more["org"]))
            continue
        issue = _ISSUE_LINE_RE.match(_norm(ln.text))
        if issue:  # "现代世界警察 2024年5期": a magazine's name and issue
            put_weak("publisher", issue["org"], in_line(ln, issue["org"]))
            continue
        holder = _COPYRIGHT_HOLDER_RE.search(ln.text)
        group = "org" if holder and holder["org"] else "org2"
        if holder and _outlet(holder[group]):
            put_weak("publisher", holder[group], (ln.start + holder.start(group), ln.start + holder.end(group)))
        photo = _PHOTO_BY_SITE_RE.search(ln.text)
        if photo:  # "(央广网发 南川区公安局供图)": the site that published the photo, and the report with it
            put_weak("publisher", photo["org"], (ln.start + photo.start("org"), ln.start + photo.end("org")))
        paper = _EPAPER_ISSUE_RE.search(ln.text)
        if paper and head_zone:
            put_weak("publisher", paper["org"], (ln.start + paper.start("org"), ln.start + paper.end("org")))
            if hit := parse_date(paper["date"]):
                span = (ln.start + paper.start("date"), ln.start + paper.end("date"))
                put_weak("published", hit[0].isoformat(), span)
        crumb = _BREADCRUMB_ROOT_RE.search(ln.text)
        crumb = crumb or (_BARE_BREADCRUMB_RE.match(ln.text) if ln is nonblank[0] else None)
        if crumb and head_zone and not re.search("首页|首頁|主页|主頁", crumb["org"]):
            put_weak("publisher", crumb["org"], (ln.start + crumb.start("org"), ln.start + crumb.end("org")))

    # 1b. the news dateline at the head of the first paragraphs: "江津日报讯（记者 陈婷）", "中新网…电 (姚舜)"
    meta_idx = {ln.index for ln in metadata_lines}
    paragraphs = [ln for ln in nonblank if _body_line(ln)][:6]
    last_opening = paragraphs[-1].index if paragraphs else len(lines)
    opening = [ln for ln in nonblank if ln.index not in meta_idx and ln.index <= last_opening]
    for ln in opening:
        tw = _BRACKET_REPORT_RE.match(ln.text)
        if tw and (names := credit_names(tw["credit"])) and names[0]:
            put_weak("author", tw["credit"], (ln.start + tw.start("credit"), ln.start + tw.end("credit")))
            if tw["org"]:
                put_weak("publisher", tw["org"], (ln.start + tw.start("org"), ln.start + tw.end("org")))
            if tw["when"] and (hit := parse_date(tw["when"])):
                put_weak("published", hit[0].isoformat(), (ln.start + hit[1][0], ln.start + hit[1][1]))
            break
        b = _BRACKET_CREDIT_RE.match(ln.text) or _PAREN_CREDIT_LINE_RE.match(ln.text)
        if b and credit_names(b["credit"]):
            put_weak("author", b["credit"], (ln.start + b.start("credit"), ln.start + b.end("credit")))
            break
        m = _NEWS_DATELINE_RE.match(ln.text) or _PLACE_DATELINE_RE.match(ln.text)
        short = None if m else _SHORT_DATELINE_RE.match(ln.text)
        if short and credit_names(short["credit"]):
            put_weak("author", short["credit"], (ln.start + short.start("credit"), ln.start + short.end("credit")))
            break
        trigger = ln.text[max(0, m.end() - 3) : m.end()] if m else ""
        if not m or not (m["credit"] or m["credit2"] or re.search(r"[讯訊电電]|消息|通[讯訊]", trigger)):
            continue
        if _OWN_OUTLET.match(m["org"]):
            pass  # 本报讯: the paper says itself, not its name
        elif len(m["org"]) >= 3:
            put_weak("publisher", m["org"], (ln.start + m.start("org"), ln.start + m.end("org")))
        elif (m["credit"] or m["credit2"]) and (full := _full_outlet(text, m["org"])):
            put_weak("publisher", full[0], full[1])  # 今报讯（记者…）; 商报讯 of a page that names 《西藏商报》
        if cited := _REPORTED_BY_RE.match(ln.text, m.end()):  # 中国甘肃网5月9日讯据兰州晚报报道: a reprint
            override("publisher", cited["org"], (ln.start + cited.start("org"), ln.start + cited.end("org")))
        group = "credit" if m["credit"] else "credit2" if m["credit2"] else None
        if group and credit_names(m[group]):
            put_weak("author", m[group], (ln.start + m.start(group), ln.start + m.end(group)))
        break

    # 1c. a reprint that says so at its head ("2021年10月21日,《福建法治报》报道 … 原文如下"), and a site's
    # name before a date without a year ("城乡统筹发展网 10-15 10:31:42")
    for ln in nonblank[:12]:
        reprint = _REPRINT_OF_RE.match(ln.text)
        if reprint:
            group = "org" if reprint["org"] else "paper"
            override("publisher", reprint[group], (ln.start + reprint.start(group), ln.start + reprint.end(group)))
            if reprint["date"] and (hit := parse_date(reprint["date"])):
                span = (ln.start + reprint.start("date"), ln.start + reprint.end("date"))
                override("published", hit[0].isoformat(), span)
            break
        if (ago := _SITE_AGO_RE.match(_norm(ln.text))) and (first_paragraph is None or ln.index < first_paragraph):
            put_weak("publisher", ago["org"], in_line(ln, ago["org"]))
        if welcome := _WELCOME_RE.match(_norm(ln.text)):
            put_weak("publisher", welcome["org"], in_line(ln, welcome["org"]))
        site_line = _SITE_TIME_LINE_RE.match(_norm(ln.text)) or _TIME_SITE_LINE_RE.match(_norm(ln.text))
        if site_line and first_paragraph is not None and ln.index < first_paragraph:
            put("publisher", site_line["org"], in_line(ln, site_line["org"]))

    for ln in nonblank[-6:]:
        if site_editor := _SITE_EDITOR_RE.match(_norm(ln.text)):
            put_weak("publisher", site_editor["org"], in_line(ln, site_editor["org"]))

    # 1d. a reporter credit in brackets closing the report ("…下降22.5%。（李平、实习生崔熙滟）")
    for ln in reversed(nonblank[-6:]):  # the last credit before a page's footer (编辑, 标签 …)
        closing = _CLOSING_CREDIT_RE.search(ln.text) or _PAREN_CREDIT_LINE_RE.match(ln.text)  # or alone: （记者姜宁）
        bare = _PAREN_NAMES_LINE_RE.fullmatch(_norm(ln.text).strip()) if ln is nonblank[-1] else None
        names = bare[1] if bare and not _NOT_A_NAME_RE.search(bare[1]) else ""
        if names and _name_list(names) and (at := ln.text.find(names)) >= 0:
            put_weak("author", names, (ln.start + at, ln.start + at + len(names)))
            break  # "（苏永举）" alone in brackets on the report's last line: its writer
        credit = credit_names(closing["credit"]) if closing else None
        own_line = _norm(ln.text).strip()
        if _ROLE_RE.match(own_line) and len(own_line) <= 40 and credit_names(own_line):
            # "全媒体记者 林朝丰 通讯员 管萱萱" on a line of its own closing the report
            put_weak("author", ln.text.strip(), (ln.start + ln.text.find(own_line[:2]), ln.end))
            break
        reported = closing is not None and re.search(r"(?:报道|報道|报导|報導)$", closing["credit"])
        # (中国台湾网 高旭); (吴敏 刘力鑫 江西南昌报道)
        if closing and credit and (_ROLE_RE.search(closing["credit"]) or _outlet(credit[1]) or reported):
            span = (ln.start + closing.start("credit"), ln.start + closing.end("credit"))
            put_weak("author", closing["credit"], span)
            if (outlet := _outlet(credit[1])) and (at := ln.text.find(credit[1])) >= 0:
                put_weak("publisher", outlet, (ln.start + at, ln.start + at + len(outlet)))  # 光明日报全媒体记者 …
            break

    for ln in nonblank:
        taken = _TAKEN_FROM_RE.search(ln.text)
        if taken:
            override("publisher", taken["org"], (ln.start + taken.start("org"), ln.start + taken.end("org")))
            break

    # 1e. an e-paper or site masthead: the page's first line is the outlet's bare name ("法治生活报")
    if nonblank and (first_paragraph is None or nonblank[0].index < first_paragraph):
        top = nonblank[0]
        if BARE_OUTLET_RE.match(_norm(top.text)) and top.index not in {ln.index for ln in metadata_lines}:
            put_weak("publisher", top.text, (top.start, top.end))

    # 1f. a WeChat-style account line between the headline and a date-only line ("观海融媒" / "2021-03-19 12:58")
    meta_idx = {ln.index for ln in metadata_lines}
    for i, ln in enumerate(nonblank[1:], start=1):
        if first_paragraph is not None and ln.index >= first_paragraph:
            break
        nxt = nonblank[i + 1] if i + 1 < len(nonblank) else None
        value = _norm(ln.text)
        if (
            nxt is not None and nxt.index in meta_idx and parse_date(nxt.text)
            and _dateline_rest(nxt.text, parse_date(nxt.text)[1]) == ""  # type: ignore[index]
            and 2 <= len(value) <= 10 and _org_token(value) and not _is_chrome(value) and value not in ROLE_NOUNS
            and is_headline(nonblank[i - 1].text) and ln.index not in meta_idx
        ):
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "dateline"))
            put_weak("publisher", ln.text, (ln.start, ln.end))
            break

    # 2. trailing credits in parentheses: "(作者:…)", "(责编:…)", "(新津公安 供稿)", "(王勇 卜英豪)"
    last_paragraph = next((ln for ln in reversed(nonblank) if is_paragraph(ln.text) and not _looks_meta(ln)), None)
    for ln in nonblank:
        m = _CREDIT_TAIL_RE.search(ln.text)
        if not m:
            continue
        inner = m["inner"].strip(_WS)
        inner_start = ln.start + m.start("inner") + (len(m["inner"]) - len(m["inner"].lstrip(_WS)))
        span = (ln.start + m.start(), ln.start + m.end())
        whole_line = m.start() == 0
        fields = _fields_in_line(Line(ln.index, inner_start, inner_start + len(inner), inner))
        if fields:
            for kind, value, vspan in fields:
                _take_field(kind, value, vspan, put)
            removable.append((*span, "credit"))
            continue
        c = _CONTRIB_RE.match(inner)
        if c and _org_token(_norm(c["org"])) and (whole_line or ln is last_paragraph):
            vspan = (inner_start, inner_start + len(c["org"]))
            put("author", c["org"], vspan)  # who supplied the copy, not the outlet that published it
            removable.append((*span, "credit"))
            continue
        if ln is last_paragraph and _name_list(_norm(inner)) and not whole_line:
            put("author", inner, (inner_start, inner_start + len(inner)))
            removable.append((*span, "credit"))

    # 3. URL (labelled, or a bare URL line) and the title block
    title, subtitle = _title_block(lines, nonblank, metadata_lines)
    if title and _PIPE_RE.search(title.text):
        # "天津政法报|架起新“枫桥” 打造平安建设“共同体”": the outlet's name glued to the headline
        parts = _PIPE_RE.split(title.text)
        ends = ((parts[0], title.text[len(parts[0]) + 1 :]), (parts[-1], title.text[: -len(parts[-1]) - 1]))
        for outlet, rest in ends:
            if len(parts) == 2 and BARE_OUTLET_RE.match(outlet.strip(_WS)) and is_headline(rest):
                off = title.text.find(outlet)
                put_weak("publisher", outlet.strip(_WS), (title.start + off, title.start + off + len(outlet)))
                start = title.start + title.text.find(rest)
                title = Line(title.index, start, start + len(rest), rest)
                break
    if title:
        found["title"] = _Found(title.text, (title.start, title.end))
        removable.append((title.start, title.end, "title"))
    sub_value = sub_span = None
    if subtitle:
        sub_value = "".join(_norm(s.text) for s in subtitle)
        sub_span = (subtitle[0].start, subtitle[-1].end)
        removable.extend((s.start, s.end, "subtitle") for s in subtitle)

    # 3b. indirect evidence fills gaps; values are reduced to the name alone (see clean_publisher/clean_author)
    for kind in ("publisher", "author"):
        for source in (found, weak):
            if kind not in source:
                continue
            item = source[kind]
            cleaned = (clean_publisher if kind == "publisher" else clean_author)(item.value)
            if cleaned is None:
                continue
            raw = text[item.span[0] : item.span[1]]
            off = raw.find(cleaned)
            span_ = (item.span[0] + off, item.span[0] + off + len(cleaned)) if off >= 0 else item.span
            found[kind] = _Found(cleaned, span_)
            if source is weak:
                inferred.append(kind)
            break
        else:
            found.pop(kind, None)

    # 4. fallbacks: an e-paper page's issue date, a date in the URL; publisher from a photo credit by one of the
    # authors
    if "published" not in found and "published" in weak:
        found["published"] = weak["published"]
        inferred.append("published")
    if "published" not in found and "url" in found:
        hit = date_from_url(found["url"].value)
        if hit:
            s = found["url"].span[0]
            found["published"] = _Found(hit[0].isoformat(), (s + hit[1][0], s + hit[1][1]))
            inferred.append("published")
    author_names: tuple[str, ...] = ()
    if "author" in found:
        author_as_written = _norm(found["author"].value)
        author_names = _split_names(author_as_written)
        if author_as_written in _ANONYMOUS:
            author_names = ()
    if "publisher" not in found and author_names:
        for ln in nonblank:
            m = _PHOTO_CREDIT_RE.search(ln.text)
            if (
                m and m["org"] and _norm(m["name"]) in author_names and _org_token(_norm(m["org"]))
                and not _ROLE_RE.fullmatch(_norm(m["org"]).strip("(（"))
            ):
                put("publisher", m["org"], (ln.start + m.start("org"), ln.start + m.end("org")))
                inferred.append("publisher")
                break

    def value(kind: str) -> str | None:
        return _norm(found[kind].value) if kind in found else None

    def span(kind: str) -> Span | None:
        return found[kind].span if kind in found else None

    author = value("author")
    if author in _ANONYMOUS:
        author = None
    editor = value("editor")
    if editor:
        editor_clean, skip = _editor_value(editor)
        if skip:
            raw_span = found["editor"].span
            raw = text[raw_span[0] : raw_span[1]]
            cut, _ = _editor_value(raw)
            found["editor"] = _Found(cut, (raw_span[1] - len(cut), raw_span[1]))
        editor = _norm(editor_clean) or None
    published = dt.date.fromisoformat(found["published"].value) if "published" in found else None
    url = value("url")
    values = {
        "title": value("title"),
        "published": published,
        "publisher": value("publisher"),
        "author": author,
        "editor": editor,
        "url": url,
    }
    return ArticleMetadata(
        title=values["title"],
        title_span=span("title"),
        subtitle=sub_value,
        subtitle_span=sub_span,
        published=published,
        published_span=span("published"),
        publisher=values["publisher"],
        publisher_span=span("publisher"),
        author=author,
        author_span=span("author"),
        author_as_written=author_as_written,
        authors=author_names,
        editor=editor,
        editor_span=span("editor"),
        editors=_split_names(editor) if editor else (),
        url=url,
        url_span=span("url"),
        missing=tuple(f for f in FIELDS if values[f] is None),
        inferred=tuple(inferred),
        removable=tuple(sorted(set(removable))),
    )


def _take_field(kind: str, value: str, span: Span, put: Callable[..., None]) -> None:
    value = value.strip(_WS)
    if not value:
        return
    if kind == "date":
        hit = parse_date(value)
        if hit:
            put("published", hit[0].isoformat(), (span[0] + hit[1][0], span[0] + hit[1][1]))
    elif kind == "url":
        m = _URL_RE.search(value)
        if m:
            put("url", m.group(), (span[0] + m.start(), span[0] + m.end()))
    elif kind in ("publisher", "author", "editor", "title"):
        hit = parse_date(value) if kind == "publisher" else None
        if hit:
            put("published", hit[0].isoformat(), (span[0] + hit[1][0], span[0] + hit[1][1]))
        names = _split_names(value)
        if kind == "publisher" and len(names) >= 2 and _name_list(value) and not any(map(_OUTLET_RE.match, names)):
            kind = "author"  # "来源：苏漪 叶莹": people named where the outlet goes wrote it; no outlet is named
        put(kind, value, (span[0], span[0] + len(value)))


def _looks_meta(line: Line) -> bool:
    return _fields_in_line(line) is not None or bool(_BYLINE_RE.match(line.text))


def _body_line(line: Line) -> bool:
    """A body paragraph that is not metadata; a headline with a ！ ("民警来敲门!是为了……") is not one."""
    if not is_paragraph(line.text) or is_headline(line.text) or _looks_meta(line):
        return False
    if _CAPTION_RE.search(_norm(line.text)):  # "图为…。", "…（记者 张三 摄）": a photo caption is no paragraph
        return False
    date = parse_date(line.text)
    if date and _dateline_rest(line.text, date[1]) is not None:
        return False
    return "。" in line.text or not _is_chrome(line.text)  # a masthead or link list is long but no paragraph


_WECHAT_HEAD_RE = re.compile(r"原创\s+(?:(?P<writer>\S{2,12})\s+)?(?P<account>\S{2,16})")


def _dateline_rest(text: str, date_span: Span, credit: bool = False) -> str | None:
    """What a dateline holds besides its date: "" (date only), an outlet name, or None when it is no dateline."""
    if len(_norm(text)) > 80:
        return None
    after = text[date_span[1] :].strip(_WS)
    if re.search(r"\d:\d{2}$", text[: date_span[1]]) and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", after):
        after = ""  # WeChat: "兴化公安　2024年08月21日 20:05　江苏": the trailing word is the poster's region
    rest = text[: date_span[0]] + " " + after
    rest = _URL_RE.sub(" ", rest)
    rest = _DATELINE_EXTRAS.sub("", rest)  # WeChat: "东山公安 2024-06-12 18:30 发表于福建"
    rest = _DATELINE_UI_RE.sub(" ", rest).strip(_WS + "|｜")
    rest = re.sub(rf"[{_WS}|｜]+", " ", rest).strip()
    if (wechat := _WECHAT_HEAD_RE.fullmatch(rest)) is not None:
        rest = wechat["account"]  # "原创 平安城关 平安城关 2024-05-06 18:30": the writer, then the account
    if not credit and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", rest) and not _OUTLET_RE.match(rest):
        return ""  # "2024-01-01陶永艳": a person's name beside the date, no outlet
    if not rest or credit:
        return rest
    return rest if _org_token(_norm(rest)) else None


def _is_dateline(line: Line) -> bool:
    if _fields_in_line(line) is not None:
        return True
    date = parse_date(line.text)
    return bool(date) and _dateline_rest(line.text, date[1]) is not None


_SITE_SUFFIX_RE = re.compile(
    r"[ \t\u3000]*(?:[-_－—|｜]{1,2}[ \t\u3000]*[\u4e00-\u9fff]{2,8}(?:频道|頻道))?"
    r"[ \t\u3000]*[-_－—–|｜]{1,2}[ \t\u3000]*[\u4e00-\u9fff]{2,10}(?:网|網|新闻网|新聞網|客户端|客戶端|新闻|新聞)$"
    r"|_[\u4e00-\u9fff]{2,6}$"  # an underscore before a short name: a site or app (…治安秩序良好_新消息)
)


def _without_tail(title: Line, tail: re.Pattern[str]) -> Line:
    """The headline without what `tail` finds at its end, where six characters or more of headline stay."""
    m = tail.search(title.text)
    if m is None or m.start() < 6:
        return title
    return Line(title.index, title.start, title.start + m.start(), title.text[: m.start()])


_TITLE_STARS_RE = re.compile(r"[ \t\u3000]*[*＊]{2,}$")
_TITLE_COLUMN_RE = re.compile(r"[\u4e00-\u9fff]{2,6}(?:新闻|新聞)[：:][ \t\u3000]*")
_TITLE_TAG_RE = re.compile(
    r"[ \t\u3000]*[（(](?:权威发布|權威發布|组图|組圖|图|圖|视频|視頻|图文|圖文|附视频|附視頻|独家|獨家)[）)]$"
)


def _title_block(
    lines: list[Line], nonblank: list[Line], metadata_lines: list[Line]
) -> tuple[Line | None, list[Line]]:
    """The title line and any subtitle lines (see the module docstring for the rule)."""
    if not nonblank:
        return None, []
    meta_idx = {ln.index for ln in metadata_lines}
    first_para = next((ln for ln in nonblank if ln.index not in meta_idx and _body_line(ln)), None)
    limit = first_para.index if first_para else len(lines)
    head = [ln for ln in nonblank if ln.index < limit and ln.index not in meta_idx]
    for ln in head:  # "中新网兴安盟7月8日电 题：“42岁”草原边境派出所与牧民的故事"
        m = _TITLE_LABEL_RE.search(ln.text)
        if m and is_headline(m["title"]):
            return Line(ln.index, ln.start + m.start("title"), ln.start + m.end("title"), m["title"]), []
    # a kicker ending in a dash ("…守护一方安宁—") introduces the headline below it and is never the title
    # …nor is the section a breadcrumb ends in, repeated as the page's section heading (首页 > 法治工作 > X / X)
    sections = {_norm(re.split(r">>|›|»|>", ln.text)[-1]).strip() for ln in head if _NAV_HINT.search(_norm(ln.text))}
    dateline = next((ln for ln in nonblank if ln.index < limit and _is_dateline(ln)), None)
    # …unless it stands right above the date line: a page whose trail ends in the headline itself
    # (您当前位置:首页 > 图片要闻 > 海拔4200米的坚守 / 海拔4200米的坚守 / 2020-04-17 来源:…)
    above_date = next((ln for ln in reversed(nonblank) if dateline and ln.index < dateline.index), None)
    candidates = [
        ln
        for ln in head
        if is_headline(ln.text)
        and not ln.text.endswith(("—", "-", "–"))
        and (_norm(ln.text).strip() not in sections or ln is above_date)
    ]
    title: Line | None = None
    if dateline is not None:
        # the run of headline lines right above the date line: 主题 then 副题 ("…降五成 …双提升" / "…构建…社区");
        # the first one is the headline unless it is a short column or kicker ("海上枫桥") before a longer one
        above = [ln for ln in head if ln.index < dateline.index]
        run: list[Line] = []
        for ln in reversed(above):
            if ln not in candidates:
                break
            run.insert(0, ln)
        while len(run) > 1 and len(_norm(run[0].text)) <= 6 < len(_norm(run[1].text)):
            run.pop(0)
        title = run[0] if run else next((ln for ln in reversed(candidates) if ln.index < dateline.index), None)
        title = title or next((ln for ln in candidates if ln.index > dateline.index), None)
    if title is None and candidates:
        title = candidates[0]
    if title is None:
        return None, []
    title = _without_tail(title, _SITE_SUFFIX_RE)  # "三亚警方…保障游客游玩安全-新华网": the site's name
    title = _without_tail(title, _TITLE_STARS_RE)  # an aggregator's "******" after the headline
    column = _TITLE_COLUMN_RE.match(title.text)
    if column and len(title.text) - column.end() >= 8:  # "都江堰新闻：…": the site's column, no part of it
        title = Line(title.index, title.start + column.end(), title.end, title.text[column.end() :])
    title = _without_tail(title, _TITLE_TAG_RE)  # "守护国门边境 服务开放发展（权威发布）": a column's or medium's tag
    bracketed = re.fullmatch(r"【([^【】]+)】", title.text)
    if bracketed:  # "【推进大调解网络建设】": the brackets are typography, not part of the headline
        title = Line(title.index, title.start + 1, title.end - 1, bracketed.group(1))
    # subtitle: headline-shaped lines after the title block and before the first paragraph
    candidates: list[Line] = []
    for ln in nonblank:
        if ln.index <= title.index or ln.index >= limit or ln.index in meta_idx:
            continue
        if not is_headline(ln.text.lstrip("—-–") or "x") and not ln.text.startswith(("——", "—", "--")):
            return title, []
        candidates.append(ln)
    if candidates and len(candidates) <= 3 and any(c.text.startswith(("——", "—", "--")) for c in candidates):
        return title, candidates
    return title, []


def iter_fields(meta: ArticleMetadata) -> Iterator[tuple[str, object, Span | None]]:
    """(field, value, span) for every field, for logging and Dagster metadata."""
    for name in ("title", "subtitle", *FIELDS[1:]):
        yield name, getattr(meta, name), getattr(meta, f"{name}_span")
