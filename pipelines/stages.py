"""The stages over a batch of files: read → clean → simplify → segment.

The same functions run from tests, from `fqa`, and inside the Dagster assets, which only add timing and
metadata. A file that fails any stage becomes a `Rejection` naming the file and the problem; it never stops
the rest of the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipelines import progress
from pipelines.articles import (
    CleanArticle,
    Rejection,
    SegmentedArticle,
    SentenceRecord,
    SimplifiedArticle,
)
from pipelines.clean import CleanError, clean_article
from pipelines.ingest import DEFAULT_MAX_BYTES, IngestError, RawArticle, content_hash, read_article
from pipelines.segment import search_tokens, split_sentences, tokenize
from pipelines.simplify import config_for, convert, simplify

log = logging.getLogger(__name__)


@dataclass
class ReadBatch:
    articles: list[RawArticle] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # paths whose bytes the warehouse already holds
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return len(self.articles) + len(self.unchanged) + len(self.rejections)


@dataclass
class CleanBatch:
    articles: list[CleanArticle] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def read_batch(
    paths: Iterable[str | Path], known: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> ReadBatch:
    """Decode every file whose content hash differs from what the warehouse recorded for its path."""
    known = known or {}
    batch = ReadBatch()
    for path in progress.each("read", [str(p) for p in paths]):
        try:
            if path in known and Path(path).is_file() and content_hash(Path(path).read_bytes()) == known[path]:
                batch.unchanged.append(path)
                continue
            batch.articles.append(read_article(path, max_bytes=max_bytes))
        except IngestError as exc:
            batch.rejections.append(_rejection(path, exc.code, exc.reason))
        except OSError as exc:
            batch.rejections.append(_rejection(path, "unreadable", f"cannot read: {exc.strerror or exc}"))
    return batch


def _rejection(path: str, code: str, reason: str) -> Rejection:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return Rejection(path, code, reason)
    return Rejection(path, code, reason, content_hash(data), len(data))


def clean_batch(raws: Sequence[RawArticle]) -> CleanBatch:
    batch = CleanBatch()
    for raw in progress.each("clean", raws):
        try:
            batch.articles.append(clean_article(raw))
        except CleanError as exc:
            batch.rejections.append(Rejection(raw.path, exc.code, exc.reason, raw.file_sha256, raw.size))
    return batch


def simplify_article(article: CleanArticle) -> SimplifiedArticle:
    simplified = simplify(article.text)
    config = config_for(simplified.script)
    meta = replace(
        article.meta,
        **{name: convert(value, config) for name, value in vars(article.meta).items() if isinstance(value, str)},
    )
    return SimplifiedArticle(article, simplified, meta)


def segment_article(article: SimplifiedArticle) -> SegmentedArticle:
    text = article.simplified.simplified
    original = article.simplified.original
    sentences = []
    for seq, sentence in enumerate(split_sentences(text)):
        o_start, o_end = article.simplified.original_span(sentence.start, sentence.end)
        sentences.append(
            SentenceRecord(
                seq=seq,
                start=sentence.start,
                end=sentence.end,
                original_start=o_start,
                original_end=o_end,
                text=sentence.text,
                original_text=original[o_start:o_end],
                tokens=tuple(t.text for t in tokenize(sentence.text)),
                search_tokens=tuple(search_tokens(sentence.text)),
            )
        )
    return SegmentedArticle(article, tuple(sentences))


def simplify_batch(articles: Sequence[CleanArticle]) -> list[SimplifiedArticle]:
    return [simplify_article(article) for article in progress.each("simplify", articles)]


def segment_batch(articles: Sequence[SimplifiedArticle]) -> list[SegmentedArticle]:
    return [segment_article(article) for article in progress.each("segment", articles)]


def process_files(
    paths: Iterable[str | Path], known: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ReadBatch, CleanBatch, list[SegmentedArticle]]:
    """All stages in one call, for `fqa extract`, tests and benchmarks."""
    read = read_batch(paths, known, max_bytes)
    cleaned = clean_batch(read.articles)
    segmented = segment_batch(simplify_batch(cleaned.articles))
    return read, cleaned, segmented
