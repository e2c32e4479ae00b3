"""The quarantine's record in the warehouse: every rejected file with its reason, batch and where it went."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Engine, Integer, String, Text, UniqueConstraint, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from pipelines.text.articles import Rejection
from warehouse.dialect import insert_for
from warehouse.schema import Base, utcnow


class QuarantinedFile(Base):
    """A file that could not become an article. `moved_to` is NULL while (or if) it still sits where it was."""

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


def quarantined(engine: Engine, batch_key: str | None = None) -> list[dict[str, object]]:
    """Rejected files, newest first (only one batch's if `batch_key` is given)."""
    query = select(QuarantinedFile).order_by(QuarantinedFile.at.desc(), QuarantinedFile.id.desc())
    if batch_key is not None:
        query = query.where(QuarantinedFile.batch_key == batch_key)
    columns = ("path", "code", "reason", "size", "file_sha256", "batch_key", "at", "moved_to")
    with engine.connect() as conn:
        return [{name: getattr(row, name) for name in columns} for row in conn.execute(query)]
