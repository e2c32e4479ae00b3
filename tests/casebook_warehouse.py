"""A warehouse of the five seeds plus one hostile article, for the casebook, web and browser tests.

The hostile article is a Traditional-script report of a made-up station whose text carries a `<script>` tag, an
`<img onerror>` and markup characters: every page and document must show them as text.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from pipelines.batch.stages import extract_batch, process_files
from tests.conftest import SEEDS
from warehouse.db import get_engine
from warehouse.load import load_batch

HOSTILE_SCRIPT = "<script>window.__pwned = 1; document.title = 'pwned'</script>"
HOSTILE_TEXT = f"""清水河邊境派出所推行“警民聯調”調解機制
發布時間:2024-01-05 來源:伊犁日報

清水河邊境派出所位於新疆維吾爾自治區伊犁哈薩克自治州霍城縣。{HOSTILE_SCRIPT}該所推行“警民聯調”工作機制,由社區民警、人民調解員和網格員組成調解隊伍。
近兩年來,該所成功調處矛盾糾紛300余起,調處成功率達97%。<img src=x onerror="window.__pwned = 2">群眾對此十分滿意。
"""


@cache
def _processed() -> tuple:
    hostile = Path(tempfile.mkdtemp(prefix="fqa-hostile-")) / "hostile_zz.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    read, cleaned, segmented = process_files([*sorted(SEEDS.values()), hostile])
    assert not read.rejections and not cleaned.rejections, (read.rejections, cleaned.rejections)
    extractions = {e.article_id: e for e in extract_batch(segmented)}
    return segmented, extractions


def load_seed_warehouse(db_url: str) -> None:
    """Seeds + hostile article into the (empty) warehouse at db_url; the NLP runs once per test session."""
    segmented, extractions = _processed()
    load_batch(get_engine(db_url), segmented, batch_key="casebook-tests", extractions=extractions)
