"""Assembling a trainers' casebook: stations, practice cards, figures and a glossary.

The warehouse is read through `warehouse.evidence` only.

Every statement the casebook makes is a `Claim` tied to the sentence it came from (`Source`: sentence, article
title, publisher, date, URL), so each renderer can footnote it. Reprints follow the warehouse convention: only
the original of a reprint cluster is used as evidence, and the other copies are credited as "also published by".

The card sections (mechanism, actors, resources, outcomes) are not columns in the warehouse: they are read off
the sentences around each practice mention here, with small keyword lists, because the archive's query layer
only keeps the one describing sentence per mention.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import Engine

from pipelines.extract.confidence import is_confident
from pipelines.text.simplify import convert
from warehouse.evidence import Evidence
from warehouse.schema import Practice, PracticeMention, Sentence, Station, Statistic
from warehouse.wording import count

# Sentences after a practice mention that may still describe how it works (stopped early by another practice).
MECHANISM_WINDOW = 3
# Sentences after a practice mention whose figures count as that practice's outcomes.
OUTCOME_WINDOW = 4

_MECHANISM_CUES = (
    "通过",
    "依托",
    "建立",
    "实行",
    "推行",
    "采取",
    "形成",
    "组成",
    "成立",
    "负责",
    "机制",
    "模式",
    "流程",
    "定期",
    "每周",
    "每月",
    "每天",
    "联合",
    "对接",
    "入驻",
    "聘请",
    "由",
    "按照",
    "围绕",
    "坚持",
    "运用",
    "开展",
    "打造",
)
# Who carries a practice out: longest first, so 人民调解员 wins over 调解员.
ACTOR_TERMS = (
    "移民管理民警",
    "移民管理警察",
    "专职调解员",
    "人民调解员",
    "司法局工作人员",
    "司法工作者",
    "社区民警",
    "驻村民警",
    "党员民警",
    "退休干部",
    "社区干部",
    "村干部",
    "老党员",
    "华人华侨",
    "群防队员",
    "巡防队员",
    "治保队员",
    "网格员",
    "网格警",
    "调解员",
    "安全员",
    "志愿者",
    "检察官",
    "法官",
    "律师",
    "民警",
    "辅警",
    "义警",
    "教师",
    "家长",
    "乡贤",
    "综治办",
    "居委会",
    "村委会",
    "司法所",
    "党委政府",
    "党员",
)
# With what: places, tools and channels a practice uses.
RESOURCE_TERMS = (
    "警务室",
    "调解室",
    "调解中心",
    "调解站",
    "工作室",
    "说事点",
    "服务站",
    "服务中心",
    "微信群",
    "公众号",
    "小程序",
    "管理平台",
    "平台",
    "系统",
    "大数据",
    "视频",
    "监控",
    "无人机",
    "巡逻车",
    "车辆",
    "经费",
    "渡船",
    "方桌",
)
# Metrics that describe a station rather than what a practice achieved: shown in the profile.
PROFILE_METRICS = (
    "population",
    "area_km2",
    "border_km",
    "coastline_km",
    "officers",
    "auxiliary_officers",
    "party_members",
    "villages",
    "communities",
    "grids",
    "enterprises",
    "ferry_crossings",
    "police_units",
    "police_zones",
)
# Figures in a practice's neighbourhood that are means, not results: shown under resources.
RESOURCE_METRICS = (
    "grids",
    "wechat_groups",
    "volunteers",
    "volunteer_teams",
    "police_offices",
    "service_points",
    "officers",
    "auxiliary_officers",
    "party_members",
    "equipment",
    "organisations",
    "people_engaged",
)
# Outcome metrics that belong to a practice category wherever they stand in the article.
CATEGORY_OUTCOMES = {
    "mediation": (
        "disputes_mediated",
        "mediation_success_rate",
        "dispute_resolution_rate",
        "resolved_at_village_level_rate",
    ),
    "volunteers_mass_prevention": ("tips_received", "suspects_caught"),
    "technology_data": ("anti_fraud_app_coverage_rate",),
    "public_service": ("services_for_public", "satisfaction_rate"),
    "publicity_legal_education": ("outreach_events",),
}
_PERCENT_UNITS = ("%", "百分点")


@dataclass(frozen=True)
class Source:
    """The sentence a claim rests on, and where it was published."""

    article_id: str
    title: str | None
    publisher: str | None
    published: str | None  # ISO date
    url: str | None
    sentence: str
    sentence_start: int  # span of the sentence in the article's simplified text
    sentence_end: int
    seq: int | None  # the sentence's number in the article, for links to it
    also_published_by: tuple[str, ...] = ()  # reprints: "publisher, date" of each other copy

    @property
    def key(self) -> tuple[str, int]:
        return (self.article_id, self.sentence_start)


@dataclass(frozen=True)
class Claim:
    text: str
    source: Source


@dataclass(frozen=True)
class Figure:
    """One reported number, shown with its qualifier and period."""

    metric: str
    display: str  # 700+ 起, ≥98%, ≈4.5万 …
    text: str  # as written: 700余起
    qualifier: str | None
    period: str | None
    period_start: str | None
    period_end: str | None
    subject: str  # the counted thing as written
    source: Source


@dataclass(frozen=True)
class Term:
    """An actor or resource named near a practice, with the sentence that names it."""

    term: str
    claim: Claim


@dataclass
class PracticeCard:
    practice_id: int
    name: str
    category: str
    what: list[Claim] = field(default_factory=list)
    mechanism: list[Claim] = field(default_factory=list)
    actors: list[Term] = field(default_factory=list)
    resources: list[Term] = field(default_factory=list)
    resource_figures: list[Figure] = field(default_factory=list)
    outcomes: list[Figure] = field(default_factory=list)


@dataclass
class StationSection:
    station_id: int
    name: str
    kind: str
    province: str | None
    city: str | None
    county: str | None
    place: Claim | None
    honours: list[Claim] = field(default_factory=list)
    profile: list[Claim] = field(default_factory=list)
    profile_figures: list[Figure] = field(default_factory=list)
    practices: list[PracticeCard] = field(default_factory=list)

    @property
    def where(self) -> str:
        return "".join(part for part in (self.province, self.city, self.county) if part) or "place unknown"


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    pinyin: str
    meaning: str
    articles: int  # how many of the casebook's source articles use it
    first_use: Claim | None


@dataclass
class Casebook:
    title: str
    filters: dict[str, Any]
    generated: str
    stations: list[StationSection]
    glossary: list[GlossaryEntry]
    hidden_figures: int = 0  # figures below the confidence bar left out (CasebookFilters.all keeps them)

    @property
    def hidden_note(self) -> str:
        """What every renderer says under the title when figures were left out."""
        if not self.hidden_figures:
            return ""
        return f"{count(self.hidden_figures, 'less confident figure')} left out (fqa casebook --all includes them)."

    def sources(self) -> list[Source]:
        """Every cited source in reading order, once each: the footnote order every renderer uses."""
        seen: dict[tuple[str, int], Source] = {}
        for source in _walk_sources(self):
            seen.setdefault(source.key, source)
        return list(seen.values())


def _walk_sources(book: Casebook) -> Iterable[Source]:
    for section in book.stations:
        if section.place:
            yield section.place.source
        yield from (c.source for c in section.honours)
        yield from (c.source for c in section.profile)
        yield from (f.source for f in section.profile_figures)
        for card in section.practices:
            yield from (c.source for c in card.what + card.mechanism)
            yield from (t.claim.source for t in card.actors + card.resources)
            yield from (f.source for f in card.resource_figures + card.outcomes)
    for entry in book.glossary:
        if entry.first_use:
            yield entry.first_use.source


def figure_display(value: float | None, low: float | None, high: float | None, unit: str, approx: bool) -> str:
    """A figure as a reader should take it: 700余起 → "700+ 起", 超过98% → "≥98%", 近千条 → "≤1000 条"."""

    def number(x: float) -> str:
        return f"{x:,.4f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"

    glue = "" if unit in _PERCENT_UNITS else " "
    if low is not None and high is not None and low != high:
        shown = f"{number(low)}–{number(high)}"
    elif low is not None and high is None:
        shown = f"≥{number(low)}" if unit in _PERCENT_UNITS else f"{number(low)}+"
    elif high is not None and low is None:
        shown = f"≤{number(high)}"
    elif value is not None:
        shown = number(value)
    else:
        shown = "?"
    return f"{'≈' if approx else ''}{shown}{glue}{unit}".strip()


class _Sources:
    """Article metadata, reprint credits and sentence numbers for the articles a casebook cites."""

    def __init__(self, evidence: Evidence, article_ids: set[str]) -> None:
        self.articles = evidence.articles(article_ids)
        self.sentences: dict[str, list[Sentence]] = defaultdict(list)
        for sentence in evidence.sentences(article_ids):
            self.sentences[sentence.article_id].append(sentence)
        clusters = {a.reprint_cluster for a in self.articles.values() if a.reprint_cluster}
        self.reprints: dict[str, tuple[str, ...]] = defaultdict(tuple)
        if clusters:
            for cluster, article_id, publisher, published in evidence.cluster_members(clusters):
                if article_id != cluster:
                    credit = ", ".join(p for p in (publisher or "unknown publisher", _iso(published)) if p)
                    self.reprints[cluster] += (credit,)

    def seq_at(self, article_id: str, position: int) -> int | None:
        for sentence in self.sentences.get(article_id, ()):
            if sentence.start <= position < max(sentence.end, sentence.start + 1):
                return sentence.seq
        return None

    def sentence_at(self, article_id: str, position: int) -> Sentence | None:
        seq = self.seq_at(article_id, position)
        return None if seq is None else self.sentences[article_id][self._index(article_id, seq)]

    def _index(self, article_id: str, seq: int) -> int:
        return next(i for i, s in enumerate(self.sentences[article_id]) if s.seq == seq)

    def window(self, article_id: str, seq: int, after: int) -> list[Sentence]:
        """The sentence `seq` and up to `after` sentences that follow it."""
        rows = self.sentences.get(article_id, [])
        i = self._index(article_id, seq)
        return rows[i : i + after + 1]

    def source(self, article_id: str, sentence: str, start: int, end: int) -> Source:
        article = self.articles[article_id]
        return Source(
            article_id=article_id,
            title=article.title,
            publisher=article.publisher,
            published=_iso(article.published),
            url=article.url,
            sentence=sentence.strip(),
            sentence_start=start,
            sentence_end=end,
            seq=self.seq_at(article_id, start),
            also_published_by=self.reprints.get(article_id, ()),
        )

    def of_sentence(self, sentence: Sentence) -> Source:
        return self.source(sentence.article_id, sentence.text, sentence.start, sentence.end)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _to_simplified(values: Sequence[str]) -> list[str]:
    return [convert(v.strip()) for v in values if v and v.strip()]


def _figure(stat: Statistic, sources: _Sources) -> Figure:
    return Figure(
        metric=stat.metric,
        display=figure_display(stat.value, stat.low, stat.high, stat.unit, stat.approx),
        text=stat.text,
        qualifier=stat.qualifier,
        period=stat.period,
        period_start=_iso(stat.period_start),
        period_end=_iso(stat.period_end),
        subject=stat.subject,
        source=sources.source(stat.article_id, stat.sentence, stat.sentence_start, stat.sentence_end),
    )


def _terms_in(sentences: Sequence[Sentence], vocabulary: Sequence[str], sources: _Sources) -> list[Term]:
    """Each vocabulary term named in the sentences once, with the first sentence naming it."""
    found: dict[str, Term] = {}
    for sentence in sentences:
        text = sentence.text
        taken = [False] * len(text)
        for term in vocabulary:  # longest-first order: a longer term claims its characters
            start = text.find(term)
            while start != -1:
                if not any(taken[start : start + len(term)]):
                    for i in range(start, start + len(term)):
                        taken[i] = True
                    if term not in found:
                        found[term] = Term(term, Claim(term, sources.of_sentence(sentence)))
                start = text.find(term, start + len(term))
    return list(found.values())


def _honour_claims(station: Station, article_ids: Sequence[str], sources: _Sources) -> list[Claim]:
    claims: list[Claim] = []
    for honour in station.honours or []:
        text = honour.get("text", "") if isinstance(honour, dict) else str(honour)
        core = text.replace("“", "").replace("”", "")
        for article_id in article_ids:
            sentence = next(
                (s for s in sources.sentences.get(article_id, ()) if core in s.text.replace("“", "").replace("”", "")),
                None,
            )
            if sentence:
                claims.append(Claim(text, sources.of_sentence(sentence)))
                break
    return claims


def _until_next_practice(window: list[Sentence], other_practice_seqs: set[int]) -> list[Sentence]:
    """The describing sentence and its successors up to the next sentence that names another practice."""
    kept = window[:1]
    for sentence in window[1:]:
        if sentence.seq in other_practice_seqs:
            break
        kept.append(sentence)
    return kept


def _mechanism(window: list[Sentence], other_practice_seqs: set[int]) -> list[Sentence]:
    """The describing sentence's successors that still explain how the practice works."""
    explained: list[Sentence] = []
    for sentence in window[1:]:
        if sentence.seq in other_practice_seqs:
            break
        if any(cue in sentence.text for cue in _MECHANISM_CUES):
            explained.append(sentence)
    return explained


@dataclass
class CasebookFilters:
    category: str | None = None
    stations: list[str] = field(default_factory=list)
    practices: list[str] = field(default_factory=list)
    province: str | None = None
    station_ids: list[int] = field(default_factory=list)  # the web archive's station pages select by id
    all: bool = False  # also figures below the confidence bar (left out and counted by default)

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v and k != "all"}


def _matches_station(station: Station, wanted: list[str]) -> bool:
    names = {station.name, *(station.aliases or [])}
    return any(w == n or (len(w) >= 2 and w in station.name) for w in wanted for n in names)


def _matches_practice(practice: Practice, mention: PracticeMention, wanted: list[str]) -> bool:
    return any(w in practice.normalized or w in mention.name for w in wanted)


def assemble(engine: Engine, filters: CasebookFilters | None = None, today: dt.date | None = None) -> Casebook:
    """The casebook for the stations and practices the filters select; ValueError if they select nothing."""
    filters = filters or CasebookFilters()
    wanted_stations = _to_simplified(filters.stations)
    wanted_practices = _to_simplified(filters.practices)
    province = convert(filters.province.strip()) if filters.province else None
    category = filters.category.strip() if filters.category else None
    practice_filtered = bool(category or wanted_practices)

    with Evidence.open(engine) as evidence:
        known = evidence.practice_categories()
        if category and category not in known:
            raise ValueError(f"unknown practice category {category!r}; known: {', '.join(known) or 'none loaded'}")
        usable = evidence.counted_article_ids()
        station_articles: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        for station_id, article_id, start in evidence.station_appearances():
            if article_id in usable:
                station_articles[station_id].append((article_id, start))
        stations = [
            s
            for s in evidence.stations()
            if s.id in station_articles
            and (not province or (s.province or "").startswith(province) or province in (s.province or ""))
            and (not wanted_stations or _matches_station(s, wanted_stations))
            and (not filters.station_ids or s.id in filters.station_ids)
        ]
        mentions = evidence.practice_mentions()
        by_station: dict[int, list[tuple[PracticeMention, Practice]]] = defaultdict(list)
        practice_seqs_needed: set[str] = set()
        for mention, practice in mentions:
            if mention.article_id not in usable:
                continue
            if category and practice.category != category and mention.category != category:
                continue
            if wanted_practices and not _matches_practice(practice, mention, wanted_practices):
                continue
            by_station[mention.station_id].append((mention, practice))
            practice_seqs_needed.add(mention.article_id)
        if practice_filtered:
            stations = [s for s in stations if by_station.get(s.id)]
        if not stations:
            raise ValueError(f"no station in the warehouse matches {_describe(filters)}")

        cited = {a for s in stations for a, _ in station_articles[s.id]}
        sources = _Sources(evidence, cited)
        all_mention_seqs: dict[str, set[int]] = defaultdict(set)
        for mention, _practice in mentions:
            if mention.article_id in cited:
                seq = sources.seq_at(mention.article_id, mention.sentence_start)
                if seq is not None:
                    all_mention_seqs[mention.article_id].add(seq)
        stats_by_station: dict[int, list[Statistic]] = defaultdict(list)
        hidden = 0
        for stat in evidence.statistics([s.id for s in stations], cited):
            if filters.all or is_confident(stat.confidence):
                stats_by_station[stat.station_id].append(stat)
            else:
                hidden += 1

        sections = [
            _station_section(
                station,
                station_articles[station.id],
                by_station.get(station.id, []),
                stats_by_station.get(station.id, []),
                sources,
                all_mention_seqs,
            )
            for station in stations
        ]
        glossary = _glossary(sources, cited)
    title = "Fengqiao-style policing casebook" + (f": {category}" if category else "")
    return Casebook(
        title=title,
        filters=filters.describe(),
        generated=(today or dt.date.today()).isoformat(),
        stations=sections,
        glossary=glossary,
        hidden_figures=hidden,
    )


def _describe(filters: CasebookFilters) -> str:
    parts = [f"--{k} {' '.join(v) if isinstance(v, list) else v}" for k, v in filters.describe().items()]
    return " ".join(parts) or "(no filters): the warehouse has no stations"


def _distinct(figures: list[Figure]) -> list[Figure]:
    """One figure per metric, value and counted thing (profiles repeat 15个村 in several paragraphs)."""
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for figure in figures:
        if (figure.metric, figure.display, figure.subject) not in seen:
            seen.add((figure.metric, figure.display, figure.subject))
            kept.append(figure)
    return kept


def _station_section(
    station: Station,
    appearances: list[tuple[str, int | None]],
    mentions: list[tuple[PracticeMention, Practice]],
    stats: list[Statistic],
    sources: _Sources,
    mention_seqs: dict[str, set[int]],
) -> StationSection:
    article_ids = [
        a for a, _ in sorted(appearances, key=lambda pair: sources.articles[pair[0]].published or dt.date.max)
    ]
    first_sentences = []
    for article_id, start in appearances:
        sentence = sources.sentence_at(article_id, start) if start is not None else None
        if sentence:
            first_sentences.append(Claim(sentence.text.strip(), sources.of_sentence(sentence)))
    section = StationSection(
        station_id=station.id,
        name=station.name,
        kind=station.kind,
        province=station.province,
        city=station.city,
        county=station.county,
        place=first_sentences[0] if first_sentences else None,
        honours=_honour_claims(station, article_ids, sources),
        profile=first_sentences[1:] if len(first_sentences) > 1 else first_sentences,
        profile_figures=_distinct([_figure(s, sources) for s in stats if s.metric in PROFILE_METRICS]),
    )
    cards: dict[int, PracticeCard] = {}
    used_outcomes: set[int] = set()
    for mention, practice in mentions:
        card = cards.setdefault(practice.id, PracticeCard(practice.id, mention.name, practice.category))
        seq = sources.seq_at(mention.article_id, mention.sentence_start)
        what = Claim(
            mention.sentence.strip(),
            sources.source(mention.article_id, mention.sentence, mention.sentence_start, mention.sentence_end),
        )
        if what.source.key not in {c.source.key for c in card.what}:
            card.what.append(what)
        if seq is None:
            continue
        window = sources.window(mention.article_id, seq, max(MECHANISM_WINDOW, OUTCOME_WINDOW))
        others = mention_seqs.get(mention.article_id, set()) - {seq}
        explained = _mechanism(window[: MECHANISM_WINDOW + 1], others)
        known = {c.source.key for c in card.mechanism}
        card.mechanism += [
            Claim(s.text.strip(), sources.of_sentence(s)) for s in explained if (s.article_id, s.start) not in known
        ]
        described = window[:1] + explained
        card.actors += [
            t for t in _terms_in(described, ACTOR_TERMS, sources) if t.term not in {a.term for a in card.actors}
        ]
        card.resources += [
            t for t in _terms_in(described, RESOURCE_TERMS, sources) if t.term not in {r.term for r in card.resources}
        ]
        near = {s.start for s in _until_next_practice(window[: OUTCOME_WINDOW + 1], others)}
        belongs = CATEGORY_OUTCOMES.get(practice.category, ())
        for stat in stats:
            if stat.id in used_outcomes or stat.metric in PROFILE_METRICS and stat.metric not in RESOURCE_METRICS:
                continue
            in_window = stat.article_id == mention.article_id and stat.sentence_start in near
            if stat.metric in RESOURCE_METRICS and in_window:
                card.resource_figures.append(_figure(stat, sources))
                used_outcomes.add(stat.id)
            elif (
                stat.metric not in RESOURCE_METRICS and stat.metric != "other" and (in_window or stat.metric in belongs)
            ):
                card.outcomes.append(_figure(stat, sources))
                used_outcomes.add(stat.id)
    section.practices = list(cards.values())
    return section


@dataclass(frozen=True)
class _GlossaryTerm:
    term: str
    pinyin: str
    meaning: str


def glossary_terms() -> list[_GlossaryTerm]:
    """The curated glossary shipped with the package (casebook/data/glossary.tsv)."""
    text = resources.files("casebook").joinpath("data/glossary.tsv").read_text(encoding="utf-8")
    rows = csv.reader((line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t")
    return [_GlossaryTerm(*row[:3]) for row in rows]


def _glossary(sources: _Sources, article_ids: Iterable[str]) -> list[GlossaryEntry]:
    """The glossary terms the casebook's own source articles use, with the first sentence that uses each."""
    entries: list[GlossaryEntry] = []
    ordered = sorted(article_ids, key=lambda a: (sources.articles[a].published or dt.date.max, a))
    for term in glossary_terms():
        using = [a for a in ordered if term.term in sources.articles[a].simplified_text]
        if not using:
            continue
        first = next((s for s in sources.sentences.get(using[0], ()) if term.term in s.text), None)
        claim = Claim(first.text.strip(), sources.of_sentence(first)) if first else None
        entries.append(GlossaryEntry(term.term, term.pinyin, term.meaning, len(using), claim))
    return entries
