"""Province / city / county of a police station, from an offline gazetteer shipped in `data/divisions.tsv`.

The table (generated once by `data/make_divisions.py`, see `data/DIVISIONS.md`) holds every province,
prefecture-level city and county-level unit with its adcode, short name and former names, plus the stems of its
townships (镇 / 乡 / 街道). It loads once per process.

* `find_place_mentions(text)` finds full names (东兴市, 良庆区), former names (新津县), township names with their
  suffix (睦洲镇, 三道河乡) and short names (广西, 东兴, 伊犁, 察布查尔). Short names of two characters are
  *weak*: they count only when an ancestor of the matched unit is named elsewhere in the text, or when the
  context confirms them (a parent right before it: 广西东兴; a unit word right after it: 东兴边境派出所, 新津公安).
  A short name followed by a landform or street character (北仑河, 新津路) is not a place. A name that fits
  several units (东兴市 / 东兴区 / 东兴镇) is resolved by the places named around it and elsewhere in the text.
* `resolve_place(name, text)` gives a station's place: first from a place at the start of (or inside) the
  station's own name, else from the places next to the station's first mention, else from the chain that the
  whole article agrees on. A county is only returned when the text supports one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

DIVISIONS = resources.files("pipelines.extract") / "data" / "divisions.tsv"

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
# Full names that are also common words; they are treated like weak short names.
_GENERIC_FULL = frozenset({"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "中区", "市中区", "新区"})
# A place name followed by one of these is a river, mountain, road …, not the unit (北仑河, 新津路).
_FEATURE_AFTER = frozenset("河江湖海山岭峰路街巷桥湾岛溪沟渠塘坝滩洲村屯寨庄园坊楼门站寺庙")
# Words right after a short name that make it a place (东兴边境派出所, 新津公安, 良庆区).
_CONFIRM_AFTER = re.compile(
    r"(?:市|区|县|州|盟|旗|省|公安|警方|派出所|边境|边防|分局|支队|大队|口岸|片区|境内|辖区|籍|人民|党委|政府|"
    r"警务|交警|特警|消防|法院|检察|司法|检察院|城区|全市|全县|全区|地区|一带|当地)"
)
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_STREET_AFTER = re.compile(r"[东西南北中]?(?:路|街|大道|大街)")
_MAX_SURFACE = 14

# kinds of surface forms, strongest first
FULL, FORMER, TOWN, SHORT = "full", "former", "town", "short"
_TOWN_SUFFIXES = ("镇", "乡", "街道")
_ETHNIC = re.compile(r"(?:[\u4e00-\u9fff]{1,4}?族)+$")


@dataclass(frozen=True)
class Place:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None

    @property
    def level(self) -> int:
        """0 nothing, 1 province, 2 city, 3 county."""
        return 3 if self.county else 2 if self.city and self.city != self.province else 1 if self.province else 0


@dataclass(frozen=True)
class Division:
    adcode: str
    level: str  # province | city | county
    name: str
    parent: str | None


@dataclass(frozen=True)
class PlaceMention:
    text: str  # as written
    start: int
    end: int
    kind: str  # full | former | town | short
    place: Place | None  # the division matched (None: could not be told apart)
    candidates: int = 1  # how many divisions the name fits


@dataclass(frozen=True)
class Gazetteer:
    divisions: dict[str, Division]
    surfaces: dict[str, tuple[tuple[str, str], ...]]  # surface -> ((adcode, kind), ...)
    stems: dict[str, tuple[str, ...]]  # township stem without suffix -> adcodes (for station names)
    common: frozenset[str]  # short names and stems that are everyday words (公安, 平安, 联合)

    @cached_property
    def lengths_by_start(self) -> dict[str, tuple[int, ...]]:
        """First two characters of a surface → the lengths of the surfaces starting with them, longest first."""
        lengths: dict[str, set[int]] = {}
        for surface in self.surfaces:
            if 2 <= len(surface) <= _MAX_SURFACE:
                lengths.setdefault(surface[:2], set()).add(len(surface))
        return {start: tuple(sorted(found, reverse=True)) for start, found in lengths.items()}

    def chain(self, adcode: str) -> list[Division]:
        out: list[Division] = []
        code: str | None = adcode
        while code:
            d = self.divisions[code]
            out.append(d)
            code = d.parent
        return out[::-1]

    def place(self, adcode: str) -> Place:
        province = city = county = None
        for d in self.chain(adcode):
            if d.level == "province":
                province = d.name
            elif d.level == "city":
                city = d.name
            else:
                county = d.name
        if province in MUNICIPALITIES:
            city = province
        return Place(province, city, county, adcode)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    divisions: dict[str, Division] = {}
    surfaces: dict[str, dict[tuple[str, str], None]] = {}
    stems: dict[str, dict[str, None]] = {}
    common: set[str] = set()

    def add(surface: str, code: str, kind: str) -> None:
        if len(surface) >= 2:
            surfaces.setdefault(surface, {})[(code, kind)] = None

    for line in DIVISIONS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, level, name, short, parent, former, zhen, xiang, jiedao, other, everyday = line.split("\t")
        common.update(w for w in everyday.split("|") if w)
        divisions[code] = Division(code, level, name, parent or None)
        add(name, code, SHORT if name in _GENERIC_FULL or len(name) <= 2 else FULL)
        for s in short.split("|"):
            if s and s != name:
                add(s, code, SHORT)
        for f in former.split("|"):
            if f:
                add(f, code, FORMER if f[-1] in "市区县州盟旗省" and len(f) > 2 else SHORT)
        for suffix, column in zip(_TOWN_SUFFIXES, (zhen, xiang, jiedao), strict=True):
            for stem in column.split():
                add(stem + suffix, code, TOWN)
                bare = _ETHNIC.sub("", stem) if suffix == "乡" else stem
                if len(bare) >= 2:
                    stems.setdefault(bare, {})[code] = None
                    if bare != stem:
                        add(bare + suffix, code, TOWN)
        for full in other.split():
            add(full, code, TOWN)
    return Gazetteer(
        divisions,
        {s: tuple(v) for s, v in surfaces.items()},
        {s: tuple(v) for s, v in stems.items()},
        frozenset(common),
    )


@dataclass
class _Hit:
    start: int
    end: int
    surface: str
    options: tuple[tuple[str, str], ...]  # (adcode, kind)
    strong: bool
    chosen: str | None = None


def _longest(text: str, i: int, gz: Gazetteer) -> str | None:
    # only the lengths some surface starting with these two characters has: this runs at every character
    for k in gz.lengths_by_start.get(text[i : i + 2], ()):
        s = text[i : i + k]
        if len(s) == k and s in gz.surfaces:
            return s
    return None


def _scan(text: str, gz: Gazetteer) -> list[_Hit]:
    hits: list[_Hit] = []
    i = 0
    while i < len(text):
        s = _longest(text, i, gz)
        if s is None:
            i += 1
            continue
        end = i + len(s)
        options = gz.surfaces[s]
        kinds = {k for _, k in options}
        after = text[end : end + 4]
        if kinds == {TOWN}:
            strong = s[: -2 if s.endswith("街道") else -1] not in gz.common  # 联合乡(村) is not a township
        elif kinds <= {SHORT} and s in gz.common:
            strong = False  # 公安, 平安: a place only when its province or city is named too
        elif kinds <= {SHORT}:
            child = _child_follows(text, end, options, gz)
            if after[:1] in _FEATURE_AFTER and not child:
                i += 1
                continue
            # province short names and distinctive long ones stand on their own
            strong = len(s) >= 3 or all(gz.divisions[c].level == "province" for c, _ in options)
            strong = strong or child or bool(_CONFIRM_AFTER.match(after))
        else:
            strong = True
        hits.append(_Hit(i, end, s, options, strong))
        i = end
    return hits


def _child_follows(text: str, end: int, options: tuple[tuple[str, str], ...], gz: Gazetteer) -> bool:
    """宁波江北区: the short name is followed by a unit under it, not by a river or a road."""
    nxt = _longest(text, end, gz)
    if nxt is None:
        return False
    parents = {c for c, _ in options}
    return any(parents & set(_ancestors(gz, c)[:-1]) for c, _ in gz.surfaces[nxt])


def _ancestors(gz: Gazetteer, code: str) -> list[str]:
    return [d.adcode for d in gz.chain(code)]


def _resolve_hits(hits: list[_Hit], gz: Gazetteer) -> Counter[str]:
    """Choose a division for every hit; return the support (mentions per adcode and its ancestors)."""
    support: Counter[str] = Counter()
    for h in hits:
        codes = {c for c, _ in h.options}
        if h.strong and len(codes) == 1:
            h.chosen = next(iter(codes))
            support.update(_ancestors(gz, h.chosen))
    previous: _Hit | None = None
    for h in hits:
        if h.chosen is None:
            codes = list(dict.fromkeys(c for c, _ in h.options))
            adjacent = previous.chosen if previous and previous.chosen and h.start - previous.end <= 1 else None
            if adjacent:  # 广西东兴, 江门市新会区: the parent named right before decides
                under = [c for c in codes if adjacent in _ancestors(gz, c)[:-1]]
                if len(under) == 1:
                    h.chosen, h.strong = under[0], True
            if h.chosen is None:
                scored = sorted(((_score(gz, c, support), c) for c in codes), reverse=True)
                best, code = scored[0]
                tie = len(scored) > 1 and scored[1][0] == best
                if not tie and (best > 0 or h.strong):
                    h.chosen = code
                elif h.strong and best == 0:  # prefer the one county-level unit over townships of the same name
                    division_level = [c for c, k in h.options if k != TOWN]
                    if len(set(division_level)) == 1:
                        h.chosen = division_level[0]
            if h.chosen is not None and not h.strong and _score(gz, h.chosen, support) == 0:
                h.chosen = None  # a weak short name with no parent in the text is not a place
        previous = h
    return support


def _score(gz: Gazetteer, code: str, support: Counter[str]) -> int:
    """How much of the text supports the unit: mentions of its ancestors (not of itself)."""
    return sum(support[a] for a in _ancestors(gz, code)[:-1])


@lru_cache(maxsize=64)
def _mentions(text: str) -> tuple[PlaceMention, ...]:
    gz = gazetteer()
    hits = _scan(text, gz)
    _resolve_hits(hits, gz)
    out = []
    for h in hits:
        if h.chosen is None and not h.strong:
            continue
        kind = next(k for c, k in h.options if c == h.chosen) if h.chosen else h.options[0][1]
        place = gz.place(h.chosen) if h.chosen else None
        out.append(PlaceMention(h.surface, h.start, h.end, kind, place, len({c for c, _ in h.options})))
    return tuple(out)


def find_place_mentions(text: str) -> list[PlaceMention]:
    """Places named in `text`, in order. `place` is None where a name fits several units and nothing decides."""
    return list(_mentions(text))


def _code(place: Place) -> str:
    assert place.adcode is not None
    return place.adcode


def _support(mentions: tuple[PlaceMention, ...], gz: Gazetteer) -> Counter[str]:
    support: Counter[str] = Counter()
    for m in mentions:
        if m.place is not None:
            support.update(_ancestors(gz, _code(m.place)))
    return support


def _from_name(name: str, gz: Gazetteer, support: Counter[str]) -> Place | None:
    """A place at the start of the station's name (东兴边境派出所, 睦洲派出所) or named inside it."""
    options: dict[str, None] = {}
    s = _longest(name, 0, gz)
    if s and _STREET_AFTER.match(name, len(s)):
        return None  # 芜湖东路社区警务室 (in 合肥): a street named after a city says nothing of where it is
    stem = max((name[:k] for k in range(2, len(name)) if name[:k] in gz.stems), key=len, default=None)
    if s and (stem is None or len(s) >= len(stem)):
        if s in gz.common and not support:
            return None  # 平安派出所 with no place in the text
        options.update({c: None for c, _ in gz.surfaces[s]})
    elif stem and (stem not in gz.common or support):
        options.update({c: None for c in gz.stems[stem]})
    if not options:
        for m in _mentions(name):
            if m.place is not None:
                options[_code(m.place)] = None
    if not options:
        return None
    codes = list(options)
    if support:
        provinces = {c for c in support if gz.divisions[c].level == "province"}
        codes = [c for c in codes if _ancestors(gz, c)[0] in provinces] or []
    if not codes:
        return None
    scored = sorted(((_score(gz, c, support), c) for c in codes), reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return _common(gz, [c for sc, c in scored if sc == scored[0][0]])
    # several places in the name (新津公安花源派出所): the most specific one that agrees with the others
    best = scored[0][1]
    deeper = [m for m in _mentions(name) if m.place and best in _ancestors(gz, _code(m.place))]
    if deeper:
        best = _code(max(deeper, key=lambda m: len(_ancestors(gz, _code(m.place)))).place)  # type: ignore[arg-type]
    return gz.place(best)


def _common(gz: Gazetteer, codes: list[str]) -> Place | None:
    """The deepest division shared by all `codes`."""
    chains = [_ancestors(gz, c) for c in codes]
    shared = None
    for level in zip(*chains, strict=False):
        if len(set(level)) != 1:
            break
        shared = level[0]
    return gz.place(shared) if shared else None


def _consensus(gz: Gazetteer, weights: Counter[str]) -> Place | None:
    """The deepest chain that the weighted mentions agree on (≥ 3/4 of the weight at each level)."""
    chosen: str | None = None
    for level in ("province", "city", "county"):
        votes: Counter[str] = Counter()
        for code, w in weights.items():
            chain = _ancestors(gz, code)
            if chosen is not None and chosen not in chain:
                continue
            at = [c for c in chain if gz.divisions[c].level == level]
            if at:
                votes[at[0]] += w
        if not votes:
            if level == "city" and chosen is not None:
                continue  # counties directly under a province (可克达拉市)
            break
        top, w = votes.most_common(1)[0]
        if w < 0.75 * sum(votes.values()):
            break
        chosen = top
    return gz.place(chosen) if chosen else None


def names_a_place(name: str) -> bool:
    """Whether the unit's own name holds a place (东兴边境派出所), as opposed to a landmark (景迈山警务室)."""
    gz = gazetteer()
    stem = any(name[:k] in gz.stems for k in range(2, len(name)))
    return _longest(name, 0, gz) is not None or stem or any(m.place for m in _mentions(name))


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding position `at` begins."""
    return max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)


def resolve_place(name: str, text: str) -> Place:
    """The most specific place of the station `name` that `text` supports; fields are None where unknown."""
    gz = gazetteer()
    mentions = _mentions(text)
    # the station's own place word must not vouch for itself: every 铜陵 in a report on 铜陵派出所 of 福建东山县
    # would otherwise outvote the 福建 and 东山县 the text actually names
    own = {m.text for m in _mentions(name)}
    support = _support(tuple(m for m in mentions if m.text not in own), gz)
    place = _from_name(name, gz, support)
    if place is not None:
        return place
    placed = [m for m in mentions if m.place is not None]
    at = text.find(name)
    if at >= 0:
        # places in the station's own sentence, before its name (南宁市良庆区玉洞派出所, 在三道河乡,边境派出所)
        start = sentence_start(text, at)
        local = [m for m in placed if start <= m.start and m.end <= at]
        if local:
            return local[-1].place  # type: ignore[return-value]
    weights: Counter[str] = Counter()
    for m in placed:
        weights[_code(m.place)] += 1  # type: ignore[arg-type]
    return _consensus(gz, weights) or Place()
