"""Exports of articles, stations, practices and statistics as CSV, JSON or Parquet, for outside analysis.

Rows come from `Archive`, so exports follow the same filters and count reprint clusters the same way.
CSV cells holding lists (honours, stations) are joined with "; "; JSON and Parquet keep them as lists.

The rows are written to a temporary file beside the output and renamed onto it at the end: an output that cannot
be written is refused (naming it) before the warehouse is read, and a failed export leaves no half-written file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from warehouse.archive import Archive, Rows

KINDS = ("articles", "stations", "practices", "statistics")
FORMATS = ("csv", "json", "parquet")


class ExportError(ValueError):
    """The output file cannot be written; the message names it and says why, in one line."""


def rows_for(archive: Archive, kind: str, filters: dict[str, Any]) -> Rows:
    readers: dict[str, Callable[..., Rows]] = {
        "articles": archive.articles,
        "stations": archive.stations,
        "practices": archive.practices,
        "statistics": archive.statistics,
    }
    if kind not in readers:
        raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    return readers[kind](**filters)


def _plain(value: Any) -> Any:  # noqa: ANN401 - any cell
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _unwritable(path: Path, exc: OSError) -> ExportError:
    reason = exc.strerror or next(iter(str(exc).splitlines()), "") or type(exc).__name__
    return ExportError(f"{path}: cannot write the export: {reason}")


def _new_file_mode() -> int:
    """The mode `open()` would give a new file under the process's umask (read back by setting it)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """A temporary file in `path`'s folder, renamed onto `path` when the block succeeds and removed if not."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path}: cannot write the export: is a folder, not a file name")
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    try:
        os.chmod(temporary, _new_file_mode())  # a temporary file is private; the export is an ordinary file
        with open(fd, "wb") as handle:
            yield handle
        os.replace(temporary, path)
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    finally:
        Path(temporary).unlink(missing_ok=True)


def _write(rows: Rows, fmt: str, handle: IO[bytes]) -> int:
    columns = rows.columns()
    records = [{k: _plain(v) for k, v in record.items()} for record in rows.to_dicts()]
    if fmt == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.DictWriter(text, fieldnames=columns)
        writer.writeheader()
        for record in records:
            writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in record.items()})
        text.flush()
        text.detach()  # the file stays open for the caller, which closes and renames it
    elif fmt == "json":
        handle.write((json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(records) if records else pa.table({c: pa.array([], pa.null()) for c in columns})
        pq.write_table(table, handle)
    return len(records)


def write_rows(rows: Rows, fmt: str, path: Path) -> int:
    """Write the rows to `path` in `fmt`; returns how many were written."""
    _check_format(fmt)
    with _replacing(path) as handle:
        return _write(rows, fmt, handle)


def export(archive: Archive, kind: str, fmt: str, path: Path, filters: dict[str, Any] | None = None) -> int:
    """Write one kind of rows to `path`; the output is claimed before the warehouse is read."""
    _check_format(fmt)
    with _replacing(path) as handle:
        return _write(rows_for(archive, kind, filters or {}), fmt, handle)
