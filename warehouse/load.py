"""Loading a batch: idempotent upserts, all inside one transaction, so a batch lands whole or not at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine, bindparam, delete, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.sql import Executable

from pipelines.text.articles import OFF_TOPIC, Rejection, SegmentedArticle
from pipelines.text.reprints import fingerprint
from warehouse import fts, stored_text, words
from warehouse.dialect import DeferredRows, InsertFor, insert_for, prepared, prepared_insert
from warehouse.history import archive_version, log_change
from warehouse.load_extraction import BatchIds, delete_extraction, drop_orphans, load_extraction
from warehouse.quarantine_log import record_rejection
from warehouse.reprint_clusters import (
    WIDE_UNIT_KINDS,
    WarehouseReprintIndex,
    assign_cluster,
    cluster_members,
    load_index,
    save_fingerprint,
)
from warehouse.schema import Article, IngestBatch, Sentence, SourceFile, utcnow

if TYPE_CHECKING:  # only for annotations: pipelines.extract.article loads the trained models, seconds of `fqa` start-up
    from pipelines.extract.article import ArticleExtraction

OUTCOME_KINDS = ("new", "updated", "reprint", "unchanged", "rejected", "review")


@dataclass(frozen=True)
class FileOutcome:
    """What loading did with one file: new | updated | reprint | unchanged | rejected | review (held)."""

    kind: str
    article_id: str | None = None
    detail: str | None = None  # updated: the id replaced; reprint: the original's id (the copy it matched, when
    # this one, dated earlier, became the original); rejected: the reason

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "article_id": self.article_id, "detail": self.detail}


TOUCH_CHUNK = 5000
LOAD_LOCK_KEY = 0x46514101  # PostgreSQL advisory lock that serialises batch loads ("FQA" + 1)


class ArticleLoadError(Exception):
    """The database refused one file's article (PostgreSQL: NUL in text; any driver: unencodable text).

    Names the file and carries the database's reason, so the caller can load the batch again without it and
    quarantine it, instead of the whole batch failing on every run.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _database_reason(exc: Exception) -> str:
    """The driver's own message, without SQLAlchemy's SQL and parameter dump (which would repeat the text)."""
    message = str(exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc)
    return message.strip().splitlines()[0] if message.strip() else type(exc).__name__


@dataclass
class LoadResult:
    new: list[str] = field(default_factory=list)  # article ids inserted by this load (new, updated or reprint)
    unchanged: list[str] = field(default_factory=list)  # article ids the warehouse already held
    rejected: list[str] = field(default_factory=list)  # paths
    outcomes: dict[str, FileOutcome] = field(default_factory=dict)  # path → what happened to it

    def counts(self) -> dict[str, int]:
        tally = {kind: 0 for kind in OUTCOME_KINDS}
        for outcome in self.outcomes.values():
            tally[outcome.kind] += 1
        return tally


def known_files(engine: Engine, paths: Sequence[str] | None = None) -> dict[str, str]:
    """path → content hash of files already loaded, fetched as one set rather than one query per file.

    Rejected files are left out, so they are read (and rejected, or quarantined) again rather than skipped.
    """
    query = select(SourceFile.path, SourceFile.file_sha256).where(SourceFile.status == "loaded")
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    wanted = set(paths) if paths is not None else None
    return {path: sha for path, sha in rows if wanted is None or path in wanted}


def known_file_states(engine: Engine) -> dict[str, tuple[str, str]]:
    """path → (content hash, loaded | rejected) of every file seen, in one query."""
    with engine.connect() as conn:
        rows = conn.execute(select(SourceFile.path, SourceFile.file_sha256, SourceFile.status)).all()
    return {path: (sha, status) for path, sha, status in rows}


def batch_outcomes(engine: Engine, key: str) -> dict[str, FileOutcome]:
    """path → outcome of every file a loaded batch held (empty if the batch never loaded)."""
    with engine.connect() as conn:
        summary = conn.scalar(select(IngestBatch.summary).where(IngestBatch.key == key))
    return {path: FileOutcome(**o) for path, o in ((summary or {}).get("outcomes") or {}).items()}


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


def _article_row(item: SegmentedArticle, batch_key: str | None, sqlite: bool) -> dict[str, object]:
    clean = item.article.clean
    meta = item.article.meta
    now = utcnow()
    simplified = item.article.simplified.simplified
    to_raw = clean.to_raw.to_runs()
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
        # each text by what it adds to the simplified text (warehouse/stored_text.py)
        # PostgreSQL: the clean text; SQLite: a compressed patch against the simplified text
        "clean_stored": None if sqlite else stored_text.clean_stored(clean.text, simplified),
        "clean_patch": stored_text.clean_patch(clean.text, simplified) if sqlite else None,
        "raw_patch": stored_text.encode(clean.raw.text, clean.text, to_raw),
        "simplified_text": simplified,
        "clean_to_raw": to_raw,
        "simplified_to_clean": item.article.simplified.to_original.to_runs(),
        "repair_flags": clean.repairs.as_dict(),
        "captions": list(clean.captions),
        "batch_key": batch_key,
        "first_ingested": now,
        "last_ingested": now,
    }


def _sentence_rows(item: SegmentedArticle) -> list[dict[str, object]]:
    """The article's sentence rows, but for `article_key` (the loader adds it)."""
    return [
        {
            "seq": s.seq,
            "start": s.start,
            "end": s.end,
            "original_start": s.original_start,
            "original_end": s.original_end,
            # the text is the article's, at these spans; the bigrams the index's; the words spans of the text
            "search_words": words.encode(s.text, s.search_tokens),
        }
        for s in item.sentences
    ]


def serialise_loads(conn: Connection) -> None:
    """Loads run one at a time, so a batch decides updates and reprint clusters on what the others committed;
    re-extractions (`warehouse.reextract`) take the same lock.

    SQLite: BEGIN IMMEDIATE takes the write lock up front (a deferred transaction that reads and then writes can
    fail at once with "database is locked" instead of waiting). PostgreSQL: a transaction-scoped advisory lock.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})


# The per-article statements, built once (`warehouse.dialect.prepared`): the load runs them for every article.
_ARTICLE_EXISTS = select(Article.id).where(Article.id == bindparam("article_id"))
_FILE_HOLDS = (
    select(SourceFile.article_id)
    .join(Article, Article.id == SourceFile.article_id)
    .where(SourceFile.path == bindparam("path"), SourceFile.status == "loaded", Article.id != bindparam("article_id"))
)
_SAME_URL = select(Article.id, Article.publisher).where(
    Article.url == bindparam("url"), Article.id != bindparam("article_id")
)
_SEEN_AGAIN = update(Article).where(Article.id == bindparam("article_id")).values(last_ingested=bindparam("now"))


_SOURCE_FILE_VALUES = ("file_sha256", "size", "encoding", "article_id", "status", "reason", "last_seen")


def _upsert_source_file_statement(insert: InsertFor) -> Executable:
    stmt = insert(SourceFile.__table__)
    return stmt.on_conflict_do_update(
        index_elements=["path"], set_={name: stmt.excluded[name] for name in _SOURCE_FILE_VALUES}
    )


def _previous_version(conn: Connection, item: SegmentedArticle) -> str | None:
    """The current article this one replaces: the one its source file held, else one with the same URL.

    A URL match needs the same publisher (or none recorded): a reprint often quotes its original's link, and
    must join the original's cluster, not replace it.
    """
    clean = item.article.clean
    by_file = conn.scalar(_FILE_HOLDS, {"path": clean.raw.path, "article_id": item.id})
    if by_file is not None:
        return by_file
    meta = item.article.meta
    if not meta.url:
        return None
    for article_id, publisher in conn.execute(_SAME_URL, {"url": meta.url, "article_id": item.id}).all():
        if publisher is None or meta.publisher is None or publisher == meta.publisher:
            return article_id
    return None


def _replace(conn: Connection, old_id: str, new_id: str, batch_key: str | None, ids: BatchIds) -> None:
    """Move the old version to history, point its files at the new one, and drop its current rows, and the
    stations and practices only it named."""
    first_ingested = archive_version(conn, old_id, new_id, batch_key)
    conn.execute(update(Article).where(Article.id == new_id).values(first_ingested=first_ingested))
    conn.execute(update(SourceFile).where(SourceFile.article_id == old_id).values(article_id=new_id))
    linked = delete_extraction(conn, [old_id])
    conn.execute(delete(Article).where(Article.id == old_id))  # sentences and the rest cascade
    drop_orphans(conn, *linked, ids)


def load_batch(
    engine: Engine,
    articles: Sequence[SegmentedArticle],
    rejections: Sequence[Rejection] = (),
    batch_key: str | None = None,
    extractions: Mapping[str, ArticleExtraction] | None = None,
) -> LoadResult:
    """Load a batch in one transaction: it lands whole or not at all.

    Per article: text the warehouse already holds is `unchanged`; a changed version of a known article (same
    source file, or same URL and publisher) is `updated` and the old version goes to history; a near-duplicate
    of a current article joins its reprint cluster (`reprint`); anything else is `new`. Rejected files are
    recorded with their reason. Two loads racing on the same files leave one copy of each article: loads are
    serialised, and every insert is keyed (ON CONFLICT DO NOTHING / DO UPDATE).
    """
    result = LoadResult()
    now = utcnow()
    with engine.begin() as conn:
        serialise_loads(conn)
        if batch_key is not None:
            conn.execute(
                insert_for(conn, IngestBatch.__table__)
                .values(key=batch_key, files=[a.article.clean.raw.path for a in articles], created=now)
                .on_conflict_do_nothing(index_elements=["key"])
            )
        index = load_index(conn) if articles else None
        ids = BatchIds()
        rows = DeferredRows(conn)
        with fts.deferred(conn) as sentence_index:
            for item in articles:
                previous = None
                raw = item.article.clean.raw
                # The article row holds all of the file's text and metadata: if the database refuses them (and the
                # version lookup queries by its URL and publisher), it refuses here.
                try:
                    if conn.scalar(_ARTICLE_EXISTS, {"article_id": item.id}) is None:
                        previous = _previous_version(conn, item)
                    inserted = conn.execute(  # the new row's integer key, None if the article was there
                        prepared_insert(conn, Article.__table__, ("id",), returning="key"),
                        _article_row(item, batch_key, conn.dialect.name == "sqlite"),
                    ).scalar_one_or_none()
                except (DataError, UnicodeError) as exc:  # refused data, not a lost connection or a lock
                    raise ArticleLoadError(raw.path, _database_reason(exc)) from exc
                if inserted is None:
                    conn.execute(_SEEN_AGAIN, {"article_id": item.id, "now": now})
                    result.unchanged.append(item.id)
                    result.outcomes[raw.path] = FileOutcome("unchanged", item.id)
                else:
                    result.new.append(item.id)
                    result.outcomes[raw.path] = _load_new(
                        conn, item, inserted, previous, index, sentence_index, rows, batch_key, extractions, ids
                    )
                _upsert_source_file(conn, raw.path, raw.file_sha256, raw.size, raw.encoding, item.id, "loaded", None)
            rows.flush()  # before the sentences are indexed
        for rej in rejections:
            state = "review" if rej.code == OFF_TOPIC else "rejected"  # held for an operator, not a broken file
            _upsert_source_file(conn, rej.path, rej.file_sha256 or "", rej.size, None, None, state, rej.reason)
            record_rejection(conn, rej, batch_key)
            if state == "rejected":
                result.rejected.append(rej.path)
            result.outcomes[rej.path] = FileOutcome(state, None, rej.reason)
        if batch_key is not None:
            conn.execute(
                update(IngestBatch)
                .where(IngestBatch.key == batch_key)
                .values(
                    loaded=now,
                    summary={**result.counts(), "outcomes": {p: o.as_dict() for p, o in result.outcomes.items()}},
                )
            )
    return result


def _load_new(
    conn: Connection,
    item: SegmentedArticle,
    key: int,
    previous: str | None,
    index: WarehouseReprintIndex,
    sentence_index: fts.BatchSentenceIndex,
    rows: DeferredRows,
    batch_key: str | None,
    extractions: Mapping[str, ArticleExtraction] | None,
    ids: BatchIds,
) -> FileOutcome:
    """Sentences, extraction, fingerprint and reprint cluster of a new article (`key` its integer key); history if
    it replaces one."""
    sentences = [{"article_key": key, **row} for row in _sentence_rows(item)]
    if sentences:
        rows.add(Sentence.__table__, sentences)
        sentence_index.added(key)
    units: list[int] = []  # the stations and posts it names: where a cut-short copy of it may be
    if extractions and item.id in extractions:
        extraction = extractions[item.id]
        station_ids = load_extraction(conn, extraction, ids, rows, key)
        units = [station_ids[s.name] for s in extraction.stations if not s.kind.endswith(WIDE_UNIT_KINDS)]
    path = item.article.clean.raw.path
    former_cluster: list[str] = []
    if previous is not None:
        former_cluster = cluster_members(conn, previous)
        rows.flush()  # the replaced version may be this batch's: its rows must be stored …
        sentence_index.flush()  # … and its sentences indexed, before they leave with it
        _replace(conn, previous, item.id, batch_key, ids)
        index.remove(previous)
    text = item.article.simplified.simplified
    print_ = item.fingerprint or fingerprint(text)
    save_fingerprint(conn, item.id, print_, key)
    matches = [other for other, _score in index.matches(print_, text, units) if other != item.id]
    index.add(item.id, print_, units, article_key=key)
    original = assign_cluster(conn, [item.id, *matches]) if matches else None
    if former_cluster:  # the replaced version's reprints stay one cluster, with or without the new version
        assign_cluster(conn, former_cluster if original is None else [item.id, *former_cluster])
        original = conn.scalar(select(Article.reprint_cluster).where(Article.id == item.id))
    if previous is not None:
        log_change(conn, "updated", item.id, path, batch_key, previous_id=previous, original_id=original, rows=rows)
        return FileOutcome("updated", item.id, previous)
    if original is not None and original != item.id:
        log_change(conn, "reprint", item.id, path, batch_key, original_id=original, rows=rows)
        return FileOutcome("reprint", item.id, original)
    if matches:  # a copy of what the archive holds, dated earlier: the cluster's original now, still no new report
        log_change(conn, "reprint", item.id, path, batch_key, original_id=original, rows=rows)
        return FileOutcome("reprint", item.id, matches[0])
    log_change(conn, "new", item.id, path, batch_key, original_id=original, rows=rows)
    return FileOutcome("new", item.id)


def touch_files(engine: Engine, paths: Sequence[str]) -> None:
    """Mark files seen again without change (they were skipped before any NLP)."""
    if not paths:
        return
    paths, now = list(paths), utcnow()
    with engine.begin() as conn:
        for start in range(0, len(paths), TOUCH_CHUNK):  # bounded IN lists: SQLite caps bound parameters
            chunk = paths[start : start + TOUCH_CHUNK]
            conn.execute(update(SourceFile).where(SourceFile.path.in_(chunk)).values(last_seen=now))


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
    values = {
        "path": path,
        "file_sha256": sha,
        "size": size,
        "encoding": encoding,
        "article_id": article_id,
        "status": status,
        "reason": reason,
        "first_seen": now,
        "last_seen": now,
    }
    conn.execute(prepared(conn, _upsert_source_file_statement), values)
