"""Counts inside anecdotes: the two residents who quarrelled, the three officers who went out, one sheep.

A report tells a station's work in figures and in stories; a count in a story (两名群众, 3名民警赶到现场) is
true but measures nothing about the station, and a researcher comparing stations must not meet it as
`population` or `officers`. Such figures keep the metric `incidental` (DESIGN.md). A story is recognised by
its shape, never by a name: one event at one time (当天, 昨天, 12月3日, 深夜), individual people (孙某, 老李,
化名, 女儿), and no sign of a total (共, 累计, 今年以来, 同比, a rate).
"""

from __future__ import annotations

import re

from pipelines.extract.quantities import Quantity

# One event at one time: a day, a moment, a single occasion.
_EVENT_TIME = re.compile(
    r"当天|那天|这天|当晚|当日|次日|第二天|昨天|昨晚|前天|日前|近日|某日|一天|有一次|那年|那次|当时|事发|"
    r"前些日子|前些天|前段时间|有一天|原来|起初|事情是这样的|[\d一二三四五六七八九十几]+年前|\d{1,2}月\d{1,2}日|[一二三四五六七八九十]+月[一二三四五六七八九十]+日|深夜|凌晨|半夜|傍晚|清晨|"
    r"(?:今年|去年)?(?:春天|夏天|秋天|冬天)|刚刚|随后|这时|此时|不料|突然"
)
# Individual people and things of a story.
_ACTORS = re.compile(
    r"[\u4e00-\u9fff]某|老[\u4e00-\u9fff](?=[说是的家在和])|小[\u4e00-\u9fff](?=[说是的家在和])|化名|"
    r"大姐|大哥|大叔|大伯|老伯|老汉|先生|女士|业主|老乡|女儿|儿子|丈夫|妻子|夫妻|父亲|母亲|老人|大爷|大妈|大娘|阿姨|孩子|男子|女子|小伙|姑娘|当事人|双方|"
    r"邻居|两户|[两二]人(?!次)|冲突|(?<![这那只])一家|家里|赶到现场|赶到|来到|吵|争执|纠纷双方|报警|求助|盘问|走失|被盗|被偷|打架|受伤|醉酒|"
    r"落水|迷路|出门|出警|值班|守着|带上|喊了|陌生人|路人|小偷|放学|羊|牛|狗|猫"
)
# The individual people of a story, by name or role (孙某, 张先生, 迟老伯, 双方, 两家): a sentence about them tells
# one case, whatever its figures measure.
_PERSONS = re.compile(
    r"[\u4e00-\u9fff]某|化名|先生|女士|老伯|大爷|大妈|大娘|阿姨|当事人|双方|[两二]家|[两二]人(?!次)|两户|夫妻|丈夫|"
    r"妻子|儿子|女儿"
)
# Arrests stay statistics even in a story (抓获了4名非法入境人员): the seed conventions count them. Only the
# arrest's own clause counts: the two officers who went along (他带上两位民警…把小偷抓了回来) stay a story's.
_ARREST = re.compile(r"抓获|落网|归案|抓了|抓回|刑拘|拘留|查获")
# Signs that the figure is a total or a measure after all.
# 今年/去年 followed by a month or a season dates one event (今年4月, 今年春天), and 一个月的休假 is a duration:
# neither makes a total. 先后 repeats an action (村委会先后7次调解), as a story does.
_TOTAL = re.compile(
    r"共|累计|总计|合计|全年|以来|年均|每年|每月|每天|平均|同比|环比|分别|占|率|常住|户籍|全[市县区镇乡所]|"
    r"至今|截至|期间|其中|近年|(今年|去年)(?![\d一二三四五六七八九十]{1,2}月|[春夏秋冬])|上半年|下半年|季度|"
    r"(近|前)[\d一二三四五六七八九十两]+个月|个月(来|以来)"
)
# Approximations a story uses (先后报警达10余次, 近二十人); totals (共, 累计) are never among a figure's own qualifiers.
_STORY_QUALIFIERS = frozenset({"余", "多", "近", "约", "几", "数", "来", "左右", "达"})
# Measure words of people, things and occasions; money, areas, rates and lengths are left to the metric rules.
_STORY_UNITS = frozenset(["名", "人", "位", "户", "个", "只", "头", "辆", "次", "家", "条", "匹", "口"])
_SMALL = 20


_CLAUSE_END = re.compile(r"[，,；;。！？!?]")


def _clause(sentence: str, q: Quantity) -> str:
    """The clause holding the figure, between the punctuation marks around it."""
    left = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, q.start)), default=0)
    right = next((m.start() for m in _CLAUSE_END.finditer(sentence, q.end)), len(sentence))
    return sentence[left:right]


def is_story(sentence: str) -> bool:
    """True when the sentence tells one event: a time and the people of one event, and no sign of a total."""
    return not _TOTAL.search(sentence) and bool(_EVENT_TIME.search(sentence) and _ACTORS.search(sentence))


def is_incidental(sentence: str, q: Quantity) -> bool:
    """True when the figure counts the people or things of one story rather than anything about the station."""
    if q.value is None or q.value > _SMALL or q.is_percent or q.change:
        return False
    if q.qualifier and q.qualifier not in _STORY_QUALIFIERS:
        return False
    if q.unit not in _STORY_UNITS and q.unit[-1:] not in _STORY_UNITS:
        return False
    if _TOTAL.search(sentence) or _ARREST.search(_clause(sentence, q)):
        return False
    if is_story(sentence):
        return True
    # a very small count right beside a person of the story (两名民警, 夫妻二人) needs no time cue
    # (searched in place, not on a slice, so that 这一家 is still seen as 这一家 at the window's edge)
    return q.value <= 3 and bool(_ACTORS.search(sentence, max(0, q.start - 12), q.end + 12))


def is_story_detail(sentence: str, q: Quantity) -> bool:
    """True for a figure of any kind (a sum, a length, a count) in a sentence that tells one case: one event, or
    the individual people of a story. Meant for figures no metric names (a station's figure is never one)."""
    if q.is_percent or q.change or _TOTAL.search(sentence) or _ARREST.search(_clause(sentence, q)):
        return False
    return is_story(sentence) or bool(_PERSONS.search(sentence))
