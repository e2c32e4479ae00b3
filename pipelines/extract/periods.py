"""Periods: the time phrase a figure covers, as written, and the dates it resolves to against the report's date.

A researcher comparing figures across reports needs to know which months a figure counts, so every period a
report writes (今年1至7月, 去年9月以来, 截至今年6月底, 近三年, 二〇二三年, 上季度 …) is found in the sentence and,
where the article's own date allows, resolved to a start and an end (tests/annotated/README.md has the table).
A wrong period is worse than none: anything vague (近年来, 每天, 春节期间, 一年多来, a streak) or relative to an
event (机制运行以来) keeps its text and leaves both dates empty, and without the article's date only periods
with an explicit year resolve.

Hand-written rather than jionlp's `parse_time` (1.5.31, tried on these forms): it reads 今年1-7月 as 7 January,
2023年1至10月 as the whole year and 截至2024年6月底 as 25-30 June, and fails on 今年1至7月 and 6月以来.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = [
    "PERIOD_PATTERN",
    "Period",
    "is_bare_point",
    "is_rate_period",
    "is_single_day",
    "resolve_period",
    "resolve_period_at",
]


@dataclass(frozen=True)
class Period:
    text: str
    start: dt.date | None
    end: dt.date | None


# ---------------------------------------------------------------------------------------------------------------
# Finding periods in a sentence

_CN_DIGIT = "〇零○一二两三四五六七八九"
_CN_NUM = f"[{_CN_DIGIT}十百千]"
_NUM = rf"(?:\d+|{_CN_NUM}+)"
_YEAR4 = rf"(?:\d{{4}}\s*年|[{_CN_DIGIT}]{{4}}年|[两二]千零?[{_CN_DIGIT}十]*年)"
# 去年 in 比去年同期 / 与上年相比 is the comparison, not the period
_YEAR_REL = r"(?:(?<![与比较同])(?:今年|去年|前年|上年|本年)(?!同期))"
_YEAR = rf"(?:{_YEAR4}|{_YEAR_REL}|0\d年|[12]\d年(?=\d{{1,2}}月))"
_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?"
_DAY = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号](?!电|讯)"  # 中新网杭州11月23日电 is a dateline
_EDGE = r"(?:底|末|初|中旬|上旬|下旬)"
_QUARTER = r"(?:(?:前|第)?[一二三四1-4]季度|上个?季度|本季度)"
_SEASON = (
    r"(?:春节|元旦|国庆|中秋|端午|五一|暑假|寒假|假期|春季学期|秋季学期|春天|夏天|秋天|冬天|春季|夏季|秋季|冬季"
    r"|旺季|淡季|汛期|休渔期|高峰期|年底|(?<!大)年初(?![一二三四五六七八九十])|年末|底)"
)
# 年初 is the start of a year; 大年初六 and 年初一 are days of the lunar new year
_NEW_YEAR = r"(?<!大)年初(?![一二三四五六七八九十])"
_VAGUE_TAIL = r"(?:当天|当晚|上午|下午|晚上|凌晨|深夜|夜间|期间|前后)"
# a month (with its day) or a half, a quarter, the whole year, or its beginning or end
_WITHIN = (
    rf"(?:(?:大约|约)?{_MONTH}(?!\s*\d{{1,2}}[日号](?:电|讯))(?:\s*{_DAY})?{_EDGE}?"
    rf"|上半年|下半年|{_QUARTER}{_EDGE}?|{_NEW_YEAR}|年底|年末)"
)
_WHOLE_YEAR = r"(?:全年|年度|度(?![过假]))"  # only after a year: 2023年度, 去年全年 (满意度 is no period)
# a date followed by the event it dates (1982年建所至今, 1959年成立) or an ordinal (今年第一趟) is no period
# …and a year followed by an event's time (今年春运期间, 去年汛期以来) is the event's, left to the alternatives below
_POINT = (
    rf"(?:{_YEAR}\s*(?:{_WITHIN}|{_WHOLE_YEAR}|初(?=至今|以来|起))?|{_WITHIN})"  # 2006年初至今
    r"(?!\s*(?:第|建所|建队|成立|组建|建成|设立|开通)|[\u4e00-\u9fff]{1,4}(?:期间|以来))"
)
_RANGE = (
    rf"(?:{_YEAR}\s*)?(?:{_NUM}|{_MONTH}(?:\s*{_DAY})?|{_YEAR4})\s*[至到\-－—~～]\s*(?:{_POINT}|\d{{1,2}}\s*[日号])"
)
_SINCE = r"(?:以来|至今|迄今|起|开始(?![\u4e00-\u9fff])|来)"
_EVENT_VERB = r"(?:开展|启动|实施|部署|组织|推行|开始)"  # 2006年开始旅游开发: the event's date
_PERIOD_BODY = (
    rf"(?:从|自从|自)?{_RANGE}(?:{_SINCE})?|(?:{_YEAR}\s*)?前{_NUM}个月"
    # a dated start of a named campaign: 自2022年11月开展冬季严打整治专项行动以来 (from that month)
    rf"|(?:从|自从|自){_POINT}\s*{_EVENT_VERB}[^，,。；;、：:\s]{{2,16}}?(?:以来|至今)"
    # an event the period starts at: 机制运行以来, 中心启用至今, 微信群建立以来
    rf"|[^，,。；;、：:\s]{{0,12}}?(?:建立|成立|开展|启动|运行|启用|实施|开通|推行|投用|创建|组建|设立)(?:以来|至今)"
    # 升到2023年的98.54%: a verb's 到 names the year of the value, not the end of a period
    rf"|(?:截至|截止到|截止|(?<![升增降涨提达跌减回高长加少低])[到至])(?:目前|{_POINT})(?:为止)?"
    rf"|(?:从|自从|自)?{_POINT}\s*(?:(?:大约|约)?(?:的一个)?(?:{_SEASON}|{_VAGUE_TAIL}))?(?:{_SINCE}|以后)?(?:{_VAGUE_TAIL})?"
    rf"|(?:从|自从|自)?\d{{4}}(?:\s*年|以年)?(?:以来|至今|来)"  # 2019以年来 [sic], 2021至今
    rf"|(?:建所|建队|成立)?自?(?:近|过去|最近)?{_NUM}(?:多年|年多?|个多?月)(?:来|以来)"
    # 搭上一个月的休假, 经过近一年的试行: a length of time, no period
    rf"|(?<!经过)(?<!历经)(?:近|过去|最近)(?:{_NUM})(?:个)?(?:年|个月|天|日)(?![级底度])"
    r"|(?:近|过去|最近)半年(?:来|以来)?|上个?月份?(?![\u4e00-\u9fff]?[底末初旬])|本月(?![底末初旬])"
    rf"|(?<!建所|建队)短短{_NUM}个?(?:年|月|天)|{_NUM}(?:天|个月|年)下来|(?:上|本)世纪[^，,。；;]{{0,6}}?以来"
    r"|(?:高峰期|旺季|淡季|节假日)?(?:平均)?每(?:\d+|[一二两三四五六七八九十])?个?(?:天|日|周|月|年|季度)|[日月年]均"
    # a season needs its year (今年春天, 去年旺季期间) or 期间 (春节期间): 辖区夏季夜间警情 is no period
    rf"|近年来|多年来|近些年来?|{_YEAR_REL}(?:前|第)?{_SEASON}(?:期间)?(?:以来)?|{_SEASON}期间"
    r"|今年(?:以)?来|去年以来|年初以来|(?<=[，,；;])当年(?=[\u4e00-\u9fff])|截至目前|到目前为止|目前|如今|眼下|(?<![出实发体表展呈])现在|现阶段"
    rf"|{_YEAR_REL}[\u4e00-\u9fff]{{1,4}}(?:以来|期间)"
)
# Longer alternatives come first so that a position takes the longest reading (今年4月, not 今年).
PERIOD_PATTERN = re.compile(rf"(?P<p>{_PERIOD_BODY})")


def is_rate_period(text: str) -> bool:
    """每月, 平均每天, 日均: a rate, which governs only the figures written after it."""
    return "每" in text or bool(re.fullmatch(r"[日月年]均", text))


def is_single_day(text: str) -> bool:
    """1月14日, 2019年4月5 日: the day an event happened, not a span any figure counts."""
    return is_bare_point(text) and bool(re.search(r"[日号]\s*$", text))


def is_bare_point(text: str) -> bool:
    """A date written as a point in time (2023年, 今年4月, 2021年10月) rather than a span that runs up to now:
    inside a clause it dates that clause's event only (成立于1959年, …)."""
    if re.search(r"以来|至今|迄今|起|开始|来|截至|截止|到|至|从|自|前|近|过去|每|均|目前|如今|现|短短|下来", text):
        return False
    return bool(re.search(r"\d\s*年|[今去上本]年|月|季度|半年", text))


# ---------------------------------------------------------------------------------------------------------------
# Resolving a period against the report's date

_CN_VALUE = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def _cn_int(word: str) -> int | None:
    """二〇二三 → 2023, 两千零四 → 2004, 二十三 → 23, 十二 → 12; a spoken range (三四) is no number."""
    if not word or any(c not in _CN_VALUE and c not in _CN_UNIT for c in word):
        return None
    if not any(c in _CN_UNIT for c in word):
        if len(word) == 1:
            return _CN_VALUE[word]
        if len(word) == 4 or word[0] in "〇零○":  # digit by digit: 二〇二三, 零八
            return int("".join(str(_CN_VALUE[c]) for c in word))
        return None
    total, digit = 0, None
    for c in word:
        if c in _CN_VALUE:
            if digit is not None and _CN_VALUE[c] != 0:
                return None
            digit = _CN_VALUE[c] or None
        else:
            total += (digit if digit is not None else 1) * _CN_UNIT[c]
            digit = None
    return total + (digit or 0)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _normalise(text: str) -> str:
    """Arabic digits, no spaces, four-digit years: the one spelling the rules below read."""
    text = re.sub(r"\s+", "", text.translate(_FULL_WIDTH)).replace("以年来", "年以来")
    text = re.sub(r"^(近|过去|最近)半年", r"\g<1>6个月", text)

    def arabic(m: re.Match[str]) -> str:
        value = _cn_int(m.group(1))
        if value is None:
            return m.group(0)
        digits = m.group(1)
        width = len(digits) if digits[0] in "〇零○" and not any(c in _CN_UNIT for c in digits) else 1
        return f"{value:0{width}d}{m.group(2)}"

    text = re.sub(rf"({_CN_NUM}+)(年|个|月|天|日|号|季度|周)", arabic, text)
    text = re.sub(rf"月({_CN_NUM}{{1,3}})$", lambda m: f"月{_cn_int(m.group(1)) or m.group(1)}日", text)
    text = re.sub(r"月(\d{1,2})$", r"月\1日", text)  # 八月十五: a day without 日

    def century(m: re.Match[str]) -> str:
        yy = int(m.group(2))
        return f"{m.group(1)}{2000 + yy if yy < 50 else 1900 + yy}年"

    # a two-digit year (07年, 18年10月) is not a duration (10年来, 近10年, 建所73年)
    return re.sub(r"(^|[从自至到\-－—~～与])(\d{2})年(?!来|以来|间|多|余|之久|左右|内|中|里|的)", century, text)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift(date: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """`date` moved back by whole years and months, on the last day of a shorter month (29 February)."""
    index = date.year * 12 + date.month - 1 - years * 12 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# One point in time as reports write it (after _normalise): a year, a month, a day, a half, a quarter, an edge.
_POINT_RE = re.compile(
    r"(?:(?P<year>\d{4})年|(?P<rel>今年|去年|前年|上年|本年))?"
    r"(?:(?P<month>\d{1,2})月份?(?:(?P<day>\d{1,2})[日号])?"
    r"|(?P<half>上半年|下半年)|(?P<qpre>前|第)?(?P<q>[1-4])季度|(?P<whole>全年|年度|度)"
    r"|(?P<yedge>年初|年底|年末))?(?P<edge>底|末|初)?"
)
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2}


@dataclass(frozen=True)
class _Span:
    start: dt.date
    end: dt.date
    explicit: bool  # the year is written out (2023年), not relative to the report


def _point(text: str, published: dt.date | None) -> _Span | None:
    """The days one point in time covers, in the year written or the report's (a bare month that lies after the
    report is last year's); None when the text is no such point or the report's date would be needed."""
    m = _POINT_RE.fullmatch(text)
    if not m or not text:
        return None
    explicit = m.group("year") is not None
    if explicit:
        year = int(m.group("year"))
    elif published is None:
        return None
    else:
        year = published.year - _RELATIVE_YEARS.get(m.group("rel") or "今年", 0)
    span = _span_in_year(m, year)
    if span is None and not explicit and not m.group("rel") and m.group("day"):
        # 2月29日 without a year: the last 29 February
        span = next((s for back in range(1, 8) if (s := _span_in_year(m, year - back))), None)
    if span is None:
        return None
    if published and not explicit and not m.group("rel") and not m.group("yedge") and span[0] > published:
        span = _span_in_year(m, year - 1)  # 第四季度 or 12月 in a January report: the last one
        if span is None:
            return None
    return _Span(span[0], span[1], explicit)


def _span_in_year(m: re.Match[str], year: int) -> tuple[dt.date, dt.date] | None:
    edge = m.group("edge") or ""
    if m.group("month"):
        month = int(m.group("month"))
        if not 1 <= month <= 12:
            return None
        if m.group("day"):
            day = _safe_date(year, month, int(m.group("day")))
            return (day, day) if day and not edge else None
        start, end = dt.date(year, month, 1), _month_end(year, month)
    elif m.group("q"):
        quarter = int(m.group("q"))
        start, end = dt.date(year, 1 if m.group("qpre") == "前" else 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    elif m.group("half"):
        start, end = (
            (dt.date(year, 1, 1), dt.date(year, 6, 30))
            if m.group("half") == "上半年"
            else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        )
    elif m.group("yedge"):
        edge = "初" if m.group("yedge") == "年初" else "底"
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif m.group("year") or m.group("rel") or m.group("whole"):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        return None
    if edge in ("底", "末"):
        return end, end
    if edge == "初":
        return start, start
    return start, end


def _within_report(span: _Span, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """A relative span (今年, 1-7月) ends no later than the report; one that starts after it is no past period."""
    if span.explicit or published is None:
        return span.start, span.end
    if span.start > published:
        return None
    return span.start, min(span.end, published)


_VAGUE = re.compile(
    r"近年|多年|长期|些年|每|均|连续|期间|季(?!度)|春|夏|秋|冬|旺|淡|汛|节|元旦|假|学期|周|星期|礼拜|世纪|年代"
    r"|当天|当晚|上午|下午|晚|夜|凌晨|旬|前后|左右|大约|约|多|余|几|数|下来|当年|一度|以前|之前|以后|之后|短短"
)
_NOW = re.compile(r"(?:截至|截止到|截止|到|至)?(?:目前|如今|现在|当前|眼下|现阶段|现|今)(?:为止)?")
_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}
_SINCE_RE = re.compile(r"(?:从|自从|自)?(?P<x>.+?)(?:以来|至今|迄今|起|开始|来)")
_UNTIL_RE = re.compile(r"(?:截至|截止到|截止|到|至)(?P<x>.+?)(?:为止|止)?")
_RELATIVE_RE = re.compile(r"(?P<pre>近|最近|过去|上)?(?P<n>\d{1,3})(?P<ge>个)?(?P<unit>年|月|天|日)(?P<post>来|以来)?")
_LAST_QUARTER = re.compile(r"(?P<which>上个?|本)季度")
_LAST_MONTH = re.compile(r"(?P<which>上个?|本)月份?")
_FIRST_MONTHS_RE = re.compile(r"(?P<y>\d{4}年|今年|去年|前年)?前(?P<n>\d{1,2})个月")
_RANGE_RE = re.compile(r"(?:从|自)?(?P<a>[^至到\-－—~～]+?)(?:[至到\-－—~～]|年?与)(?P<b>[^至到\-－—~～]+?)(?:之?间)?")
_BETWEEN_RE = re.compile(r"(?P<a>\d{4}年)之后(?P<b>\d{4}年)之前")
_LEAD_YEAR = re.compile(r"^(?:\d{4}年|今年|去年|前年|上年|本年)")


def resolve_period_at(sentence: str, start: int, text: str, published: dt.date | None) -> Period:
    """`resolve_period` for the period written at `start` of `sentence`; 当年 ("that year") is the last year the
    sentence wrote before it (1996年“110”刚开通,当年接处警就有20万余起), else nothing."""
    if text == "当年":
        years = re.findall(r"(?<!\d)(\d{4})\s*年", sentence[:start])
        resolved = resolve_period(f"{years[-1]}年", published) if years else Period(text, None, None)
        return Period(text, resolved.start, resolved.end)
    return resolve_period(text, published)


_DATED_CAMPAIGN_RE = re.compile(
    rf"(?P<start>(?:从|自从|自)(?:(?:{_YEAR}\s*)?{_MONTH}|{_YEAR}))\s*{_EVENT_VERB}[^，,。；;、：:\s]{{2,16}}?"
    rf"(?P<since>以来|至今)"  # 自2023年实施“双中心警务前延”模式以来: from that year
)


def resolve_period(text: str, published: dt.date | None) -> Period:
    """Dates a period as written covers, where the article's own date allows (else only explicit years); both
    empty when the period is vague or the resolution unsure."""
    span = _resolve(_normalise(text), published)
    return Period(text, *span) if span else Period(text, None, None)


def _resolve(t: str, published: dt.date | None) -> tuple[dt.date | None, dt.date | None] | None:
    t = re.sub(r"^(?:在|于)", "", t)
    if m := _DATED_CAMPAIGN_RE.fullmatch(t):
        t = m.group("start") + m.group("since")  # 自2022年11月开展…行动以来: from that month, as 自2022年11月以来
    if m := _BETWEEN_RE.fullmatch(t):
        a, b = _point(m.group("a"), published), _point(m.group("b"), published)
        return (a.start, b.start - dt.timedelta(days=1)) if a and b and a.start < b.start else None
    if re.search(r"年?与.+之?间$", t):
        return _range(t, published)
    if _VAGUE.search(t):
        return None
    if _NOW.fullmatch(t):
        return (None, published) if published else None
    if t in _DAYS_BACK:
        return (day := published - dt.timedelta(days=_DAYS_BACK[t]), day) if published else None
    if re.search(r"(?:至今|迄今)$", t) and not re.search(r"\d|今年|去年|前年|年初", t[:-2]):
        return (None, published) if published else None  # 中心启用至今: up to now, from an event
    if re.search(r"\d月(?:份)?[底末]$|[年季度][底末]$", t) and not _UNTIL_RE.fullmatch(t):
        t = "截至" + t  # 8月底, 三季度末 standing alone: up to that day
    if m := _UNTIL_RE.fullmatch(t):
        if _NOW.fullmatch(m.group("x")):
            return (None, published) if published else None
        point = _point(m.group("x"), published)
        if point is None or (published and not point.explicit and point.start > published):
            return None  # 到年底 in November: a target, not what has been counted
        return None, point.end
    if m := _FIRST_MONTHS_RE.fullmatch(t):
        return _first_months(m, published)
    if (m := _RELATIVE_RE.fullmatch(t)) and _counts_back(m):
        return _relative(m, published)
    if m := _LAST_MONTH.fullmatch(t):
        return _month_of_report(m.group("which") != "本", published)
    if m := _LAST_QUARTER.fullmatch(t):
        return _quarter_of_report(m.group("which") != "本", published)
    if m := _SINCE_RE.fullmatch(t):
        if re.fullmatch(r"\d{4}", m.group("x")):
            m = _SINCE_RE.fullmatch(m.group("x") + "年" + t[m.end("x") :]) or m
        x = m.group("x")
        if re.fullmatch(r".+[至到\-－—~～].+", x):
            return None
        point = _point(x, published)
        if point is None or (published and point.start > published):
            return None
        return point.start, published
    if re.search(r"[至到\-－—~～]", t):
        return _range(t, published)
    if re.fullmatch(r"\d{4}", t):
        t += "年"
    point = _point(t, published)
    return _within_report(point, published) if point else None


def _first_months(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """今年前五个月, 前7个月: January to the end of the N-th month."""
    months = int(m.group("n"))
    point = _point(m.group("y") or "今年", published)
    if point is None or not 1 <= months <= 12:
        return None
    return _within_report(_Span(point.start, _month_end(point.start.year, months), point.explicit), published)


def _counts_back(m: re.Match[str]) -> bool:
    """近三年, 三年来, 近3个月: counted back from the report's date; 3月以来 is "since March" (a month without 个
    is a calendar month unless 近/过去 says otherwise)."""
    if not (m.group("pre") or m.group("post")):
        return False
    return not (m.group("unit") == "月" and not m.group("ge") and not m.group("pre"))


def _relative(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """近三年, 三年来, 近3个月, 近90天, 上2个月: counted back from the report's date."""
    if published is None or not (m.group("pre") or m.group("post")):
        return None
    n, unit = int(m.group("n")), m.group("unit")
    if n <= 0:
        return None
    if unit == "年":
        return _shift(published, years=n), published
    if unit == "月":
        return _shift(published, months=n), published
    return published - dt.timedelta(days=n), published


def _month_of_report(previous: bool, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """上个月: the calendar month before the report's; 本月: the report's own, up to its date."""
    if published is None:
        return None
    start = published.replace(day=1)
    if not previous:
        return start, published
    start = _shift(start, months=1)
    return start, _month_end(start.year, start.month)


def _quarter_of_report(previous: bool, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """上季度: the calendar quarter before the report's; 本季度: the report's own, up to its date."""
    if published is None:
        return None
    first_month = 3 * ((published.month - 1) // 3) + 1
    start = dt.date(published.year, first_month, 1)
    if not previous:
        return start, published
    start = _shift(start, months=3)
    return start, _month_end(start.year, start.month + 2)


def _range(t: str, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """2019年至2023年, 2019—2023年, 今年1至7月, 8月31日至9月6日, 18年10月1日到19年2月3日, 2007年与2009年间."""
    m = _RANGE_RE.fullmatch(t)
    if not m:
        return None
    a, b = m.group("a"), m.group("b")
    unit = re.match(r"\d+(年|月份?|日|号)", b)
    if re.fullmatch(r"(?:\d{4}年|今年|去年|前年)?\d+", a):
        if unit:
            a += unit.group(1)
        elif re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{4}", b):
            a, b = a + "年", b + "年"
    if re.fullmatch(r"\d{4}", b) and a.endswith("年"):
        b += "年"
    lead = _LEAD_YEAR.match(a)
    if lead and not _LEAD_YEAR.match(b):
        if re.fullmatch(r"\d{1,2}[日号]", b) and (month := re.search(r"(\d{1,2})月", a)):
            b = f"{month.group(1)}月{b}"
        b = lead.group(0) + b
    elif re.fullmatch(r"\d{1,2}[日号]", b) and (month := re.search(r"(\d{1,2})月", a)):
        b = f"{month.group(1)}月{b}"
    first, last = _point(a, published), _point(b, published)
    if first is None or last is None:
        return None
    if not first.explicit and not last.explicit and not lead and published and first.start.year != last.end.year:
        # a bare month range that _point put in two years (1至12月 in May): both in the first one's year
        last = _point(f"{first.start.year}年{b}", published)
        if last is None:
            return None
        last = _Span(last.start, last.end, False)
    if first.start > last.end:
        return None
    return _within_report(_Span(first.start, last.end, first.explicit and last.explicit), published)
