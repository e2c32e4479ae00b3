"""Two processes opening the same new warehouse at once both succeed, and the schema they leave is whole."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import create_engine, inspect

from warehouse.db import WarehouseMissing, get_engine, require_warehouse, warehouse_exists
from warehouse.schema import Base

PROCESSES = 4


def _open(url: str, barrier, errors) -> None:  # noqa: ANN001 - multiprocessing proxies
    """One first-time user: wait for the others, then open (and so create) the warehouse."""
    barrier.wait()
    try:
        get_engine(url)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        errors.put(str(exc).splitlines()[0])


def test_concurrent_first_use_creates_one_whole_schema(db_url: str) -> None:
    # fork: each child has its own (empty) get_engine cache, as separate `fqa ingest` runs do.
    context = multiprocessing.get_context("fork")
    barrier, errors = context.Barrier(PROCESSES), context.Queue()
    children = [context.Process(target=_open, args=(db_url, barrier, errors)) for _ in range(PROCESSES)]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    assert [child.exitcode for child in children] == [0] * PROCESSES

    engine = create_engine(db_url)
    try:
        found = inspect(engine)
        assert set(Base.metadata.tables) <= set(found.get_table_names())
        for table in Base.metadata.sorted_tables:
            assert {i.name for i in table.indexes} <= {i["name"] for i in found.get_indexes(table.name)}
            assert {c.name for c in table.columns} <= {c["name"] for c in found.get_columns(table.name)}
    finally:
        engine.dispose()


def test_missing_warehouse_is_not_created_by_asking(db_url: str) -> None:
    assert not warehouse_exists(db_url)
    with pytest.raises(WarehouseMissing):
        require_warehouse(db_url)
    assert not warehouse_exists(db_url)  # asking created nothing
    get_engine(db_url)
    assert warehouse_exists(db_url)
    assert require_warehouse(db_url)
