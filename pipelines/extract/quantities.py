"""Numbers and figures as Chinese police reports write them.

Two layers, both plain functions:

* `parse_number` reads ONE whole numeric expression — Arabic, Chinese (including financial 壹贰叁 and
  Traditional 萬億兩 forms), or a mix (3.6万, 1亿2千万, 3万4000), full-width digits, 负/-, 点 decimals,
  fractions (三分之一, 3又一千分之23, 1 3/5), exponents (2e5, 2^-1), k/M suffixes, 半百, and percent forms
  (百分之九十五, 50%, 千分之三, 六个百分点, 九成, 八折).
* `find_quantities` scans running text: it finds figure *spans* first (number core + the qualifier, unit
  and percent/change words around it), then parses the core with `parse_number`'s machinery, and classifies
  each span (`kind`) so the statistics extractor can keep the counts and drop dates, ages, ordinals …

Why hand-written instead of cn2an: cn2an.transform over whole sentences rewrites quoted names
(“三官一律一网格” → “3官1律1网格”) and leaves 近千 / 数百万 unparsed; statistics need the *span*, the
approximation word and the unit, which only a span-first scanner gives.

Value conventions (see DESIGN.md "approximate quantities keep their meaning"):

* `value` is in the unit of `unit`, multipliers folded in: 3.6万余人 → value 36000, unit '人';
  数百万人次 → unit '人次'.  Percents are in percent units (50% → 50, 九成 → 90, 千分之三 → 0.3) with
  unit '%'; percentage points (百分点) are NOT percent: unit '百分点', `is_percentage_point`.
* 余/多/超过/超/逾/以上/不少于/至少 → lower bound: low = value, high = None.
* 近/将近/接近/不足/不到/以下/以内/不超过 → upper bound: low = None, high = value.
* 约/大约/左右/上下/来 → approximate: low = high = value, approx = True.
* 达/高达/多达/达到 → exact (qualifier kept).
* 数/几 before 十百千万亿 mean "several" = 2–9 of that unit: 数百 → [200, 900], 数百万 → [2e6, 9e6];
  几 after 十 is the ones digit 1–9: 十几 → [11, 19], 二十几万 → [21万, 29万].  value = None, approx = True.
* 上百/上千/上万 → at least: 上百家 → low 100, high None, qualifier '上' (数百 → '数': the word, not the digit).
* Changes: 下降33.9% → value -33.9, change '下降', comparison '同比' when written; bounds follow the sign.
* 近N年(来) is a period ("the past N years"), not "nearly N years": qualifier None, exact.
* Written ranges 5至10起 / 5-20%: value None, low/high the ends, qualifier the separator, approx False;
  二三十人 → [20, 30], approx True.

Characters are normalised one-for-one (full-width → half-width, Traditional → Simplified for the
characters numbers, units and qualifiers use), so spans index the caller's text unchanged and `unit` /
`qualifier` are given in Simplified half-width form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

__all__ = [
    "KINDS",
    "STATISTIC_KINDS",
    "Quantity",
    "find_quantities",
    "parse_number",
    "parse_quantity",
]

# ---------------------------------------------------------------------------------------------------------
# character normalisation (one character in → one character out, so offsets never move)

_TRAD = str.maketrans(
    "萬億兩倆俩點負餘幾數個約達過將貳參陸〇○項場隊戶條張間處輛臺屆週歲時鐘噸畝釐長頭隻筆單組車塊幣與較環當為內來類種門輪號減漲",
    "万亿两两两点负余几数个约达过将贰叁陆零零项场队户条张间处辆台届周岁时钟吨亩厘长头只笔单组车块币与较环当为内来类种门轮号减涨",
)
# Financial numerals (大写数字): nine digits, then 十 百 千
_FIN_CHARS = "壹贰叁肆伍陆柒捌玖拾佰仟"
_FIN = str.maketrans(_FIN_CHARS, "一二三四五六七八九十百千")


def _fold_char(c: str, *, keep_cjk_comma: bool) -> str:
    if keep_cjk_comma and c == "，":
        return c
    if "\uff01" <= c <= "\uff5e":  # full-width ASCII block
        return chr(ord(c) - 0xFEE0)
    if c in "−–—～":  # minus / dashes / wave dash used in ranges
        return "-" if c != "～" else "~"
    if c == "\u3000":
        return " "
    return c


def _fold(text: str, *, keep_cjk_comma: bool = True) -> str:
    """One-for-one normalisation: full-width → half-width, Traditional number/unit characters → Simplified."""
    out = "".join(_fold_char(c, keep_cjk_comma=keep_cjk_comma) for c in text)
    return out.translate(_TRAD)


# ---------------------------------------------------------------------------------------------------------
# parse_number

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8, "兆": 10**12}
_CN_DIGIT_CHARS = "".join(_DIGITS)
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+"
_TOKEN = re.compile(rf"({_ARABIC})|([{_CN_DIGIT_CHARS}])|([十百千])|([万亿兆])|(点)|([余多几])|(半)")


class _Bad(ValueError):
    pass


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _parse_integer_part(s: str, *, few: int = 0) -> Decimal:
    """Chinese/mixed integer (or Arabic decimal) without 点; `few` is the digit a 几 placeholder means."""
    if not s:
        raise _Bad("empty")
    # a run of Chinese digits only (二〇二三, 三八) is read digit by digit
    if len(s) > 1 and all(c in _DIGITS and c != "两" for c in s):
        return Decimal("".join(str(_DIGITS[c]) for c in s))
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None  # pending digit/number not yet multiplied by a unit
    number_is_single_cn = False
    last_small: int | None = None  # the last small unit used in this section
    last_big: int | None = None
    zero = False  # a 零 since the last unit: the next digit is not an abbreviation
    last_unit_was_big = False
    seen_any = False
    pos = 0
    for m in _TOKEN.finditer(s):
        if m.start() != pos:
            raise _Bad(f"unexpected {s[pos : m.start()]!r}")
        pos = m.end()
        arabic, digit, small, big, point, vague, half = m.groups()
        if point:
            raise _Bad("点 in integer part")
        if arabic is not None or digit is not None:
            if number is not None:
                raise _Bad("two numbers without a unit between them")
            if digit is not None:
                if digit == "零":
                    zero = seen_any = True
                    continue
                number, number_is_single_cn = Decimal(_DIGITS[digit]), True
            else:
                number, number_is_single_cn = _dec(arabic), False
            seen_any = True
        elif half:
            if number is not None:
                raise _Bad("半 after a number")
            number, number_is_single_cn, seen_any = Decimal("0.5"), False, True
        elif vague:
            if vague == "几":  # placeholder digit; 余/多 are bounds handled by the caller
                if number is not None:
                    raise _Bad("几 after a digit")
                number, number_is_single_cn = Decimal(few), True
                zero = True  # 十几 is 10 + 几, never an abbreviation
            continue
        elif small:
            u = _SMALL[small]
            if last_small is not None and u >= last_small:
                raise _Bad("small units out of order")
            if number is None:
                # bare 十 wherever a digit may stand (十五, 一百零十万); bare 百/千 only to open a section
                if u != 10 and (section or last_small is not None):
                    raise _Bad(f"bare {small} inside a number")
                number = Decimal(1)
            section += number * u
            number, last_small, zero, last_unit_was_big = None, u, False, False
            seen_any = True
        elif big:
            u = _BIG[big]
            sec = section + (number or 0)
            if sec == 0:
                if total == 0:
                    raise _Bad(f"bare {big}")
                total *= u  # 万万, 万亿: the unit multiplies everything so far
            elif last_big is None or u > last_big:
                total = (total + sec) * u
            else:
                total += sec * u
            last_big = u
            section, number, last_small, zero, last_unit_was_big = Decimal(0), None, None, False, True
    if pos != len(s):
        raise _Bad(f"unexpected {s[pos:]!r}")
    if not seen_any:
        raise _Bad("no digits")
    if number is not None:
        # 两千四百五 = 2450, 一万三 = 13000: a lone trailing digit after a unit (no 零) is one unit lower
        if number_is_single_cn and not zero:
            if last_small is not None and last_small > 10:
                number *= last_small // 10
            elif last_small is None and last_unit_was_big and last_big is not None:
                number *= last_big // 10
        section += number
    return total + section


def _parse_plain(s: str, *, few: int = 0) -> Decimal:
    """Integer part with an optional 点 / '.' decimal part (two千万点五五四四, 十点二三三)."""
    if "点" in s:
        head, _, tail = s.partition("点")
        if not tail or not all(c in _DIGITS or c.isdigit() for c in tail):
            raise _Bad("bad decimal part")
        frac = "".join(str(_DIGITS[c]) if c in _DIGITS else c for c in tail)
        return _parse_integer_part(head, few=few) + Decimal("0." + frac)
    return _parse_integer_part(s, few=few)


_SCI = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")
_POW = re.compile(r"(-*)(\d+(?:\.\d+)?)\^([-+]*)(\d+)")
_ARABIC_FRACTION = re.compile(r"([-+]?)(?:(\d+)\s+)?(\d+)\s*/\s*(\d+)")


def _signed(s: str) -> tuple[int, str]:
    sign = 1
    while s and s[0] in "-+负":
        if s[0] != "+":
            sign = -sign
        s = s[1:]
    return sign, s


def _parse_real(s: str, *, few: int = 0) -> Decimal:
    """A signed number without percent words: fractions, 又 mixed numbers, exponents, k/M, Chinese, Arabic."""
    if m := _POW.fullmatch(s):
        base, exp_sign, exp = Decimal(m.group(2)), m.group(3).count("-") % 2, int(m.group(4))
        with localcontext() as ctx:
            ctx.prec = 40
            v = base ** (-exp if exp_sign else exp)
        return -v if len(m.group(1)) % 2 else v
    sign, s = _signed(s)
    if not s:
        raise _Bad("sign only")
    if "又" in s:
        whole, _, frac = s.partition("又")
        if "分之" not in frac:
            raise _Bad("又 without a fraction")
        return sign * (_parse_real(whole, few=few) + _parse_real(frac, few=few))
    if "分之" in s:
        den_s, _, num_s = s.partition("分之")
        den, num = _parse_real(den_s, few=few), _parse_real(num_s, few=few)
        if den == 0:
            raise _Bad("zero denominator")
        with localcontext() as ctx:
            ctx.prec = 28
            return sign * num / den
    if _SCI.fullmatch(s):
        return sign * Decimal(s)
    mult = 1
    if s[-1] in "kK":
        s, mult = s[:-1], 1000
    elif s[-1] == "M":
        s, mult = s[:-1], 10**6
    while s and s[-1] in "余多":  # 七百余, 3万余: the number part
        s = s[:-1]
    return sign * _parse_plain(s, few=few) * mult


def _prepare(text: str) -> str:
    s = unicodedata.normalize("NFKC", _fold(text, keep_cjk_comma=False)).translate(_FIN)
    return "".join(s.split())


def _is_bare_denominator(den: str) -> bool:
    return bool(den) and all(c in "十百千万亿兆" for c in den)


def _parse_with_kind(text: str, *, few: int = 0) -> tuple[Decimal, str]:
    """(value, kind) for one whole expression; kind is 'number', 'percent' or 'percentage_point'."""
    s = _prepare(text)
    if not s:
        raise _Bad("empty")
    m = _ARABIC_FRACTION.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if m:  # 1 3/5 must be read before spaces are dropped
        sign = -1 if m.group(1) == "-" else 1
        whole = Decimal(m.group(2) or 0)
        return sign * (whole + Decimal(m.group(3)) / Decimal(m.group(4))), "number"
    sign, body = _signed(s)
    if body.endswith("%"):
        return sign * _parse_real(body[:-1], few=few), "percent"
    if body.endswith("‰"):
        return sign * _parse_real(body[:-1], few=few) / 10, "percent"
    for suffix in ("个百分点", "百分点"):
        if body.endswith(suffix):
            return sign * _parse_real(body[: -len(suffix)], few=few), "percentage_point"
    if "分之" in body and "又" not in body:
        den, _, num = body.partition("分之")
        if _is_bare_denominator(den):  # 百分之五, 千分之一, 万分之三: a rate, in percent units
            scale = Decimal(1)
            for c in den:  # 百万分之五: the units multiply
                scale *= _SMALL.get(c) or _BIG[c]
            v = _parse_real(num, few=few) / scale * 100
            return sign * v, "percent"
    if m := re.fullmatch(r"(.+?)成([一二三四五六七八九]|半)?", body):
        base = _parse_real(m.group(1), few=few)
        if not 0 <= base <= 10:
            raise _Bad("成 out of range")
        extra = m.group(2)
        v = base * 10 + (Decimal(5) if extra == "半" else Decimal(_DIGITS[extra]) if extra else 0)
        return sign * v, "percent"
    if m := re.fullmatch(r"(.+?)折", body):
        raw = m.group(1)
        base = Decimal(50) if raw == "半" else _parse_real(raw, few=few)
        if base == 10:
            raise _Bad("十折 is no discount at all")
        if raw != "半" and base < 10:
            base *= 10  # 八折 = 80%, 三点一折 = 31%; 七五折 / 75折 are already two digits
        if not 0 < base < 100:
            raise _Bad("折 out of range")
        return sign * base, "percent"
    if m := re.fullmatch(r"(.+?)打", body):
        return sign * _parse_real(m.group(1), few=few) * 12, "number"  # 一打 = a dozen
    return sign * _parse_real(body, few=few), "number"


def parse_number(text: str) -> Decimal | None:
    """The value of one whole numeric expression, or None if `text` is not exactly one number.

    Percent forms give percent units (50% → 50, 百分之九十五 → 95, 九成 → 90, 千分之一 → 0.1), and
    percentage points their number (六个百分点 → 6); use `parse_quantity` to learn which it was.
    A fraction with a digit denominator is a plain number (三分之一 → 0.333…, 一千分之一 → 0.001);
    余/多 are dropped (七百余 → 700) and a 几 placeholder counts as 0 (二十几万 → 200000), as in
    Recognizers-Text; `find_quantities` turns them into bounds and reports fractions as percents.
    Also read: 一打 = 12 (dozen), 八折 = 80 (a discount, in percent), 2^5, 2e5, 40k, 1 3/5.
    """
    try:
        return _normal(_parse_with_kind(text)[0])
    except (_Bad, InvalidOperation, ZeroDivisionError, OverflowError, KeyError, IndexError):
        return None


def _normal(v: Decimal) -> Decimal:
    """Drop trailing zeros (4.800 → 4.8, 2.0 → 2) without switching to exponent notation for integers."""
    if v == v.to_integral_value():
        return v.quantize(Decimal(1))
    return v.normalize()


# ---------------------------------------------------------------------------------------------------------
# Quantity

KINDS = frozenset(
    {
        "count",  # a number with a measure word: 700余起, 42个, 1635人次
        "number",  # a figure written without any unit (常住人口5.3万)
        "percent",  # 98%, 百分之九十五, 九成
        "percentage_point",  # 2个百分点 — not a percent
        "change",  # 同比下降33.9%, 减少12起 (signed value)
        "money",  # 35万余元
        "area",  # 79.8平方公里, 10亩
        "length",  # 8.5公里
        "weight",  # 3吨
        "multiple",  # 1.2倍
        "duration",  # 3小时, 两年来, 30日内
        "service_years",  # 建所73年 — a duration that is not a statistic
        "age",  # 16岁
        "date",  # 2023年12月20日, 今年4月, 2017年以来 (value None)
        "time",  # 10:31:38 (value None)
        "ordinal",  # 第三批, 全区第一, 党的二十届, 昭化东路102号
    }
)
STATISTIC_KINDS = frozenset(
    {
        "count",
        "number",
        "percent",
        "percentage_point",
        "change",
        "money",
        "area",
        "length",
        "weight",
        "multiple",
    }
)


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text: its span, value or interval, how it was qualified, and what it measures."""

    start: int
    end: int
    text: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    approx: bool = False
    qualifier: str | None = None
    unit: str = ""
    kind: str = "number"
    is_percent: bool = False
    is_percentage_point: bool = False
    change: str | None = None
    comparison: str | None = None

    @property
    def is_statistic(self) -> bool:
        """True for kinds that can be a station statistic (not dates, ages, ordinals, durations …)."""
        return self.kind in STATISTIC_KINDS


def parse_quantity(text: str) -> Quantity | None:
    """`text` as a single Quantity when the whole of it is one figure (e.g. '3.6万余人', '超过98%')."""
    qs = find_quantities(text)
    stripped = text.strip()
    if len(qs) == 1 and qs[0].text == stripped:
        return qs[0]
    try:
        value, kind = _parse_with_kind(text)
    except (_Bad, InvalidOperation, ZeroDivisionError, OverflowError, KeyError, IndexError):
        return None
    value = _normal(value)
    start = len(text) - len(text.lstrip())
    return Quantity(
        start=start,
        end=start + len(stripped),
        text=stripped,
        value=value,
        low=value,
        high=value,
        unit="%" if kind == "percent" else "百分点" if kind == "percentage_point" else "",
        kind=kind,
        is_percent=kind == "percent",
        is_percentage_point=kind == "percentage_point",
    )


# ---------------------------------------------------------------------------------------------------------
# find_quantities: masks, span scanner, classification

_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》", "〈": "〉", '"': '"'}
_SHORT_QUOTE = 16  # a quote this short without sentence punctuation is a name or slogan, not speech

_URL = re.compile(r"(?:https?://|www\.)[\w\-.~:/?#\[\]@!$&'()*+,;=%]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_PHONE = re.compile(
    r"(?<![\d.])(?:\(?0\d{2,3}\)?-?\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9}|400-?\d{3}-?\d{4})(?![\d.])"
)
_CODE = re.compile(
    r"(?:邮编|邮政编码|电话|传真|手机|热线|编号|QQ|qq|微信号|身份证号?)[:：]?\s*[\dXx\-]+"
    r"|(?:字数|阅读|阅读量|浏览|浏览量|点击|点击量)[:：]\s*\d+"  # the page's own counters (文章字数:766)
    r"|[\w\-]*\d[\w\-]*\.(?:jpe?g|png|gif|webp|bmp)\b"  # an image's file name (1.jpg)
)
_TIME = re.compile(
    r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"
    r"|(?<![\d.])\d{1,2}时(?!间|代|期|段|候|刻|速)(?:\d{1,2}分(?:\d{1,2}秒)?)?(?:许|左右)?"  # 12时26分许: a clock time
    r"|(?<![\d.])\d{1,2}点(?:\d{1,2}分|半|许|左右)|^\d{1,2}点(?=[，,])"  # 6点45分, 11点,
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}([-/])\d{1,2}(?:\1\d{1,2})?(?![\d.])")
_HALF = re.compile(
    r"(?:(\d+|[一两二三四五六七八九十]{1,3})个|(?<![上下前后大多一个]))半(个)?(小时|天|月|年)(?!代|级)"
)
# a few minutes, several hours (几分钟, 数小时, 好几年): 2–9 of the unit, as 几/数 mean before 十百千 (數年 too)
_FEW_DURATION = re.compile(r"(?<![十百千万\d第])(好)?([几数])(个)?(分钟|小时|天|年|月|星期)(?![级代])")
# idioms and fixed words that contain numerals but are never figures
_STREET_END = re.compile(r"(?:路|街|巷|弄|道|大街|大道|胡同|村|组)$")
_TIME_OF_DAY = re.compile(r"(?:凌晨|深夜|半夜|夜里|上午|下午|中午|晚上|傍晚|早上|清晨|当晚|当天)$")
_IDIOMS = re.compile(
    "千百年|成千上万|成百上千|千千万万|万无一失|千家万户|万家灯火|千辛万苦|千军万马|千丝万缕|千方百计"
    "|万众一心|百尺竿头|十之八九|百里挑一|九牛一毛|三令五申|三番五次|一五一十|七嘴八舌|四通八达|五花八门"
    "|七零八落|横七竖八|千头万绪|万紫千红|千篇一律|数以万计|数以千计|数以百计|数以亿计|三三两两|四面八方"
    "|五湖四海|七上八下|乱七八糟|九死一生|十全十美|百发百中|百战百胜|千钧一发|一干二净|三长两短|五颜六色"
    "|六神无主|八九不离十|十万火急|百闻不如一见|千里迢迢|万里长城|第一时间|万分(?!之)|十分(?!之)|十足|百姓|百货|百科"
    "|亿万|万物|万事|两岸|两会|两新|两委|三农|双十一|十字|九州|百度"
    r"|(?<![\d零一二两三四五六七八九十百千])万一|千万(?=[不别要])"
    r"|[一二三四五六七八九十\d]位一体|四处(?=[寻找奔走跑打张查看])"
)

_CN_PLAIN = "零一二两三四五六七八九十百千万亿"
_CN_NUM = _CN_PLAIN + _FIN_CHARS
# A financial numeral right before digits is a word's character (队伍53支: 伍 ends 队伍), never the figure's start.
_CORE = re.compile(
    rf"""
    (?:{_ARABIC}|[{_CN_PLAIN}]|[{_FIN_CHARS}](?![0-9０-９]))
    (?:
        {_ARABIC}
      | [{_CN_NUM}]
      | 点(?=[零一二三四五六七八九])
      | [余多几](?=[十百千万亿])
      | (?<=\d)\x20(?=[万亿])
    )*
    """,
    re.VERBOSE,
)
# Every figure starts from a digit, a numeral, 半 or 几/数 once folded; a text with none of them holds no figure.
_FIGURE_STARTS = {*_CN_NUM, "半"} | {chr(k) for k, v in _TRAD.items() if chr(v) in _CN_NUM + "半"}
_MAY_HOLD_FIGURE = re.compile(
    rf"\d|[{re.escape(''.join(sorted(_FIGURE_STARTS)))}]|[几数幾數]个?(?:分钟|小时|天|年|月|星期)"
)
_RANGE_SEP = re.compile(r"\s?(?:至|到|-|~)\s?")
_SLASH_FRACTION = re.compile(r"/(\d{1,2})(?![\d/])")
_SHARE_BEFORE = re.compile(r"(?:占|约|近|超过|超|达|为|是|的|逾)$")
_SHARE_AFTER = re.compile(r"以上|以下|左右|强|弱|多")
# "5 5 %", "99·5 9%": a rate whose digits a page layout spaced out (a middle dot for the decimal point)
_SPACED_PERCENT = re.compile(r"(?<![\d.·・])(\d(?: ?[·・.]? ?\d)+) ?%")
_FIN_DIGITS = set(_FIN_CHARS[:9])
_FIN_UNITS = set(_FIN_CHARS[9:])

# units after the number, longest first; unit → kind
_UNIT_KINDS: dict[str, str] = {}
for _kind, _units in {
    "area": "平方公里 平方千米 平方米 平米 公顷 亩",
    "length": "公里 千米 海里 厘米 毫米 米",
    "weight": "公斤 千克 吨 斤",
    "money": "元 美元 欧元 港元 块钱",
    "age": "周岁 岁",
    "duration": "个工作日 工作日 个小时 小时 分钟 秒钟 个月 个星期 星期 天 日 年",
    "multiple": "倍",
    "count": "人次 场次 户次 件次 架次 车次 批次 辆次 人 名 位 个 起 条 次 支 家 所 件 项 场 头 只 匹 部 台 辆"
    " 艘 座 处 间 户 批 类 种 份 张 本 册 套 期 届 轮 趟 篇 封 宗 笔 组 队 层 栋 幢 口 枚 株 棵 箱 袋 盒 瓶 面",
}.items():
    for _u in _units.split():
        _UNIT_KINDS.setdefault(_u, _kind)
_UNITS_BY_LENGTH = sorted(_UNIT_KINDS, key=len, reverse=True)
# a measure word that opens a word after a number is no measure word (锦旗4面 counts banners; 5面积, 3面向 do not;
# 证件管理二支队 names a detachment, 6支队伍 counts teams)
_NOT_A_UNIT_BEFORE = {"面": re.compile("[积向对临貌孔前上]"), "支": re.compile("队(?![伍员])")}

_LOWER = {"余", "多", "超过", "超出", "超", "逾", "以上", "不少于", "不低于", "至少", "有余"}
_UPPER = {"近", "将近", "接近", "不足", "不到", "以下", "以内", "不超过", "至多", "最多"}
_APPROX = {"约", "大约", "大概", "约为", "左右", "上下", "来"}
_EXACT = {"达", "高达", "多达", "达到"}
_SUFFIXES = ("以上", "以下", "以内", "左右", "有余", "之多")
# words written before the number; the rest of the qualifier sets are written after it (700余起, 4次以上)
_PREFIXES = sorted(
    (_LOWER | _UPPER | _APPROX | _EXACT) - {"余", "多", "来", "上下", *_SUFFIXES}, key=len, reverse=True
)
_CHANGE_UP = ("增长", "增加", "上升", "提升", "提高", "上涨", "升高", "增幅为", "增幅达", "增幅")
_CHANGE_DOWN = ("下降", "减少", "降低", "下滑", "回落", "下跌", "降幅为", "降幅达", "降幅")
_CHANGE = re.compile(
    "(" + "|".join(sorted(_CHANGE_UP + _CHANGE_DOWN, key=len, reverse=True)) + r")(?:了)?(?:分别(?:为)?)?$"
)
_COMPARISON = re.compile(
    r"同比|环比|(?:与|和|同|较|比)(?:去年|上年|上一年|前年|上月|上个月|上季度|上半年|上年度|前一年)(?:同期)?(?:相比|比较)?"
    r"|(?:与|和|较)同期(?:相比)?"
)
_SERVICE = re.compile(
    r"(?:建所|建站|建队|建院|成立|组建|从警|入警|从业|参加工作)(?:已|已经|至今|短短|仅|才)*$"
)
_HOTLINES = {"110", "119", "120", "122", "12110", "96110", "12345", "12315", "12348", "12389", "12337"}
_PLACE_AFTER = set("河山湖桥沟村乡镇街路江岛港湾峰岭坡渠寨营堡屯庄店铺坝洞里")
_PLACE_UNITS = {"家", "间", "座", "台", "道", "棵", "株", "口", "条", "层", "处", "户"}
_NAME_UNITS = {"户", "道", "条", "口", "间", "座", "棵", "株", "台", "层"}
_UNIT_HEADS = ("派出所", "边境派出所", "警务室", "警务站", "中队", "大队")
# 成 after a small number is a ratio (九成) unless it starts a word (成立, 成为, 成员 …)
_CHENG_WORD = re.compile(r"成(?:立|为|员|功|绩|本|果|效|熟|长|型|都|就|年|人|交|品|分|批|片|群|套|了|的|立)")


def _mask(s: str) -> list[bool]:
    """Characters that can never be part of a figure: URLs, phone numbers, short quotes, idioms."""
    masked = [False] * len(s)

    def cover(a: int, b: int) -> None:
        for i in range(a, b):
            masked[i] = True

    for rx in (_URL, _PHONE, _CODE, _IDIOMS):
        for m in rx.finditer(s):
            cover(m.start(), m.end())
    # quoted names and slogans (“4+N”, “三官一律一网格”, 《…》); speech in quotes keeps its figures
    i = 0
    while i < len(s):
        close = _QUOTE_PAIRS.get(s[i])
        if close:
            j = s.find(close, i + 1)
            inner = s[i + 1 : j]
            if j != -1 and (
                s[i] in "《〈" or (len(inner) <= _SHORT_QUOTE and not re.search("[，。！？；,!?;]", inner))
            ):
                cover(i, j + 1)
                i = j + 1
                continue
        i += 1
    return masked


def find_quantities(text: str) -> list[Quantity]:
    """All figures in `text`, in order, each classified by `kind` (filter with `Quantity.is_statistic`).

    Spans are found before parsing, so quoted slogans (“4+N”, “三官一律一网格”), idioms (万无一失), words
    like 一起/一线/统一, phone numbers and URLs never become figures.  A Chinese numeral that is not plainly a
    number (三联四防, 六十九团) needs a measure word, a percent word or a qualifier to count as one.
    """
    if not _MAY_HOLD_FIGURE.search(text):
        return []  # most sentences: folding and masking them found nothing to mask figures in
    s = _fold(text)
    masked = _mask(s)
    out: list[Quantity] = []
    taken = [False] * len(s)

    def free(a: int, b: int) -> bool:
        return not any(masked[a:b]) and not any(taken[a:b])

    def emit(q: Quantity) -> None:
        out.append(q)
        for i in range(q.start, q.end):
            taken[i] = True

    # clock times, numeric dates and 半小时 first, so their digits are not read as counts
    for m in _NUMERIC_DATE.finditer(s):
        if free(m.start(), m.end()):
            emit(_plain(text, m.start(), m.end(), "date"))
    for m in _TIME.finditer(s):
        if free(m.start(), m.end()):
            emit(_plain(text, m.start(), m.end(), "time"))
    for m in _HALF.finditer(s):  # 半小时, 一个半月
        whole = parse_number(m.group(1)) if m.group(1) else Decimal(0)
        if free(m.start(), m.end()) and whole is not None:
            v = whole + Decimal("0.5")
            unit = ("个" if m.group(1) or m.group(2) else "") + m.group(3)
            emit(Quantity(m.start(), m.end(), text[m.start() : m.end()], v, v, v, unit=unit, kind="duration"))

    for m in _FEW_DURATION.finditer(s):
        if free(m.start(), m.end()) and (m.group(3) or m.group(4) != "月"):  # 数月 reads as 数 + 月 (a month)
            unit = ("个" if m.group(3) else "") + m.group(4)
            few = "数" if m.group(2) == "数" else None
            emit(Quantity(m.start(), m.end(), text[m.start() : m.end()], None, Decimal(2), Decimal(9), True, few,
                          unit=unit, kind="duration"))

    for m in _SPACED_PERCENT.finditer(s):
        digits = m.group(1)
        if " " not in digits or not free(m.start(), m.end()):
            continue
        joined = re.sub(r"\s", "", digits).replace("·", ".").replace("・", ".")
        try:
            v = Decimal(joined)
        except InvalidOperation:
            continue
        if joined.count(".") <= 1 and v <= 100:
            written = text[m.start() : m.end()]
            emit(Quantity(m.start(), m.end(), written, v, v, v, unit="%", kind="percent", is_percent=True))

    pos = 0
    while m := _CORE.search(s, pos):
        pos = m.end()
        if not free(m.start(), m.end()):
            continue
        previous = max(out, key=lambda q: q.end) if out else None
        q = _Figure(text, s, m.start(), m.end(), masked, previous).read()
        if q is not None and free(q.start, q.end):
            pos = max(pos, q.end)
            emit(q)
    out.sort(key=lambda q: q.start)
    return out


def _plain(text: str, a: int, b: int, kind: str) -> Quantity:
    return Quantity(a, b, text[a:b], None, None, None, kind=kind)


def _scale(v: Decimal | None, f: Decimal) -> Decimal | None:
    return None if v is None else v * f


class _Figure:
    """Reads one figure around the number core s[a:b]; `read` returns None when it is not a figure."""

    def __init__(self, text: str, s: str, a: int, b: int, masked: list[bool], previous: Quantity | None):
        self.text, self.s, self.a, self.b, self.masked, self.previous = text, s, a, b, masked, previous
        self.core = s[a:b].replace(" ", "")  # 1.7 万: a typeset space before 万 is no break
        self.start, self.j = a, b  # the span grows both ways as words are recognised
        self.value: Decimal | None = None
        self.low: Decimal | None = None
        self.high: Decimal | None = None
        self.approx = False
        self.qualifier: str | None = None
        self.unit = ""
        self.kind = "number"
        self.is_percent = self.is_pp = False
        self.written_as_rate = False  # 百分之…, 千分之…
        self.change: str | None = None
        self.comparison: str | None = None

    # -- helpers
    def at(self, i: int) -> str:
        return self.s[i] if 0 <= i < len(self.s) else "\0"  # never "in" any character set

    def ahead(self, rx: str) -> re.Match[str] | None:
        return re.compile(rx).match(self.s, self.j)

    def scale(self, f: Decimal) -> None:
        self.value, self.low, self.high = _scale(self.value, f), _scale(self.low, f), _scale(self.high, f)

    def shift(self, d: Decimal) -> None:
        self.value, self.low, self.high = (
            None if v is None else v + d for v in (self.value, self.low, self.high)
        )

    def negate(self) -> None:
        self.scale(Decimal(-1))
        self.low, self.high = self.high, self.low

    # -- the reading steps, in order
    def read(self) -> Quantity | None:
        a, b, core = self.a, self.b, self.core
        if set(core) & (_FIN_DIGITS | _FIN_UNITS) and not (set(core) & _FIN_UNITS and len(core) >= 2):
            return None  # financial numerals are also ordinary characters: 队伍, 收拾, 陆续
        ascii_digits = any(c.isdigit() for c in core)
        if ascii_digits and (re.match(r"[A-Za-z_]", self.at(b)) or re.match(r"[A-Za-z_]", self.at(a - 1))):
            return None  # 5G, App2, content_127
        if {self.at(b), self.at(a - 1)} & set("+×*"):
            return None  # formulas and slogans: 1+4+N, 7×24小时
        if ascii_digits and len(core) == 2 and self.at(b) == "后":
            return None  # 80后, 95后: a generation
        if (date := self.date()) is not None:
            return date
        if self.at(a - 1) == "第":
            return self.ordinal()
        if not self.parse_core():
            return None
        self.vague_prefix()
        self.range_or_fraction()
        self.percent_or_unit()
        if not self.looks_like_a_figure():
            return None
        self.suffix_qualifier()
        self.prefix_qualifier()
        self.bounds()
        self.context()
        self.sign_and_change()
        return self.build()

    def date(self) -> Quantity | None:
        s, a, b, core = self.s, self.a, self.b, self.core
        yearish = (core.isdigit() and len(core) == 4 and 1900 <= int(core) <= 2100) or (
            len(core) == 4 and all(c in _DIGITS and c != "两" for c in core)
        )
        if re.match(r"年代|世纪", s[b:]):  # 90年代, 20世纪
            return _plain(self.text, a, b + 2, "date")
        if yearish and re.match(r"年(?!龄|纪|级|轻)|以来|以年来|至今", s[b:]):
            m = re.compile(
                r"年(?:度)?(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?"
                r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号])?)?(?:[底初末]|[上中下]旬)?"
            ).match(s, b)
            return _plain(self.text, a, m.end() if m else b, "date")
        if yearish and (m := re.compile(r"(?:至|到|-|~)(?:19|20)\d{2}年").match(s, b)):  # 2021-2023年
            return _plain(self.text, a, m.end(), "date")
        if (m := re.compile(r"(?:至|到|-|~)(?:\d{1,2}|[一二三四五六七八九十]{1,3})月").match(s, b)) and (
            (month := parse_number(core)) is not None and 1 <= month <= 12
        ):  # 1至3月
            return _plain(self.text, a, m.end(), "date")
        if yearish and re.search(r"(?:copyright|©|\(c\))\s*$", s[max(0, a - 12) : a], re.IGNORECASE):
            return _plain(self.text, a, b, "date")
        if s.startswith("月", b) and self.at(a - 1) not in ("个", "多") and len(core) <= 3:
            month = parse_number(core)
            if month is not None and 1 <= month <= 12 and month == int(month):
                m = re.compile(
                    r"月(?:份)?(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号])?(?:[底初末]|[上中下]旬)?"
                ).match(s, b)
                assert m is not None
                return _plain(self.text, a, m.end(), "date")
        if self.at(a - 1) == "月" and re.match(r"[日号]", s[b:]):
            return _plain(self.text, a, b + 1, "date")
        return None

    def ordinal(self) -> Quantity | None:
        v = parse_number(self.core)
        if v is None or v != int(v):
            return None
        unit = _match_unit(self.s, self.b)
        if _UNIT_KINDS.get(unit) not in ("count", None):
            unit = ""
        end = self.b + len(unit)
        return Quantity(self.a - 1, end, self.text[self.a - 1 : end], v, v, v, unit=unit, kind="ordinal")

    def parse_core(self) -> bool:
        core = self.core
        pair = re.fullmatch(r"([一两二三四五六七八九])([二三四五六七八九])", core)
        if pair and _DIGITS[pair.group(2)] == _DIGITS[pair.group(1)] + 1:  # 三四次, 两三人: 3–4, never 34
            self.low, self.high = Decimal(_DIGITS[pair.group(1)]), Decimal(_DIGITS[pair.group(2)])
            self.approx = True
            return True
        try:
            if "几" in core:  # 二十几万: the 几 digit is 1–9
                self.low, self.high = _parse_real(core, few=1), _parse_real(core, few=9)
                self.approx, self.qualifier = True, "几"
                return True
            self.value = self.low = self.high = Decimal(_BIG[core]) if core in _BIG else _parse_real(core)
        except (_Bad, InvalidOperation, ZeroDivisionError):
            # 二三十, 七八百: two neighbouring digits before a unit are a range
            m = re.fullmatch(r"([一二三四五六七八九])([二三四五六七八九])([十百千万亿]+)", core)
            if not m or _DIGITS[m.group(2)] != _DIGITS[m.group(1)] + 1:
                return False
            unit = _parse_real("一" + m.group(3))
            self.low, self.high = _DIGITS[m.group(1)] * unit, _DIGITS[m.group(2)] * unit
            self.approx = True
            return True
        if "余" in core or "多" in core:  # 十余万, 500余万
            self.high, self.qualifier = None, "余" if "余" in core else "多"
        return True

    @property
    def unit_only(self) -> bool:
        """百, 千万: a core without any digit, which needs 上/数/近/超 … or a measure word to be a figure.

        A leading 十 is a number on its own (十名, 十余起); bare 百/千/万 rarely are (百人调解团 is a name).
        """
        return not self.core.startswith("十") and not any(
            c.isdigit() or (c in _DIGITS and c != "零") for c in self.core
        )

    def vague_prefix(self) -> None:
        s, a = self.s, self.a
        before = self.at(a - 1)
        digitless = not any(c.isdigit() or (c in _DIGITS and c != "零") for c in self.core)
        if digitless and before in ("数", "几") and not self.masked[a - 1] and self.value is not None:
            # 数百 = [200, 900], 数百万 = [2e6, 9e6]
            self.low, self.high, self.value = self.value * 2, self.value * 9, None
            self.approx, self.qualifier, self.start = True, before, a - 1
        elif digitless and before == "上" and not self.masked[a - 1] and self.core[0] in "百千万亿":
            self.high, self.qualifier, self.start = None, "上", a - 1  # 上百家: at least 100
        if s.startswith("几", self.j) and self.core.endswith("十") and self.value is not None:
            self.low, self.high, self.value = self.value + 1, self.value + 9, None  # 十几 = [11, 19]
            self.approx, self.qualifier = True, "几"
            self.j += 1

    def range_or_fraction(self) -> None:
        s = self.s
        if self.value is None:
            return
        # 三分之一 → 33.3…%
        if s.startswith("分之", self.j) and (m := _CORE.match(s, self.j + 2)):
            try:
                num = _parse_real(m.group(0))
                pct = num / self.value * 100
            except (_Bad, InvalidOperation, ZeroDivisionError):
                return
            self.value = self.low = self.high = pct
            self.kind, self.unit, self.is_percent, self.j = "percent", "%", True, m.end()
            return
        # 约占1/3, 1/5以上: a written fraction, where a share word frames it (a bare 3/15 may be a day)
        slash = _SLASH_FRACTION.match(s, self.j)
        if slash and self.core.isdigit() and not any(self.masked[self.j : slash.end()]):
            num, den = Decimal(self.core), Decimal(slash.group(1))
            framed = _SHARE_BEFORE.search(s[max(0, self.start - 4) : self.start]) or _SHARE_AFTER.match(s, slash.end())
            if framed and 0 < num < den:
                self.value = self.low = self.high = num / den * 100
                self.kind, self.unit, self.is_percent, self.j = "percent", "%", True, slash.end()
                return
        # 5至10起, 5-20%
        sep = _RANGE_SEP.match(s, self.j)
        if sep and (m := _CORE.match(s, sep.end())) and not any(self.masked[sep.start() : m.end()]):
            if sep.group(0).strip() == "-" and (self.core.count("-") or not self.core[-1].isdigit()):
                return
            try:
                other = _parse_real(m.group(0))
            except (_Bad, InvalidOperation):
                return
            if other > self.value and not re.match(r"月|年|日|号|时|点", s[m.end() :]):
                self.low, self.high, self.value = self.value, other, None
                self.qualifier, self.j = sep.group(0).strip(), m.end()

    def percent_or_unit(self) -> None:
        s, a = self.s, self.a
        # 余/多/来 between the number and its unit: 700余起, 十来个
        if self.at(self.j) in ("余", "多", "来") and self.qualifier is None and self.value is not None:
            mark = self.at(self.j)
            if mark != "多" or _match_unit(s, self.j + 1) or self.at(self.j + 1) in "%‰":
                self.j += 1
                if mark == "来":
                    self.approx = True
                else:
                    self.high = None
                self.qualifier = mark
        pct_prefix = re.search(r"([百千万])分之$", s[max(0, a - 3) : a])
        if pct_prefix and not self.masked[a - 3]:
            self.start, self.written_as_rate = a - 3, True
            self.scale({"百": Decimal(1), "千": Decimal("0.1"), "万": Decimal("0.01")}[pct_prefix.group(1)])
            self.kind, self.unit, self.is_percent = "percent", "%", True
            return
        if self.kind == "percent":  # a fraction, already read
            return
        if m := self.ahead(r"\s?([%‰])"):
            if m.group(1) == "‰":
                self.scale(Decimal("0.1"))
            self.j = m.end()
            self.kind, self.unit, self.is_percent = "percent", "%", True
            return
        if m := self.ahead(r"\s?个?百分点"):
            self.j = m.end()
            self.kind, self.unit, self.is_pp = "percentage_point", "百分点", True
            return
        if self.core == "一" and self.at(self.j) == "半":  # 一半 = 50%
            self.value = self.low = self.high = Decimal(50)
            self.j += 1
            self.kind, self.unit, self.is_percent = "percent", "%", True
            return
        if (
            self.at(self.j) == "成"
            and not self.unit_only
            and self.value is not None
            and 0 < self.value <= 10
            and not _CHENG_WORD.match(s, self.j)
        ):
            self.j += 1
            extra = Decimal(0)
            if self.at(self.j) in "一二三四五六七八九" and not _match_unit(s, self.j + 1):
                extra, self.j = Decimal(_DIGITS[self.at(self.j)]), self.j + 1
            elif self.at(self.j) == "半":
                extra, self.j = Decimal(5), self.j + 1
            self.scale(Decimal(10))
            self.shift(extra)
            self.kind, self.unit, self.is_percent = "percent", "%", True
            return
        unit = _match_unit(s, self.j)
        if not unit:
            return
        self.j += len(unit)
        self.unit, self.kind = unit, _UNIT_KINDS[unit]
        if unit == "个" and (m := self.ahead(r"([多半]?)(月|小时|星期)")):  # 1个多月, 一个半小时
            if m.group(1) == "多" and self.qualifier is None:
                self.high, self.qualifier = None, "多"
            elif m.group(1) == "半":
                self.shift(Decimal("0.5"))
            self.unit, self.kind, self.j = "个" + m.group(2), "duration", m.end()

    def looks_like_a_figure(self) -> bool:
        """Chinese numerals double as words (一起, 三联四防, 六十九团, 千万): demand evidence of a figure."""
        if self.core in _HOTLINES and not (self.unit or self.is_percent or self.is_pp):
            return False  # 拨打110报警, 12345热线
        if any(c.isdigit() for c in self.core) or self.written_as_rate:
            return True
        if self.core == "一" and not self.is_percent and self.unit != "倍" and not self.qualified_duration():
            return False  # 一起, 一线, 一名民警: the article "a", never a statistic
        qualified = self.qualifier is not None or self.has_prefix_qualifier()
        if len(self.core) == 1 and self.unit in _PLACE_UNITS and self.at(self.j) in _PLACE_AFTER:
            return False  # 三家村, 五家渠: a digit, a measure word and a place word make a place name
        if len(self.core) == 1 and self.unit in _NAME_UNITS and self.s.startswith(_UNIT_HEADS, self.j):
            return False  # 九户派出所: a place name before a unit's head (两家派出所 still counts two)
        if self.unit or self.is_percent or self.is_pp:
            return not self.unit_only or qualified or len(self.core) >= 2
        if qualified:
            return True
        return len(self.core) >= 2 and bool(set(self.core) & set("万亿")) and not self.unit_only

    def qualified_duration(self) -> bool:
        """一个多小时, 不到一天, 近一天: one of a time unit with a bound is a length; 有一天, 一天下午 are not."""
        return self.kind == "duration" and (self.qualifier is not None or self.has_prefix_qualifier())

    def has_prefix_qualifier(self) -> bool:
        head = self.s[max(0, self.start - 4) : self.start].rstrip("有")
        return any(head.endswith(p) for p in _PREFIXES if p not in _EXACT)

    def suffix_qualifier(self) -> None:
        for suf in _SUFFIXES:
            if self.s.startswith(suf, self.j):
                if suf != "之多" and self.qualifier in (None, "余", "多"):
                    self.qualifier = suf
                self.j += len(suf)
                return

    def prefix_qualifier(self) -> None:
        s = self.s
        for k in (self.start, self.start - 1):  # 将近有1000名: 有 may sit between
            if k < self.start and self.at(k) != "有":
                continue
            for p in _PREFIXES:
                pa = k - len(p)
                if pa < 0 or s[pa:k] != p or any(self.masked[pa:k]):
                    continue
                if p == "近" and self.at(pa - 1) in "最附接将临靠":
                    continue
                if p == "近" and self.kind == "duration":
                    return  # 近两年(来): "the past two years", a period, not "nearly two years"
                self.start = pa
                if self.qualifier in (None, "余", "多", *_SUFFIXES) and not (p in _EXACT and self.qualifier):
                    self.qualifier = p
                return

    def bounds(self) -> None:
        q = self.qualifier
        if self.value is None or q is None:
            return
        if q in _LOWER or q.startswith("上"):
            self.low, self.high = self.value, None
        elif q in _UPPER:
            self.low, self.high = None, self.value
        elif q in _APPROX:
            self.low = self.high = self.value
            self.approx = True

    def context(self) -> None:
        before = self.s[max(0, self.start - 12) : self.start]
        if self.kind == "duration" and self.unit == "年" and _SERVICE.search(before):
            self.kind = "service_years"  # 建所73年: how long the station has existed, not a statistic
        elif self.kind == "count" and self.unit == "期" and before.endswith("年"):
            self.kind = "ordinal"  # 2022年11期: an issue number
        elif self.at(self.j) == "版" and re.search(r"(?:当前版|版次|版面)[:：]?\s*$|第\s*$", before):
            self.kind = "ordinal"  # 当前版：02版, 第3版: a page of the paper
        elif self.unit == "届" or (self.at(self.j) == "号" and _STREET_END.search(before)):
            self.kind = "ordinal"  # 党的二十届, 昭化东路102号: a term and a house number
        elif _TIME_OF_DAY.search(before) and (self.unit in ("时", "点") or self.at(self.j) in "时点"):
            self.kind = "time"  # 深夜11时, 凌晨3点

    def sign_and_change(self) -> None:
        s = self.s
        if self.at(self.start - 1) == "负" and not self.masked[self.start - 1]:
            self.start -= 1
            self.negate()
        self.change = self.comparison = None
        if self.kind not in ("percent", "percentage_point", "count", "number", "money", "multiple"):
            return
        clause = s[: self.start]
        clause = clause[max(clause.rfind(c) for c in "，。；！？,;!?\n") + 1 :]
        if m := _CHANGE.search(clause):
            self.change = m.group(1)
            cmp = _COMPARISON.search(clause[: m.start()])
            self.comparison = cmp.group(0) if cmp else None
        elif (
            self.at(self.start - 1) == "、"
            and self.previous is not None
            and self.previous.change
            and self.previous.end == self.start - 1
            and self.previous.unit == self.unit
        ):  # 分别下降15.8%、11.3%
            self.change, self.comparison = self.previous.change, self.previous.comparison
        if self.change:
            self.change = self.change.removesuffix("为").removesuffix("达")
            if self.change in _CHANGE_DOWN or self.change in ("降幅",):
                self.negate()
            self.kind = "change"

    def build(self) -> Quantity:
        norm = [None if v is None else _normal(v) for v in (self.value, self.low, self.high)]
        return Quantity(
            start=self.start,
            end=self.j,
            text=self.text[self.start : self.j],
            value=norm[0],
            low=norm[1],
            high=norm[2],
            approx=self.approx,
            qualifier=self.qualifier,
            unit=self.unit,
            kind=self.kind,
            is_percent=self.is_percent,
            is_percentage_point=self.is_pp,
            change=self.change,
            comparison=self.comparison,
        )


def _match_unit(s: str, pos: int) -> str:
    for u in _UNITS_BY_LENGTH:
        if s.startswith(u, pos):
            if (guard := _NOT_A_UNIT_BEFORE.get(u)) and guard.match(s, pos + len(u)):
                return ""
            return u
    return ""
