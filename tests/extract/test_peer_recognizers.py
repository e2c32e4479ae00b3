"""Microsoft Recognizers-Text Chinese number/percent specs, run against `parse_number`.

Inclusion is mechanical: a case is run when its whole Input is one expression, i.e. Results has exactly one
entry and that entry's Text equals the stripped Input.  Both sides are compared after NFKC + casefold,
because the spec writes Text width-normalised ('２．２' → '2.2', '-2.5 M' → '-2.5 m'); a raw string compare
would silently drop exactly the full-width cases the parser must handle.  Cases whose NotSupported names
python are excluded (the spec's own statement that its Python port does not handle them).

Excluded case families are listed below as data, each with its reason, and counted; the included cases must
pass at 95% or better.  Values compare numerically: '50%' compares as 50 (parse_number returns percent units).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.extract.quantities import parse_number

SPECS = Path("/work/shared/peer-specs/recognizers-text")
FILES = ("Number_Chinese_NumberModel.json", "Number_Chinese_PercentModel.json")
MIN_PASS_RATE = 0.95


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip().casefold()


# (family, reason, predicate on the case) — the first matching family excludes a case
EXCLUDED_FAMILIES: list[tuple[str, str, Callable[[dict[str, Any]], bool]]] = [
    (
        "no-result",
        "negative cases (Results empty: 一切, 四川, 万, 两两 …); no value to compare — they are checked "
        "separately below (parse_number must reject the short ones)",
        lambda c: not c["Results"],
    ),
    (
        "several-results",
        "the Input is a sentence or list holding several numbers ('二百五, 二百五, 还有二百五。'); "
        "span finding "
        "in free text is find_quantities' job, tested with its own rules in tests/extract/test_quantities.py",
        lambda c: len(c["Results"]) > 1,
    ),
    (
        "partial-text",
        "the one Result covers only part of the Input ('199个', '四百多', '十打苹果', '上升了百分之2.2'), so "
        "the Input is not a single expression",
        lambda c: _norm(c["Results"][0]["Text"]) != _norm(c["Input"]),
    ),
    (
        "not-supported-python",
        "the spec marks the case NotSupported for python",
        lambda c: "python" in c.get("NotSupported", "").lower(),
    ),
]


def _load() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for name in FILES:
        with (SPECS / name).open(encoding="utf-8-sig") as f:  # the files may start with a BOM
            cases += [(name, case) for case in json.load(f)]
    return cases


def _expected(case: dict[str, Any]) -> Decimal:
    return Decimal(re.sub(r"%$", "", case["Results"][0]["Resolution"]["value"]))


def _close(got: Decimal | None, want: Decimal) -> bool:
    return got is not None and abs(got - want) <= max(Decimal("1e-9"), abs(want) * Decimal("1e-12"))


def test_recognizers_text_number_and_percent() -> None:
    excluded: Counter[str] = Counter()
    included: list[tuple[str, dict[str, Any]]] = []
    for name, case in _load():
        family = next((fam for fam, _, pred in EXCLUDED_FAMILIES if pred(case)), None)
        if family:
            excluded[family] += 1
        else:
            included.append((name, case))
    # for information: how the NotSupported-for-python single expressions fare anyway
    for name, case in _load():
        if "python" in case.get("NotSupported", "").lower() and len(case["Results"]) == 1:
            got = parse_number(case["Input"])
            print(f"(not-supported-python) {name}: {case['Input']!r} → {got}, spec {_expected(case)}")
    failures = []
    for name, case in included:
        got, want = parse_number(case["Input"]), _expected(case)
        if not _close(got, want):
            failures.append(f"{name}: {case['Input']!r} expected {want} got {got}")
    rate = 1 - len(failures) / len(included)
    report = [f"included {len(included)}, passed {len(included) - len(failures)}, pass rate {rate:.1%}"]
    report += [f"excluded {fam}: {excluded[fam]} — {why}" for fam, why, _ in EXCLUDED_FAMILIES]
    report += failures
    print("\n".join(report))
    assert len(included) >= 300, report[0]
    assert rate >= MIN_PASS_RATE, "\n".join(report)


def test_single_expression_cases_without_results_are_rejected() -> None:
    """The spec's 'no number here' single-word inputs (万, 两两, 一切 …) must not parse either."""
    rejected = [
        case["Input"]
        for _, case in _load()
        if not case["Results"]
        and len(case["Input"].strip()) <= 4
        and "python" not in case.get("NotSupported", "")
    ]
    assert rejected  # 万, 万万, 一切, 一看 …
    assert [s for s in rejected if parse_number(s) is not None] == []
