"""Footnote numbering and citation text shared by every casebook format, so all four cite alike."""

from __future__ import annotations

from casebook.assemble import Casebook, Figure, Source

CATEGORY_LABELS = {
    "mediation": "Mediation 调解",
    "grid_community_policing": "Grid and community policing 网格化社区警务",
    "volunteers_mass_prevention": "Volunteers and mass prevention 群防群治",
    "publicity_legal_education": "Publicity and legal education 普法宣传",
    "technology_data": "Technology and data 智慧警务",
    "public_service": "Public service 为民服务",
    "party_building": "Party building 党建",
    "schools_youth": "Schools and youth 护校安园",
}


class Notes:
    """Footnote numbers in reading order: the same sentence cited twice keeps its first number."""

    def __init__(self, book: Casebook) -> None:
        self.sources = book.sources()
        self._numbers = {source.key: i for i, source in enumerate(self.sources, start=1)}

    def number(self, source: Source) -> int:
        return self._numbers[source.key]


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("_", " "))


def metric_label(metric: str) -> str:
    return metric.replace("_", " ")


def figure_line(figure: Figure | dict) -> str:
    """`disputes mediated: 700+ 起 (as written 700余起; qualifier 余; period 近两年来, 2021-12-20 to 2023-12-20)`.

    Takes a `Figure` or its dict form (the web archive renders the JSON its API returns)."""
    f = figure if isinstance(figure, dict) else figure.__dict__
    details = [f"as written {f['text']}"]
    if f["subject"]:
        details.append(f"counted: {f['subject']}")
    details.append(f"qualifier {f['qualifier']}" if f["qualifier"] else "no qualifier")
    if f["period"]:
        start, end = f["period_start"], f["period_end"]
        resolved = f", {start or '…'} to {end or '…'}" if start or end else ""
        details.append(f"period {f['period']}{resolved}")
    else:
        details.append("period not stated")
    return f"{metric_label(f['metric'])}: {f['display']} ({'; '.join(details)})"


def citation(source: Source) -> str:
    """“sentence” — title, publisher, date, URL; also published by … (one line per footnote)."""
    where = [
        f"《{source.title}》" if source.title else "untitled article",
        source.publisher or "publisher unknown",
        source.published or "undated",
        source.url or "no URL",
    ]
    text = f"“{source.sentence}” — {', '.join(where)}"
    if source.also_published_by:
        text += "; also published by " + "; ".join(source.also_published_by)
    return text
