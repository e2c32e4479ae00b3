"""Loading a batch: idempotent upserts, all inside one transaction, so a batch lands whole or not at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection

from pipelines.articles import Rejection, SegmentedArticle
from pipelines.extract import ArticleExtraction
from warehouse.dialect import insert_for
from warehouse.load_extraction import load_extraction
from warehouse.schema import Article, IngestBatch, Sentence, SourceFile, utcnow


@dataclass
class LoadResult:
    new: list[str] = field(default_factory=list)  # article ids inserted by this load
    unchanged: list[str] = field(default_factory=list)  # article ids the warehouse already held
    rejected: list[str] = field(default_factory=list)  # paths


def known_files(engine: Engine, paths: Sequence[str] | None = None) -> dict[str, str]:
    """path → content hash of files already seen, fetched as one set rather than one query per file."""
    query = select(SourceFile.path, SourceFile.file_sha256)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    wanted = set(paths) if paths is not None else None
    return {path: sha for path, sha in rows if wanted is None or path in wanted}


def known_article_ids(engine: Engine, ids: Sequence[str]) -> set[str]:
    if not ids:
        return set()
    with engine.connect() as conn:
        return set(conn.scalars(select(Article.id).where(Article.id.in_(list(ids)))))


def save_batch_manifest(engine: Engine, key: str, files: Sequence[str]) -> None:
    with engine.begin() as conn:
        stmt = insert_for(conn, IngestBatch.__table__).values(key=key, files=list(files), created=utcnow())
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"files": list(files)}))


def batch_manifest(engine: Engine, key: str) -> list[str]:
    with engine.connect() as conn:
        files = conn.scalar(select(IngestBatch.files).where(IngestBatch.key == key))
    if files is None:
        raise KeyError(f"no ingest batch {key!r} in the warehouse")
    return list(files)


def _article_row(item: SegmentedArticle, batch_key: str | None) -> dict[str, object]:
    clean = item.article.clean
    meta = item.article.meta
    now = utcnow()
    return {
        "id": clean.id,
        "source_file": clean.raw.path,
        "media_type": clean.raw.media_type,
        "encoding": clean.raw.encoding,
        "url": meta.url,
        "title": meta.title,
        "original_title": clean.meta.title,
        "subtitle": meta.subtitle,
        "published": meta.published,
        "publisher": meta.publisher,
        "author": meta.author,
        "editor": meta.editor,
        "missing_metadata": list(meta.missing),
        "original_script": item.article.simplified.script,
        "raw_text": clean.raw.text,
        "clean_text": clean.text,
        "simplified_text": item.article.simplified.simplified,
        "clean_to_raw": clean.to_raw.to_runs(),
        "simplified_to_clean": item.article.simplified.to_original.to_runs(),
        "repair_flags": clean.repairs.as_dict(),
        "captions": list(clean.captions),
        "batch_key": batch_key,
        "first_ingested": now,
        "last_ingested": now,
    }


def _sentence_rows(item: SegmentedArticle) -> list[dict[str, object]]:
    return [
        {
            "article_id": item.id,
            "seq": s.seq,
            "start": s.start,
            "end": s.end,
            "original_start": s.original_start,
            "original_end": s.original_end,
            "text": s.text,
            "original_text": s.original_text,
            "tokens": " ".join(s.tokens),
            "search_tokens": " ".join(s.search_tokens),
        }
        for s in item.sentences
    ]


def load_batch(
    engine: Engine,
    articles: Sequence[SegmentedArticle],
    rejections: Sequence[Rejection] = (),
    batch_key: str | None = None,
    extractions: Mapping[str, ArticleExtraction] | None = None,
) -> LoadResult:
    """Upsert a batch in one transaction. Re-loading the same articles changes nothing but `last_*` stamps.

    Two loads racing on the same article both succeed and leave one copy: the article row is inserted with
    ON CONFLICT DO NOTHING and only the load whose insert took writes its sentences.
    """
    result = LoadResult()
    now = utcnow()
    with engine.begin() as conn:
        if batch_key is not None:
            conn.execute(
                insert_for(conn, IngestBatch.__table__)
                .values(key=batch_key, files=[a.article.clean.raw.path for a in articles], created=now)
                .on_conflict_do_nothing(index_elements=["key"])
            )
        for item in articles:
            inserted = conn.execute(
                insert_for(conn, Article.__table__)
                .values(**_article_row(item, batch_key))
                .on_conflict_do_nothing(index_elements=["id"])
                .returning(Article.__table__.c.id)
            ).scalar_one_or_none()
            if inserted is not None:
                rows = _sentence_rows(item)
                if rows:
                    conn.execute(insert_for(conn, Sentence.__table__), rows)
                if extractions and item.id in extractions:
                    load_extraction(conn, extractions[item.id])
                result.new.append(item.id)
            else:
                conn.execute(update(Article).where(Article.id == item.id).values(last_ingested=now))
                result.unchanged.append(item.id)
            raw = item.article.clean.raw
            _upsert_source_file(conn, raw.path, raw.file_sha256, raw.size, raw.encoding, item.id, "loaded", None)
        for rej in rejections:
            _upsert_source_file(
                conn, rej.path, rej.file_sha256 or "", rej.size, None, None, "rejected", rej.reason
            )
            result.rejected.append(rej.path)
        if batch_key is not None:
            conn.execute(
                update(IngestBatch)
                .where(IngestBatch.key == batch_key)
                .values(
                    loaded=now,
                    summary={"new": len(result.new), "unchanged": len(result.unchanged),
                             "rejected": len(result.rejected)},
                )
            )
    return result


def touch_files(engine: Engine, paths: Sequence[str]) -> None:
    """Mark files seen again without change (they were skipped before any NLP)."""
    if not paths:
        return
    with engine.begin() as conn:
        conn.execute(update(SourceFile).where(SourceFile.path.in_(list(paths))).values(last_seen=utcnow()))


def _upsert_source_file(
    conn: Connection,
    path: str,
    sha: str,
    size: int,
    encoding: str | None,
    article_id: str | None,
    status: str,
    reason: str | None,
) -> None:
    now = utcnow()
    values = {"file_sha256": sha, "size": size, "encoding": encoding, "article_id": article_id,
              "status": status, "reason": reason, "last_seen": now}
    stmt = insert_for(conn, SourceFile.__table__).values(path=path, first_seen=now, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["path"], set_=values))
