"""Imported by the pool's fork server: load the NLP resources there, once, before any worker forks.

Workers then start with jieba's dictionaries, OpenCC, the mojibake bigram model and the category model already
in memory, shared copy-on-write with the fork server, instead of each loading a private copy (about 200 MB a
worker). `gc.freeze` keeps the collector from touching, and so copying, those objects in every worker.
"""

import gc

from pipelines.batch.stages import segment_article, simplify_article
from pipelines.extract.article import extract_article
from pipelines.text.clean import clean_article
from pipelines.text.html_extract import warm_up as warm_up_html
from pipelines.text.mojibake import load_language_model
from pipelines.text.read import RawArticle
from pipelines.text.simplify import converter

WARM_UP_TEXT = (
    "枫桥经验在基层 示例派出所\n"
    "时间:2024-01-05 来源:示例日报 作者:示例\n"
    "近年来，该所深入践行新时代“枫桥经验”，成功调处矛盾纠纷120余起，调处成功率达98%。\n"
    "隨著網格化管理推進，轄區治安持續向好，群眾滿意度達到99.1%。\n"
)


def warm_up() -> None:
    """Load every lazily built NLP resource by running the stages once (the pool initializer)."""
    for config in ("t2s", "tw2s", "s2t"):
        converter(config)
    load_language_model()
    warm_up_html()  # dateparser's locale patterns, about 2 s a worker otherwise, on its first HTML page
    raw = RawArticle("<warm-up>", "", len(WARM_UP_TEXT.encode()), "utf_8", "text", WARM_UP_TEXT)
    extract_article(segment_article(simplify_article(clean_article(raw))))


warm_up()
gc.freeze()
