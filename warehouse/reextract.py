"""The warehouse's side of re-extraction: which articles an older extractor read, those articles read back as
the extraction stage takes them, and their extraction rows replaced in one transaction.

Re-extraction works from what the warehouse stored (simplified text, offsets, metadata, repair flags,
sentences and their tokens), not from the corpus files: those may have moved, changed or gone, and an
article's sentences and search index stay as they are, so every span the new rows carry points into text
the archive already shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from pipelines.text.articles import (
    ArticleMeta,
    CleanArticle,
    RepairReport,
    SegmentedArticle,
    SentenceRecord,
    SimplifiedArticle,
)
from pipelines.text.offsets import OffsetMap
from pipelines.text.read import RawArticle
from pipelines.text.segment import tokenize
from pipelines.text.simplify import SimplifiedText
from warehouse import stored_text, words
from warehouse.dialect import DeferredRows
from warehouse.load import serialise_loads
from warehouse.load_extraction import BatchIds, delete_extraction, drop_orphans, load_extraction
from warehouse.schema import Article, ExtractionVersion, Sentence, SourceFile, keys_of

if TYPE_CHECKING:  # only for annotations
    from pipelines.extract.article import ArticleExtraction


def _stale(version: str):  # noqa: ANN202 - a select of article ids
    """Articles with no extraction version or another one than `version`."""
    return (
        select(Article.id)
        .outerjoin(ExtractionVersion, ExtractionVersion.article_key == Article.key)
        .where((ExtractionVersion.version.is_(None)) | (ExtractionVersion.version != version))
    )


def stale_article_ids(engine: Engine, version: str) -> list[str]:
    """In id order, so an interrupted re-extraction resumes where it stopped."""
    with engine.connect() as conn:
        return list(conn.scalars(_stale(version).order_by(Article.id)))


def count_stale(engine: Engine, version: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(_stale(version).subquery()))


def _repairs(flags: dict) -> RepairReport:
    known = {f.name for f in dataclasses.fields(RepairReport)}
    values = {name: value for name, value in flags.items() if name in known}
    values["unrecoverable_spans"] = tuple(tuple(span) for span in values.get("unrecoverable_spans", ()))
    return RepairReport(**values)


def stored_articles(engine: Engine, ids: Sequence[str]) -> list[SegmentedArticle]:
    """The articles as the extraction stage received them when they were loaded (ids not found are left out).

    Exact in what extraction reads: the simplified text and its map onto the clean text, the metadata, the
    unrecoverable spans and the sentences with their tokens. The clean text's map onto the raw file is
    rebuilt from its stored runs; an HTML page's extracted text, which that map points into, is not stored.
    """
    if not ids:
        return []
    with engine.connect() as conn:
        rows = {
            row.id: row
            for row in conn.execute(
                select(Article, Article.clean_text.label("clean_text"), SourceFile.file_sha256)
                .outerjoin(SourceFile, SourceFile.path == Article.source_file)
                .where(Article.id.in_(list(ids)))
            )
        }
        sentences: dict[str, list[SentenceRecord]] = {}
        for s in conn.execute(
            select(Sentence)
            .where(Sentence.article_key.in_(keys_of(list(rows))))
            .order_by(Sentence.article_id, Sentence.seq)
        ):
            sentences.setdefault(s.article_id, []).append(
                SentenceRecord(
                    s.seq, s.start, s.end, s.original_start, s.original_end, s.text, s.original_text,
                    " ".join(t.text for t in tokenize(s.text)),  # not stored: the segment stage's cut, again
                    words.text(s.text, s.search_words or ""),
                )
            )
    return [_segmented(rows[i], tuple(sentences.get(i, ()))) for i in ids if i in rows]


def _segmented(row, sentences: tuple[SentenceRecord, ...]) -> SegmentedArticle:  # noqa: ANN001 - a result row
    raw_text = stored_text.raw_text(row.clean_text, row.raw_patch)
    size = len(raw_text.encode())
    raw = RawArticle(row.source_file, row.file_sha256 or "", size, row.encoding, row.media_type, raw_text)
    meta = ArticleMeta(row.title, row.subtitle, row.published, row.publisher, row.author, row.editor, row.url)
    to_raw_length = max((run[1] for run in row.clean_to_raw), default=len(raw_text))
    clean = CleanArticle(
        raw=raw,
        id=row.id,
        text=row.clean_text,
        to_raw=OffsetMap.from_runs(row.clean_to_raw, to_raw_length),
        meta=dataclasses.replace(meta, title=row.original_title),
        repairs=_repairs(row.repair_flags or {}),
        captions=tuple(row.captions or ()),
        source_text=raw_text if row.media_type == "text" else "",
    )
    simplified = SimplifiedText(
        row.clean_text,
        row.simplified_text,
        row.original_script,
        OffsetMap.from_runs(row.simplified_to_clean, len(row.clean_text)),
    )
    return SegmentedArticle(SimplifiedArticle(clean, simplified, meta), sentences)


@dataclass
class Replaced:
    articles: int = 0  # extractions written; those of articles a load replaced since they were read are dropped
    stations_dropped: int = 0  # stations, practices no article names any more
    practices_dropped: int = 0


def replace_extractions(engine: Engine, extractions: Sequence[ArticleExtraction]) -> Replaced:
    """Swap the articles' extraction rows for these, in one transaction under the load lock, and drop the
    stations and practices only the old rows named. Station places, aliases and honours merge as in a load."""
    result = Replaced()
    with engine.begin() as conn:
        serialise_loads(conn)
        present = _present(conn, [e.article_id for e in extractions])
        current = [e for e in extractions if e.article_id in present]
        stations, practices = delete_extraction(conn, present)
        ids = BatchIds()
        rows = DeferredRows(conn)
        for extraction in current:
            load_extraction(conn, extraction, ids, rows)
        rows.flush()
        result.stations_dropped, result.practices_dropped = drop_orphans(conn, stations, practices, ids)
        result.articles = len(current)
    return result


def _present(conn: Connection, ids: Sequence[str]) -> set[str]:
    return set(conn.scalars(select(Article.id).where(Article.id.in_(list(ids))))) if ids else set()
