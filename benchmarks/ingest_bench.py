"""Benchmark: a drop-folder sensor tick over 10,000 known files plus 100 new ones (target < 2 s), and
re-ingesting an unchanged corpus of 10,000 articles with `fqa ingest` (target < 10 s end to end).

    .venv/bin/python benchmarks/ingest_bench.py [--files 10000] [--new 100] [--db URL ...] [--out docs/ingest_bench.md]

The articles are made by recombining the seed paragraphs (each file unique). The warehouse's record of the
known files (path, content hash, status loaded) is written straight into `source_file`, since that is all the
sensor and an unchanged re-ingest consult; loading 10,000 articles through the NLP stages first would take
most of an hour on this machine and measure something else. Both measured paths are the real code:
`incoming_sensor` evaluated with Dagster's `build_sensor_context`, and `fqa ingest` run as a subprocess.
Prints the figures and writes a markdown table (default docs/ingest_bench.md).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.batch.ingest_plan import canonical_path  # noqa: E402
from pipelines.defs.automation import incoming_sensor  # noqa: E402
from pipelines.defs.resources import DropFolders, WarehouseResource  # noqa: E402
from warehouse.db import get_engine  # noqa: E402
from warehouse.schema import SourceFile, utcnow  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def paragraphs() -> list[str]:
    found = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        found += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 30]
    return found


def write_articles(folder: Path, start: int, count: int, pool: list[str]) -> list[Path]:
    """Articles of 6-12 seed paragraphs in a per-file order, each with its own title line."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(start, start + count):
        rng = random.Random(i)
        body = rng.sample(pool, rng.randint(6, 12))
        path = folder / f"article_{i:05d}.txt"
        path.write_text(
            f"第{i}号 基层治理通讯\n\n时间:2024-0{1 + i % 9}-1{i % 10}\n\n" + "\n\n".join(body), encoding="utf-8"
        )
        written.append(path)
    return written


def record_as_loaded(url: str, paths: list[Path]) -> None:
    """What an earlier ingest left in the warehouse for these files (see the module docstring)."""
    now = utcnow()
    rows = []
    for path in paths:
        data = path.read_bytes()
        rows.append(
            {
                "path": canonical_path(path),
                "file_sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "encoding": "utf_8",
                "article_id": None,
                "status": "loaded",
                "reason": None,
                "first_seen": now,
                "last_seen": now,
            }
        )
    with get_engine(url).begin() as conn:
        for start in range(0, len(rows), 2000):
            conn.execute(SourceFile.__table__.insert(), rows[start : start + 2000])


def fresh_database(url: str, workdir: Path) -> str:
    if url == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}"
    name = f"fqa_bench_{int(time.time())}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


def bench(url_choice: str, files: int, new: int, repeats: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="fqa-ingest-bench-") as tmp:
        workdir = Path(tmp)
        previous_cwd = os.getcwd()
        os.chdir(workdir)  # the sensor here and `fqa ingest` below both name files relative to it
        try:
            return _bench_in(workdir, url_choice, files, new, repeats)
        finally:
            os.chdir(previous_cwd)


def _bench_in(workdir: Path, url_choice: str, files: int, new: int, repeats: int) -> dict[str, object]:
    """Both measurements in `workdir`, the working directory."""
    url = fresh_database(url_choice, workdir)
    pool = paragraphs()
    incoming = workdir / "corpus" / "incoming"
    known = write_articles(incoming, 0, files, pool)
    record_as_loaded(url, known)
    write_articles(incoming, files, new, pool)
    folders = DropFolders(  # settle 0: the files were written just now, and every one must still be stat'ed
        corpus=str(workdir / "corpus"),
        incoming=str(incoming),
        quarantine=str(workdir / "corpus" / "quarantine"),
        settle_seconds=0.001,
    )
    resources = {"warehouse": WarehouseResource(url=url), "folders": folders}
    tick_seconds = []
    with dg.instance_for_test() as instance:
        for _ in range(repeats):
            started = time.perf_counter()
            with dg.build_sensor_context(instance=instance, resources=resources) as context:
                result = incoming_sensor(context)
            tick_seconds.append(time.perf_counter() - started)
            batches = len(result.run_requests)
            with get_engine(url).begin() as conn:  # each tick registers its batch; forget it for the next
                conn.execute(text("DELETE FROM ingest_batch"))

    corpus = Path("corpus") / "incoming"
    for path in sorted(corpus.glob("article_*.txt"))[files:]:
        path.unlink()  # the re-ingest measures an unchanged corpus of exactly `files` articles
    ingest_seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run = subprocess.run(
            [str(REPO / ".venv" / "bin" / "fqa"), "ingest", str(corpus), "--db", url, "--keep-rejected", "--json"],
            capture_output=True,
            text=True,
            cwd=workdir,
        )
        ingest_seconds.append(time.perf_counter() - started)
        if run.returncode != 0 or f'"unchanged": {files}' not in run.stdout:
            raise SystemExit(f"fqa ingest failed: {run.stdout[-500:]} {run.stderr[-2000:]}")
    get_engine.cache_clear()
    return {
        "database": "SQLite" if url_choice == "sqlite" else "PostgreSQL 15",
        "tick": statistics.median(tick_seconds),
        "tick_best": min(tick_seconds),
        "batches": batches,
        "ingest": statistics.median(ingest_seconds),
        "ingest_best": min(ingest_seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--db", action="append", help="'sqlite' or a PostgreSQL admin URL (repeatable)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "ingest_bench.md")
    args = parser.parse_args()
    args.out = args.out.resolve()
    results = [bench(choice, args.files, args.new, args.repeats) for choice in (args.db or ["sqlite", PG_URL])]
    lines = [
        f"| database | sensor tick: {args.files:,} known + {args.new} new files (target < 2 s) | batches | "
        f"`fqa ingest` of {args.files:,} unchanged articles, end to end (target < 10 s) |",
        "|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['tick']:.2f} s (best {r['tick_best']:.2f}) | {r['batches']} | "
            f"{r['ingest']:.2f} s (best {r['ingest_best']:.2f}) |"
        )
    note = (
        f"\nMedian of {args.repeats} runs; {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, measured {time.strftime('%Y-%m-%d')} by `benchmarks/ingest_bench.py`.\n"
    )
    table = "\n".join(lines) + "\n" + note
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("# Ingestion benchmark\n\n" + table, encoding="utf-8")


if __name__ == "__main__":
    main()
