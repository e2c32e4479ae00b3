"""Warehouse bytes per byte of text (issue 22), without the whole Dagster build of `benchmarks/run.py`.

Processes a generated corpus once (read, clean, simplify, segment, extract: the pipeline's own stages) and keeps
the result in a pickle, then loads it into a fresh SQLite and/or PostgreSQL warehouse in batches, with the
current warehouse code, and reports the load seconds, the warehouse's size against the UTF-8 bytes of its
simplified text, and its largest tables and indexes (SQLite `dbstat`, PostgreSQL `pg_total_relation_size`). The
same pickle loaded by two versions of `warehouse/` compares their layouts on the same data.

Usage (repo root):
    .venv/bin/python benchmarks/storage_bench.py --size 1000 --databases sqlite postgresql
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# FQA_CODE: another checkout's warehouse code loads the same pickle (a before/after comparison)
sys.path.insert(0, os.environ.get("FQA_CODE", str(REPO)))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_WORK = REPO / ".bench"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH = 500
MB = 1_000_000


def processed(size: int, work: Path, seed: int) -> list[tuple[list[Any], list[Any], dict[str, Any]]]:
    """[(segmented articles, rejections, extractions by id)] per batch of BATCH files, made once and kept."""
    cache = work / f"storage-{size}-{seed}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    os.environ.setdefault("FQA_ALLOW_SYNTHETIC", "1")
    from pipelines.batch import parallel, synth
    from pipelines.batch.stages import clean_batch, extract_batch, read_batch, segment_batch, simplify_batch

    root = work / f"storage-corpus-{size}-{seed}"
    material = synth.load_material([REPO / "corpus"])
    for _ in synth.write_corpus(material, size, root, seed):
        pass
    paths = sorted(str(p) for p in root.rglob("*") if p.is_file())
    batches = []
    try:
        for start in range(0, len(paths), BATCH):
            read = read_batch(paths[start : start + BATCH], allow_synthetic=True)
            cleaned = clean_batch(read.articles)
            segmented = segment_batch(simplify_batch(cleaned.articles))
            extractions = {e.article_id: e for e in extract_batch(segmented)}
            batches.append((segmented, [*read.rejections, *cleaned.rejections], extractions))
    finally:
        parallel.shutdown()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(batches))
    return batches


def fresh_url(database: str, work: Path, size: int, pg_admin: str) -> str:
    if database == "sqlite":
        path = work / f"storage-{size}.db"
        for old in path.parent.glob(path.name + "*"):
            old.unlink()
        return f"sqlite:///{path}"
    name = f"fqa_storage_{size}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(pg_admin).set(database=name).render_as_string(hide_password=False)


def sizes(url: str) -> tuple[int, int, list[tuple[str, int]]]:
    """(warehouse bytes, text bytes, [(table or index, bytes)] largest first)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        if url.startswith("sqlite"):
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            path = Path(make_url(url).database or "")
            total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
            parts = conn.execute(text("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")).all()
            length = "LENGTH(CAST(simplified_text AS BLOB))"
        else:
            total = int(
                conn.scalar(
                    text(
                        "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
                        " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
                    )
                )
            )
            parts = conn.execute(
                text(
                    "SELECT c.relname, pg_relation_size(c.oid)"
                    " + COALESCE(pg_relation_size(c.reltoastrelid), 0)"
                    " + COALESCE((SELECT SUM(pg_relation_size(i.indexrelid)) FROM pg_index i"
                    "             WHERE i.indrelid = c.reltoastrelid), 0)"
                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') ORDER BY 2 DESC"
                )
            ).all()
            length = "OCTET_LENGTH(simplified_text)"
        text_total = int(conn.scalar(text(f"SELECT SUM({length}) FROM article")) or 0)
    engine.dispose()
    return total, text_total, [(name, int(n)) for name, n in parts]


SEARCH_QUERIES = ("枫桥经验", "矛盾纠纷", "派出所 调解", "網格", "满意度", "警民微信群", "义警", "边境")  # run.py's
SEARCH_REPEATS = 5


def search_ms(url: str) -> tuple[float, float]:
    """p50 and p95 of `warehouse.search.search` over the benchmark's queries, as `benchmarks/run.py` times it."""
    from warehouse.db import get_engine
    from warehouse.search import search

    timings = []
    with get_engine(url).connect() as conn:
        for query in SEARCH_QUERIES:
            search(conn, query)
            for _ in range(SEARCH_REPEATS):
                started = time.perf_counter()
                search(conn, query)
                timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18]


def bench(database: str, batches: list[Any], work: Path, size: int, pg_admin: str) -> None:
    from warehouse.db import get_engine
    from warehouse.load import load_batch

    url = fresh_url(database, work, size, pg_admin)
    engine = get_engine(url)
    seconds = []
    for i, (segmented, rejections, extractions) in enumerate(batches):
        started = time.perf_counter()
        load_batch(engine, segmented, rejections, batch_key=f"b{i}", extractions=extractions)
        seconds.append(round(time.perf_counter() - started, 1))
    engine.dispose()
    total, text_total, parts = sizes(url)
    p50, p95 = search_ms(url)
    print(
        f"{database}: {total / MB:.1f} MB for {text_total / MB:.2f} MB of text, {total / text_total:.1f}x;"
        f" load {seconds} s; search p50 {p50:.1f} ms, p95 {p95:.1f} ms (load average {os.getloadavg()[0]:.1f})"
    )
    for name, n in parts[:14]:
        print(f"   {name:40} {n / MB:7.2f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite"])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--pg-admin", default=os.environ.get("FQA_TEST_PG_URL", DEFAULT_PG))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    batches = processed(args.size, args.work, args.seed)
    for database in args.databases:
        bench(database, batches, args.work, args.size, args.pg_admin)


if __name__ == "__main__":
    main()
