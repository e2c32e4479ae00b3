"""Exports of articles, stations, practices and statistics as CSV, JSON or Parquet, for outside analysis.

Rows come from `Archive`, so exports follow the same filters and count reprint clusters the same way.
CSV cells holding lists (honours, stations) are joined with "; "; JSON and Parquet keep them as lists.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warehouse.archive import Archive, Rows

KINDS = ("articles", "stations", "practices", "statistics")
FORMATS = ("csv", "json", "parquet")


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


def write_rows(rows: Rows, fmt: str, path: Path) -> int:
    """Write the rows to `path` in `fmt`; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    columns = rows.columns()
    records = [{k: _plain(v) for k, v in record.items()} for record in rows.to_dicts()]
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for record in records:
                writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in record.items()})
    elif fmt == "json":
        path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(records) if records else pa.table({c: pa.array([], pa.null()) for c in columns})
        pq.write_table(table, path)
    return len(records)


def export(archive: Archive, kind: str, fmt: str, path: Path, filters: dict[str, Any] | None = None) -> int:
    return write_rows(rows_for(archive, kind, filters or {}), fmt, path)
