"""The period resolver against a peer's cases: Microsoft Recognizers-Text's Chinese date and date-period parser specs
(`../shared/peer-specs/recognizers-text/`). Each case gives a text, a reference date and the dates it resolves to;
ours is resolved against the reference date as if it were the report's.

In scope are the forms reports use for the period a figure covers: years (four-digit, two-digit, Chinese
numerals), months, days, quarters, halves, written ranges, spans counted back from the report (近三年, 过去十年,
上2个月) and vague forms the peer leaves unresolved. Excluded families, each with its reason, are in `EXCLUDED`.

How the peer's dates map onto ours. The peer writes a period's end as the first day after it (2018年10月 →
2018-10-01..2018-11-01); ours is the last day inside it (…2018-10-31). So:
- a single calendar unit (timex `2018`, `2018-10`) and a quarter or decade range: our end is the peer's end minus
  a day;
- a span counted back from the reference (`近三年` → (2014-03-22, 2017-03-22, P3Y)): both end on the reference
  day itself (the annotation table: 近三年 → D minus 3 years .. D);
- a written range `A到B`: the peer's end is where B starts; ours is where B ends, i.e. B itself for days
  (从一月十日到十二日 → …01-12) and 31 December of B for years (2009年到2010年 → …2010-12-31, as the
  annotation table's 2019年至2023年 → 2023-12-31); `…之前` ends the day before B;
- a date (DateParser) is a one-day period; the peer's `0001-01-01` (no such day: 2月30日) is our empty period;
- the peer's PastResolution is used where both Past and Future exist (reports describe the past), and a case the
  peer leaves unresolved (今年夏天) must come out empty.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from pipelines.extract.periods import resolve_period
from tests.conftest import SHARED

PEER = SHARED / "peer-specs" / "recognizers-text"
FILES = ("DateTime_Chinese_DatePeriodParser.json", "DateTime_Chinese_DateParser.json")

# (family, pattern on the peer's text, why reports give no reason to read it)
EXCLUDED: tuple[tuple[str, str, str], ...] = (
    ("weeks and weekdays", r"周|週|星期|礼拜|禮拜", "reports count figures by years, months and quarters, never weeks"),
    (
        "future-only forms",
        r"明年|下个|下下|明天|大后天|后天|後天|未来|^后\d",
        "reports describe what has been done; 下个月, 明年, 未来两天 never date a figure",
    ),
    (
        "lunar calendar and festival days",
        r"农历|正月|初[一二三四五六七八九十]|大年|除夕",
        "reports' festivals are spans (春节期间), annotated null as vague",
    ),
    (
        "reign eras, centuries and decades",
        r"世纪|年代|康熙|雍正|民国|神龙",
        "background in reports, never a figure's period (上世纪末以来 is annotated null)",
    ),
    (
        "numeric dates",
        r"^\d{1,4}[-/.\s]\d{1,2}[-/.\s]\d{1,4}|^\d{1,2}/\d{1,2}$",
        "2010-01-29, 13.5.2015, 12/1: publication lines (read by pipelines/text/metadata.py), never a period",
    ),
    (
        "a day without its month",
        r"^\d{1,2}[日号]$|本月",
        "29日, 12号, 本月十日 date an anecdote's event in reports, not what a figure counts",
    ),
    ("three-digit years", r"^\d{3}年|^三六七年", "reports write years with four digits (or two: 23年)"),
    ("a bare number", r"^\d{4}$", "a bare 2018 is a count as often as a year; reports write a year with 年"),
    ("recently", r"^最近$", "vague: the annotation leaves 最近 null, the peer reads it as the reference day"),
)


def _cases() -> list[tuple[str, str, dt.date, tuple[dt.date | None, dt.date | None]]]:
    """(file, text, reference date, expected start and end in our convention) for every case in scope."""
    cases = []
    for name in FILES:
        for case in json.loads((PEER / name).read_text(encoding="utf-8-sig")):
            result = case["Results"][0]
            text = result["Text"]
            if _excluded(text):
                continue
            reference = dt.date.fromisoformat(case["Context"]["ReferenceDateTime"][:10])
            cases.append((name, text, reference, _expected(text, result["Value"], reference)))
    return cases


def _excluded(text: str) -> str | None:
    return next((family for family, pattern, _ in EXCLUDED if re.search(pattern, text)), None)


def _date(value: str | None) -> dt.date | None:
    return None if value in (None, "0001-01-01") else dt.date.fromisoformat(value)


def _expected(text: str, value: dict[str, Any], reference: dt.date) -> tuple[dt.date | None, dt.date | None]:
    resolution = value.get("PastResolution") or value.get("FutureResolution") or {}
    if "date" in resolution:
        day = _date(resolution["date"])
        return day, day
    start, end = _date(resolution.get("startDate")), _date(resolution.get("endDate"))
    if start is None or end is None:
        return None, None
    timex = value.get("Timex", "")
    if not timex.startswith("("):
        return start, end - dt.timedelta(days=1)  # one calendar unit
    duration = timex.rstrip(")").split(",")[-1]
    if end == reference:
        return start, end  # counted back from the reference
    if "之前" in text:
        return start, end - dt.timedelta(days=1)
    if duration.endswith("D"):
        return start, end  # 从一月十日到十二日: B is the last day
    if duration.endswith("Y") and re.search(r"[到至与\-—]", text):
        return start, dt.date(end.year, 12, 31)  # 2009年到2010年: through 2010
    return start, end - dt.timedelta(days=1)  # 今年第一季度, 上世纪90年代: the peer's end is exclusive


CASES = _cases()


def test_every_exclusion_has_a_reason_and_a_case() -> None:
    texts = [
        case["Results"][0]["Text"]
        for name in FILES
        for case in json.loads((PEER / name).read_text(encoding="utf-8-sig"))
    ]
    for family, pattern, why in EXCLUDED:
        assert why and any(re.search(pattern, text) for text in texts), family


def test_peer_date_and_period_cases() -> None:
    passed, failures = 0, []
    for name, text, reference, expected in CASES:
        period = resolve_period(text, reference)
        if (period.start, period.end) == expected:
            passed += 1
        else:
            failures.append(f"{name}: {text} @ {reference}: {period.start}..{period.end}, peer {expected}")
    rate = passed / len(CASES)
    print(f"peer date/period cases in scope: {passed}/{len(CASES)} ({rate:.3f})")
    print("\n".join(failures))
    assert len(CASES) >= 50
    assert rate >= 0.90, "\n".join(failures)


@pytest.mark.parametrize(
    ("text", "reference", "start", "end"),
    [
        ("去年5月", dt.date(2017, 3, 22), dt.date(2016, 5, 1), dt.date(2016, 5, 31)),
        ("近三年", dt.date(2017, 3, 22), dt.date(2014, 3, 22), dt.date(2017, 3, 22)),
        ("从二零一六年至二零一八年", dt.date(2017, 3, 22), dt.date(2016, 1, 1), dt.date(2018, 12, 31)),
        ("从15年一月十日到十二日", dt.date(2017, 3, 22), dt.date(2015, 1, 10), dt.date(2015, 1, 12)),
        ("三月二十八日到四月15日", dt.date(2017, 3, 22), dt.date(2016, 3, 28), dt.date(2016, 4, 15)),
        ("两千零四年八月十五", dt.date(2017, 3, 22), dt.date(2004, 8, 15), dt.date(2004, 8, 15)),
        ("2019年2月29日", dt.date(2020, 3, 22), None, None),
        ("2月29日", dt.date(2019, 3, 22), dt.date(2016, 2, 29), dt.date(2016, 2, 29)),
    ],
)
def test_peer_forms_one_by_one(text: str, reference: dt.date, start: dt.date | None, end: dt.date | None) -> None:
    period = resolve_period(text, reference)
    assert (period.start, period.end) == (start, end)
