"""Police units named in an article, their aliases and honours, and which unit each sentence is about.

Chinese has no spaces, so a unit name is found from its head (派出所, 边境管理大队, 公安局 …) and grown leftwards
over jieba tokens until a function word, a common verb, a numeral or punctuation; parent units and
administrative places in front are split off (广东省江门市公安局睦洲派出所 → 睦洲派出所, parent 江门市公安局).
Generic mentions (派出所, 该所, 支队, 大队) are resolved to a named unit of the same level. Every list below is
generic vocabulary: nothing names a particular station, so the rules carry over to unseen reports.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import jieba.posseg

from pipelines.extract.lac_units import unit_entities
from pipelines.extract.places import gazetteer
from pipelines.extract.quantities import parse_number
from pipelines.text.segment import pos_tokenizer, split_sentences, tokenizer

# ---------------------------------------------------------------------------------------------- vocabulary

# Unit heads, longest first so that 边境管理大队 wins over 大队 and 公安分局 over 分局.
_HEAD = re.compile(
    r"公安边防总队|边防总队|边防支队|边境管理支队|边境管理大队|边境派出所|派出所|警务工作站|警务服务站|警务站|警务室|公安分局|公安局|公安厅|公安处|警察局|警局|分局|支队|大队"
    r"|边境检查站|公安检查站|警署|警区|公安|警方|调解中心|调解室|工作站|所"
)
_ANAPHOR = re.compile(r"(?:该|本)(?:边境派出所|派出所|警务室|支队|大队|分局|局|所|办公室)")

_HEAD_KIND = {
    # the border police before 2019 (吉林省公安边防总队, 温州边防支队): a province's corps and a city's detachment
    "公安边防总队": "边防总队",
    "边防总队": "边防总队",
    "边防支队": "边防支队",
    "边境管理支队": "边境管理支队",
    "边境管理大队": "边境管理大队",
    "边境派出所": "边境派出所",
    "派出所": "派出所",
    "警务室": "警务室",
    "警务站": "警务站",
    "警务工作站": "警务工作站",
    "警务服务站": "警务服务站",
    "公安厅": "公安厅",
    "公安处": "公安处",
    "公安分局": "分局",
    "分局": "分局",
    "公安局": "公安局",
    "警察局": "警察局",  # a city's police bureau in Taiwan (台南市警察局), and in older mainland usage
    "警局": "警察局",  # Taiwanese shorthand for one (市警局, 中市警局); a bare 警局 names none
    "公安": "分局",  # an agency written as place + 公安 (新津公安) is a district bureau unless a 公安局 matches
    "警方": "公安局",  # a city's police written as 北京警方, 茂名警方
    # checkpoints, and Hong Kong's police districts and stations (观塘警区, 将军澳警署)
    "边境检查站": "边境检查站",
    "公安检查站": "公安检查站",
    "警区": "警区",
    "警署": "警署",
    "调解中心": "调解中心",
    "调解室": "调解中心",
}
_LEVEL = {
    "派出所": "suo",
    "边境派出所": "suo",
    "警务室": "room",
    "警务站": "room",
    "警务工作站": "room",
    "警务服务站": "room",
    "边境检查站": "suo",
    "公安检查站": "suo",
    "警署": "suo",
    "警区": "ju",
    "公安厅": "ting",
    "公安处": "chu",
    "边境管理支队": "zhidui",
    "边境管理大队": "dadui",
    "边防总队": "zongdui",
    "边防支队": "zhidui",
    "分局": "ju",
    "公安局": "ju",
    "警察局": "ju",
    "警局": "ju",
    "调解中心": "mediation",
}
# Kinds written into the name (tests/annotated/README.md: kind as written): 红土坡森林派出所 is a 森林派出所,
# 北京铁路公安处 a 铁路公安处; a 水上分局 or 机场派出所 keeps its plain head.
_SPECIALISED_KIND = re.compile(
    r"(?:森林|水上|水陆|边防|铁路)派出所$|(?:森林|铁路)公安局$|铁路公安处$|森林警察大队$|边防(?:总队|支队)$|分驻所$"
)


def _specialised_kind(name: str, kind: str, aliases: tuple[str, ...] = ()) -> str:
    m = _SPECIALISED_KIND.search(name)
    if m:
        return m.group(0)
    # a station of a railway police division (武汉铁路公安处汉口车站派出所) or named after a place's railway station
    # (同心火车站派出所; a city's own 火车站派出所 may be its bureau's) is a railway station, though its name does not
    # say 铁路
    railway = bool(re.search(r"..车站派出所$", name)) or any(re.search(r"铁路公安[处局].*派出所$", a) for a in aliases)
    return "铁路派出所" if kind == "派出所" and railway else kind


_ANAPHOR_LEVEL = {
    "所": "suo",
    "派出所": "suo",
    "边境派出所": "suo",
    "警务室": "room",
    "支队": "zhidui",
    "大队": "dadui",
    "分局": "ju",
    "局": "ju",
    "办公室": "other",  # 该办公室: Hong Kong's crime prevention offices
}
_GENERIC_HEAD_LEVEL = {"派出所": "suo", "边境派出所": "suo", "支队": "zhidui", "大队": "dadui"}
# Kinds a head written in full fixes; short heads (所, 大队, 公安) only guess and give way on merging.
_FULL_HEADS = {
    "公安边防总队", "边防总队", "边防支队", "边境管理支队", "边境管理大队", "边境派出所", "派出所", "警务室", "警务站",
    "警务工作站", "警务服务站", "公安分局", "公安局", "公安厅", "公安处", "分局", "警察局",
}  # fmt: skip
# A bureau written with only its level (市公安局, 省公安厅, 县公安局) is that bureau of the article's place.
_BARE_LEVEL_HEADS = {"公安局", "公安分局", "公安厅", "警局"}
_BARE_LEVELS = ("省", "市", "县", "区", "州", "旗", "盟")

# Single characters that end a name when they stand alone as a token (prepositions, particles, pronouns …).
_STOP_CHARS = set("在由对将与和及的是了为被到把从向等据让给经于以同跟使至往替请")
_STOP_CHARS |= set("这那该本各每其此有也又并还就都之而或即如若他她我你们")
# …and a separator, a role word's tail and a feature's "记" (新闻丨金贵派出所, 劝阻员西城公安分局, ——记青藏铁路公安局),
_STOP_CHARS |= set("丨员记队")  # …and a squad's 队 left by a parent the segmenter split (第八支/队/永兴)
# POS tags of dictionary words that cannot be inside a unit name (verbs, prepositions, conjunctions, adverbs …).
_BOUNDARY_POS = {
    "v", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "rr", "rz", "d", "ad", "vd", "t", "tg",
    "f", "q", "y", "e", "o", "vg", "dg", "zg", "m", "mq", "l", "i",
    "z",  # descriptive words (认真落实全省公安: no 认真落实全省 bureau); places among them are the gazetteer's
}  # fmt: skip
_SINGLE_BOUNDARY_POS = {"m", "t", "q", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d", "f", "y", "e", "o"}
# Common verbs and connectives that jieba sometimes tags as names (荣获/nr); they always end a name.
_STOP_WORDS = {
    "荣获", "获评", "获得", "评为", "授予", "荣立", "荣膺", "命名", "表彰", "先后", "以及", "包括", "其中", "通过",
    "作为", "位于", "来到", "前往", "协助", "配合", "联合", "依托", "推行", "成立", "组建", "打造", "建立", "负责",
    "代表", "会同", "同志", "充分发挥", "谢谢", "回归", "感谢", "走进", "走访", "来自", "联系", "发挥",
    "深化", "回到", "时任",
    "直击", "探访", "走近", "聚焦", "点赞", "揭秘", "实拍",  # a headline's verbs (记者直击派出所…)
    "大家", "参观", "制约",  # tagged as nouns (带大家参观派出所指挥室, 打通制约派出所发展的瓶颈)
    "设置", "升级", "记录", "发动",  # verbs tagged as nouns (乡则设置派出所, 警务室升级中心警务站, 用镜头记录派出所)
}  # fmt: skip
_LEADING_TRIM_POS = {"v", "vn", "a", "ad", "d"}
# Single-character verbs that open the phrase in front of a unit (走进/一进高桥派出所, 跑远路去派出所, 获…公安局表彰,
# 拿九户派出所来说).
# 随: 记者随…派出所民警; 做深派出所工作, 真当上…派出所, 没有一个不夸…派出所
_VERB_CHARS = set("进去获到来回找走跑报送赴受经请叫问拨联离可建占驻归拿像要听帮设随带做上夸")
# Chinese numerals end a name only where they count (三个派出所); 月 and other 'm' words are names' characters too.
_NUMERAL_CHARS = set("零〇一二三四五六七八九十百千万亿两几数半双个")  # 个: 120个街面警务站
_DATE_CHARS = {"年", "月", "日", "号", "月份"}
_LEAD_CHARS = _STOP_CHARS | _VERB_CHARS | set("得起对任向原")  # 原: former (原盛南公安检查站)
_UNIT_ENDS = set("所室站局队处厅")
_COUNTED_BY = re.compile(r"[0-9０-９〇零一二三四五六七八九十两]")
# A one-character stem of this kind (路, 村, 桥 …) is the tail of a place name the segmenter split (人民/路).
_PLACE_SUFFIX_CHARS = set("路街巷道桥村庄湾屯堡寨坝沟坪岭口铺集镇乡")
# What another public service's office (所) is named for: 市场监督管理所, 司法所, 财政所, 律师事务所 are not stations.
_OTHER_OFFICES = re.compile(
    r"(?:管理|监督|司法|税务|财政|卫生|事务|研究|服务|供电|水利|国土|工商|林业|农技|兽医|律师|公证|保健|培训|托管"
    r"|养老|交易|检验|检测|观测|测绘|设计|招待|农经|劳动|科研|医疗|房管|粮管|规划|环保|国土资源|动物防疫)$"
)
# Police kinds written as one word before a head (交警分局, 特警大队): not the Taiwanese 警 of 东港警分局
_POLICE_KIND_WORD = re.compile(r"[交巡特刑民武铁经网法]警$")


def _taiwanese_jing(word: str) -> bool:
    """A 警 ending a precinct's name as Taiwanese shorthand writes it (太平警分局, 东港警分局, 凤林警分局): the city
    police's 警, not a police kind (灵武交警分局)."""
    return word.endswith("警") and not _POLICE_KIND_WORD.search(word)
# Words before a head that say what kind of station is meant (基层派出所, 传统派出所, 行动派出所), whatever place
# is written before them: 北京市基层派出所 are the city's stations at the grassroots, not one of them.
_DESCRIBED_KINDS = frozenset({"基层", "传统", "行动", "各", "所有", "全部"})
# Words for a kind of place that a common word names (建设广场, 胜利大街, 和平新村).
_PLACE_TYPE_WORDS = frozenset({"广场", "大街", "大道", "新村", "花园", "公园"})
# Words that alone do not name a unit (社区警务室, 校园警务室, 一级公安派出所, 边境派出所 …).
_GENERIC_WORDS = {
    "公安", "边境", "社区", "校园", "微信", "一级", "二级", "三级", "四级", "驻村", "基层", "辖区", "当地", "城区",
    "农村", "乡镇", "全国", "全省", "全市", "全区", "各级", "各地", "所属", "属地", "移动", "流动", "智慧", "网上",
    "线上", "红色", "党建", "有关", "县城", "村居",
    "口岸", "群众", "人民", "百姓", "村", "镇", "乡", "街道", "中心", "综合", "专门",
    "新", "老", "总", "省", "市", "区", "县", "州", "本市", "本县", "本区", "上级", "下属", "相关", "附近", "周边",
    "城市", "乡村", "警务", "民警", "警察", "移民管理", "全县", "全镇", "全乡", "全州", "全旗", "全盟", "各", "所有",
    "其他", "其它", "下辖", "辖区内", "小小", "最小", "最大", "铁路", "边远", "偏远", "特色", "试点", "移动式",
    "草原", "核心", "农村牧区", "牧区", "山区", "林区", "景区", "全网", "最美", "一线", "基层一线", "大", "老牌",
    "年轻", "模范", "街面", "生态", "联勤", "便民", "边防", "等级", "驻地", "省际",
    "县级", "市级", "省级", "地区", "边远地区", "高原", "夫妻", "时代", "新时代", "公安机关",
}  # fmt: skip
_HONOUR_PREFIX = re.compile(
    r"枫桥|^全国|^全省|模范|示范|优秀|先进|标兵|满意|标杆|星级|[一二三四五]星$|文明|巾帼|十佳|百佳|最美|一级"
)  # 五星派出所: a rating
_PARENT_HEADS = (
    "公安分局", "公安局", "公安厅", "公安处", "警察局", "警局", "分局", "公安", "总站", "公安边防总队", "边防总队",
    "边防支队", "总队", "边境管理支队", "边境管理大队",
    "支队", "大队",
)  # fmt: skip
# A unit's name never holds a station: a post written after its station (包公派出所芜湖东路社区警务室) is the post.
_STATION_HEADS = ("边境派出所", "派出所")
_PARENT_KIND = {
    "局": "公安局",
    "公安厅": "公安厅",
    "公安处": "公安处",
    "公安分局": "分局",
    "分局": "分局",
    "公安局": "公安局",
    "警察局": "警察局",
    "警局": "警察局",  # 云林县警局北港警分局: a Taiwanese county's police, the precinct's parent
    "公安": "分局",
    "边境管理支队": "边境管理支队",
    "边境管理大队": "边境管理大队",
    "公安边防总队": "边防总队",
    "边防总队": "边防总队",
    "边防支队": "边防支队",
}
_PROVINCE_OR_CITY = re.compile(r"[\u4e00-\u9fff]{2,7}(?:省|市|自治区|自治州|地区|盟)")
_ADMIN_TOKEN = re.compile(r"^..*(?:省|市|区|县|州|盟|旗|自治区)$")
_PROPER_POS = {"ns", "nr", "nrt", "nz", "nrfg", "nt", "x", "eng", "j"}
_PLACE_POS = {"ns"}
_DIGIT = re.compile(r"[0-9０-９]")
_PLACES_COUNTED = re.compile(r"[两二三四五六七八九十]+[地省市县区]")
_TERMINAL = re.compile(r"[A-Z][0-9]")  # T2, T3: a terminal's code
_WORDLIKE = re.compile(r"[\w]")
_MAX_NAME_TOKENS = 10
_MAX_NAME_CHARS = 24

# Honours: a verb of conferral, then a list of titles separated by 、.
_AWARD_VERB = re.compile(r"获评|荣获|被评为|评定为|评为|命名为|授予|荣膺|荣立|获得")
_HONOUR_HEAD = re.compile(r"单位|集体|示范|先进|模范|标兵|嘉奖|功|派出所|党支部|荣誉|奖|称号")
_COUNTED = re.compile(r"[0-9一二三四五六七八九十两]+(?:次|项|人次|个)$")
_INDIVIDUAL = re.compile(r"民警|辅警|人次|[0-9一二三四五六七八九十两]+[名人]|队员|个人|警官")
_CLAUSE_END = re.compile(r"[,，;；:：。！？!?]")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
    "贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_FENGQIAO_TITLE = re.compile(
    rf"(?:全国第[一二三四五六七八九十0-9]+批|全国|全省|(?:{_PROVINCES})(?:省|市|[\u4e00-\u9fff]{{0,4}}自治区)?)?"
    r"“枫桥式公安派出所”"
)
_COUNTED_TITLE = re.compile(r"[0-9一二三四五六七八九十两百千]+(?:个|家|所)[^，,。；;：:“”]{0,12}$")
_BATCH = re.compile(r"第([一二三四五六七八九十0-9]+)批")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})年(?!以来|来)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


# ---------------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Honour:
    """A title or citation conferred on a unit (全国第三批“枫桥式公安派出所”, 集体二等功 without a count)."""

    text: str
    batch: int | None
    year: int | None
    level: str | None  # national | provincial | municipal | county | None
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """One place in the text that refers to a unit; `station` is None when it could not be resolved."""

    start: int
    end: int
    surface: str
    station: str | None
    generic: bool = False  # 派出所, 支队 … resolved from context
    anaphor: bool = False  # 该所, 本所 …
    nested: bool = False  # a parent unit written inside another unit's full name
    in_honour: bool = False  # inside an honour's text (an award-giver, not the subject)


@dataclass(frozen=True)
class Station:
    name: str
    kind: str
    aliases: tuple[str, ...]
    mentions: tuple[tuple[int, int], ...]
    honours: tuple[Honour, ...]
    first_mention: int


@dataclass(frozen=True)
class StationReport:
    """The units of one article and the means to say which of them any sentence is about."""

    text: str
    stations: tuple[Station, ...]
    mentions: tuple[Mention, ...]
    main: str | None
    _lines: tuple[int, ...] = field(default=(), repr=False)  # start offset of each line
    # (line start, station) of each section heading of a report on several units (`_section_heads`)
    _sections: tuple[tuple[int, str], ...] = field(default=(), repr=False)

    def station(self, name: str) -> Station | None:
        """The station with this canonical name or alias (aliases like 该所 are article-local)."""
        for st in self.stations:
            if st.name == name or name in st.aliases:
                return st
        return None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Resolved mentions that lie inside [start, end), in text order."""
        return [m for m in self.mentions if m.station and m.start >= start and m.end <= end]

    def station_at(self, start: int, end: int) -> str | None:
        """The unit a sentence is about: its own first mention, else the latest in its paragraph, else the unit
        whose section it is in (a report on several units under headings such as 西江派出所：…), else `main`."""
        return self.attribution(start, end)[0]

    def attribution(self, start: int, end: int) -> tuple[str | None, str]:
        """`station_at` with the evidence it rests on: `sentence` (named there), `paragraph`, `section`, `main`
        (the article's main unit), or `none`."""
        own = [m for m in self.mentions_in(start, end) if not m.nested and not m.in_honour]
        if own:
            return own[0].station, "sentence"
        line = self._line_start(start)
        before = [
            m
            for m in self.mentions
            if m.station and not m.nested and not m.in_honour and line <= m.start and m.end <= start
        ]
        if before:
            return before[-1].station, "paragraph"
        heads = [station for at, station in self._sections if at <= start]
        if heads:
            return heads[-1], "section"
        return self.main, "main" if self.main else "none"

    def _line_start(self, pos: int) -> int:
        i = bisect.bisect_right(self._lines, pos) - 1
        return self._lines[i] if i >= 0 else 0


# ---------------------------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    word: str
    flag: str


def _pos_tokens(text: str, offset: int) -> list[_Tok]:
    return [_Tok(offset + at, offset + at + len(word), word, flag) for at, word, flag in _tagged(text)]


@lru_cache(maxsize=4096)
def _tagged(text: str) -> tuple[tuple[int, str, str], ...]:
    """(start, word, flag) of each tagged token of one piece. Cached: the pieces in front of a unit's head are
    mostly station and place names, which recur across a batch's articles, and the HMM tagger is slow."""
    toks: list[tuple[int, str, str]] = []
    pos = 0
    for pair in pos_tokenizer().cut(text):
        word = pair.word
        at = text.find(word, pos)
        if at < 0:
            continue
        toks.append((at, word, pair.flag))
        pos = at + len(word)
    return tuple(toks)


class _LineTokens:
    """The POS tokens of one line, tagged piece by piece when first asked for.

    jieba's tagger splits its input into runs of Han/alphanumeric characters and tags each run on its own
    (`posseg.re_han_internal`), so tagging only the runs in front of a unit's head gives exactly the tokens a
    whole-line pass would, at a fraction of the cost: the HMM tagger was two thirds of extraction's time.
    """

    def __init__(self, line: str, offset: int) -> None:
        self._line, self._offset = line, offset
        self._pieces: list[tuple[int, str]] = []
        pos = offset
        for piece in jieba.posseg.re_han_internal.split(line):
            if piece:
                self._pieces.append((pos, piece))
                pos += len(piece)
        self._starts = [start for start, _ in self._pieces]
        self._tagged: dict[int, list[_Tok]] = {}

    def _piece(self, k: int) -> list[_Tok]:
        if k not in self._tagged:
            start, piece = self._pieces[k]
            self._tagged[k] = _pos_tokens(piece, start)
        return self._tagged[k]

    def text_before(self, pos: int, length: int) -> str:
        """Up to `length` characters of the line that end at `pos`."""
        end = pos - self._offset
        return self._line[max(0, end - length) : end]

    def before(self, pos: int) -> Iterator[_Tok]:
        """Tokens starting before `pos`, nearest first."""
        k = bisect.bisect_left(self._starts, pos) - 1
        while k >= 0:
            for tok in reversed(self._piece(k)):
                if tok.start < pos:
                    yield tok
            k -= 1

    def at(self, pos: int) -> _Tok | None:
        """The token starting at `pos`, if one does."""
        k = bisect.bisect_right(self._starts, pos) - 1
        if k < 0:
            return None
        return next((tok for tok in self._piece(k) if tok.start == pos), None)


def _freq(word: str) -> int | None:
    return tokenizer().FREQ.get(word) or None


def _is_boundary(tok: _Tok) -> bool:
    if _TERMINAL.fullmatch(tok.word):
        return False  # T2航站楼派出所: a terminal's or building's code is part of the name
    if not _WORDLIKE.search(tok.word) or _DIGIT.search(tok.word) or "\ufffd" in tok.word:
        return True
    if len(tok.word) == 1:
        if tok.word in _STOP_CHARS or (tok.word in _VERB_CHARS and tok.flag.startswith("v")):
            return True
        return tok.flag in _SINGLE_BOUNDARY_POS and (tok.flag != "m" or tok.word in _NUMERAL_CHARS)
    if _freq(tok.word) is None and tok.word[-1] in _STOP_CHARS:
        return True  # a verb the tagger did not know, ending in a preposition (报给, 交由)
    if tok.word in _STOP_WORDS or "政府" in tok.word or _PLACES_COUNTED.fullmatch(tok.word):
        return True  # …; 江浙两地联勤公安检查站: places counted, a description
    if tok.word in gazetteer().surfaces and tok.word not in gazetteer().common:
        return False  # a place name jieba mis-tags (呈贡 as a verb) still belongs to the unit's name
    return (_freq(tok.word) is not None and tok.flag in _BOUNDARY_POS) or _ends_in_a_common_verb(tok.word)


def _describes_a_kind(stem: str) -> bool:
    """A dictionary word ending in 化 or 型 (规范化, 信息化, 复合型) that names no place describes a kind of unit; so
    does a superlative (台中最小派出所, 全省最北的派出所): which station it is, the reader learns elsewhere."""
    if re.search(r"最[\u4e00-\u9fff]", stem):
        return True
    return stem[-1] in "化型" and _freq(stem) is not None and stem not in gazetteer().surfaces


def _ends_in_a_common_verb(word: str) -> bool:
    """A rare four-character dictionary word ending in a common verb (全面推行, 大力推进) is a phrase the tagger
    calls a noun, not a place: 在全省全面推行派出所提档升级 names no 全面推行派出所."""
    if len(word) != 4 or (_freq(word) or 0) >= 10:
        return False
    tail = word[2:]
    return pos_tokenizer().word_tag_tab.get(tail) == "v" and (_freq(tail) or 0) >= 1000


def _is_proper(tok: _Tok) -> bool:
    f = _freq(tok.word)
    return tok.flag in _PROPER_POS or f is None or f < 100


def _place_before(toks: _LineTokens, pos: int) -> int | None:
    """Where a township or county name that ends right before a unit's head starts (七都, 人和, 马鞍底, 乌兰毛都),
    so that characters the tagger reads as adverbs, numerals or conjunctions (都, 七, 和, 底) stay in the name."""
    gz = gazetteer()
    text = toks.text_before(pos, 6)
    for k in range(len(text), 1, -1):
        word = text[-k:]
        known = word in gz.stems or word in gz.surfaces or f"{word}苏木" in gz.stems
        # 各 before a head is "each" (辖下各派出所), though 下各 is a place name too
        distributive = len(word) == 2 and word[-1] == "各"
        if known and word not in gz.common and (len(word) > 2 or word[0] not in _STOP_CHARS) and not distributive:
            return pos - k
    return None


def _prefix(toks: _LineTokens, pos: int) -> list[_Tok]:
    """The name-like tokens directly before `pos`, leading verbs/adjectives/generic words trimmed. A known place
    name is one token, whatever the tagger made of it, where it ends at `pos` or where the name met a boundary."""
    out: list[_Tok] = []
    chars = 0
    absorbed: int | None = None  # tokens from here on are inside a place name already taken whole

    def take_place(end: int) -> bool:
        nonlocal chars, absorbed
        place = _place_before(toks, end)
        if place is None or chars + end - place > _MAX_NAME_CHARS:
            return False
        out.append(_Tok(place, end, toks.text_before(end, end - place), "ns"))
        chars += end - place
        absorbed = place
        return True

    take_place(pos)
    for tok in toks.before(pos):
        if len(out) >= _MAX_NAME_TOKENS:
            break
        if tok.end > pos:  # a token straddling the head: keep only its part before the head
            tok = _Tok(tok.start, pos, tok.word[: pos - tok.start], tok.flag)
        if absorbed is not None and tok.end > absorbed:
            if tok.start >= absorbed:
                continue
            tok = _Tok(tok.start, absorbed, tok.word[: absorbed - tok.start], tok.flag)  # straddles its start
        if _freq(tok.word) is None and len(tok.word) > 1 and tok.word[0] in _LEAD_CHARS:
            # a word the tagger guessed, swallowing a particle or verb before the name (了市, 进高, 给郑东新)
            tail = tok.word.lstrip("".join(_LEAD_CHARS))
            if tail:
                out.append(_Tok(tok.end - len(tail), tok.end, tail, "x"))
            break
        if tok.word[0] in "和与及" and len(tok.word) > 1 and toks.text_before(tok.start, 1) in _UNIT_ENDS:
            out.append(_Tok(tok.start + 1, tok.end, tok.word[1:], tok.flag))  # X站和Y站: 和文 is 和 + 文游
            break
        boundary = _is_boundary(tok) or chars + len(tok.word) > _MAX_NAME_CHARS
        if not boundary and tok.word in _DATE_CHARS and _COUNTED_BY.match(toks.text_before(tok.start, 1)):
            boundary = True  # 8月 / 二〇二三年 in front of a name: a date, not the name's first character
        if boundary:
            if out and out[-1].flag != "ns" and take_place(out[-1].start):
                continue  # 三都 in 三都海防派出所: the boundary was inside a place name
            break
        out.append(tok)
        chars += len(tok.word)
    out.reverse()
    while out and _leads_in(out[0]) and not (
        len(out) == 2
        and (len(out[1].word) == 1 and out[1].word in _PLACE_SUFFIX_CHARS or out[1].word in _PLACE_TYPE_WORDS)
    ):  # 人民/路, 建设/广场: a road or square named with a common word keeps it
        out.pop(0)
    return out


def _leads_in(tok: _Tok) -> bool:
    """A word that leads into a name without being part of it: a common verb or adjective, a generic word."""
    return (tok.flag in _LEADING_TRIM_POS and len(tok.word) > 1 and bool(_freq(tok.word))) or tok.word in _GENERIC_WORDS


def _strip_admin(toks: list[_Tok]) -> list[_Tok]:
    """Drop leading province/city/district tokens, keeping at least one token (南宁市良庆区玉洞 → 玉洞)."""
    toks = list(toks)
    gz = gazetteer()
    if len(toks) > 1 and (parts := _divisions_in_a_row("".join(t.word for t in toks))) and len(parts) > 1:
        # 普洱市镇沅县, cut 普洱/市镇/沅/县 by the segmenter: the divisions read whole, the last one the unit's
        at = toks[0].start + sum(len(p) for p in parts[:-1])
        return [_Tok(at, toks[-1].end, parts[-1], "ns")]
    for i in range(len(toks) - 1, 0, -1):  # 新晃/县 → 新晃县: a level the segmenter split off its place
        if toks[i].word in _BARE_LEVELS and toks[i - 1].end == toks[i].start and len(toks[i - 1].word) > 1:
            toks[i - 1 : i + 1] = [_Tok(toks[i - 1].start, toks[i].end, toks[i - 1].word + toks[i].word, "ns")]

    def place_word(word: str) -> bool:
        return (word in gz.surfaces or word in gz.stems) and word not in gz.common

    # a county written in front of a place-named unit (东山铜陵派出所 → 铜陵) is an address, as 良庆区 is; but not
    # the place a street or new district is named after (芜湖东路, 两江新区): that is the name itself
    # nor the place before a generic word that names nothing alone (广州/铁路公安处: the city is the name)
    while (
        len(toks) > 1
        and not _NAMED_AFTER_PLACE.fullmatch(toks[1].word)
        and not _is_generic(toks[1:])
        and (_ADMIN_TOKEN.match(toks[0].word) or (place_word(toks[0].word) and place_word(toks[1].word)))
    ):
        toks.pop(0)
    return toks


_DIVISION_LEVEL = re.compile(r"[省市县区旗州盟]|自治[州县旗]")


def _divisions_in_a_row(stem: str) -> list[str] | None:
    """`stem` read as administrative divisions one after another, each written with its level (普洱市镇沅县 →
    普洱市, 镇沅县; 云南省大理州巍山县); None when any part is not one."""
    gz = gazetteer()
    parts: list[str] = []
    at = 0
    while at < len(stem):
        for end in range(min(len(stem), at + 10), at + 1, -1):
            word = stem[at:end]
            level = _DIVISION_LEVEL.search(word)
            if level and level.end() == len(word) and word[: level.start()] in gz.surfaces or (
                word in gz.surfaces and _DIVISION_LEVEL.search(word[-1])
            ):
                parts.append(word)
                at = end
                break
        else:
            return None
    return parts


_NAMED_AFTER_PLACE = re.compile(r"[东西南北中]?(?:路|街|大道|大街|巷)|新区|新城")


def _own_name(own: list[_Tok]) -> list[_Tok]:
    """A unit's own name once its parent is cut off: leading generic words (分局所属吴家营派出所: 所属 belongs to
    neither unit) and the administrative address dropped; empty when nothing but generic words is left."""
    if own and (own[-1].word in _DESCRIBED_KINDS or own[-1].word.endswith("基层")):  # 农村基层 is one token
        return []  # 台北市基层派出所, 传统派出所, 变身行动派出所: a kind of station, not one
    while own and own[0].word in _GENERIC_WORDS and not _opens_a_place(own):
        own = own[1:]
    if not own or _is_generic(own):
        return []
    own = _strip_admin(own)
    # a verb and a generic word once the place is cut (市区/建设/综合 警务服务站): what is being built, no name
    verb_and_kind = any(t.word in _GENERIC_WORDS for t in own) and all(
        t.word in _GENERIC_WORDS or (t.flag in ("v", "vn") and _freq(t.word)) for t in own
    )
    return [] if verb_and_kind else own


def _opens_a_place(own: list[_Tok]) -> bool:
    """大 or 小 written onto the place name after it (大/阳沟, 大/开河, 小/日岛): the place's first character."""
    return (
        len(own) > 1 and own[0].word in ("大", "小") and own[1].flag == "ns" and own[0].end == own[1].start
    )


def _is_generic(toks: list[_Tok]) -> bool:
    return all(t.word in _GENERIC_WORDS or _DIGIT.search(t.word) or t.flag == "m" for t in toks)


def _same_unit_stems(longer: str, shorter: str) -> bool:
    """`longer` is `shorter` with its county in front (望谟 + 蟠桃园), or both name one county (大通回族土族自治县,
    大通县)."""
    gz = gazetteer()
    if shorter in _GENERIC_WORDS:
        return False  # 北京铁路 and 上海铁路 are two units, not one written with and without its city

    def divisions(form: str) -> set[str]:
        """The counties, cities or provinces `form` names; a township's name says only which county it is in, and
        two townships of one county are two places (华亭镇, 南翔镇)."""
        return {code for code, kind in gz.surfaces.get(form, ()) if kind != "town"}

    if len(shorter) >= 2 and longer.endswith(shorter) and longer != shorter:
        prefix = longer[: -len(shorter)]
        return bool(divisions(prefix)) and prefix not in gz.common
    codes = [
        {code for form in (stem, *(stem + level for level in "县市区")) for code in divisions(form)}
        for stem in (longer, shorter)
    ]  # the keys lost their level (大通回族土族自治县 → …自治)
    return bool(codes[0] and codes[1] and codes[0] & codes[1]) and longer != shorter


def _stem_key(stem: str) -> str:
    """What two mentions of one unit share: 芜湖东路社区警务室 is also 芜湖东路警务室, 小蒜沟站派出所 小蒜沟派出所,
    一都森林派出所 一都派出所, 三都海防派出所 三都派出所, 黄山农场派出所 黄山派出所, 贾庄镇派出所 贾庄派出所,
    大岭村警务室 大岭警务室, 汤河片区中心警务室 汤河片区警务室 (suffixes taken off one after another)."""
    while (key := _KEY_SUFFIX.sub("", stem)) != stem:
        stem = key
    return stem


_KEY_SUFFIX = re.compile(r"(?<=..)(?:市|区|县|镇|乡|村|社区|站|森林|海防|边防|农场|林场|牧场|中心)$")


# ---------------------------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    start: int
    end: int
    surface: str
    name: str | None  # canonical name for named mentions
    stem: str | None
    kind: str | None
    level: str | None
    full_head: bool = False
    generic: bool = False
    anaphor: bool = False
    bare: bool = False  # 市公安局, 省公安厅: named by its level only


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


# What may open a heading line before the unit's name: indentation and list numbering (一、 （二） 03 4. 第五).
_HEADING_LEAD = re.compile(
    r"[\s\u3000]*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]?\s*|第[一二三四五六七八九十]+[、：:\s]?)?[\s\u3000]*"
)


def _section_heads(text: str, mentions: list[Mention], lines: list[tuple[int, int]]) -> tuple[tuple[int, str], ...]:
    """Lines that open a unit's section: the unit's name first, then a colon or dash and a subtitle
    (西江派出所：千户苗寨里的“游客之家”), or nothing else on the line. Only a report with sections for two or more
    units has sections: one heading is a title, and a caption naming a unit is neither."""
    heads = []
    for a, b in lines:
        first = next(
            (m for m in mentions if a <= m.start < b and m.station and not m.nested and not m.in_honour), None
        )
        lead = _HEADING_LEAD.match(text, a, b)
        if first is None or first.start != (lead.end() if lead else a):
            continue
        rest = text[first.end : b].strip()
        if not rest or rest[0] in "：:" or rest.startswith(("——", "—", "－")):
            heads.append((a, first.station))
    return tuple(heads) if len({station for _, station in heads}) >= 2 else ()


# A unit's name in quotes after words of likeness (名副其实的“水上派出所”, 被称为“草原110”) describes another unit.
_LIKENESS = re.compile(r"(名副其实的|所谓的?|称为|称作|堪称|号称|誉为|叫做|变成了?|成了|像|如同|犹如)“$")


def _named_as_a_likeness(text: str, start: int, end: int) -> bool:
    return text[end : end + 1] == "”" and bool(_LIKENESS.search(text, max(0, start - 8), start))


# A kind of unit followed by its count (建成医院警务室312个) names a category, not one unit.
_COUNTED_AFTER = re.compile(r"[ \u3000]*\d+[ \u3000]*(?:个|所|家|处|座)")


_NUMBERED = re.compile(r"第[一二三四五六七八九十]{1,3}$")


def _is_parent_word(before: str) -> bool:
    return before.endswith(("警察局", "公安局", "市局", "县局"))


def _party_bureaus(text: str) -> set[str]:
    """Places the Party's bureaus are named for (中共华南分局 → 华南): 华南分局 later in the text is that bureau."""
    return set(re.findall(r"中共([\u4e00-\u9fff]{2,6}?)(?:分局|局)", text))


def _candidates(text: str) -> list[_Cand]:
    border = "边境" in text
    police = "派出所" in text
    party_bureaus = _party_bureaus(text)
    cands: dict[tuple[int, int], _Cand] = {}

    def add(c: _Cand) -> None:
        counted = _COUNTED_AFTER.match(text, c.end) and _HEAD.search(text, c.start, c.end)  # not 城北4个警务室's 城北
        if not _named_as_a_likeness(text, c.start, c.end) and not counted:
            cands.setdefault((c.start, c.end), c)

    for ls, le in _line_spans(text):
        line = text[ls:le]
        if not line.strip():
            continue
        toks = _LineTokens(line, ls)
        taken: list[tuple[int, int]] = []
        for m in _ANAPHOR.finditer(line):
            head = m.group()[1:]
            s, e = ls + m.start(), ls + m.end()
            add(_Cand(s, e, m.group(), None, None, None, _ANAPHOR_LEVEL[head], anaphor=True))
            taken.append((s, e))
        for m in _HEAD.finditer(line):
            s, e = ls + m.start(), ls + m.end()
            if any(a <= s < b for a, b in taken):
                continue
            head = m.group()
            if head == "分局" and (n := _NUMBERED.search(line, 0, m.start())) and _is_parent_word(line[: n.start()]):
                name = n.group() + head  # 台南市警察局第五分局: a numbered sub-bureau of the bureau before it
                add(_Cand(ls + n.start(), e, name, name, n.group(), "分局", _LEVEL["分局"], full_head=True))
                continue
            pre = _prefix(toks, s)
            if head in ("公安", "警方") and not pre:
                pre = _city_before(line, s - ls, ls)
            # a unit can hold no station inside its name: what stands before one (包公派出所芜湖东路社区警务室,
            # 石望派出所建所) belongs to that station
            inner = max((i for i, t in enumerate(pre) if t.word.endswith(_STATION_HEADS)), default=-1)
            if inner >= 0:
                pre = pre[inner + 1 :]
            surface_pre = "".join(t.word for t in pre)
            if head == "所":
                tok = toks.at(s)
                if not police or tok is None or tok.word != "所" or not pre or _is_generic(pre):
                    continue
                if _OTHER_OFFICES.search(surface_pre) or "所" in surface_pre:
                    continue  # 市场监督管理所, 司法所: another service's office; 所思所想所盼: an idiom, no 派出所
                if not any(_is_proper(t) for t in pre):
                    continue
                kind = "边境派出所" if border else "派出所"
            elif head in ("支队", "大队"):
                if not pre or _is_generic(pre):
                    add(_Cand(s, e, head, None, None, None, _GENERIC_HEAD_LEVEL[head], generic=True))
                    continue
                if not border or not any(_is_proper(t) for t in pre):
                    continue
                kind = "边境管理支队" if head == "支队" else "边境管理大队"
            elif head == "公安":
                tok = toks.at(s)
                if tok is None or tok.word != "公安" or not pre:
                    continue
                if not any(t.flag in _PLACE_POS or _ADMIN_TOKEN.match(t.word) for t in pre):
                    continue
                kind = "分局"
            elif head in ("边境检查站", "公安检查站", "警区", "警署"):
                if not pre or not any(_is_proper(t) for t in pre):
                    continue  # 各警区, 全港警署: no name
                kind = head
            elif head == "警方":
                if not pre:  # the tagger may keep 北京警方 as one word: its part before the head is the place
                    continue
                kind = "公安局"
            elif head in ("调解中心", "调解室"):
                if not re.search(r"警|公安|派出所", surface_pre):
                    continue
                kind = "调解中心"
            elif head == "工作站":
                # a police post named for what it joins (泰和警网融合工作站); 综治工作站 and the like are not police
                if "警" not in surface_pre or surface_pre.endswith("警务"):
                    continue
                kind = "警务站"
            else:
                kind = _HEAD_KIND[head]
            if _HONOUR_PREFIX.search(surface_pre):
                continue  # 全国第三批“枫桥式公安派出所” and the like are titles, not units
            if "中共" in surface_pre or surface_pre in party_bureaus:
                continue  # 中共华南分局 (and 华南分局 after it): a Party bureau, not the police's
            if not pre or _is_generic(pre):
                if head in _GENERIC_HEAD_LEVEL:
                    add(_Cand(s, e, head, None, None, None, _GENERIC_HEAD_LEVEL[head], generic=True))
                elif head in _BARE_LEVEL_HEADS and (level := _bare_level(line, s - ls)):
                    name = level + head
                    add(_Cand(s - 1, e, name, name, level, kind, _LEVEL[kind], full_head=True, bare=True))
                continue
            # split off a parent unit written in front (新津公安花源派出所, …公安局睦洲派出所, …总站伊犁…)
            cut = max((i for i, t in enumerate(pre) if _is_parent_head(pre, i)), default=-1)
            own = pre[cut + 1 :]
            if cut >= 0:
                _add_parent(pre, cut, add)
            own = _own_name(own)
            if not own:
                continue
            if head == "分局" and own and _taiwanese_jing(own[-1].word):
                # 太平警分局, 东港警分局 (东/港警): Taiwanese shorthand for the city police's 太平分局 (an alias)
                last = own[-1]
                cut_last = [_Tok(last.start, last.end - 1, last.word[:-1], last.flag)] if len(last.word) > 1 else []
                own = [*own[:-1], *cut_last]
            if len(own) > 2 and len(own[0].word) == 1 and own[1].word == "市":
                own = own[2:]  # 北市大安分局 (北/市/大安): a Taiwanese city's shorthand before its precinct
            if len(own) > 1 and own[0].word == "警" and text[max(0, own[0].start - 1)] == "市":
                own = own[1:]  # 北市警大安分局: the Taipei city police (北市警), then its 大安分局
            stem = "".join(t.word for t in own)
            if len(stem) < 2 and head != "公安":
                continue  # 川派出所, 苑派出所: the segmenter split a name and the rest lies past a boundary
            if _describes_a_kind(stem):
                continue  # 规范化派出所, 复合型派出所, 信息化警务室: what kind of station, not which
            if head not in (*_PARENT_HEADS, "警方") and len(own) == 1 and _PROVINCE_OR_CITY.fullmatch(stem):
                continue  # 北京市派出所: the city's stations in general, not one of them
            if head == "公安" and re.fullmatch(rf"(?:{_PROVINCES})(?:省|市)?", stem):
                continue  # 四川公安, 青海省公安: a province's police as a whole
            if head == "公安" and (not _names_a_division(stem) or re.match(r"人|民警|队伍|工作|事业|机关", text[e:])):
                continue  # 时代山西公安, 助力全区公安, 永建公安人: a phrase or the police as people, not an agency
            if head == "公安" and _division_level(stem) in ("city", "county"):
                kind = "公安局"  # 黑河公安, 玉田公安: a city's or county's bureau; 蕉城公安 (a district) stays 分局
            if head == "警方" and _division_level(stem) != "city":
                continue  # 北京警方, 茂名警方 name a city's bureau; 广西警方 a region's police, 香洲警方 a district's
            full_start = pre[0].start
            add(
                _Cand(
                    full_start,
                    e,
                    text[full_start:e],
                    stem + head,
                    stem,
                    kind,
                    _LEVEL[kind],
                    full_head=head in _FULL_HEADS,
                )
            )
    for c in [*_listed_units(text), *_hong_kong_units(text)]:
        add(c)
    for c in _departments(text, cands):
        add(c)
    for c in _squads(text, cands.values()):
        add(c)
    return sorted(cands.values(), key=lambda c: (c.start, -c.end))


# A bureau's department named by its work (刑侦大队, 特警支队, 反诈中心), written after its bureau
# (隆德县公安局刑侦大队) or alone as the article's own (县特警大队民警…); 各地交警大队 are departments in general.
_DEPT_WORK = (
    r"(?:刑侦|刑警|刑事侦查|特警|巡特警|巡警|交警|交管|交通警察|治安|网安|经侦|禁毒|反诈|反电诈|秩序管理|交通管理|人口管理"
    r"|治安管理|重大案件侦查)"
)
_DEPARTMENT = re.compile(rf"(?P<dept>{_DEPT_WORK}(?:总队|支队|大队|中队)|反诈中心|110指挥中心)")
_DEPT_BEFORE = re.compile(r"(?:公安局|公安分局|分局|公安厅|交管局|支队|公安|[县市区])$")
_DEPT_IN_GENERAL = re.compile(r"(?:各|各地|各级|全省|全市|全国|全县|所有|相关|有关|两个|多个)$")


def _district_before(text: str, at: int) -> str | None:
    """A county or district written right before `at` (银川市金凤区反诈中心 → 金凤区)."""
    if at < 2 or text[at - 1] not in "区县旗":
        return None
    return next((text[at - k : at] for k in (4, 3, 2) if at >= k and text[at - k : at] in gazetteer().surfaces), None)


def _departments(text: str, cands: dict[tuple[int, int], _Cand]) -> list[_Cand]:
    named_end = {c.end: c for c in cands.values() if c.name and not c.generic}
    out = []
    for m in _DEPARTMENT.finditer(text):
        s, e = m.span()
        if any(c.start <= s and e <= c.end and (c.start, c.end) != (s, e) for c in cands.values() if c.name):
            continue  # inside a unit the rules named already (…刑侦大队 of a longer name)
        dept = m.group()
        kind = dept.removeprefix("110")  # a department's kind is its name as written (110指挥中心: a 指挥中心)
        parent = named_end.get(s)
        before = text[max(0, s - 4) : s]
        run_into = bool(re.search(r"[\u4e00-\u9fff]$", before)) and not _DEPT_BEFORE.search(before)
        if parent is None and (_DEPT_IN_GENERAL.search(before) or run_into):
            continue  # 各地交警大队, 全市刑侦大队: departments in general; 组建刑侦大队: no bureau or level before it
        place = None if parent else _district_before(text, s)
        # named by its work (刑侦大队), the bureau's full name an alias, or with its district (金凤区反诈中心); the
        # bureau in the stem keeps two bureaus' 刑侦大队 apart while the names are merged
        name = (place or "") + dept
        stem = (parent.name or "") + dept if parent else name
        start = parent.start if parent else s - len(place or "")
        out.append(_Cand(start, e, text[start:e], name, stem, kind, _level_of_kind(kind), full_head=True))
    return out


# A squad written right after its brigade (交警大队上冈中队, 万荣交警大队事故处理中队), named by its place or its task;
# 各中队, 下属中队 and 3个中队 name no squad.
_SQUAD_AFTER = re.compile(r"^(?P<own>[\u4e00-\u9fff]{2,5}?)中队")
_SQUAD_PLACE_ENDS = ("镇", "乡", "街道")


def _squads(text: str, cands: Iterable[_Cand]) -> list[_Cand]:
    out = []
    surfaces = gazetteer().surfaces
    for c in list(cands):
        if not c.name or c.generic or not c.name.endswith(("大队", "支队")):
            continue
        m = _SQUAD_AFTER.match(text[c.end : c.end + 8])
        if m is None:
            continue
        own = m.group("own")
        is_place = any(own + end in surfaces for end in _SQUAD_PLACE_ENDS)  # 上冈 of 上冈镇, though 上 is a verb
        if set(own) & (_NUMERAL_CHARS | set("各下属辖该本")) or own in _STOP_WORDS:
            continue
        if set(own) & _LEAD_CHARS and not is_place:
            continue
        kind = "交警中队" if is_place and _TRAFFIC.search(c.surface) else "中队"
        name = own + "中队"
        # the brigade keeps its own mention; the squad's stem holds it, so two brigades' 一中队 stay apart
        out.append(_Cand(c.end, c.end + m.end(), name, name, (c.stem or "") + name, kind, "zhongdui", full_head=True))
    return out


# Hong Kong's police regions (总区: there are six) and the offices written after a region or district, named in
# full as the force names them (西九龙总区防止罪案办公室, 屯门警区警民关系组, 港岛防止罪案办公室)
_HK_REGION = r"(?:港岛|东九龙|西九龙|新界南|新界北|水警)"
_HK_OFFICE = r"(?:防止罪案办公室|警民关系组|失踪人口调查组|行动部)"
_HK_UNIT = re.compile(
    rf"(?P<base>{_HK_REGION}总区|{_HK_REGION}(?={_HK_OFFICE})|[\u4e00-\u9fff]{{2,3}}警区(?={_HK_OFFICE}))"
    rf"(?P<office>{_HK_OFFICE})?"
)


def _hong_kong_units(text: str) -> list[_Cand]:
    out = []
    for m in _HK_UNIT.finditer(text):
        base = m.group("base")
        if base.endswith("总区") and not m.group("office"):  # a region named alone, not as an office's parent
            out.append(_Cand(m.start(), m.end("base"), base, base, base[:-2], "总区", "ju", full_head=True))
        if office := m.group("office"):
            name = m.group()
            out.append(_Cand(m.start(), m.end(), name, name, name, office, "other", full_head=True))
    return out


# "在真如、甘泉、真光 3个派出所", "设立城东、城南、城西、城北4个警务室": names listed before a count of one head
_LISTED = re.compile(
    r"(?P<run>[\u4e00-\u9fff]+)(?P<rest>(?:、[\u4e00-\u9fff]{2,4})+)[ \u3000]*(?:等)?"
    r"(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})个(?P<head>边境派出所|派出所|警务工作站|警务站|警务室)"
)


def _listed_units(text: str) -> list[_Cand]:
    """Units written as a list before one head with a count, when the count equals the names listed; the
    first name is as long as the second (the run before it holds the verb: 设立城东)."""
    out = []
    for m in _LISTED.finditer(text):
        rest = m.group("rest")[1:].split("、")
        first_len = len(rest[0])
        if len(m.group("run")) < first_len:
            continue
        items_start = m.start("rest") - first_len
        names = [text[items_start : m.start("rest")], *rest]
        if parse_number(m.group("n")) != len(names) or any(_is_generic_word(n) for n in names):
            continue
        kind = _HEAD_KIND[m.group("head")]
        pos = items_start
        for name in names:
            out.append(_Cand(pos, pos + len(name), name, name + kind, name, kind, _LEVEL[kind]))
            pos += len(name) + 1
    return out


def _is_generic_word(name: str) -> bool:
    return name in _GENERIC_WORDS or bool(re.search(r"[各全该本某]|社区$|城区$|基层$", name))


_MUNICIPALITIES = ("11", "12", "31", "50")


def _city_before(line: str, at: int, offset: int) -> list[_Tok]:
    """大连公安, 大同警方: a city or county whose name is also an everyday word (大连, tagged an adverb) still names the
    police written right after it, where nothing but punctuation or a particle stands before the name."""
    for k in (3, 2):
        start = at - k
        if start < 0:
            continue
        word = line[start:at]
        opens = start == 0 or not "\u4e00" <= line[start - 1] <= "\u9fff" or line[start - 1] in _LEAD_CHARS
        if opens and _division_level(word) in ("city", "county"):
            return [_Tok(offset + start, offset + at, word, "ns")]
    return []


def _division_level(stem: str) -> str | None:
    """"city" (a prefecture or a municipality), "county" (a county or county-level city), "district" or None: the
    code says whether it is a prefecture, the full name (新津区, once 新津县: codes outlive conversions) the rest."""
    codes = [code for code, _kind in gazetteer().surfaces.get(re.sub(r"(?<=..)市$", "", stem), ())]
    if len(codes) != 1:
        return None  # unknown, or a name several divisions share
    code = codes[0]
    if code[4:] == "00":
        return "city" if code[2:4] != "00" or code[:2] in _MUNICIPALITIES else None
    full = _full_names().get(code, "")
    return "district" if full.endswith("区") else "county" if full.endswith(("县", "旗", "市")) else None


@lru_cache(maxsize=1)
def _full_names() -> dict[str, str]:
    """Each division code's current full name (新津区), from the gazetteer's `full` surfaces."""
    surfaces = gazetteer().surfaces
    return {code: surface for surface, entries in surfaces.items() for code, kind in entries if kind == "full"}


def _names_a_division(stem: str) -> bool:
    """A county, district or township's name (新津, 蕉城), or one written with its level (郑东新区, 涪陵区)."""
    gz = gazetteer()
    if stem in gz.surfaces or stem in gz.stems or re.search(r"[省市县区旗镇乡]$|新区$", stem):
        return True
    # a zone of a named place (沈阳经开公安, 成都高新公安): the place's name, then the zone's
    zone = re.search(r"(?:经开|高新|开发区|新区|自贸区|保税区)$", stem)
    return bool(zone) and any(stem[:k] in gz.surfaces for k in range(2, zone.start() + 1))


def _is_parent_head(pre: list[_Tok], i: int) -> bool:
    """A parent unit's head inside a name: …公安局, …支队 …, or the short 区局/县局 (涪陵区局白涛派出所)."""
    word = pre[i].word
    return word.endswith(_PARENT_HEADS + ("区局", "县局", "市局")) or (
        word == "局" and i > 0 and pre[i - 1].word[-1] in "区县市"
    )


def _bare_level(line: str, at: int) -> str | None:
    """市 in "，市公安局…" or "受到了市公安局": a bureau named by its level alone, not the tail of a place name."""
    if at < 1 or line[at - 1] not in _BARE_LEVELS:
        return None
    before = line[at - 2] if at >= 2 else ""
    if before and "\u4e00" <= before <= "\u9fff" and before not in _LEAD_CHARS:
        return None
    return line[at - 1]


def _add_parent(pre: list[_Tok], cut: int, add: Callable[[_Cand], None]) -> None:
    """Register the parent unit written in front of a name (…公安局 in …公安局睦洲派出所)."""
    ptok = pre[cut]
    head = next((h for h in _PARENT_HEADS if ptok.word.endswith(h)), "局")
    kind = _PARENT_KIND.get(head)
    if kind is None:
        return
    prev = max((i for i, t in enumerate(pre[:cut]) if t.word.endswith(_PARENT_HEADS)), default=-1)
    place = pre[prev + 1 : cut]
    head_stem = ptok.word[: len(ptok.word) - len(head)]
    if not place and not head_stem:
        return
    place = _strip_admin(place) if place else []
    stem = "".join(t.word for t in place) + head_stem
    if head == "分局" and len(stem) > 2 and _taiwanese_jing(stem):
        stem = stem[:-1]  # 凤林警分局: Taiwanese shorthand for 凤林分局
    if not stem or stem in _GENERIC_WORDS or (head == "公安" and not _names_a_division(stem)):
        return  # 新时代山西公安派出所工作: no parent unit in front, a phrase
    if head == "公安" and re.fullmatch(rf"(?:{_PROVINCES})(?:省|市)?", stem):
        return  # 山西公安 before 派出所工作: a province's police as a whole, as the rules read 四川公安
    start = place[0].start if place else ptok.start
    add(_Cand(start, ptok.end, stem + head, stem + head, stem, kind, _LEVEL[kind], full_head=head != "公安"))


# ---------------------------------------------------------------------------------------------- LAC entities

# Heads an entity from LAC (`lac_units`) may end in: the rules' full heads, and the heads of internal departments
# (支队, 大队, 中队, 总队, 中心), which alone name anything (志愿者支队, 综治中心), so they need police evidence.
_LAC_HEAD = re.compile(
    r"(?:边境管理支队|边境管理大队|边境派出所|派出所|警务工作站|警务站|警务室|公安分局|公安局|公安厅|公安处|分局"
    r"|总队|支队|大队|中队|中心)$"
)
_DEPT_HEADS = ("总队", "支队", "大队", "中队", "中心")
_LAC_HEADS = re.findall(r"[\u4e00-\u9fff]+", _LAC_HEAD.pattern)
# A bureau written in front of a department (…公安局治安管理支队, …分局指挥中心, 省厅治安总队) is its parent.
_BUREAU_PARENT = re.compile(r"(?:公安分局|公安局|公安厅|公安处|分局|省厅|[区县市]局)$")
# Words that make a department a police one (交警大队, 刑侦大队, 治安管理支队, 情指中心); a place-named 大队 needs
# its bureau in front or a border article, as in the rules.
_POLICE_DEPT = re.compile(
    r"交警|交管|刑侦|刑警|刑事警察|治安|特警|巡警|巡特警|经侦|禁毒|网安|情指|指挥|户政|人口管理|出入境|看守|"
    r"拘留|监管|法制|督察|技侦|侦查|反诈|警务|边防|边境|派出所|公安"
)
_TRAFFIC = re.compile(r"交警|交管")
_DEPT_LEVEL = {"总队": "zongdui", "支队": "zhidui", "大队": "dadui", "中队": "zhongdui", "中心": "center"}


def _level_of_kind(kind: str) -> str:
    """The level of a unit kind, departments (治安管理支队, 情指中心) by their head."""
    if kind in _LEVEL:
        return _LEVEL[kind]
    return next((lv for head, lv in _DEPT_LEVEL.items() if kind.endswith(head)), "other")


def _fragment(tok: _Tok) -> bool:
    """A token no unit name holds, whatever LAC says: digits, a counted numeral, a verb of the rules' stop list."""
    return bool(_DIGIT.search(tok.word)) or tok.word in _STOP_WORDS or (tok.flag == "m" and len(tok.word) > 1)


def _lac_department_parent(text: str, parents: list[_Tok]) -> list[_Cand]:
    """A department written between a bureau and its squad (…公安局交警支队机动大队 → 交警支队) is a unit too."""
    bureau = max((i for i, t in enumerate(parents) if _BUREAU_PARENT.search(t.word)), default=-1)
    dept = parents[bureau + 1 :]
    if bureau < 0 or not dept or not dept[-1].word.endswith(("总队", "支队", "大队")):
        return []
    name = "".join(t.word for t in dept)
    head = next(h for h in ("总队", "支队", "大队") if name.endswith(h))
    if not _POLICE_DEPT.match(name) or len(name) <= len(head) or any(_fragment(t) for t in dept):
        return []
    stem = name[: -len(head)]
    surface = text[parents[0].start : dept[-1].end]
    return [_Cand(dept[0].start, dept[-1].end, surface, name, stem, name, _level_of_kind(name), full_head=True)]


def _lac_candidates(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Units LAC tags as one organisation (ORG/LOC) that the rules did not find: the entity must end in a unit
    head, hold no verb, number or honour word, and a department (支队, 中心 …) needs police evidence. The name is
    cut as the rules cut theirs (parent units and administrative places off)."""
    ends = {c.end for c in cands if c.name}
    border = "边境" in text
    party = _party_bureaus(text)
    out: list[_Cand] = []
    # An entity counts only where it ends in a head the rules named nothing at: sentences without such a head
    # are not sent to the model (the same candidates, at a fraction of its cost).
    open_heads = sorted(
        {m.end() for head in _LAC_HEADS for m in re.finditer(re.escape(head), text)} - ends
    )

    def wanted(start: int, end: int) -> bool:
        i = bisect.bisect_left(open_heads, start)
        return i < len(open_heads) and open_heads[i] <= end

    for s, e, _tag in unit_entities(text, wanted):
        surface = text[s:e]
        m = _LAC_HEAD.search(surface)
        if m is None or e in ends or "\n" in surface:
            continue
        head = m.group()
        hs = e - len(head)
        pre = [t for t in _pos_tokens(text[s:hs], s) if t.word.strip()]
        if not pre or _HONOUR_PREFIX.search(surface[: hs - s]):
            continue
        inner = max((i for i, t in enumerate(pre) if t.word.endswith(_STATION_HEADS)), default=-1)
        pre = pre[inner + 1 :]
        cut = max(
            (i for i, t in enumerate(pre) if _is_parent_head(pre, i) or _BUREAU_PARENT.search(t.word)), default=-1
        )
        parent = "".join(t.word for t in pre[: cut + 1])
        if head in _DEPT_HEADS or head == "派出所":
            out.extend(_lac_department_parent(text, pre[: cut + 1]))
        own = [t for t in pre[cut + 1 :] if t.word != "人民政府"]
        if own and own[-1].word.endswith("人民政府"):  # 四川省人民政府公安厅 is 四川省公安厅
            last = own[-1]
            own[-1] = _Tok(last.start, last.end - 4, last.word[:-4], last.flag)
        own = _own_name(own)
        if not own:
            continue
        if head in _DEPT_HEADS:
            # a traffic branch written before a place-named squad (三亚交警崖州大队) is the squad's parent
            k = max((i for i, t in enumerate(own[:-1]) if _TRAFFIC.search(t.word)), default=-1)
            own = own[k + 1 :] if k >= 0 and len(own) > k + 1 else own
        stem = "".join(t.word for t in own)
        if stem in party or "中共" in text[max(0, s - 2) : e]:
            continue  # 中共华南分局, and 华南分局 after it: a Party bureau
        if len(stem) < 2 or any(_fragment(t) for t in own):
            continue  # a fragment that swallowed a verb, numeral or particle
        if len(own) == 1 and _PROVINCE_OR_CITY.fullmatch(stem):
            continue  # 北京市派出所: a city's stations in general
        if head in _DEPT_HEADS:
            bureau = bool(_BUREAU_PARENT.search(parent)) or bool(re.search(r"公安局|分局|公安厅", parent))
            police = bool(_POLICE_DEPT.search(surface))
            if head == "中心" and not bureau:
                continue  # 综治中心, 矛调中心, 传媒中心: a centre is police only under its bureau
            if not (bureau or police or (border and head in ("支队", "大队"))):
                continue
            if _POLICE_DEPT.match(stem):
                kind = stem + head  # a department named by its work: 治安管理支队, 情指中心, 交管大队
            elif _TRAFFIC.search(surface) and head != "中心":
                kind = "交警" + head  # a traffic squad named by its place or task: 崖州大队, 机动大队
            else:
                kind = head
        else:
            kind = _HEAD_KIND[head]
        start = pre[0].start  # the whole entity, parent and place included, is the mention (an alias)
        out.append(_Cand(start, e, text[start:e], stem + head, stem, kind, _level_of_kind(kind), full_head=True))
    return out


# ---------------------------------------------------------------------------------------------- honours


def _honour_level(text: str) -> str | None:
    t = text.lstrip("“")
    if t.startswith("全国"):
        return "national"
    if t.startswith("全省") or re.match(rf"(?:{_PROVINCES})|[\u4e00-\u9fff]{{2,4}}省", t):
        return "provincial"
    if "分局" in t or re.match(r"[\u4e00-\u9fff]{1,4}[区县]", t):
        return "county"
    if re.match(r"[\u4e00-\u9fff]{1,5}市", t) or "市级" in t:
        return "municipal"
    return None


def _batch(text: str) -> int | None:
    m = _BATCH.search(text)
    if not m:
        return None
    num = m.group(1)
    if num.isdigit():
        return int(num)
    if num == "十":
        return 10
    if num.startswith("十"):
        return 10 + _CN_DIGITS[num[1]]
    if num.endswith("十"):
        return _CN_DIGITS[num[0]] * 10
    if len(num) == 3:
        return _CN_DIGITS[num[0]] * 10 + _CN_DIGITS[num[2]]
    return _CN_DIGITS.get(num)


def _honours_in(text: str, s: int, e: int) -> list[tuple[Honour, int]]:
    """Honours in one sentence, each with the offset where its clause's subject region starts (or -1)."""
    out: list[tuple[Honour, int]] = []
    sent = text[s:e]
    for vm in _AWARD_VERB.finditer(sent):
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(sent, 0, vm.start())), default=0)
        before = sent[clause_start : vm.start()]
        if _INDIVIDUAL.search(before):
            continue
        years = _YEAR.findall(sent[: vm.start()])  # the nearest year before the verb (2022年被…命名为)
        year = int(years[-1]) if years else None
        end_m = _CLAUSE_END.search(sent, vm.end())
        clause_end = end_m.start() if end_m else len(sent)
        pos = vm.end()
        for item in sent[vm.end() : clause_end].split("、"):
            i_start, i_end = pos, pos + len(item)
            pos = i_end + 1
            core = re.sub(r"(?:等)?(?:荣誉)?(?:称号|荣誉)?$", "", item)
            core = re.sub(r"等$", "", core)
            i_end = i_start + len(core)
            if core.startswith("“") and core.endswith("”") and core.count("“") == 1:
                core, i_start, i_end = core[1:-1], i_start + 1, i_end - 1
            if not core or not _HONOUR_HEAD.search(core) or _COUNTED.search(core) or "个人" in core:
                continue
            h = Honour(core, _batch(core), year, _honour_level(core), s + i_start, s + i_end)
            out.append((h, s + clause_start))
    covered = [(h.start, h.end) for h, _ in out]
    for fm in _FENGQIAO_TITLE.finditer(sent):
        hs, he = s + fm.start(), s + fm.end()
        if any(a <= hs < b or a < he <= b for a, b in covered):
            continue
        if _COUNTED_TITLE.search(sent[: fm.start()]):
            continue  # 为我省3个首批命名的全国“枫桥式公安派出所”颁牌: the counted units' title, no named one's
        out.append((Honour(fm.group(), _batch(fm.group()), None, _honour_level(fm.group()), hs, he), -1))
    return out


# ---------------------------------------------------------------------------------------------- main entry


def find_stations(text: str, title: str | None = None) -> StationReport:
    """Units named in a clean simplified article, with aliases, honours, mentions and the article's main unit."""
    cands = _candidates(text)
    extra = _lac_candidates(text, cands)
    extra += _squads(text, extra)  # a squad after a brigade only LAC found (万荣交警大队事故处理中队)
    if extra:  # a generic head inside an accepted entity (大队 of 交管大队) is part of that unit's name
        spans = [(c.start, c.end) for c in extra]
        cands = [c for c in cands if c.name or not any(a <= c.start and c.end <= b for a, b in spans)]
        cands = sorted(cands + extra, key=lambda c: (c.start, -c.end))
    named = [c for c in cands if c.name]
    # nested: a parent written inside another candidate's full name (…公安局 inside …公安局睦洲派出所)
    nested_spans = {
        (c.start, c.end)
        for c in cands
        for o in named
        if o is not c and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
    }

    # merge named candidates into stations by (level, stem); a bureau named by its level only (市公安局) is the
    # article's bureau of that level where one is named in full (江门市公安局), else a unit as written
    redirect: dict[tuple[str, str], tuple[str, str]] = {}  # a group merged into another (below)

    def key_of(c: _Cand) -> tuple[str, str]:
        if c.bare:
            full = next(
                (o for o in named if not o.bare and o.level == c.level and (o.stem or "").endswith(c.stem or "")),
                None,
            )
            if full is not None:
                return key_of(full)
        key = (c.level or "", _stem_key(c.stem or ""))
        while key in redirect:
            key = redirect[key]
        return key

    groups: dict[tuple[str, str], list[_Cand]] = {}
    for c in named:
        groups.setdefault(key_of(c), []).append(c)
    # one unit written with and without its county (望谟蟠桃园警务室, 蟠桃园警务室), or by two names of one county
    # (大通回族土族自治县公安局, 大通县公安局): the groups merge under the shorter key
    merged_into: dict[tuple[str, str], tuple[str, str]] = {}
    for a in sorted(groups, key=lambda k: -len(k[1])):
        for b in groups:
            if a != b and a[0] == b[0] and b not in merged_into and _same_unit_stems(a[1], b[1]):
                groups[b].extend(groups[a])
                merged_into[a] = b
                break
    for gone in merged_into:
        del groups[gone]
    redirect.update(merged_into)
    canon: dict[tuple[str, str], str] = {}
    kinds: dict[str, str] = {}
    for key, cs in groups.items():
        best = max(cs, key=lambda c: (not c.bare, c.full_head, len(c.name or ""), -c.start))
        canon[key] = best.name or ""
        kinds[best.name or ""] = best.kind or ""
    name_of = {(c.start, c.end): canon[key_of(c)] for c in named}
    level_of = {name: _level_of_kind(kind) for name, kind in kinds.items()}
    stems: dict[str, set[str]] = {}
    for c in named:
        stem = c.stem or ""
        if len(stem) >= 2:
            stems.setdefault(name_of[(c.start, c.end)], set()).add(_stem_key(stem))

    lines = _line_spans(text)
    line_starts = [a for a, _ in lines]
    sentences = split_sentences(text)
    sent_starts = [x.start for x in sentences]

    def line_of(pos: int) -> tuple[int, int]:
        return lines[bisect.bisect_right(line_starts, pos) - 1]

    def sentence_of(pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(sent_starts, pos) - 1
        return (sentences[i].start, sentences[i].end) if i >= 0 else (0, len(text))

    stem_hits = sorted(
        (m.start(), m.end(), name) for name, ss in stems.items() for st in ss for m in re.finditer(re.escape(st), text)
    )
    # "<stem>(边境)辖区": the area of the unit named after the place (伊犁边境辖区 → …伊犁…支队)
    area_cands = []
    occupied = [(c.start, c.end) for c in cands]
    for hs, he, name in stem_hits:
        am = re.match(r"(?:边境)?辖区", text[he : he + 4])
        if am and not any(a <= hs < b for a, b in occupied):
            area_cands.append(Mention(hs, he + am.end(), text[hs : he + am.end()], name, generic=True))

    title_names = []
    if title:
        t0 = text.find(title)
        if t0 >= 0:
            title_names = [name_of[(c.start, c.end)] for c in named if t0 <= c.start and c.end <= t0 + len(title)]
    named_counts = Counter(name_of[(c.start, c.end)] for c in named if (c.start, c.end) not in nested_spans)
    provisional_main = title_names[0] if title_names else (named_counts.most_common(1)[0][0] if named_counts else None)

    mentions: list[Mention] = []
    for c in cands:
        nested = (c.start, c.end) in nested_spans
        if c.name:
            mentions.append(Mention(c.start, c.end, c.surface, name_of[(c.start, c.end)], nested=nested))
            continue
        station = _resolve(c, mentions, level_of, stem_hits, sentence_of, line_of, provisional_main)
        mentions.append(
            Mention(c.start, c.end, c.surface, station, generic=c.generic, anaphor=c.anaphor, nested=nested)
        )
    mentions.extend(area_cands)
    mentions.sort(key=lambda m: (m.start, -m.end))

    # honours, then flag the mentions inside them (award-givers, titles) so they are never the subject
    found: list[tuple[Honour, int, int]] = []
    for sent in sentences:
        for h, subj_start in _honours_in(text, sent.start, sent.end):
            found.append((h, subj_start, sent.start if subj_start < 0 else subj_start))
    spans = [(h.start, h.end) for h, _, _ in found]
    mentions = [
        Mention(
            m.start,
            m.end,
            m.surface,
            m.station,
            m.generic,
            m.anaphor,
            m.nested,
            any(a <= m.start and m.end <= b for a, b in spans),
        )
        for m in mentions
    ]
    if title_names:
        main = title_names[0]
    else:
        counts = Counter(m.station for m in mentions if m.station and not m.nested and not m.in_honour)
        main = counts.most_common(1)[0][0] if counts else provisional_main
    sections = _section_heads(text, mentions, lines)
    report = StationReport(text, (), tuple(mentions), main, tuple(line_starts), sections)

    honours: dict[str, list[Honour]] = {}
    for h, subj_start, _ in found:
        targets: list[str] = []
        if subj_start >= 0:
            targets = [
                m.station
                for m in report.mentions_in(subj_start, h.start)
                if not m.nested and not m.in_honour and m.station
            ]
        if not targets:
            s0, s1 = sentence_of(h.start)
            target = report.station_at(s0, s1)
            if "派出所" in h.text and target and level_of.get(target) != "suo":
                # a station's title (“枫桥式公安派出所”) goes to a station of the sentence, not the department
                # that brought it (X公安局治安总队…把…奖牌送到了Y派出所)
                own = report.mentions_in(s0, s1)
                suo = [
                    m.station
                    for m in own
                    if not (m.nested or m.in_honour or m.generic or m.anaphor) and level_of.get(m.station) == "suo"
                ]
                target = suo[0] if suo else target
            targets = [target] if target else []
        for t in dict.fromkeys(targets):
            if all(x.text != h.text for x in honours.get(t, [])):
                honours.setdefault(t, []).append(h)

    stations = []
    for name, kind in kinds.items():
        ms = [m for m in mentions if m.station == name]
        aliases = []
        for m in ms:
            surf = m.surface
            if m.nested or surf == name or surf in ("派出所", "边境派出所") or re.search(r"辖区$", surf):
                continue
            aliases.append(surf)
        aliases = tuple(dict.fromkeys(aliases))
        stations.append(
            Station(
                name=name,
                kind=_specialised_kind(name, kind, aliases),
                aliases=aliases,
                mentions=tuple((m.start, m.end) for m in ms),
                honours=tuple(honours.get(name, [])),
                first_mention=min(m.start for m in ms),
            )
        )
    stations.sort(key=lambda s: s.first_mention)
    return StationReport(text, tuple(stations), tuple(mentions), main, tuple(line_starts), sections)


def _resolve(
    c: _Cand,
    earlier: list[Mention],
    level_of: dict[str, str],
    stem_hits: list[tuple[int, int, str]],
    sentence_of: Callable[[int], tuple[int, int]],
    line_of: Callable[[int], tuple[int, int]],
    main: str | None,
) -> str | None:
    """A generic or anaphoric mention → a named unit of the same level.

    Order: a unit whose place name is in the same sentence (在三道河乡,边境派出所…); the latest same-level unit
    or place name earlier in the paragraph; the latest same-level unit anywhere before; the only unit of that
    level; the main unit if its level fits.
    """
    fits = {name for name, lv in level_of.items() if lv == c.level}
    if not fits:
        return None
    s0, s1 = sentence_of(c.start)
    in_sentence = [
        name
        for hs, he, name in stem_hits
        if s0 <= hs and he <= s1 and name in fits and not (hs >= c.start and he <= c.end)
    ]
    if in_sentence:
        return in_sentence[0]
    l0, _ = line_of(c.start)
    events = [(m.start, m.station) for m in earlier if m.station in fits and l0 <= m.start < c.start]
    events += [(hs, name) for hs, he, name in stem_hits if name in fits and l0 <= hs and he <= c.start]
    if events:
        return max(events)[1]
    before = [m.station for m in earlier if m.station in fits and m.start < c.start]
    if before:
        return before[-1]
    if len(fits) == 1:
        return next(iter(fits))
    return main if main in fits else None
