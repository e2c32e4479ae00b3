"""The quarantine's record in the warehouse: every rejected file with its reason, batch and where it went."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterable

from sqlalchemy import DateTime, Engine, Integer, String, Text, UniqueConstraint, delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from pipelines.text.articles import OFF_TOPIC, Rejection
from warehouse.dialect import insert_for
from warehouse.schema import Base, SourceFile, utcnow


class QuarantinedFile(Base):
    """A file that could not become an article, or (code off_topic) one held for an operator's review.
    `moved_to` is NULL while (or if) it still sits where it was; `accepted` is when an operator let a held file in."""

    __tablename__ = "quarantined_file"
    __table_args__ = (UniqueConstraint("path", "file_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))  # empty | binary | undecodable | oversize | no_text | ...
    reason: Mapped[str] = mapped_column(Text)
    batch_key: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    moved_to: Mapped[str | None] = mapped_column(Text)
    accepted: Mapped[dt.datetime | None] = mapped_column(DateTime)


def record_rejection(conn: Connection, rejection: Rejection, batch_key: str | None) -> None:
    """One row per (path, content); the same bad bytes seen again update the row instead of adding one."""
    values = {
        "size": rejection.size,
        "code": rejection.code,
        "reason": rejection.reason,
        "batch_key": batch_key,
        "at": utcnow(),
    }
    stmt = insert_for(conn, QuarantinedFile.__table__).values(
        path=rejection.path, file_sha256=rejection.file_sha256 or "", **values
    )
    conn.execute(stmt.on_conflict_do_update(index_elements=["path", "file_sha256"], set_=values))


def record_move(engine: Engine, path: str, file_sha256: str, moved_to: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(QuarantinedFile)
            .where(QuarantinedFile.path == path, QuarantinedFile.file_sha256 == file_sha256)
            .values(moved_to=moved_to)
        )


def quarantined(
    engine: Engine, batch_key: str | None = None, review: bool = False
) -> list[dict[str, object]]:
    """Rejected files, newest first (only one batch's if `batch_key` is given); with `review`, only the files
    held for review that nobody has accepted yet."""
    query = select(QuarantinedFile).order_by(QuarantinedFile.at.desc(), QuarantinedFile.id.desc())
    if batch_key is not None:
        query = query.where(QuarantinedFile.batch_key == batch_key)
    if review:
        query = query.where(QuarantinedFile.code == OFF_TOPIC, QuarantinedFile.accepted.is_(None))
    columns = ("path", "code", "reason", "size", "file_sha256", "batch_key", "at", "moved_to")
    with engine.connect() as conn:
        return [{name: getattr(row, name) for name in columns} for row in conn.execute(query)]


def accept_held(engine: Engine, paths: Iterable[str] | None = None) -> list[dict[str, object]]:
    """Mark held files accepted (those at or from `paths`, or all of them) so the next load takes them in,
    and forget their files' review state so the next scan reads them again. Returns the rows accepted."""
    held = quarantined(engine, review=True)
    if paths is not None:
        wanted = {os.path.abspath(p) for p in paths}
        held = [r for r in held if {os.path.abspath(str(r[w])) for w in ("path", "moved_to") if r[w]} & wanted]
    with engine.begin() as conn:
        for row in held:
            conn.execute(
                update(QuarantinedFile)
                .where(QuarantinedFile.path == row["path"], QuarantinedFile.file_sha256 == row["file_sha256"])
                .values(accepted=utcnow())
            )
            conn.execute(delete(SourceFile).where(SourceFile.path == row["path"], SourceFile.status == "review"))
    return held


def accepted_contents(engine: Engine, hashes: Collection[str]) -> set[str]:
    """The given file hashes an operator accepted after they were held for review."""
    if not hashes:
        return set()
    query = select(QuarantinedFile.file_sha256).where(
        QuarantinedFile.accepted.is_not(None), QuarantinedFile.file_sha256.in_(list(hashes))
    )
    with engine.connect() as conn:
        return set(conn.scalars(query))
