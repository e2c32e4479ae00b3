"""Is a report about policing at all? A file with no police unit and no community-policing vocabulary (a recipe,
a product page that landed in the drop folder) is held for review instead of loaded: its "statistics" would sit
beside real stations' figures in every search and comparison.

Deliberately generous: one unit, or two mentions of the vocabulary below, keeps a report. Holding a real
report costs an operator one command (`fqa accept`); loading a recipe costs every researcher a wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from pipelines.extract.article import ArticleExtraction
from pipelines.text.articles import OFF_TOPIC, Rejection, SegmentedArticle

OFF_TOPIC_REASON = "no police unit and no community-policing vocabulary: held for review (`fqa accept` loads it)"
MIN_MENTIONS = 2

# Words a report on policing, public security or grassroots dispute work cannot do without; none is common in
# everyday prose on other subjects (平安 and 安全 are, so they are not here).
_VOCABULARY = re.compile(
    "|".join(
        (
            "公安", "派出所", "警务", "民警", "辅警", "警察", "警方", "警情", "警力", "警员", "交警", "刑警", "特警",
            "枫桥", "治安", "警区", "报警", "接警", "出警", "110", "犯罪", "嫌疑人", "案件", "刑事", "诈骗",
            "调解", "纠纷", "矛盾", "综治", "网格员", "边防", "移民管理", "执法", "违法",
            "罪案", "骗案", "警署", "警民",  # Hong Kong and Macau usage
        )
    )
)


def policing_mentions(text: str) -> int:
    """How often the text uses the vocabulary of policing and dispute work."""
    return sum(1 for _ in _VOCABULARY.finditer(text))


def is_off_topic(text: str, extraction: ArticleExtraction | None) -> bool:
    """No unit found and fewer than MIN_MENTIONS words of the vocabulary."""
    if extraction is not None and extraction.stations:
        return False
    return policing_mentions(text) < MIN_MENTIONS


def held_for_review(
    articles: Sequence[SegmentedArticle],
    extractions: Mapping[str, ArticleExtraction],
    accepted: Collection[str] = (),
) -> list[Rejection]:
    """The batch's off-topic files, as rejections with code OFF_TOPIC; files whose content an operator accepted
    (by sha256) are never held."""
    held = []
    for item in articles:
        raw = item.article.clean.raw
        if raw.file_sha256 in accepted:
            continue
        if is_off_topic(item.article.simplified.simplified, extractions.get(item.id)):
            held.append(Rejection(raw.path, OFF_TOPIC, OFF_TOPIC_REASON, raw.file_sha256, raw.size))
    return held
