"""What the web archive shows that the Archive query layer does not: articles sentence by sentence, practices,
the province map, and station pages built from the casebook's footnoted sections.

Everything returns plain dicts/lists ready for JSON, so a page and its `/api/…` twin show the same data.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from casebook.assemble import CasebookFilters, Source, assemble
from warehouse.query import NotFound
from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, Practice, PracticeMention, Sentence, Station, StationArticle, Statistic, keys_of

MAX_PAGE_SIZE = 100


@dataclasses.dataclass(frozen=True)
class Page:
    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def json(self) -> dict[str, int]:
        return {"page": self.page, "page_size": self.page_size, "total": self.total, "pages": self.pages}


def sentence_link(source: Source | dict[str, Any]) -> str:
    """Where a figure or claim links to: its sentence, highlighted, in the article page."""
    data = dataclasses.asdict(source) if isinstance(source, Source) else source
    seq = data.get("seq")
    anchor = f"?s={seq}#s{seq}" if seq is not None else ""
    return f"/articles/{data['article_id']}{anchor}"


def _with_links(value: Any) -> Any:  # noqa: ANN401 - JSON-like data
    """Adds `link` next to every source in a nested structure (JSON for the API; the pages use it too)."""
    if isinstance(value, dict):
        out = {k: _with_links(v) for k, v in value.items()}
        if "article_id" in out and "sentence_start" in out:
            out["link"] = sentence_link(out)
        return out
    if isinstance(value, list | tuple):
        return [_with_links(v) for v in value]
    return value


# What ends a line of running text; a short line ending otherwise is a heading (headings carry no full stop).
_LINE_END = tuple("。！？!?…；;：:，,、.")
_CLOSERS = "”’」』）)]》〉\"' \u3000"
MAX_HEADING_CHARS = 40


def _is_heading(sentences: list[str]) -> bool:
    """A paragraph that is one short sentence without closing punctuation: 以情以理 巧为矛盾化解人."""
    if len(sentences) != 1:
        return False
    text = sentences[0].strip()
    return 0 < len(text) <= MAX_HEADING_CHARS and not text.rstrip(_CLOSERS).endswith(_LINE_END)


def paragraphs(text: str, spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Each sentence's paragraph number (a line break between two sentences starts a new one) and which
    paragraphs are headings, from the sentences' spans in the article text: the page keeps the article's shape."""
    numbers: list[int] = []
    lines: list[list[str]] = []
    previous_end = None
    for start, end in spans:
        if previous_end is None or "\n" in text[previous_end:start]:
            lines.append([])
        lines[-1].append(text[start:end])
        numbers.append(len(lines) - 1)
        previous_end = end
    return numbers, [n for n, line in enumerate(lines) if _is_heading(line)]


def article(engine: Engine, article_id: str) -> dict[str, Any]:
    """An article sentence by sentence, each with its paragraph number; `headings` lists the heading paragraphs."""
    with Session(engine) as session:
        row = session.scalars(select(Article).where(Article.id == article_id)).one_or_none()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        sentences = list(
            session.scalars(select(Sentence).where(Sentence.article_key == row.key).order_by(Sentence.seq))
        )
        numbers, headings = paragraphs(row.simplified_text, [(s.start, s.end) for s in sentences])
        reprints = (
            session.execute(
                select(Article.id, Article.publisher, Article.published, Article.title)
                .where(Article.reprint_cluster == row.reprint_cluster, Article.id != row.id)
                .order_by(Article.published)
            ).all()
            if row.reprint_cluster
            else []
        )
        return {
            "id": row.id,
            "title": row.title,
            "original_title": row.original_title,
            "published": row.published.isoformat() if row.published else None,
            "publisher": row.publisher,
            "author": row.author,
            "url": row.url,
            "original_script": row.original_script,
            "reprint_of": row.reprint_cluster if row.reprint_cluster and row.reprint_cluster != row.id else None,
            "other_copies": [
                {
                    "id": r.id,
                    "publisher": r.publisher,
                    "published": r.published.isoformat() if r.published else None,
                    "title": r.title,
                }
                for r in reprints
            ],
            "sentences": [
                {
                    "seq": s.seq,
                    "text": s.text,
                    "original_text": s.original_text,
                    "start": s.start,
                    "end": s.end,
                    "paragraph": number,
                }
                for s, number in zip(sentences, numbers, strict=True)
            ],
            "headings": headings,
        }


def number_sources(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Number every article `data` cites, once, in reading order: each dict naming an `article_id` (a claim's
    source, a figure row) gets its article's `note`, and the list returned describes each article once — so a
    page cites [1], [2] and lists the title, publisher, date and URL a single time."""
    found: dict[str, dict[str, Any]] = {}

    def walk(value: Any) -> None:  # noqa: ANN401 - JSON-like data
        if isinstance(value, dict):
            if isinstance(value.get("article_id"), str):
                article_id = value["article_id"]
                entry = found.setdefault(
                    article_id, {"note": len(found) + 1, "article_id": article_id, "link": f"/articles/{article_id}"}
                )
                for key in ("title", "publisher", "published", "url", "also_published_by"):
                    if value.get(key) and not entry.get(key):
                        entry[key] = value[key]
                value["note"] = entry["note"]
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return list(found.values())


def station(engine: Engine, station_id: int, show_all: bool = False) -> dict[str, Any]:
    """A station's profile: place, honours, short profile, figures and practice cards, all with sources (figures
    below the confidence bar only with `show_all`)."""
    with Session(engine) as session:
        if session.get(Station, station_id) is None:
            raise NotFound(f"no station with id {station_id}")
    try:
        book = assemble(engine, CasebookFilters(station_ids=[station_id], all=show_all))
    except ValueError as exc:  # a station known only from reprints
        raise NotFound(str(exc)) from exc
    section = book.stations[0]
    return _with_links({**dataclasses.asdict(section), "where": section.where})


def practices(engine: Engine, category: str | None, page: int, page_size: int) -> dict[str, Any]:
    """Named practices with how many stations and articles report them (each reprint cluster counted once)."""
    with Session(engine) as session:
        query = (
            select(
                Practice.id,
                Practice.normalized,
                Practice.category,
                func.count(func.distinct(PracticeMention.station_id)).label("stations"),
                func.count(func.distinct(PracticeMention.article_key)).label("articles"),
            )
            .join(PracticeMention, PracticeMention.practice_id == Practice.id)
            .join(Article, Article.key == PracticeMention.article_key)
            .where(Practice.kind == "practice", counted_once())
            .group_by(Practice.id, Practice.normalized, Practice.category)
        )
        if category:
            query = query.where(Practice.category == category)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        paging = Page(page, page_size, total)
        rows = session.execute(
            query.order_by(Practice.category, Practice.normalized).offset(paging.offset).limit(page_size)
        ).all()
        categories = sorted(set(session.scalars(select(Practice.category).where(Practice.kind == "practice"))))
    return {
        "paging": paging.json(),
        "categories": categories,
        "practices": [
            {"id": r.id, "name": r.normalized, "category": r.category, "stations": r.stations, "articles": r.articles}
            for r in rows
        ],
    }


def practice(engine: Engine, practice_id: int) -> dict[str, Any]:
    """One practice: its card at every station that reports it."""
    with Session(engine) as session:
        row = session.get(Practice, practice_id)
        if row is None or row.kind != "practice":
            raise NotFound(f"no practice with id {practice_id}")
        station_ids = sorted(
            set(
                session.scalars(
                    select(PracticeMention.station_id).where(
                        PracticeMention.practice_id == practice_id, PracticeMention.station_id.is_not(None)
                    )
                )
            )
        )
        name, category = row.normalized, row.category
    cards = []
    if station_ids:
        try:
            book = assemble(engine, CasebookFilters(station_ids=station_ids, practices=[name]))
        except ValueError:
            book = None
        for section in book.stations if book else []:
            for card in section.practices:
                if card.practice_id == practice_id:
                    cards.append(
                        {
                            "station_id": section.station_id,
                            "station": section.name,
                            "where": section.where,
                            "card": _with_links(dataclasses.asdict(card)),
                        }
                    )
    data = {"id": practice_id, "name": name, "category": category, "stations": cards}
    data["sources"] = number_sources(data)
    return data


@cache
def province_grid() -> dict[str, tuple[int, int]]:
    """Each province's cell in the tile-grid cartogram (webapp/static/province_grid.tsv): no offline geometry
    of China's provinces ships in a package we can use, so the map is a grid roughly in geographic order."""
    text = resources.files("webapp").joinpath("static/province_grid.tsv").read_text(encoding="utf-8")
    grid = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, row, col = line.split("\t")
            grid[name] = (int(row), int(col))
    return grid


def province_map(engine: Engine) -> dict[str, Any]:
    """Stations per province for the cartogram (stations seen in canonical articles only)."""
    with Session(engine) as session:
        rows = session.execute(
            select(Station.id, Station.name, Station.province)
            .join(StationArticle, StationArticle.station_id == Station.id)
            .join(Article, Article.key == StationArticle.article_key)
            .where(counted_once())
            .distinct()
        ).all()
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_province[r.province or "unknown"].append({"id": r.id, "name": r.name})
    counts = Counter({p: len(v) for p, v in by_province.items()})
    cells = []
    for name, (row, col) in province_grid().items():
        match = next((p for p in by_province if p.startswith(name)), None)
        cells.append(
            {
                "province": name,
                "row": row,
                "col": col,
                "stations": by_province.get(match, []) if match else [],
                "count": counts.get(match, 0) if match else 0,
            }
        )
    unplaced = [p for p in by_province if not any(p.startswith(name) for name in province_grid())]
    return {"cells": cells, "unplaced": {p: by_province[p] for p in unplaced}}


def sentence_seq(engine: Engine, article_id: str, sentence: str) -> int | None:
    """The number of the article sentence a figure's sentence text is (or lies within)."""
    wanted = sentence.strip()
    with Session(engine) as session:
        rows = session.execute(
            select(Sentence.seq, Sentence.text)
            .where(Sentence.article_key.in_(keys_of([article_id])))
            .order_by(Sentence.seq)
        ).all()
    for seq, text in rows:
        if text.strip() == wanted:
            return seq
    return next((seq for seq, text in rows if text.strip() and text.strip() in wanted), None)


def metrics(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(set(session.scalars(select(Statistic.metric).where(Statistic.station_id.is_not(None)))))


def categories(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(set(session.scalars(select(Practice.category).where(Practice.kind == "practice"))))


def sentence_seqs(engine: Engine, sentence_ids: list[int]) -> dict[int, int]:
    """Sentence row id → its number in the article (search hits name the row; links use the number)."""
    if not sentence_ids:
        return {}
    with Session(engine) as session:
        return dict(session.execute(select(Sentence.id, Sentence.seq).where(Sentence.id.in_(sentence_ids))).all())


def snippet_parts(text: str, highlights: list[list[int]] | list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The snippet cut at its hit spans, so the page marks hits with <mark> and escapes everything else
    (the search layer's 【】 marks could also occur in the text itself)."""
    parts, at = [], 0
    for start, end in sorted((int(s), int(e)) for s, e in highlights):
        if start < at or end > len(text) or start >= end:
            continue
        if start > at:
            parts.append({"text": text[at:start], "hit": False})
        parts.append({"text": text[start:end], "hit": True})
        at = end
    if at < len(text):
        parts.append({"text": text[at:], "hit": False})
    return parts
