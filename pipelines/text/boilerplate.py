"""Boilerplate in article text: what to delete so only the article body is left, reported as Replacements.

Reposted news text drags along the page it was copied from: site navigation ("社长致辞 | 出版社简介"), search
boxes, share prompts, view counters, copyright/contact footers, disclaimers, "see the print issue" notes,
metadata lines (title, dateline, byline, editor, source link) and photo captions.  `find_boilerplate`
reports every deletion as a `Replacement` (text="") plus a reason, so the cleaner keeps an exact offset map
back to the raw file and a reviewer can see why each piece went.  Captions are also returned separately:
they describe photos, not the station's work, but are worth keeping apart (who took the picture, where).

Rules describe the *shape* of boilerplate, not particular sites.  A few phrase lists are unavoidable (what a
search box or a share button says); they are short and kept below.  Weak signals (a contact line, a bare
URL) only count in the page tail after the last body paragraph, where a station's own fact box
("地址:…", "电话:…") cannot be.

Whitespace is normalised the same way: blank lines, indentation (ASCII, full-width, no-break spaces) and
trailing spaces are deleted, so after `apply_replacements` paragraphs are separated by exactly one "\\n".
Content deletions use kind="boilerplate", whitespace-only ones kind="whitespace".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from pipelines.text.metadata import (
    _OPT_GLOSS,
    _TERMINAL,
    _WS,
    ArticleMetadata,
    Line,
    extract_metadata,
    is_paragraph,
    split_lines,
)
from pipelines.text.offsets import Replacement

Span = tuple[int, int]

# Whole-line phrases of page chrome (compared with whitespace removed, so "方 式" matches "方式").
NAV_PHRASES = frozenset(
    {
        "高级搜索", "站内搜索", "全站搜索", "搜索", "关键字", "关键词", "方式", "检索", "首页", "返回首页",
        "返回顶部", "回到顶部", "返回", "打印", "打印本页", "打印此页", "关闭", "关闭窗口", "关闭本页", "收藏",
        "加入收藏", "收藏本页", "设为首页", "上一篇", "下一篇", "字号", "大中小", "【大中小】", "[大中小]",
        "网站地图", "联系我们", "登录", "注册", "更多", "English", "相关阅读", "相关新闻", "推荐阅读",
        "热点推荐", "点击排行", "责任编辑", "手机版", "微信", "微博", "纠错",
    }
)
_NAV_LINK_RE = re.compile(r"^(?:访问|进入|返回|前往|登录|訪問|進入)\S{2,12}$")
_PREV_NEXT_RE = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|上一頁|下一頁)(?:文章)?[:：]?")
_PIPE_RE = re.compile(r"[||]")
_BUTTONS_RE = re.compile(r"^(?:[【\[][^】\]]{1,12}[】\]]){2,}$")  # "【字号 大 中 小】【打印】【关闭】"
_BREADCRUMB_RE = re.compile(r"当前位置|您的位置|您现在的位置|现在的位置|當前位置|>>|»|›|(?:\S{1,10}\s*>\s*){2,}")
_SHARE_RE = re.compile(
    r"^(?:分享让更多人看到|分享讓更多人看到|分享到|分享至|分享[:：]|一键分享|微信扫一扫|扫一扫|扫码|掃一掃|"
    r"点击分享|转发到|【?打印】?|【?关闭】?)"
)
_COUNTER_RE = re.compile(
    r"(?:浏览次数|浏览量|阅读数|阅读量|阅读次数|点击数|点击量|点击率|访问量|瀏覽次數|閱讀數|點擊數|阅读|浏览|点击)"
    r"[:：]?\s*\d+"
)
_COPYRIGHT_RE = re.compile(
    r"copyright|版权所有|版權所有|©|all rights reserved|icp[备證证]|公网安备|公網安備|主办单位|主辦單位|承办单位",
    re.I,
)
_DISCLAIMER_RE = re.compile(
    r"免责声明|免責聲明|版权声明|版權聲明|如有侵权|如涉及侵权|侵删|侵刪|转载请注明|轉載請註明|本文来源于网络|"
    r"版权归原作者|版權歸原作者|仅供学习交流"
)
_PRINT_REF_RE = re.compile(
    r"^(?:详见|詳見|详情见|全文见|全文详见|原载于?|原載|本文原载|本文刊于|刊于|原文刊于)\S{0,30}$"
)
_ELLIPSIS_RE = re.compile(r"^[…\.。·⋯]+$")
_END_MARK_RE = re.compile(r"^[((【\[]?(?:完|全文完|end|END)[))】\]]?$")
_CONTACT_RE = re.compile(
    r"^\S{0,8}?(?:地址|邮编|邮政编码|电话|傳真|传真|e-?mail|邮箱|郵箱|网址|網址|联系方式|聯繫方式|qq|热线)\s*[:：]",
    re.I,
)
_CONTACT_VALUE_RE = re.compile(r"[\w.-]+@[\w-]+\.[\w.]+|www\.\S+|https?://\S+|\d{3,4}-\d{7,8}")

# Photo captions: "<description>。<org> <name> 摄", "(记者 张三 摄)", "图为……", "张三 供图".
_CREDIT_NAME = rf"(?:[\u3400-\u9fff]{_OPT_GLOSS}){{2,4}}"
_CAPTION_CREDIT_RE = re.compile(
    rf"(?:^|[{_TERMINAL}{_WS}((])(?:(?:[^\s{_TERMINAL}(()]{_OPT_GLOSS}){{2,20}}?[{_WS}]+)?"
    rf"(?:记者|記者|通讯员|通訊員)?[{_WS}]*{_CREDIT_NAME}(?<![拍航偷抓跟摄攝])[{_WS}]*"
    r"(?:摄|攝|摄影|攝影|供图|供圖)[)）]?$"
)
_CAPTION_LEAD_RE = re.compile(r"^(?:图为|圖為|图[:：]|圖[:：]|上图|下图|左图|右图|▲|△|[(\uff08]图)")
_MAX_CAPTION = 120


@dataclass(frozen=True)
class BoilerplateReport:
    """Deletions that turn article text into its body, with the reason for each and the caption spans."""

    replacements: list[Replacement] = field(default_factory=list)
    captions: list[Span] = field(default_factory=list)  # content spans of photo captions (also deleted)
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, reason) per replacement
    metadata: ArticleMetadata | None = None


def _compact(value: str) -> str:
    return re.sub(rf"[{_WS}\s]+", "", value)


def _strong_reason(line: Line) -> str | None:
    """Boilerplate recognisable anywhere on the page."""
    text = line.text
    compact = _compact(text)
    short = len(compact) <= 60
    if _DISCLAIMER_RE.search(text):
        return "disclaimer"
    if _COPYRIGHT_RE.search(text) and len(compact) <= 150:
        return "copyright footer"
    if compact in NAV_PHRASES or (short and (_NAV_LINK_RE.match(compact) or _PREV_NEXT_RE.match(compact))):
        return "navigation"
    if short and len(_PIPE_RE.findall(text)) >= 2:
        items = [p for p in _PIPE_RE.split(text) if p.strip(_WS)]
        if items and sum(len(_compact(p)) for p in items) / len(items) <= 15:
            return "navigation"
    if short and _BREADCRUMB_RE.search(text) and not any(ch in _TERMINAL for ch in text):
        return "navigation"
    if short and _BUTTONS_RE.match(compact):
        return "navigation"
    if short and _SHARE_RE.match(compact):
        return "share prompt"
    if len(compact) <= 40 and _COUNTER_RE.search(compact):
        return "view counter"
    if _PRINT_REF_RE.match(compact):
        return "print-edition reference"
    if _ELLIPSIS_RE.match(compact):
        return "ellipsis line"
    if _END_MARK_RE.match(compact):
        return "end marker"
    return None


def is_caption(line: str) -> bool:
    """A short line crediting a photographer ("…值守。付浩 摄", "…宣傳。人民網 王勇攝") or opening with 图为."""
    text = line.strip(_WS)
    if not text or len(text) > _MAX_CAPTION:
        return False
    return bool(_CAPTION_CREDIT_RE.search(text) or (_CAPTION_LEAD_RE.match(text) and len(text) <= 80))


def find_boilerplate(
    text: str, metadata: ArticleMetadata | None = None, *, drop_headings: bool = True
) -> BoilerplateReport:
    """Everything in `text` that is not article body, as deletions; see the module docstring for why.

    `metadata` (from `extract_metadata`, computed if not given) says which spans are metadata: dateline,
    byline, editor and source-link lines, trailing credits, and — unless `drop_headings` is False — the
    title and subtitle lines.
    """
    if metadata is None:
        metadata = extract_metadata(text)
    reason: list[str | None] = [None] * len(text)

    def mark(start: int, end: int, why: str) -> None:
        for i in range(start, end):
            if reason[i] is None and text[i] != "\n":
                reason[i] = why

    lines = split_lines(text)
    nonblank = [ln for ln in lines if not ln.blank]

    # 1. strong boilerplate lines (first, so a view counter in a dateline is reported as such)
    for ln in nonblank:
        why = _strong_reason(ln)
        if why:
            mark(ln.start, ln.end, why)

    # 2. metadata spans, then captions
    for start, end, what in metadata.removable:
        if what in ("title", "subtitle") and not drop_headings:
            continue
        mark(start, end, f"metadata: {what}")
    captions: list[Span] = []
    for ln in nonblank:
        if reason[ln.start] is None and is_caption(ln.text):
            captions.append((ln.start, ln.end))
            mark(ln.start, ln.end, "photo caption")

    # 3. the page tail after the last body paragraph: contact lines, bare links, editor notes
    def unmarked(ln: Line) -> bool:
        return None in reason[ln.start : ln.end]

    def contact(ln: Line) -> bool:
        compact = _compact(ln.text)
        return bool(_CONTACT_RE.match(compact) or (len(compact) <= 80 and _CONTACT_VALUE_RE.search(ln.text)))

    body = [ln for ln in nonblank if unmarked(ln) and is_paragraph(ln.text) and not contact(ln)]
    last = body[-1].index if body else -1
    for ln in nonblank:
        if ln.index > last and unmarked(ln) and contact(ln):
            mark(ln.start, ln.end, "contact footer")

    # 4. whitespace: indentation, trailing spaces, lines left empty, surplus newlines
    for ln in lines:
        line_end = text.find("\n", ln.start)
        line_end = len(text) if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, ln.start) + 1
        # the first and the last character kept, looked for from each end (not a list of every kept one)
        first = next((i for i in range(line_start, line_end) if reason[i] is None and text[i] not in _WS), None)
        if first is None:
            mark(line_start, line_end, "blank line")
            continue
        last_kept = next(i for i in range(line_end - 1, first - 1, -1) if reason[i] is None and text[i] not in _WS)
        mark(line_start, first, "indentation")
        mark(last_kept + 1, line_end, "trailing whitespace")
    # A newline is kept after a line with something left on it, once: stretch by stretch between newlines
    # (`None in` a slice runs in C) rather than character by character.
    pending: int | None = None
    seen = False
    pos = 0
    while (i := text.find("\n", pos)) >= 0:
        if None in reason[pos:i]:
            seen = True
            pending = None
        if seen and pending is None:
            pending = i
        else:
            reason[i] = "blank line"
        pos = i + 1
    if None in reason[pos:]:
        pending = None
    if pending is not None:
        reason[pending] = "blank line"

    # 5. runs of one reason → replacements
    replacements: list[Replacement] = []
    removed: list[tuple[int, int, str]] = []
    i = 0
    for why, run in groupby(reason):  # runs of one reason, found in C
        j = i + len(list(run))
        if why is not None:
            kind = "whitespace" if why in _WHITESPACE_REASONS else "boilerplate"
            replacements.append(Replacement(i, j, "", kind))
            removed.append((i, j, why))
        i = j
    return BoilerplateReport(replacements, captions, removed, metadata)


_WHITESPACE_REASONS = frozenset({"blank line", "indentation", "trailing whitespace"})
