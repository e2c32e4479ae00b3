"""An unchanged re-run at full size: every file of the generated corpus already recorded as loaded.

`benchmarks/run.py` times the re-run over the files its build got through, so it needs the build first
(50 minutes for 100,000 articles on SQLite here, longer on PostgreSQL). What an unchanged re-run costs does not
depend on the NLP: it finds every file, hashes it, plans (all unchanged → one batch), and runs that batch
through Dagster, whose read stage skips every file and whose load step marks them seen. So this script records
every file of the corpus as loaded, with its real content hash, by inserting `source_file` rows directly, then
times `pipelines.defs.build.build` over the whole corpus, exactly as `fqa build` runs it. The warehouse holds no
articles; the rows an unchanged re-run reads and writes are all there.

Usage (repo root):
    .venv/bin/python benchmarks/rerun_bench.py --size 100000 --databases sqlite postgresql
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402

from benchmarks.run import DEFAULT_PG, DEFAULT_WORK, RESULTS, _commit, corpus_for, warehouse_url  # noqa: E402
from pipelines.batch.ingest_plan import hash_files, scan  # noqa: E402
from pipelines.defs.build import build  # noqa: E402
from warehouse.db import get_engine  # noqa: E402
from warehouse.schema import SourceFile  # noqa: E402

INSERT_ROWS = 5_000


def record_as_loaded(url: str, sources: list[Path]) -> int:
    """A `source_file` row per file, status loaded, as a build leaves them."""
    hashes = hash_files(str(p) for p in scan(sources))
    engine = get_engine(url)
    rows = [
        {"path": path, "file_sha256": sha, "size": os.path.getsize(path), "status": "loaded"}
        for path, sha in hashes.items()
    ]
    with engine.begin() as conn:
        for start in range(0, len(rows), INSERT_ROWS):
            conn.execute(insert(SourceFile), rows[start : start + INSERT_ROWS])
    return len(rows)


def measure(database: str, size: int, args: argparse.Namespace) -> dict[str, object]:
    sources = corpus_for(size, args.work, args.seed)
    url = warehouse_url(database, size, args.work / "rerun", args.pg_admin, fresh=True, prefix="fqa_rerun")
    files = record_as_loaded(url, sources)
    os.environ["FQA_ALLOW_SYNTHETIC"] = "1"
    load = os.getloadavg()
    started = time.perf_counter()
    summary = build([str(s) for s in sources], url)
    seconds = time.perf_counter() - started
    if summary.unchanged != files or summary.new or summary.updated:
        raise SystemExit(f"expected {files} unchanged files, got {summary}")
    return {
        "size": size,
        "database": database,
        "files": files,
        "seconds": round(seconds, 2),
        "stage_seconds": {k: round(v, 2) for k, v in summary.stage_seconds.items()},
        "loadavg": [round(x, 2) for x in load],
        "workers": os.environ.get("FQA_WORKERS") or os.cpu_count(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite"])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--pg-admin", default=os.environ.get("FQA_TEST_PG_URL", DEFAULT_PG))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    _commit()  # the code this process runs, before any work
    for database in args.databases:
        result = measure(database, args.size, args)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        (RESULTS / f"rerun-{args.size}-{database}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
