"""Re-extraction: every article an older extractor read (or none did) is extracted again with the current one.

An improved extractor otherwise reaches only articles loaded after it: an article's id is its text, so a
re-run finds nothing changed. This runs from the warehouse's stored articles, a batch at a time (each batch
one transaction, so an interrupted run leaves every article with one whole extraction, old or new, and the
next run carries on with what is still due), over the same process pool as the extraction stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from pipelines.batch import progress
from pipelines.batch.ingest_plan import BATCH_SIZE
from pipelines.batch.memory import full_collections_deferred, release_memory
from pipelines.batch.stages import extract_batch
from pipelines.extract.version import extractor_version
from warehouse.reextract import replace_extractions, stale_article_ids, stored_articles
from warehouse.schema import PracticeMention, Station, StationArticle, Statistic

STAGE = "reextract"
COUNTED = {"stations": Station, "appearances": StationArticle, "practice_mentions": PracticeMention,
           "statistics": Statistic}


@dataclass
class ReextractSummary:
    version: str
    due: int = 0  # articles whose extraction was older than `version` (or missing) when the run started
    reextracted: int = 0
    gone: int = 0  # replaced or removed by a load while the run went on
    stations_dropped: int = 0
    practices_dropped: int = 0
    batches: int = 0
    before: dict[str, int] = field(default_factory=dict)  # rows in the extraction tables
    after: dict[str, int] = field(default_factory=dict)


def extraction_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.scalar(select(func.count()).select_from(table)) for name, table in COUNTED.items()}


def reextract(engine: Engine, batch_size: int = BATCH_SIZE, limit: int | None = None) -> ReextractSummary:
    """Extract again every article whose extraction is not the current extractor's, `batch_size` at a time;
    `limit` stops after that many articles (the next run continues)."""
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1 article, not {batch_size}")
    version = extractor_version()
    due = stale_article_ids(engine, version)
    summary = ReextractSummary(version, due=len(due), before=extraction_counts(engine))
    todo = due[:limit] if limit is not None else due
    if not todo:
        summary.after = summary.before
        return summary
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        with full_collections_deferred():
            replaced = replace_extractions(engine, extract_batch(stored_articles(engine, chunk)))
        release_memory()
        summary.batches += 1
        summary.reextracted += replaced.articles
        summary.gone += len(chunk) - replaced.articles
        summary.stations_dropped += replaced.stations_dropped
        summary.practices_dropped += replaced.practices_dropped
        progress.advance(STAGE, min(start + batch_size, len(todo)), len(todo))
    summary.after = extraction_counts(engine)
    return summary
