"""The extraction stage: stations (with places and honours), practices, slogans and statistics of one article.

Every extracted item carries its sentence and its character spans in both the simplified text and the clean
original-script text, so a researcher can always see the exact words a figure came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.labeller import PracticeLabel, label_practices
from pipelines.extract.confidence import station_confidence, statistic_confidence
from pipelines.extract.places import Place, names_a_place, resolve_place, sentence_start
from pipelines.extract.practices import PracticeMention, find_practices
from pipelines.extract.stations import Station, StationReport, find_stations
from pipelines.extract.statistics import find_statistics
from pipelines.extract.version import extractor_version
from pipelines.text.articles import SegmentedArticle
from pipelines.text.simplify import convert

UNATTRIBUTED = None


@dataclass(frozen=True)
class Span:
    """A span in the simplified text and the matching span in the clean original-script text."""

    start: int
    end: int
    original_start: int
    original_end: int


@dataclass(frozen=True)
class StationRecord:
    name: str
    kind: str
    aliases: tuple[str, ...]
    province: str | None
    city: str | None
    county: str | None
    honours: tuple[dict[str, Any], ...]
    first_mention: Span | None
    confidence: float | None = None  # pipelines.extract.confidence: how sure the name is a unit


@dataclass(frozen=True)
class PracticeRecord:
    name: str
    normalized: str
    category: str
    kind: str  # practice | slogan
    station: str | None
    sentence: str
    span: Span
    sentence_span: Span
    model_version: str | None = None  # the category artifact that labelled it (models/labeller.py)
    confidence: float | None = None  # that model's probability of `category`


@dataclass(frozen=True)
class StatisticRecord:
    metric: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    unit: str
    qualifier: str | None
    approx: bool
    change: str | None
    comparison: str | None
    period: str | None
    period_start: str | None
    period_end: str | None
    subject: str
    station: str | None
    text: str
    sentence: str
    span: Span
    sentence_span: Span
    confidence: float | None = None  # pipelines.extract.confidence: how sure metric, station and period are


@dataclass(frozen=True)
class ArticleExtraction:
    article_id: str
    stations: tuple[StationRecord, ...]
    practices: tuple[PracticeRecord, ...]
    statistics: tuple[StatisticRecord, ...]
    extractor_version: str | None = None  # pipelines.extract.version: which extractor found these

    @property
    def slogans(self) -> tuple[PracticeRecord, ...]:
        return tuple(p for p in self.practices if p.kind == "slogan")


def _span(article: SegmentedArticle, start: int, end: int) -> Span:
    o_start, o_end = article.article.simplified.original_span(start, end)
    return Span(start, end, o_start, o_end)


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def extract_article(article: SegmentedArticle) -> ArticleExtraction:
    return extract_articles([article])[0]


def extract_articles(articles: Sequence[SegmentedArticle]) -> list[ArticleExtraction]:
    """Stations, places, practices and statistics of each article; the practices of all of them are labelled in
    one model call, since scikit-learn's per-call overhead is most of a small call's time."""
    drafts = [_draft(article) for article in articles]
    items = [
        (m.normalized, draft.text[m.sentence_start : m.sentence_end], m.category)
        for draft in drafts
        for m in draft.mentions
        if m.kind == "practice"
    ]
    tokens = {s.text: s.tokens for article in articles for s in article.sentences}
    segmented = {sentence: tokens[sentence].split() for _, sentence, _ in items if sentence in tokens}
    labels = iter(label_practices(items, segmented))
    return [_finish(draft, labels) for draft in drafts]


@dataclass
class _Draft:
    """An article's extraction before its practices are labelled."""

    article: SegmentedArticle
    text: str
    report: StationReport
    stations: list[StationRecord]
    mentions: list[PracticeMention]
    statistics: list[StatisticRecord]


_POSTS = frozenset({"警务室", "警务站", "警务工作站"})


def _unit_places(report: StationReport, text: str) -> dict[str, Place]:
    """Each unit's place. A post named after a landmark (景迈山警务室) is where the station that the sentence
    naming it is about is (惠民派出所…设立了景迈山警务室): the text's other places are no better guide."""
    places = {station.name: resolve_place(station.name, text) for station in report.stations}
    for post in report.stations:
        if post.kind not in _POSTS or not post.mentions or names_a_place(post.name):
            continue
        at = post.mentions[0][0]
        begins = sentence_start(text, at)
        parents = [
            (start, other.name)
            for other in report.stations
            if other.kind.endswith("派出所")
            for start, _end in other.mentions
            if begins <= start < at
        ]
        if parents:
            places[post.name] = places[max(parents)[1]]
    return places


def _caption_units(article: SegmentedArticle, text: str) -> list[StationRecord]:
    """Units named only in a photo caption (图：天坛派出所) or as the report's source (信息来源:深圳市公安局), which
    cleaning sets apart from the body: they are in the report too, with no mention in the body text and the
    confidence of a single mention."""
    publisher = article.article.meta.publisher or ""
    lines = [*article.article.clean.captions, publisher]  # 信息来源:深圳市公安局: a bureau named only as the source
    captions = [c for c in lines if "所" in c or "局" in c or "队" in c or "室" in c]
    if not captions:
        return []
    # read with the body, so that a unit written two ways (多玛乡边境派出所 / 多玛边境派出所) is merged as in the body
    body_end = len(text)
    combined = find_stations(text + "\n" + "\n".join(convert(c) for c in captions))
    return [
        _station_record(station, resolve_place(station.name, text), None, mentions=1)
        for station in combined.stations
        if station.mentions and all(start >= body_end for start, _end in station.mentions)
    ]


def _station_record(station: Station, place: Place, first_mention: Span | None, mentions: int) -> StationRecord:
    return StationRecord(
        name=station.name,
        kind=station.kind,
        aliases=tuple(station.aliases),
        province=place.province,
        city=place.city,
        county=place.county,
        honours=tuple({"text": h.text, "batch": h.batch, "year": h.year, "level": h.level} for h in station.honours),
        first_mention=first_mention,
        confidence=station_confidence(station.name, mentions, place.province is not None, bool(station.honours)),
    )


def _draft(article: SegmentedArticle) -> _Draft:
    text = article.article.simplified.simplified
    meta = article.article.meta
    sentence_spans = [(s.start, s.end) for s in article.sentences]
    # Unrecovered mojibake is flagged in clean-text offsets; figures must never come from it.
    to_original = article.article.simplified
    skip = [to_original.simplified_span(s, e) for s, e in article.article.clean.repairs.unrecoverable_spans]

    report = find_stations(text, meta.title)
    places = _unit_places(report, text)
    stations = [
        _station_record(
            station,
            places[station.name],
            _span(article, *station.mentions[0]) if station.mentions else None,
            mentions=len(station.mentions),
        )
        for station in report.stations
    ]
    stations.extend(_caption_units(article, text))

    statistics = []
    for stat in find_statistics(text, sentence_spans, meta.published, skip):
        period = stat.period
        station, attribution = report.attribution(stat.sentence_start, stat.sentence_end)
        statistics.append(
            StatisticRecord(
                metric=stat.metric,
                value=stat.value,
                low=stat.low,
                high=stat.high,
                unit=stat.unit,
                qualifier=stat.qualifier,
                approx=stat.approx,
                change=stat.change,
                comparison=stat.comparison,
                period=period.text if period else None,
                period_start=period.start.isoformat() if period and period.start else None,
                period_end=period.end.isoformat() if period and period.end else None,
                subject=stat.subject,
                station=station,
                text=stat.text,
                sentence=text[stat.sentence_start : stat.sentence_end],
                span=_span(article, stat.start, stat.end),
                sentence_span=_span(article, stat.sentence_start, stat.sentence_end),
                confidence=statistic_confidence(
                    stat.metric, stat.unit, stat.subject, attribution if station else "none", stat.approx,
                    period.text if period else None, bool(period and (period.start or period.end)),
                ),
            )
        )
    return _Draft(article, text, report, stations, find_practices(text, sentence_spans), statistics)


def _finish(draft: _Draft, labels: Iterator[PracticeLabel]) -> ArticleExtraction:
    """The draft's practices with their labels, taken in order from the batch's one model call."""
    article, text = draft.article, draft.text
    practices = []
    for mention in draft.mentions:
        label = next(labels) if mention.kind == "practice" else None
        practices.append(
            PracticeRecord(
                name=mention.name,
                normalized=mention.normalized,
                category=label.category if label else mention.category,
                kind=mention.kind,
                station=draft.report.station_at(mention.sentence_start, mention.sentence_end),
                sentence=text[mention.sentence_start : mention.sentence_end],
                span=_span(article, mention.start, mention.end),
                sentence_span=_span(article, mention.sentence_start, mention.sentence_end),
                model_version=label.model_version if label else None,
                confidence=label.confidence if label else None,
            )
        )
    return ArticleExtraction(
        article.id, tuple(draft.stations), tuple(practices), tuple(draft.statistics), extractor_version()
    )


def extraction_json(article: SegmentedArticle, extraction: ArticleExtraction) -> dict[str, Any]:
    """The `fqa extract --json` shape: article, stations, practices, slogans, statistics."""
    meta = article.article.meta
    return {
        "article": {
            "id": article.id,
            "title": meta.title,
            "date": meta.published.isoformat() if meta.published else None,
            "source": meta.publisher,
            "author": meta.author,
            "url": meta.url,
            "script": article.article.simplified.script,
        },
        "stations": [
            {"name": s.name, "kind": s.kind, "aliases": list(s.aliases), "province": s.province, "city": s.city,
             "county": s.county, "honours": list(s.honours), "confidence": s.confidence}
            for s in extraction.stations
        ],
        "practices": [
            {"name": p.name, "normalized": p.normalized, "category": p.category, "station": p.station,
             "sentence": p.sentence}
            for p in extraction.practices
            if p.kind == "practice"
        ],
        "slogans": [{"text": p.name, "station": p.station} for p in extraction.slogans],
        "statistics": [
            {"metric": s.metric, "value": _number(s.value), "low": _number(s.low), "high": _number(s.high),
             "unit": s.unit, "qualifier": s.qualifier, "period": s.period, "period_start": s.period_start,
             "period_end": s.period_end, "subject": s.subject, "station": s.station, "text": s.text,
             "sentence": s.sentence, "span": [s.span.start, s.span.end],
             "original_span": [s.span.original_start, s.span.original_end], "confidence": s.confidence}
            for s in extraction.statistics
        ],
    }
