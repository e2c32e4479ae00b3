"""Helpers for the ingestion tests: processed seeds, drop-folder files, and whole-warehouse snapshots."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import opencc
from sqlalchemy import Engine, func, select

from pipelines.batch.stages import process_files
from pipelines.extract.article import ArticleExtraction, extract_article
from pipelines.text.articles import Rejection, SegmentedArticle
from tests.conftest import SEEDS, seed_text
from warehouse.load import LoadResult, load_batch
from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, Base, Station, Statistic

Processed = tuple[list[SegmentedArticle], dict[str, ArticleExtraction], list[Rejection]]


def process(paths: Sequence[str | Path]) -> Processed:
    """Read → clean → simplify → segment → extract, as the Dagster assets do, without Dagster."""
    read, cleaned, segmented = process_files([str(p) for p in paths])
    return segmented, {a.id: extract_article(a) for a in segmented}, read.rejections + cleaned.rejections


@functools.cache
def processed_seeds() -> Processed:
    return process(sorted(SEEDS.values()))


def load(engine: Engine, processed: Processed, batch_key: str | None = None) -> LoadResult:
    segmented, extractions, rejections = processed
    return load_batch(engine, segmented, rejections, batch_key=batch_key, extractions=extractions)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every warehouse table, sorted: two snapshots are equal only if nothing changed at all."""
    with engine.connect() as conn:
        return {
            table.name: sorted((tuple(map(repr, row)) for row in conn.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def counted_statistics_per_station(engine: Engine) -> dict[str, int]:
    """Statistics per station, each reprint cluster counted once (the convention every comparison uses)."""
    query = (
        select(Station.name, func.count(Statistic.id))
        .join(Statistic, Statistic.station_id == Station.id)
        .join(Article, Article.key == Statistic.article_key)
        .where(counted_once())
        .group_by(Station.name)
    )
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def all_statistics_per_station(engine: Engine) -> dict[str, int]:
    query = (
        select(Station.name, func.count(Statistic.id))
        .join(Statistic, Statistic.station_id == Station.id)
        .group_by(Station.name)
    )
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def to_traditional(text: str) -> str:
    """Taiwan-standard Traditional with phrase conversion: the hardest Traditional copy to recognise."""
    return opencc.OpenCC("s2twp.json").convert(text)


REPRINT_DATE_LINE = "发布时间：2024-03-02 来源：江门日报 作者：记者 李明"


def reprint_with_new_boilerplate(prefix: str, date_line: str = REPRINT_DATE_LINE) -> str:
    """A republished copy: another site's header, a new title line, a new date/publisher line and footer."""
    lines = seed_text(prefix).splitlines()
    body = [line for line in lines if line.strip()]
    return "\n".join(
        [
            "【转载】平安南粤微信公众号 | 首页 | 警方发布",
            "转载：" + body[0].strip(),
            date_line,
            *body[1:],
            "（本文转自江门日报，如有侵权请联系删除）",
            "扫描二维码关注我们  分享到：微信 微博",
        ]
    )


def write_drop_batch(folder: Path) -> dict[str, str]:
    """The end-to-end drop batch; returns file name → the outcome the archive must report for it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gbk_copy_001.txt").write_bytes(seed_text("001").encode("gbk"))
    # Big5 has no code point for a few characters OpenCC produces; they are dropped so Big5 can encode the text.
    big5 = "".join(ch for ch in to_traditional(seed_text("003")) if ch.encode("big5", errors="ignore"))
    (folder / "big5_copy_003.txt").write_bytes(big5.encode("big5"))
    (folder / "reprint_002.txt").write_text(reprint_with_new_boilerplate("002"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    html = (Path(__file__).parent / "fixtures" / "chinapeace_000.html").read_text(encoding="utf-8")
    (folder / "truncated.html").write_text(html[: html.index("<body") + 120], encoding="utf-8")
    return {
        "gbk_copy_001.txt": "unchanged",
        "big5_copy_003.txt": "reprint",
        "reprint_002.txt": "reprint",
        "empty.txt": "rejected",
        "scan.txt": "rejected",
        "truncated.html": "rejected",
    }
