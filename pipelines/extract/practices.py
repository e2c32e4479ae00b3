"""Named policing practices (methods, mechanisms, teams, campaigns) and slogans in a clean simplified article.

Reports name their practices the same few ways, so the rules are about *shape*, never about particular names:

1. a quoted label followed by a head noun: “三X一Y”工作机制, “…”群防队伍, “…”党建品牌, “A”“B”活动;
2. a quoted label right after a mechanism verb: 实行“…”, 创立“…”, 开展“…”, 以“…”为抓手;
3. a quoted or 《book-title》 label that carries its own head noun: “…调解团”, “…说事点”, “…义警队”;
4. unquoted named teams, alliances and rooms after 的/了/、 or a founding verb: …的XX先锋队, 成立XX联盟;
5. a section heading “X,…” whose first clause X is used again in the body or is a numeral formula (三A三B三C);
6. 开展XX系列行动 / 专项行动 (a named campaign without quotes).

What is *not* a practice, decided by the same kind of evidence:

- quoted speech: anything holding 。！？, or long;
- slogans and goals: parallel clauses (“A、B、C”, “A，B”), a slogan head after the quote (目标, 理念, 宗旨,
  思想, 格局, 愿景), 以“…”为核心, and the generic goal shapes in `SLOGAN_SHAPES` (…不上交, …不出村, …不出事);
- nicknames: a label after 成了/成为/是…的 (成了群众心中的“暖心站”) or without verb and head;
- abstract terms: labels ending in 经验/精神, enumerations of single characters (“人、地、物、事、组织”);
- stations and honours: labels ending in a unit kind (派出所, 警务室, 大队 …);
- components of a formula quoted elsewhere (“A+B+C” makes 搭建“A” a part, not a practice).

One `PracticeMention` is returned per distinct practice (and per distinct slogan) in the article; variants are
unified when one label ends with another (反诈联盟 → 校园反诈联盟, 义警 → 睦洲义警).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.text.segment import split_sentences


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


CATEGORIES: dict[str, str] = {
    "mediation": "dispute mediation and resolution mechanisms, mediator teams and talk-it-out points (说事点)",
    "volunteers_mass_prevention": "义警 and other volunteer or mass-prevention teams, joint patrols, informants",
    "anti_fraud": "anti-fraud alliances, groups, broadcasts and campaigns",
    "party_building": "Party-building brands, Party-organisation pairing, team discipline and assessment systems",
    "grid_community_policing": "grid policing, resident/village officers, household visits, officer-to-unit assignment",
    "technology_data": "data platforms, mini-programs, online check-in, risk heat maps, opinion monitoring",
    "public_service": "services for residents: certificates, reception rooms, help for the needy, request handling",
    "border_immigration": "border and immigration control work",
    "schools_youth": "work aimed at schools, pupils and students",
    "publicity_legal_education": "legal and safety publicity, open days, community police schools, media columns",
}

# Keyword rules (see `categorize`): a keyword in the name weighs more than one in the describing sentence. Order
# is the tie-break: a more specific purpose or audience (anti-fraud, schools) beats a generic method word.
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    # fraud is the purpose even when the audience is a school (校园反诈联盟)
    "anti_fraud": _words("反诈 诈骗 防骗 防诈 电诈"),
    # the audience decides: a legal-education post for a class teacher is school work
    "schools_youth": _words("校园 学校 学生 师生 护校 护学 班主任 中小学 幼儿园 青少年 霸凌 少年"),
    "mediation": _words("调解 调处 纠纷 说事 说理 联调 矛盾 化解 议事 评理"),
    "volunteers_mass_prevention": _words("义警 群防 联防 治保 卫士 巡防 巡逻 巡 志愿 哨兵 警队 联勤 守望 信息员 楼长"),
    "party_building": _words("党建 党旗 党支部 党组织 党员 红色 队建 考核 党务 纪律 作风"),
    "technology_data": _words(
        "互联网 大数据 数据 平台 小程序 线上 打卡 热力图 智能 舆情 信息化 app 微警务 视频 监测 预警 无人机"
    ),
    "grid_community_policing": _words("网格 社区警务 驻村 走访 警务室 警网 警务 入户 包联 挂点 家访"),
    "public_service": _words(
        "办实事 服务 便民 接待 送证 上门 诉求 困难 帮扶 一站式 投诉 民情 满意度 求助 救助 办证 民生 关爱 孤寡 低保 残疾"
    ),
    "publicity_legal_education": _words("宣传 宣讲 普法 法治 法制 守法 开放日 栏目 警校 讲座 短视频 课堂 科普"),
    "border_immigration": _words("护边 边民 出入境 口岸 偷越 边境管控 抵边 界河"),
}

# Generic goal shapes: what a unit promises, never how it works.
SLOGAN_SHAPES = re.compile(r"[\u4e00-\u9fff]{2}(?:不上交|不出村|不出事|不出镇)")

# Head nouns that make a quoted label a practice; the last one in the phrase names it (…队伍考核制度 is a 制度).
_PRACTICE_HEADS = _words(
    "工作机制 工作模式 工作法 调解法 机制 模式 工程 品牌 体系 制度 平台 栏目 小程序 联盟 队伍 服务站 "
    "说事点 工作室 活动 行动 服务 单元 调解团 义警队 警队 队 团"
)
_WEAK_HEADS = ("小程序", "App", "APP", "公众号")  # apps a station may merely promote: need a verb too
_SLOGAN_HEADS = ("目标", "理念", "宗旨", "思想", "格局", "愿景", "口号")
# Heads a label may end with by itself (“百人调解团”, “…说事点”, “家庭暴力投诉站”, 《…机制》).
_LABEL_HEADS = re.compile(
    r"(?:工作法|调解法|机制|模式|工程|品牌|平台|栏目|小程序|联盟|说事点|服务站|投诉站|举报站|工作室|调解团|"
    r"义警队|警队|[^\W\d]队|团)$"
)
_STATION_ENDINGS = re.compile(r"(?:派出所|警务室|大队|支队|中队|公安局|分局|检查站|边防站)$")
_ABSTRACT_ENDINGS = re.compile(r"(?:经验|精神)$")

_MECHANISM_VERBS = _words(
    "建立 推行 创新 打造 实行 推出 成立 形成 探索 运用 创立 创建 设立 开展 实施 推进 深化 组建 组织 依托 "
    "搭建 构建 开发 制定 启动 采取 采用 聘为 推动 引入 首创 试行 建设 绘制 组成 出台 培育"
)
_VERB_RE = re.compile("|".join(_MECHANISM_VERBS))
_FOUNDING_AFTER = re.compile(r"^(?:正式|先后|挂牌|相继|已)*成立")
_YI_WEI = re.compile(r"以$")
_YI_WEI_PRACTICE = re.compile(r"^为(?:牵引|抓手|依托|载体|平台|支撑)")
_YI_WEI_SLOGAN = re.compile(r"^为(?:核心|引领|宗旨|根本|目标|根基)")
_NICKNAME_BEFORE = re.compile(
    r"(?:(?:成了|成为了?|当好|争做|做好|堪称|被称为|称为|誉为|变成)[^，,。；;：:]{0,12}|这颗|这个|这一|这支|这张|这块)$"
)
# 是指“…” explains a formula; 从“A”向“B” describes a change; 划分为“…” lists a taxonomy's parts
_EXPLANATION_BEFORE = re.compile(r"(?:是指|即|指的是|划分为|分为)$")
_CHANGE = (re.compile(r"(?:从|由)$"), re.compile(r"^(?:向|到|转)"))

_QUOTE = re.compile(r"“([^“”\n]{1,40})”|「([^「」\n]{1,40})」|《([^《》\n]{1,30})》")
_CLAUSE_BREAK = set("，,。；;：:！？!?\n（）()")
# a head noun is looked for up to a clause break, a conjunction or a verb that starts a new predicate
_GAP_STOP = set("，,。；;：:！？!?\n、“”《》（）() 的和及与或并为是从向把让使被")
_SPEECH = re.compile(r"[。！？!?]")
_ENUM_SEP = re.compile(r"[、，,]")
_NUMERALS = "一二三四五六七八九十两百千万0123456789"
_NUMERAL_ABBREV = re.compile(rf"^[{_NUMERALS}][^\W\d]{{0,2}}[{_NUMERALS}]?[^\W\d]{{0,2}}$")
_NUMERAL_FORMULA = re.compile(rf"^(?:[{_NUMERALS}][^\W\d{_NUMERALS}]{{1,2}}){{2,4}}$")
_ASCII_FORMULA = re.compile(r"[0-9A-Za-z].*\+|\+.*[0-9A-Za-z]")
_HEADING_LABEL = re.compile(r"^([\u4e00-\u9fff]{3,8})[,，]")
# 开展XX专项行动, and a counted recurring event (警营开放日28次)
_CAMPAIGN = re.compile(
    r"(?:开展|实施|推进|组织|举办)([\u4e00-\u9fff]{2,6}?)(?:系列行动|专项行动|专项活动|主题活动)"
    r"|(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2}开放日)(?:活动)?[\d一二三四五六七八九十]"
)
_UNQUOTED_TEAM = re.compile(
    r"(?:先锋队|联防队|治保队|联勤队|义警队|巡防队|志愿队|护校队|调解队|宣讲团|调解团|联盟|工作室|服务站)(?![员群长])"
)
_UNQUOTED_BOUNDARY = re.compile(r"的|了|、|个|支|" + "|".join(_MECHANISM_VERBS))
# 建立XX机制 / 启动XX机制: a mechanism named without quotes; only the founding verbs, since 形成/打造 + 机制
# usually describes an outcome (形成…化解机制) rather than naming one
_UNQUOTED_MECHANISM = re.compile(
    r"(?:建立健全|建立起?|启动|推出|推行|实行|落实)([\u4e00-\u9fff、]{3,12}?(?:机制|制度))"
    r"|(?<=[”和])(民警[\u4e00-\u9fff]{2,8}制度)"  # …模式和民警驻村议事制度: a police rule named in a list
)
_CAPTION_END = re.compile(r"(?:摄|供图|图)\s*$")


@dataclass(frozen=True)
class PracticeMention:
    """One practice (or slogan) of an article, with the sentence that best introduces it."""

    name: str  # label as written, quotes removed
    normalized: str  # unified across the article's variants; formula labels carry their head noun
    category: str  # a key of CATEGORIES ("" for slogans)
    start: int  # span of the label in the text (best mention)
    end: int
    sentence_start: int
    sentence_end: int
    kind: str = "practice"  # "practice" | "slogan"
    mentions: tuple[tuple[int, int], ...] = field(default=())  # every span of every variant


@dataclass
class _Candidate:
    name: str
    normalized: str
    start: int
    end: int
    kind: str
    score: int  # how well this mention introduces the practice (verb, head noun, not a caption)
    described: str = ""  # label with its head noun (“群防群治”小程序), what categorisation reads


def categorize(name: str, context: str) -> str:
    """Category by keyword rules: a keyword in the name counts three, the describing sentence (without the
    name) adds at most three.

    The name usually says what the practice is (…调解法, …义警); the sentence breaks ties and covers opaque
    names (三官一律一网格 is explained by 矛盾纠纷…调解). Equal scores go to the earlier category in
    CATEGORY_KEYWORDS; with no keyword at all the practice is filed under public_service.
    """
    name = name.lower()
    context = context.lower().replace(name, "") if name else context.lower()
    name_scores, context_scores = keyword_hits(name), keyword_hits(context)
    scores = {cat: 3 * name_scores[cat] + min(3, context_scores[cat]) for cat in CATEGORY_KEYWORDS}
    best = max(scores.values())
    if not best:
        return "public_service"
    # on equal totals the name's own evidence wins, then the order of CATEGORY_KEYWORDS
    return max((cat for cat in scores if scores[cat] == best), key=lambda cat: name_scores[cat])


_KEYWORDS_LONGEST_FIRST = sorted(
    ((k.lower(), cat) for cat, keys in CATEGORY_KEYWORDS.items() for k in keys), key=lambda kc: -len(kc[0])
)


# The same keywords by first character, each with its place in that order: a text is only searched for the
# keywords that start with one of its characters (a few of the hundred and more), in the same order.
_KEYWORDS_BY_FIRST: dict[str, list[tuple[int, str, str]]] = {}
for _rank, (_keyword, _category) in enumerate(_KEYWORDS_LONGEST_FIRST):
    _KEYWORDS_BY_FIRST.setdefault(_keyword[0], []).append((_rank, _keyword, _category))


def keyword_hits(text: str) -> dict[str, int]:
    """Keyword counts per category, longest keyword first and without overlaps (大数据 is not also 数据)."""
    hits = dict.fromkeys(CATEGORY_KEYWORDS, 0)
    text = text.lower()
    # a keyword missing from the text cannot appear later: replacing a found one with "\0" joins no characters
    for _, keyword, cat in sorted(entry for ch in set(text) for entry in _KEYWORDS_BY_FIRST.get(ch, ())):
        count = text.count(keyword)
        if count:
            hits[cat] += count
            text = text.replace(keyword, "\0")
    return hits


def find_practices(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[PracticeMention]:
    """Practices and slogans of one article, one entry each, in order of first appearance."""
    if sentences is None:
        sentences = [(s.start, s.end) for s in split_sentences(text)]
    sentences = sorted(sentences)
    quotes = _quotes(text)
    components = _formula_components(quotes)
    candidates: list[_Candidate] = []
    runs = _quote_runs(text, quotes)
    for index, (start, end, label, bracket) in enumerate(quotes):
        candidate = _judge_quote(text, start, end, label, bracket, runs[index], components)
        if candidate:
            candidates.append(candidate)
    masked = _mask_quotes(text, quotes)
    candidates += _unquoted_teams(text, masked)
    candidates += _campaigns(masked)
    candidates += _unquoted_mechanisms(masked)
    candidates += _slogan_shapes(masked)
    candidates += _headings(text, sentences, candidates)
    return _group(text, sentences, candidates)


# ---------------------------------------------------------------------------------------------- quoted labels


def _quotes(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, bracket) of each quoted label; start/end span the label without its quotes."""
    out = []
    for match in _QUOTE.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        label = match.group(group)
        lead = len(label) - len(label.lstrip())
        label = label.strip()
        if label:
            start = match.start(group) + lead
            out.append((start, start + len(label), label, "《" if group == 3 else "“"))
    return out


def _quote_runs(text: str, quotes: list[tuple[int, int, str, str]]) -> list[tuple[int, bool]]:
    """For each quote: where the run of adjacent quotes (“A”“B”、“C”) ends, and whether it is in a run.

    Quotes in one run share the head noun after the last one: “A”“B”活动 names two campaigns.
    """
    ends = [q[1] + 1 for q in quotes]
    run_end = list(ends)
    in_run = [False] * len(quotes)
    for i in range(len(quotes) - 2, -1, -1):
        between = text[ends[i] : quotes[i + 1][0] - 1]
        if between in ("", "、"):
            run_end[i] = run_end[i + 1]
            in_run[i] = in_run[i + 1] = True
    return list(zip(run_end, in_run, strict=True))


def _formula_components(quotes: list[tuple[int, int, str, str]]) -> set[str]:
    """Parts of quoted “A+B+C” formulas: quoted again on their own they describe the formula, not new practices."""
    parts: set[str] = set()
    for _, _, label, _ in quotes:
        if "+" in label:
            parts.update(p.strip() for p in label.split("+") if len(p.strip()) >= 2)
    return parts


def _tail_head(text: str, pos: int) -> tuple[str, str, str, bool]:
    """The head noun after a quote: (kind "practice"|"slogan"|"", gap, head, via 的).

    The gap may hold modifiers (“4+N”矛盾纠纷多元…综合机制) but no punctuation, conjunction or a second 的:
    “线上+线下”无缝衔接的沟通平台 is a description of a platform, not the platform's name.
    """
    via_de = text.startswith("的", pos)
    i = pos + 1 if via_de else pos
    window = []
    while i < len(text) and len(window) < 18 and text[i] not in _GAP_STOP:
        window.append(text[i])
        i += 1
    tail = "".join(window)
    best: tuple[str, str, str, bool] = ("", "", "", via_de)
    best_end = -1
    for kind, heads in (("practice", _PRACTICE_HEADS), ("slogan", _SLOGAN_HEADS)):
        for head in heads:
            if head not in tail:  # most heads: a substring test is far cheaper than compiling a pattern
                continue
            for m in re.finditer(re.escape(head), tail):
                if head.endswith("队") and tail[m.end() : m.end() + 1] in ("员", "长"):
                    continue
                # the last head in the phrase names it: “四个一”队伍考核制度 is a 制度
                if m.end() > best_end or (m.end() == best_end and len(head) > len(best[2])):
                    best = (kind, tail[: m.start()], head, via_de)
                    best_end = m.end()
    return best


def _clause_before(text: str, start: int) -> str:
    """The text of the clause before a quote (back to the last comma or full stop; 、 does not end it)."""
    i = start - 1
    while i >= 0 and text[i] not in _CLAUSE_BREAK and start - i <= 40:
        i -= 1
    return text[i + 1 : start - 1]


def _verb_before(clause: str) -> bool:
    """A mechanism verb introduces the quote, with no other quote between them (依托“A”这颗“B”: only A)."""
    matches = list(_VERB_RE.finditer(clause))
    if not matches:
        return False
    gap = clause[matches[-1].end() :]
    return len(gap) <= 24 and "“" not in gap and "”" not in gap


_NUMERAL_LABEL = re.compile(rf"[{_NUMERALS}][\u4e00-\u9fff]{{1,2}}")
_LABEL_EXPANSION_AFTER = re.compile(rf"的[\u4e00-\u9fff]{{0,3}}[{_NUMERALS}][\u4e00-\u9fff]")


def _is_enumeration(label: str) -> bool:
    return bool(_ENUM_SEP.search(label))


def _slogan_like(label: str) -> bool:
    """Parallel short clauses (“早发现、早介入、早化解”, “警力有限,民力无穷”), not a list of single words."""
    parts = [p for p in _ENUM_SEP.split(label) if p]
    return (
        len(parts) >= 2
        and all(2 <= len(p) <= 10 for p in parts)
        and not any("的" in p for p in parts)
        and len(label) <= 40
    )


def _judge_quote(
    text: str,
    start: int,
    end: int,
    label: str,
    bracket: str,
    run: tuple[int, bool],
    components: set[str],
) -> _Candidate | None:
    """Practice, slogan or nothing for one quoted label, from its shape and the words around it."""
    run_end, in_run = run
    if len(label) < 2 or len(label) > 30 or _SPEECH.search(label) or "\ufffd" in label or "‘" in label:
        return None
    if _STATION_ENDINGS.search(label) or _ABSTRACT_ENDINGS.search(label):
        return None
    clause = _clause_before(text, start)
    after = end + 1
    if _EXPLANATION_BEFORE.search(clause) or (_CHANGE[0].search(clause) and _CHANGE[1].match(text[after:])):
        return None
    enumerated = _is_enumeration(label)
    tail = text[after : after + 10]
    if _NUMERAL_LABEL.fullmatch(label) and re.search(r"[”」]的[“「]?$", text[:start]):
        return None  # “听民声、暖民心、解民忧”的“三民”: an abbreviation of the quote before it, already kept
    if enumerated and _LABEL_EXPANSION_AFTER.match(tail):
        return None  # “防事故、防诈骗…”的安全四防: the content of a numbered label, not a slogan of its own
    if SLOGAN_SHAPES.fullmatch(label) or (SLOGAN_SHAPES.search(label) and _slogan_like(label)):
        return _Candidate(label, label, start, end, "slogan", 0)
    if label in components and "+" not in label:
        return None
    if _NICKNAME_BEFORE.search(clause):
        return None
    if _YI_WEI.search(clause):
        if _YI_WEI_SLOGAN.match(text[after:]):
            return _Candidate(label, label, start, end, "slogan", 0)
        if _YI_WEI_PRACTICE.match(text[after:]):
            return _Candidate(label, label, start, end, "practice", 2)
    kind, gap, head, via_de = _tail_head(text, after)
    if in_run and not kind:
        kind, gap, head, via_de = _tail_head(text, run_end)
    verb = _verb_before(clause)
    if kind == "slogan":
        if enumerated and not _slogan_like(label):
            return None
        return _Candidate(label, label, start, end, "slogan", 0)
    if kind == "practice" and head in _WEAK_HEADS and not verb:
        return None
    if kind == "practice":
        if enumerated and (via_de or in_run):
            return _Candidate(label, label, start, end, "slogan", 0) if _slogan_like(label) else None
        name, normalized = _names(label, gap, head, via_de)
        return _Candidate(name, normalized, start, end, "practice", 3 + (1 if verb else 0), label + gap + head)
    if enumerated:
        return _Candidate(label, label, start, end, "slogan", 0) if _slogan_like(label) else None
    if "+" in label:
        # a formula is a practice when it counts its parts (“1警+3辅+N网格员”, “五个A+五个B”)
        if re.search(rf"[{_NUMERALS}A-Za-z]", label):
            return _Candidate(label, label, start, end, "practice", 2 if verb else 1)
        return _Candidate(label, label, start, end, "slogan", 0) if via_de else None
    if bracket == "《" and _LABEL_HEADS.search(label):
        return _Candidate(label, label, start, end, "practice", 3 if verb else 2)
    if _LABEL_HEADS.search(label) and len(label) >= 3:
        return _Candidate(label, label, start, end, "practice", 3 if verb else 2)
    if _FOUNDING_AFTER.match(text[after:]):
        return _Candidate(label, label, start, end, "practice", 4)
    if verb and not via_de:
        return _Candidate(label, label, start, end, "practice", 3)
    return None


def _names(label: str, gap: str, head: str, via_de: bool) -> tuple[str, str]:
    """(name, normalized): formulas and numeral abbreviations need their head noun to read as names."""
    if _ASCII_FORMULA.search(label) and not via_de:
        full = label + gap + head
        return full, full
    if _NUMERAL_ABBREV.match(label) and not via_de and len(label) <= 4:
        return label, label + gap + head
    return label, label


# ----------------------------------------------------------------------------------------- unquoted evidence


def _mask_quotes(text: str, quotes: list[tuple[int, int, str, str]]) -> str:
    """The text with quoted labels blanked, so unquoted rules never re-read a quote (same offsets)."""
    chars = list(text)
    for start, end, _, _ in quotes:
        for i in range(start, end):
            chars[i] = "□"
    return "".join(chars)


def _unquoted_teams(text: str, masked: str) -> list[_Candidate]:
    """Named teams, alliances and rooms written without quotes: 的红枫先锋队, 、蓝盾义警队, 成立XX联盟.

    The modifier must start right after 的/了/、/a count word/a founding verb: 让单位巡防队 (no such boundary) is
    a generic team, not a name.
    """
    out = []
    for match in _UNQUOTED_TEAM.finditer(masked):
        window_start = max(0, match.start() - 9)
        window = masked[window_start : match.start()]
        boundary = None
        for b in _UNQUOTED_BOUNDARY.finditer(window):
            boundary = b
        if boundary is None:
            continue
        begin = window_start + boundary.end()
        modifier = masked[begin : match.start()]
        if not 2 <= len(modifier) <= 7 or not re.fullmatch(r"[\u4e00-\u9fff]+", modifier):
            continue
        if modifier[0] in _NUMERALS or modifier[0] in "这该各每":
            continue
        name = text[begin : match.end()]
        verb = bool(_VERB_RE.search(window))
        out.append(_Candidate(name, name, begin, match.end(), "practice", 3 if verb else 1))
    return out


def _campaigns(masked: str) -> list[_Candidate]:
    """开展XX系列行动: a named campaign written without quotes."""
    out = []
    for m in _CAMPAIGN.finditer(masked):
        g = 1 if m.group(1) else 2
        out.append(_Candidate(m.group(g), m.group(g), m.start(g), m.end(g), "practice", 3))
    return out


def _unquoted_mechanisms(masked: str) -> list[_Candidate]:
    """建立困难群众XX机制: a founding verb directly before a mechanism noun phrase."""
    out = []
    for m in _UNQUOTED_MECHANISM.finditer(masked):
        g = 1 if m.group(1) else 2
        name = m.group(g)
        if "□" in name or name.startswith(("了", "和", "的")):
            continue
        out.append(_Candidate(name, name, m.start(g), m.end(g), "practice", 4))
    return out


def _slogan_shapes(masked: str) -> list[_Candidate]:
    """Unquoted generic goals (确保平安不出事 → 平安不出事), usually in section headings."""
    return [_Candidate(m.group(), m.group(), m.start(), m.end(), "slogan", 0) for m in SLOGAN_SHAPES.finditer(masked)]


def _headings(text: str, sentences: Sequence[tuple[int, int]], found: list[_Candidate]) -> list[_Candidate]:
    """Section headings “X,does Y”: X is a practice when the body uses X again or X is a numeral formula."""
    out = []
    known = [c.name for c in found if c.kind == "practice"]
    for start, end in sentences:
        line = text[start:end]
        if _SPEECH.search(line[-1:]) or "\n" in line or len(line) > 30:
            continue
        if (start > 0 and text[start - 1] != "\n") or (end < len(text) and text[end] != "\n"):
            continue
        match = _HEADING_LABEL.match(line)
        if not match:
            continue
        label = match.group(1)
        rest = text[:start] + text[end:]
        prefix = next((k for k in known if label.startswith(k) and len(k) >= 2), None)
        if prefix:
            out.append(_Candidate(prefix, prefix, start, start + len(prefix), "practice", 1))
        elif label in rest or _NUMERAL_FORMULA.match(label):
            out.append(_Candidate(label, label, start, start + len(label), "practice", 1))
            body = text.find(label, end)
            body = body if body >= 0 else text.find(label)
            if body >= 0 and not start <= body < end:
                # the body sentence that uses the heading's label describes it better than the heading
                out.append(_Candidate(label, label, body, body + len(label), "practice", 2))
    return out


# ------------------------------------------------------------------------------------------------- grouping


def _sentence_of(sentences: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in sentences:
        if start <= pos < end:
            return start, end
    return pos, pos


def _is_caption(text: str, sentence: tuple[int, int]) -> bool:
    """Photo captions end their line with the photographer's credit (…。付浩 摄)."""
    line_end = text.find("\n", sentence[1])
    line_end = len(text) if line_end < 0 else line_end
    return bool(_CAPTION_END.search(text[sentence[1] : line_end]))


def _group(text: str, sentences: Sequence[tuple[int, int]], candidates: list[_Candidate]) -> list[PracticeMention]:
    """One entry per practice: variants merge when one name ends with another (义警 → 睦洲义警)."""
    groups: list[list[_Candidate]] = []
    for cand in sorted(candidates, key=lambda c: (-len(c.name), -len(c.normalized), c.start)):
        for group in groups:
            head = group[0]
            if head.kind != cand.kind:
                continue
            same = cand.normalized == head.normalized or cand.name == head.name
            # slogans are merged only when identical: 小事不出村,矛盾不上交 is not 矛盾不上交
            variant = cand.kind == "practice" and len(cand.name) >= 2 and not _ASCII_FORMULA.search(cand.name)
            if same or (variant and head.name.endswith(cand.name)):
                group.append(cand)
                break
        else:
            groups.append([cand])
    out = []
    for group in groups:
        longest = group[0].name

        def rank(c: _Candidate, longest: str = longest) -> tuple[int, int]:
            sentence = _sentence_of(sentences, c.start)
            score = c.score + (1 if c.name == longest else 0) - (10 if _is_caption(text, sentence) else 0)
            return (-score, c.start)

        best = min(group, key=rank)
        normalized = min((c for c in group if c.name == longest), key=rank).normalized
        s_start, s_end = _sentence_of(sentences, best.start)
        category = ""
        if best.kind == "practice":
            described = max((c.described or c.normalized for c in group), key=len)
            category = categorize(described, text[s_start:s_end])
        spans = tuple(sorted({(c.start, c.end) for c in group}))
        out.append(
            PracticeMention(best.name, normalized, category, best.start, best.end, s_start, s_end, best.kind, spans)
        )
    out.sort(key=lambda m: m.mentions[0])
    return out
