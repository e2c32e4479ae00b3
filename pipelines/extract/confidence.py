"""How sure the extractor is of each unit and figure, from the evidence that produced it.

A researcher must be able to cite a figure without checking it, so every station and statistic carries a
confidence in [0, 1] and the archive shows only confident rows unless asked for all (`CONFIDENT`). The scores
add up independent pieces of evidence, each weighed by how often it went with a right answer on the annotated
development split (docs/extraction.md has the separation they give); nothing here names a station or report.
"""

from __future__ import annotations

from pipelines.extract.places import gazetteer

# Rows at or above this are shown by default in compare, station profiles, the casebook and the web archive.
CONFIDENT = 0.6

def is_confident(confidence: float | None) -> bool:
    """Shown by default: at or above the bar, or unknown (a row an older extractor read, until `fqa reextract`)."""
    return confidence is None or confidence >= CONFIDENT


_FULL_HEADS = ("派出所", "警务室", "警务站", "公安局", "分局", "公安厅", "公安处", "警察局", "支队", "大队")
_RATE_METRICS_UNIT = "%"
# Share of figures whose unit was right, by how the unit was found, on the dev split: named in the sentence 0.67,
# earlier in the paragraph 0.55, only the article's main unit 0.33; an article naming no unit at all (station
# null, as the gold has it) 0.67.
_ATTRIBUTION_WEIGHT = {"sentence": 0.25, "paragraph": 0.2, "section": 0.2, "main": 0.05, "none": 0.25}
_AREA_UNITS = ("平方公里", "平方千米", "平方米", "亩", "公顷")


def station_confidence(name: str, mentions: int, has_place: bool, has_honours: bool) -> float:
    """A unit named in full after a known place, mentioned more than once and placed on the map is sure; a bare
    short form mentioned once is not."""
    score = 0.35
    stem = name
    for head in _FULL_HEADS:
        if name.endswith(head):
            score += 0.2
            stem = name[: -len(head)]
            break
    gz = gazetteer()
    if any(stem[i:] in gz.surfaces or stem[i:] in gz.stems for i in range(max(0, len(stem) - 6), len(stem) - 1)):
        score += 0.15
    if mentions >= 2:
        score += 0.15
    if has_place:
        score += 0.1
    if has_honours:
        score += 0.05
    if len(stem) <= 1:  # 市公安局, 省公安厅: named by its level alone
        score = min(score, 0.55)
    return round(min(score, 0.99), 2)


def statistic_confidence(
    metric: str, unit: str, subject: str, attribution: str, approx: bool, period_text: str | None,
    period_resolved: bool,
) -> float:
    """A figure with a named metric its unit fits, a counted thing, a unit named in its own sentence and a
    period that resolved (or none) is sure; an anecdote's count or a figure with no unit to attribute is not."""
    if metric == "incidental":
        return 0.2
    score = 0.15 + _ATTRIBUTION_WEIGHT.get(attribution, 0.0)
    if metric != "other" and _unit_fits(metric, unit):
        score += 0.25  # dev: named metrics 0.73 right, `other` 0.37
    if unit:
        score += 0.1  # dev: a figure without a measure word 0.18 right
    if len(subject) >= 2:
        score += 0.1  # dev: without a counted thing 0.23 right
    if period_text is not None and period_resolved:
        score += 0.05
    if not approx:
        score += 0.05
    return round(min(score, 0.99), 2)


def _unit_fits(metric: str, unit: str) -> bool:
    if metric.endswith("_rate") or metric.endswith("_pct"):
        return unit == _RATE_METRICS_UNIT
    if metric == "area_km2":
        return unit.endswith(_AREA_UNITS)
    return unit != _RATE_METRICS_UNIT
