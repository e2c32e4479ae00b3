"""Check the annotated gold files of a folder against their reports (see README.md in this folder).

Why a script of its own: annotators run it while they write, before any extractor output exists, so it uses only
the reference-text recipe (raw → pinyin glosses removed → OpenCC t2s), not the pipeline.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import opencc
from lxml import html as lxml_html

METRICS = frozenset(
    [
        "disputes_mediated",
        "mediation_success_rate",
        "dispute_resolution_rate",
        "resolved_at_village_level_rate",
        "satisfaction_rate",
        "request_completion_rate",
        "grids",
        "wechat_groups",
        "volunteers",
        "volunteer_teams",
        "mediators",
        "tips_received",
        "suspects_caught",
        "cases_solved",
        "services_for_public",
        "outreach_events",
        "visits",
        "patrols",
        "crime_change_pct",
        "population",
        "households",
        "villages",
        "communities",
        "enterprises",
        "schools",
        "visitors",
        "border_crossings",
        "area_km2",
        "border_km",
        "coastline_km",
        "officers",
        "auxiliary_officers",
        "officers_engaged",
        "party_members",
        "police_offices",
        "service_points",
        "community_police_schools",
        "ferry_crossings",
        "media_followers",
        "media_views",
        "media_works",
        "money_recovered",
        "money_saved",
        "response_minutes",
        "handling_time_hours",
        "time_limit_days",
        "collective_awards",
        "police_calls",
        "share_pct",
        "disputes_found",
        "change_pct",
        "units_honoured",
        "people_honoured",
        "distance_km",
        "people_punished",
        "hazards_fixed",
        "materials_distributed",
        "information_collected",
        "streak",
        "individual_awards",
        "equipment",
        "police_units",
        "organisations",
        "police_zones",
        "people_engaged",
        "altitude_m",
        "townships",
        "neighbourhoods",
        "thanks_received",
        "gangs_broken",
        "seizures",
        "cases_occurred",
        "traffic_volume",
        "work_teams",
        "enforcement_actions",
        "warnings_issued",
        "opinions_collected",
        "other",
        "incidental",
    ]
)
NOT_STATION_WHY = frozenset({"honour", "generic", "count", "descriptive", "fragment", "non_police"})
QUALIFIERS = frozenset(
    [
        "余",
        "多",
        "超过",
        "超",
        "以上",
        "上",
        "近",
        "将近",
        "约",
        "达",
        "高达",
        "共",
        "累计",
        "连续",
        "逾",
        "数",
        "不到",
        "不足",
        "左右",
        "近乎",
        "以下",
        "以内",
    ]
)
GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\((?:[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7})\)")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_T2S = opencc.OpenCC("t2s")


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("undecodable")


def reference_text(path: Path) -> str:
    text = GLOSS.sub("", decode(path.read_bytes()))
    if path.suffix.lower() in (".html", ".htm"):
        text = lxml_html.fromstring(text).text_content()
    return _T2S.convert(text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check(report: Path, gold_path: Path) -> list[str]:
    problems: list[str] = []

    def bad(msg: str) -> None:
        problems.append(f"{gold_path.name}: {msg}")

    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{gold_path.name}: not JSON ({exc})"]
    ref = squash(reference_text(report))

    def inside(label: str, text: str | None) -> None:
        if text and squash(text) not in ref:
            bad(f"{label} {text!r} is not in the reference text")

    for key in (
        "source_file",
        "provenance",
        "article",
        "stations",
        "not_stations",
        "practices",
        "slogans",
        "statistics",
    ):
        if key not in gold:
            bad(f"missing key {key!r}")
    if problems:
        return problems
    if gold["source_file"] != report.name:
        bad(f"source_file {gold['source_file']!r} is not {report.name!r}")
    if not str(gold["provenance"].get("url", "")).startswith("http"):
        bad("provenance.url missing")
    art = gold["article"]
    for key in ("title", "date", "publisher", "author", "url", "script"):
        if key not in art:
            bad(f"article.{key} missing")
    if art.get("date") and not DATE.match(art["date"]):
        bad(f"article.date {art['date']!r} is not YYYY-MM-DD")
    if art.get("script") not in ("simplified", "traditional"):
        bad("article.script must be simplified or traditional")
    inside("title", art.get("title"))
    names = set()
    for st in gold["stations"]:
        inside("station", st["name"])
        names.add(st["name"])
        for alias in st.get("aliases", []):
            inside("alias", alias)
            names.add(alias)
        for honour in st.get("honours", []):
            inside("honour", honour["text"])
        for key in ("kind", "province", "city", "county"):
            if key not in st:
                bad(f"station {st['name']}: {key} missing")
    for ns in gold["not_stations"]:
        inside("not_station", ns["text"])
        if ns.get("why") not in NOT_STATION_WHY:
            bad(f"not_station {ns['text']!r}: why must be one of {sorted(NOT_STATION_WHY)}")
    for pr in gold["practices"]:
        inside("practice sentence", pr["sentence"])
        if pr.get("station") and pr["station"] not in names:
            bad(f"practice {pr['name']}: station {pr['station']!r} is no station name or alias")
    for sl in gold["slogans"]:
        inside("slogan", sl["text"])
    for i, stat in enumerate(gold["statistics"]):
        where = f"statistics[{i}] {stat.get('text')!r}"
        for key in (
            "metric",
            "value",
            "low",
            "high",
            "unit",
            "qualifier",
            "period",
            "period_start",
            "period_end",
            "subject",
            "station",
            "text",
            "sentence",
        ):
            if key not in stat:
                bad(f"{where}: {key} missing")
        if stat.get("metric") not in METRICS:
            bad(f"{where}: unknown metric {stat.get('metric')!r}")
        inside(f"{where} sentence", stat.get("sentence"))
        sentence = squash(stat.get("sentence") or "")
        if squash(stat.get("text") or "") not in sentence:
            bad(f"{where}: text is not inside its sentence")
        if stat.get("period") and squash(stat["period"]) not in sentence:
            bad(f"{where}: period {stat['period']!r} is not inside its sentence")
        for key in ("period_start", "period_end"):
            if stat.get(key) and not DATE.match(stat[key]):
                bad(f"{where}: {key} {stat[key]!r} is not YYYY-MM-DD")
        if (stat.get("period_start") or stat.get("period_end")) and not stat.get("period"):
            bad(f"{where}: resolved period without a written period")
        if stat.get("qualifier") and stat["qualifier"] not in QUALIFIERS:
            bad(f"{where}: unusual qualifier {stat['qualifier']!r} (check it)")
        if stat.get("station") and stat["station"] not in names:
            bad(f"{where}: station {stat['station']!r} is no station name or alias")
    return problems


def main(folder: str) -> int:
    root = Path(folder)
    reports = sorted(p for p in root.iterdir() if p.suffix.lower() in (".txt", ".html", ".htm"))
    problems = []
    for report in reports:
        gold = root / "gold" / (report.stem + ".json")
        if not gold.exists():
            problems.append(f"{report.name}: no gold file")
            continue
        problems += check(report, gold)
    for p in problems:
        print(p)
    print(f"{len(reports)} reports, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("pool"))))
