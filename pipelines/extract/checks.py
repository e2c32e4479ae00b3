"""Sanity checks on extractions, run as Dagster asset checks and usable from tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.extract.article import ArticleExtraction
from pipelines.text.articles import SegmentedArticle

RATE_UNITS = ("%",)
COUNT_KINDS_UNSIGNED = ("change",)


@dataclass
class CheckOutcome:
    passed: bool
    problems: list[str] = field(default_factory=list)


def spans_match_text(pairs: Sequence[tuple[SegmentedArticle, ArticleExtraction]]) -> CheckOutcome:
    """Every figure and practice span points at the text it claims, in both scripts."""
    problems = []
    for article, extraction in pairs:
        simplified = article.article.simplified.simplified
        original = article.article.simplified.original
        for s in extraction.statistics:
            if simplified[s.span.start : s.span.end] != s.text:
                problems.append(f"{article.id[:12]} statistic {s.text!r} at {s.span.start}")
            if simplified[s.sentence_span.start : s.sentence_span.end] != s.sentence:
                problems.append(f"{article.id[:12]} sentence of {s.text!r}")
            if not original[s.span.original_start : s.span.original_end]:
                problems.append(f"{article.id[:12]} statistic {s.text!r} has no original-script span")
        for p in extraction.practices:
            written = simplified[p.span.start : p.span.end]
            if p.name not in written and written not in p.name:
                problems.append(f"{article.id[:12]} practice {p.name!r} at {p.span.start}")
    return CheckOutcome(not problems, problems)


def rates_in_range(extractions: Sequence[ArticleExtraction]) -> CheckOutcome:
    """Rates are percentages of something: 0–100 (changes may be negative but not below −100)."""
    problems = []
    for extraction in extractions:
        for s in extraction.statistics:
            if s.unit != "%" or s.value is None:
                continue
            low_limit = -100 if s.change else 0
            if not low_limit <= s.value <= 100:
                problems.append(f"{extraction.article_id[:12]} {s.metric} {s.text!r} = {s.value}")
    return CheckOutcome(not problems, problems)


def counts_non_negative(extractions: Sequence[ArticleExtraction]) -> CheckOutcome:
    problems = [
        f"{e.article_id[:12]} {s.metric} {s.text!r} = {s.value}"
        for e in extractions
        for s in e.statistics
        if s.unit != "%" and not s.change and any(v is not None and v < 0 for v in (s.value, s.low, s.high))
    ]
    return CheckOutcome(not problems, problems)


def statistics_attributed(extractions: Sequence[ArticleExtraction]) -> CheckOutcome:
    """Every statistic has a station; those that do not are listed (a WARN, not a failure of the data)."""
    problems = [
        f"{e.article_id[:12]} {s.metric} {s.text!r}: {s.sentence[:40]}"
        for e in extractions
        for s in e.statistics
        if not s.station
    ]
    return CheckOutcome(not problems, problems)
