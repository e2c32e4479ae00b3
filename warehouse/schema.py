"""The warehouse tables (SQLAlchemy 2 declarative); the same schema serves SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship
from sqlalchemy.sql.functions import FunctionElement

from warehouse import stored_text


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def span_text(text: Any, start: Any, end: Any) -> ColumnElement[str]:  # noqa: ANN401 - SQL expressions
    """text[start:end] in SQL: a sentence is stored as a span of its article's text, not as a copy (issue 22).

    substr() counts characters on both databases (SQLite on TEXT, PostgreSQL in a UTF-8 database), as Python's
    offsets do, characters outside the Basic Multilingual Plane included.
    """
    return func.substr(text, start + 1, end - start)


class _CleanText(FunctionElement):
    """An article's clean text in SQL, from (clean_stored, simplified_text, clean_patch): PostgreSQL
    `COALESCE(clean_stored, simplified_text)`; SQLite decodes the patch with `fqa_clean`
    (`stored_text.clean_from_patch`, registered on every connection by `warehouse.db`)."""

    type = Text()
    name = "clean_text"
    inherit_cache = True


@compiles(_CleanText)
def _clean_text_default(element: _CleanText, compiler: Any, **kw: Any) -> str:  # noqa: ANN401
    stored, simplified, _patch = (compiler.process(c, **kw) for c in element.clauses)
    return f"coalesce({stored}, {simplified})"


@compiles(_CleanText, "sqlite")
def _clean_text_sqlite(element: _CleanText, compiler: Any, **kw: Any) -> str:  # noqa: ANN401
    stored, simplified, patch = (compiler.process(c, **kw) for c in element.clauses)
    return f"coalesce({stored}, {stored_text.SQL_CLEAN}({simplified}, {patch}))"


class _CleanSpan(FunctionElement):
    """`span_text` of `_CleanText`, from (clean_stored, simplified_text, clean_patch, start, end): SQLite's
    `fqa_clean_span` rebuilds the span only (a masked patch is read at the span's offsets), not the whole text."""

    type = Text()
    name = "clean_span"
    inherit_cache = True


@compiles(_CleanSpan)
def _clean_span_default(element: _CleanSpan, compiler: Any, **kw: Any) -> str:  # noqa: ANN401
    stored, simplified, _patch, start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"substr(coalesce({stored}, {simplified}), ({start}) + 1, ({end}) - ({start}))"


@compiles(_CleanSpan, "sqlite")
def _clean_span_sqlite(element: _CleanSpan, compiler: Any, **kw: Any) -> str:  # noqa: ANN401
    stored, simplified, patch, start, end = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"coalesce(substr({stored}, ({start}) + 1, ({end}) - ({start})),"
        f" {stored_text.SQL_CLEAN_SPAN}({simplified}, {patch}, {start}, {end}))"
    )


def clean_span(start: Any, end: Any, article: Any = None) -> ColumnElement[str]:  # noqa: ANN401 - SQL
    """The clean text's [start, end) of the article joined in the query, or (`article`: a function of a column
    giving it for the row, as `_article_text`) of the row's article."""
    columns = ("clean_stored", "simplified_text", "clean_patch")
    values = [getattr(Article, c) if article is None else article(getattr(Article, c)) for c in columns]
    return _CleanSpan(*values, start, end)


def article_key_ref(nullable: bool = False, **kw: Any) -> Any:  # noqa: ANN401 - a mapped_column
    """The column by which a row names its article: the article's integer key (`Article.key`)."""
    return mapped_column(ForeignKey("article.key", ondelete="CASCADE"), nullable=nullable, **kw)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class WarehouseUpgrade(Base):
    """One-time upgrades of a warehouse built by older code that are done, so loads stop looking for their work:
    the look is a scan of a whole table, and a load that made it every batch would cost more as the archive grew."""

    __tablename__ = "warehouse_upgrade"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    done: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class IngestBatch(Base):
    """A set of files processed together: the unit of a Dagster partition and of one load transaction."""

    __tablename__ = "ingest_batch"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    files: Mapped[list[Any]] = mapped_column(JSON)
    loaded: Mapped[dt.datetime | None] = mapped_column(DateTime)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Article(Base):
    __tablename__ = "article"
    # A new version of a known article is recognised by its URL (`warehouse.load`), once per article loaded:
    # without an index that lookup scans every article. Hash, not B-tree, on PostgreSQL: a URL has no length
    # limit and a B-tree entry does (~2.7 KB); equality is all the lookup needs.
    __table_args__ = (Index("ix_article_url", "url", postgresql_using="hash"),)

    # An integer surrogate key, which every table of the article's rows refers to (issue 22: the 32-character id
    # was repeated some 250 times an article); the id stays the article's public name, the one every command,
    # export, page and API shows and accepts.
    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)  # hash of the clean text
    # Before the long columns: a search joins every hit's article by its key (the row, not an index) and reads
    # this, which SQLite then finds on the row's first page.
    reprint_cluster: Mapped[str | None] = mapped_column(String(32), index=True)
    # First of the long columns: a search reads it for every article it ranks, and SQLite reaches a column
    # stored after long ones only by walking their overflow pages.
    simplified_text: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)  # Simplified
    original_title: Mapped[str | None] = mapped_column(Text)  # as written
    subtitle: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    publisher: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    editor: Mapped[str | None] = mapped_column(Text)
    missing_metadata: Mapped[list[Any]] = mapped_column(JSON, default=list)
    original_script: Mapped[str] = mapped_column(String(16), index=True)
    # The raw and clean texts by what they add to the simplified text (`warehouse/stored_text.py`): the clean
    # text only where it differs (`clean_text` below reads either), the raw text as a zlib-compressed patch
    # against the clean text (`raw_text` below rebuilds it; NULL: the raw text is the clean text).
    # PostgreSQL keeps the clean text (`clean_stored`), SQLite a compressed patch against the simplified text
    # (`clean_patch`); each leaves the other NULL.
    clean_stored: Mapped[str | None] = mapped_column(Text)
    raw_patch: Mapped[bytes | None] = mapped_column(LargeBinary)
    clean_patch: Mapped[bytes | None] = mapped_column(LargeBinary)
    clean_to_raw: Mapped[list[Any]] = mapped_column(JSON)  # OffsetMap.to_runs()
    simplified_to_clean: Mapped[list[Any]] = mapped_column(JSON)
    repair_flags: Mapped[dict[str, Any]] = mapped_column(JSON)
    captions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    batch_key: Mapped[str | None] = mapped_column(ForeignKey("ingest_batch.key"))
    first_ingested: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_ingested: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    sentences: Mapped[list[Sentence]] = relationship(
        back_populates="article", order_by="Sentence.seq", cascade="all, delete-orphan"
    )

    # A hybrid, not a column_property: `select(Article)` reads the table's columns only, so a row read whole can
    # be inserted again; queries that want the clean text name `Article.clean_text`.
    @hybrid_property
    def clean_text(self) -> str:
        """The clean original-script text: the stored one where it differs from the simplified text, else that."""
        if self.clean_stored is not None:
            return self.clean_stored
        return stored_text.clean_from_patch(self.simplified_text, self.clean_patch)

    @clean_text.inplace.expression
    @classmethod
    def _clean_text_sql(cls) -> ColumnElement[str]:
        return _CleanText(cls.clean_stored, cls.simplified_text, cls.clean_patch)

    @property
    def raw_text(self) -> str:
        """The file's text as decoded, rebuilt from the clean text and its patch."""
        return stored_text.raw_text(self.clean_text, self.raw_patch)


class SourceFile(Base):
    """Every file ever seen, so an unchanged file is skipped by its content hash before any NLP."""

    __tablename__ = "source_file"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    encoding: Mapped[str | None] = mapped_column(String(32))
    article_id: Mapped[str | None] = mapped_column(ForeignKey("article.id"), index=True)  # public id: one a file
    status: Mapped[str] = mapped_column(String(16))  # loaded | rejected
    reason: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Sentence(Base):
    """A sentence is a span of its article's text: `text` and `original_text` are read by slicing the article's
    simplified and clean text (in SQL), not stored again. Its bigrams live in the full-text index only
    (`warehouse/fts.py`); its jieba search-mode words, which the ranker counts (`warehouse.search.bm25`), are
    spans of the sentence too (`warehouse/words.py`)."""

    __tablename__ = "sentence"
    # (article_key, seq) is unique, and its index serves every lookup by article: no second index on article_key.
    __table_args__ = (UniqueConstraint("article_key", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_key: Mapped[int] = article_key_ref()
    seq: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)  # span in the simplified text
    end: Mapped[int] = mapped_column(Integer)
    original_start: Mapped[int] = mapped_column(Integer)  # span in the clean original-script text
    original_end: Mapped[int] = mapped_column(Integer)
    # search-mode words as spans of the sentence (warehouse.words); NULL only in a warehouse being upgraded
    search_words: Mapped[str | None] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="sentences")


def _article_text(column: Any, owner: Any) -> Any:  # noqa: ANN401 - SQL expressions
    """The owning article's text column, as a subquery correlated to the owner's row."""
    # never correlated to an `article` the outer query reads (it joins the owner's article, or another one)
    return select(column).where(Article.key == owner.article_key).correlate_except(Article).scalar_subquery()


def article_id_of(owner: type) -> Any:  # noqa: ANN401 - a column_property
    """`owner.article_id`, the owning article's public id, read through its key: rows read as before, though
    they store the key. Read-only; filter and join by `article_key` (an index serves it, not this subquery)."""
    return column_property(_article_text(Article.id, owner).label("article_id"))


def keys_of(ids: Any) -> Any:  # noqa: ANN401 - a SQL expression
    """The keys of the articles with these public ids, as a subquery: `Child.article_key.in_(keys_of(ids))`."""
    return select(Article.key).where(Article.id.in_(ids))


# Outside the subquery, the owner's own columns put its table in the FROM clause: select(Sentence.text) alone
# reads every sentence, as it did when the text was a column.
Sentence.text = column_property(  # simplified
    span_text(_article_text(Article.simplified_text, Sentence), Sentence.start, Sentence.end).label("text")
)
Sentence.original_text = column_property(  # SQLite rebuilds the span only (`clean_span`)
    clean_span(
        Sentence.original_start, Sentence.original_end, lambda column: _article_text(column, Sentence)
    ).label("original_text")
)


class Station(Base):
    """A police unit; `key` (province/name) keeps same-named stations of different provinces apart."""

    __tablename__ = "station"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    province: Mapped[str | None] = mapped_column(String(64), index=True)
    city: Mapped[str | None] = mapped_column(String(64), index=True)
    county: Mapped[str | None] = mapped_column(String(64), index=True)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    honours: Mapped[list[Any]] = mapped_column(JSON, default=list)


class StationArticle(Base):
    """Which articles name which stations, with the first mention's span."""

    __tablename__ = "station_article"
    __table_args__ = (UniqueConstraint("station_id", "article_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # station_id: no index of its own, the unique (station_id, article_key) index serves lookups by station
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    article_key: Mapped[int] = article_key_ref(index=True)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float | None] = mapped_column(Float)  # how sure this article's name is a unit


class Practice(Base):
    __tablename__ = "practice"
    __table_args__ = (UniqueConstraint("normalized", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    normalized: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # practice | slogan
    category: Mapped[str] = mapped_column(String(64), index=True)


class PracticeMention(Base):
    """practice × station × article × span, with the sentence that describes it."""

    __tablename__ = "practice_mention"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    article_key: Mapped[int] = article_key_ref(index=True)
    name: Mapped[str] = mapped_column(String(128))  # as written
    category: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)  # spans in the simplified text …
    end: Mapped[int] = mapped_column(Integer)
    original_start: Mapped[int] = mapped_column(Integer)  # … and in the clean original-script text
    original_end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str | None] = mapped_column(String(64))  # category artifact that labelled it
    confidence: Mapped[float | None] = mapped_column(Float)  # that model's probability of `category`


class Statistic(Base):
    __tablename__ = "statistic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_key: Mapped[int] = article_key_ref(index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    metric: Mapped[str] = mapped_column(String(64), index=True)
    value: Mapped[float | None] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float)  # None: unbounded below (or unknown)
    high: Mapped[float | None] = mapped_column(Float)  # None: unbounded above
    unit: Mapped[str] = mapped_column(String(32))
    qualifier: Mapped[str | None] = mapped_column(String(16))
    approx: Mapped[bool] = mapped_column(Boolean, default=False)
    change: Mapped[str | None] = mapped_column(String(16))
    comparison: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(64))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    original_start: Mapped[int] = mapped_column(Integer)
    original_end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    # how sure metric, unit and period are (pipelines.extract.confidence); None: read by an older extractor
    confidence: Mapped[float | None] = mapped_column(Float)


class ExtractionVersion(Base):
    """Which extractor found an article's stations, practices and statistics (`pipelines.extract.version`).
    An article without a row was extracted by code older than this table, or not at all: `fqa reextract`
    re-reads it as it does one whose version is not the current one."""

    __tablename__ = "extraction_version"

    article_key: Mapped[int] = article_key_ref(primary_key=True, autoincrement=False)
    version: Mapped[str] = mapped_column(String(16), index=True)
    extracted: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


def _sentence_of(owner: type[PracticeMention] | type[Statistic]) -> Any:  # noqa: ANN401 - a column_property
    """The sentence a mention or statistic was found in: its span of the article's simplified text, read in SQL
    (`.sentence` as before; the copy it used to be is gone)."""
    article_text = _article_text(Article.simplified_text, owner)
    return column_property(span_text(article_text, owner.sentence_start, owner.sentence_end).label("sentence"))


PracticeMention.sentence = _sentence_of(PracticeMention)
Statistic.sentence = _sentence_of(Statistic)
for _owner in (Sentence, StationArticle, PracticeMention, Statistic, ExtractionVersion):
    _owner.article_id = article_id_of(_owner)
