"""The archive's assets: thin wrappers that wire the stages together and record what each stage did.

Assets are partitioned by ingest batch (a set of files, named in the warehouse's `ingest_batch` table),
never by article: Dagster's per-run cost would make one run per article take hours at 10,000 articles.
"""


import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import dagster as dg

from pipelines.batch.load_retry import load_isolating_failures
from pipelines.batch.quarantine import quarantine_files
from pipelines.batch.stages import (
    CleanBatch,
    ReadBatch,
    clean_batch,
    extract_batch,
    read_batch,
    segment_batch,
    simplify_batch,
)
from pipelines.defs.automation import INGEST_BATCHES
from pipelines.defs.resources import DropFolders, WarehouseResource
from pipelines.extract import checks as extraction_checks
from pipelines.extract.article import ArticleExtraction
from pipelines.extract.topic import held_for_review
from pipelines.text.articles import CleanArticle, SegmentedArticle, SimplifiedArticle
from pipelines.text.pinyin_gloss import find_pinyin_glosses
from pipelines.text.read import DEFAULT_MAX_BYTES
from pipelines.text.simplify import detect_script
from warehouse.load import batch_manifest, known_files, touch_files
from warehouse.quarantine_log import accepted_contents

# The batch partitions, the drop-folder sensor and the daily rescan live in pipelines/defs/automation.py.
SAMPLE_SIZE = 5


class IngestConfig(dg.Config):
    max_bytes: int = DEFAULT_MAX_BYTES


def timed_metadata(started: float, **values: Any) -> dict[str, Any]:
    return {**values, "seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3))}


@dg.asset(partitions_def=INGEST_BATCHES, group_name="archive")
def raw_articles(
    context: dg.AssetExecutionContext, config: IngestConfig, warehouse: WarehouseResource
) -> dg.Output[ReadBatch]:
    """Decoded files of the batch; files whose bytes the warehouse already holds are skipped here."""
    started = time.perf_counter()
    engine = warehouse.engine()
    paths = batch_manifest(engine, context.partition_key)
    batch = read_batch(paths, known_files(engine, paths), max_bytes=config.max_bytes)
    encodings = Counter(raw.encoding for raw in batch.articles)
    return dg.Output(
        batch,
        metadata=timed_metadata(
            started,
            files_seen=batch.seen,
            files_read=len(batch.articles),
            skipped_unchanged=len(batch.unchanged),
            rejected=len(batch.rejections),
            encodings=dg.MetadataValue.json(dict(encodings)),
            characters=sum(len(r.text) for r in batch.articles),
            rejections=dg.MetadataValue.json([f"{r.path}: {r.reason}" for r in batch.rejections]),
        ),
    )


@dg.asset(
    partitions_def=INGEST_BATCHES,
    group_name="archive",
    check_specs=[
        dg.AssetCheckSpec("no_pinyin_gloss", asset="clean_articles"),
        dg.AssetCheckSpec("title_and_date", asset="clean_articles"),
    ],
)
def clean_articles(raw_articles: ReadBatch) -> Iterator[dg.Output[CleanBatch] | dg.AssetCheckResult]:
    """Body text without boilerplate, glosses or mojibake, and the metadata pulled out of it."""
    started = time.perf_counter()
    batch = clean_batch(raw_articles.articles)
    repaired = [a for a in batch.articles if a.repairs.repaired]
    yield dg.Output(
        batch,
        metadata=timed_metadata(
            started,
            articles=len(batch.articles),
            rejected=len(batch.rejections),
            repaired=len(repaired),
            flagged=sum(1 for a in batch.articles if a.repairs.flagged),
            glosses_removed=sum(a.repairs.glosses_removed for a in batch.articles),
            mojibake_runs=sum(a.repairs.mojibake_runs for a in batch.articles),
            characters=sum(len(a.text) for a in batch.articles),
            rejections=dg.MetadataValue.json([f"{r.path}: {r.reason}" for r in batch.rejections]),
            sample_titles=dg.MetadataValue.json([a.meta.title for a in batch.articles[:SAMPLE_SIZE]]),
        ),
    )
    yield _gloss_check(batch.articles)
    yield _title_date_check(batch.articles)


def _gloss_check(articles: list[CleanArticle]) -> dg.AssetCheckResult:
    left = {a.raw.path: len(find_pinyin_glosses(a.text)) for a in articles}
    left = {path: n for path, n in left.items() if n}
    return dg.AssetCheckResult(
        check_name="no_pinyin_gloss",
        passed=not left,
        metadata={"articles_with_glosses": dg.MetadataValue.json(left)},
    )


def _title_date_check(articles: list[CleanArticle]) -> dg.AssetCheckResult:
    """Warns, listing them, when articles lack a title or a date (many reports carry no date line)."""
    missing = {
        a.raw.path: [name for name in ("title", "published") if name in a.meta.missing]
        for a in articles
        if {"title", "published"} & set(a.meta.missing)
    }
    return dg.AssetCheckResult(
        check_name="title_and_date",
        passed=not missing,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"missing": dg.MetadataValue.json(missing)},
    )


@dg.asset(
    partitions_def=INGEST_BATCHES,
    group_name="archive",
    check_specs=[dg.AssetCheckSpec("no_traditional_chars", asset="simplified_articles")],
)
def simplified_articles(
    clean_articles: CleanBatch,
) -> Iterator[dg.Output[list[SimplifiedArticle]] | dg.AssetCheckResult]:
    """Simplified text beside the original script, with offsets both ways."""
    started = time.perf_counter()
    articles = simplify_batch(clean_articles.articles)
    scripts = Counter(a.simplified.script for a in articles)
    yield dg.Output(
        articles,
        metadata=timed_metadata(
            started,
            articles=len(articles),
            scripts=dg.MetadataValue.json(dict(scripts)),
            characters=sum(len(a.simplified.simplified) for a in articles),
        ),
    )
    leftovers = {a.clean.raw.path: detect_script(a.simplified.simplified).traditional for a in articles}
    leftovers = {path: n for path, n in leftovers.items() if n}
    yield dg.AssetCheckResult(
        check_name="no_traditional_chars",
        passed=not leftovers,
        metadata={"traditional_chars_left": dg.MetadataValue.json(leftovers)},
    )


@dg.asset(partitions_def=INGEST_BATCHES, group_name="archive")
def segmented_articles(simplified_articles: list[SimplifiedArticle]) -> dg.Output[list[SegmentedArticle]]:
    """Sentences and jieba tokens (the dictionary is loaded once per process, not per article)."""
    started = time.perf_counter()
    articles = segment_batch(simplified_articles)
    return dg.Output(
        articles,
        metadata=timed_metadata(
            started,
            articles=len(articles),
            sentences=sum(len(a.sentences) for a in articles),
            tokens=sum(s.token_count for a in articles for s in a.sentences),
        ),
    )


EXTRACTION_CHECKS = ("spans_match_text", "rates_in_range", "counts_non_negative", "statistics_attributed")


@dg.asset(
    partitions_def=INGEST_BATCHES,
    group_name="archive",
    check_specs=[dg.AssetCheckSpec(name, asset="extracted_articles") for name in EXTRACTION_CHECKS],
)
def extracted_articles(
    segmented_articles: list[SegmentedArticle],
) -> Iterator[dg.Output[list[ArticleExtraction]] | dg.AssetCheckResult]:
    """Stations, places, practices and statistics, each tied to its sentence and spans."""
    started = time.perf_counter()
    extractions = extract_batch(segmented_articles)  # over all cores, like the other CPU-heavy stages
    metrics = Counter(s.metric for e in extractions for s in e.statistics)
    yield dg.Output(
        extractions,
        metadata=timed_metadata(
            started,
            articles=len(extractions),
            stations=sum(len(e.stations) for e in extractions),
            practices=sum(len(e.practices) - len(e.slogans) for e in extractions),
            slogans=sum(len(e.slogans) for e in extractions),
            statistics=sum(len(e.statistics) for e in extractions),
            metrics=dg.MetadataValue.json(dict(metrics)),
        ),
    )
    outcomes = {
        "spans_match_text": extraction_checks.spans_match_text(list(zip(segmented_articles, extractions, strict=True))),
        "rates_in_range": extraction_checks.rates_in_range(extractions),
        "counts_non_negative": extraction_checks.counts_non_negative(extractions),
        "statistics_attributed": extraction_checks.statistics_attributed(extractions),
    }
    for name, outcome in outcomes.items():
        yield dg.AssetCheckResult(
            check_name=name,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.WARN if name == "statistics_attributed" else dg.AssetCheckSeverity.ERROR,
            metadata={"problems": dg.MetadataValue.json(outcome.problems[:50]), "count": len(outcome.problems)},
        )


# On the Celery executor (deploy/) the load step has a queue of its own, served by one worker: loads take the
# warehouse's load lock one at a time anyway, and a load waiting for it must not hold a node the NLP steps need.
LOAD_QUEUE = "fqa_load"


@dg.asset(partitions_def=INGEST_BATCHES, group_name="archive", op_tags={"dagster-celery/queue": LOAD_QUEUE})
def warehouse_articles(
    context: dg.AssetExecutionContext,
    raw_articles: ReadBatch,
    clean_articles: CleanBatch,
    segmented_articles: list[SegmentedArticle],
    extracted_articles: list[ArticleExtraction],
    warehouse: WarehouseResource,
    folders: DropFolders,
) -> dg.MaterializeResult:
    """The batch upserted in one transaction; unchanged articles load nothing new; off-topic files are held."""
    started = time.perf_counter()
    engine = warehouse.engine()
    extractions = {e.article_id: e for e in extracted_articles}
    accepted = accepted_contents(engine, [a.article.clean.raw.file_sha256 for a in segmented_articles])
    held = held_for_review(segmented_articles, extractions, accepted)
    held_paths = {h.path for h in held}
    articles = [a for a in segmented_articles if a.article.clean.raw.path not in held_paths]
    # A file the database refuses is taken out and quarantined with its reason; the rest of the batch loads.
    result, rejections = load_isolating_failures(
        engine, articles, raw_articles.rejections + clean_articles.rejections + held,
        batch_key=context.partition_key, extractions=extractions,
    )
    touch_files(engine, raw_articles.unchanged)
    # Only after the load committed: a failed batch leaves every file where it was.
    moved = []
    if folders.quarantine:
        moved = quarantine_files(engine, rejections, folders.quarantine, context.partition_key)
    outcomes = result.counts()
    return dg.MaterializeResult(
        metadata=timed_metadata(
            started,
            files_seen=raw_articles.seen,
            new=outcomes["new"],
            updated=outcomes["updated"],
            reprints=outcomes["reprint"],
            unchanged=len(result.unchanged) + len(raw_articles.unchanged),
            rejected=len(result.rejected),
            held_for_review=outcomes["review"],
            quarantined=sum(1 for m in moved if m.moved_to),
            repaired=sum(1 for a in clean_articles.articles if a.repairs.repaired),
            flagged=sum(1 for a in clean_articles.articles if a.repairs.flagged),
        )
    )


ARCHIVE_ASSETS = [
    raw_articles, clean_articles, simplified_articles, segmented_articles, extracted_articles, warehouse_articles,
]
