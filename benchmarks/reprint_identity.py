"""Same input, same warehouse: a build with this code against a build with another revision's (issue 19).

Builds the same files twice through `pipelines.defs.build.build` into two SQLite warehouses, one with the code of
`--against` (default: the merge base with main; its tree is unpacked with `git archive`) and one with this
checkout, then compares every table row by row. The files: the first `--size` generated articles of the shared
benchmark corpus (`benchmarks/run.py`'s, written if missing) and planted reprints of some of them (a new
headline, publisher line and part of the sentences dropped or altered; some in Traditional script), so the
reprint clusters are put to the test, not only empty.

What may differ and is left out of the comparison, by name: times of day (columns of a DATETIME type), the
time-ordered prefix of batch keys, and `fingerprint_band` / `warehouse_upgrade` (the candidate index itself and
the record of its upgrade, which issue 19 changed on purpose). Every other column of every row must be equal.

Usage (repo root):
    .venv/bin/python benchmarks/reprint_identity.py --size 1000
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.batch import synth  # noqa: E402

DEFAULT_WORK = REPO / ".bench"
SKIPPED_TABLES = {"fingerprint_band", "warehouse_upgrade"}
_BATCH_KEY_TIME = re.compile(r"\d{8}T\d{12}-(?=[0-9a-f]{8})")


def corpus(work: Path, size: int, plants: int, seed: int = 0) -> list[Path]:
    """The generated articles and their planted reprints (written once)."""
    from benchmarks.reprint_candidates import _text_of, reprint_of
    from pipelines.text.simplify import convert

    root = work / "corpus"
    material = synth.load_material([REPO / "corpus"])
    for _ in synth.write_corpus(material, size, root, seed):
        pass
    folder = work / f"identity-{size}" / "articles"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files = [root / synth.file_name(i, seed) for i in range(size)]
    for path in files:
        shutil.copy(path, folder / path.name)
    plant_dir = work / f"identity-{size}" / "reprints"
    if plant_dir.exists():
        shutil.rmtree(plant_dir)
    plant_dir.mkdir(parents=True)
    rng = random.Random(f"identity:{seed}")
    for n in range(plants):
        original = rng.randrange(size)
        copy = reprint_of(_text_of(str(files[original])), rng, rng.uniform(0.55, 0.98))
        if n % 3 == 2:
            copy = convert(copy, "s2t")
        day = f"20{rng.randrange(16, 26)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"
        header = f"时间:{day} 来源:转载网 作者:编辑部"
        text = f"{copy.splitlines()[0]}\n\n{header}\n\n{copy}\n\n〔{synth.SYNTHETIC_MARKER} plant={n}〕"
        (plant_dir / f"plant_{n:04d}.txt").write_text(text, encoding="utf-8")
    return [folder, plant_dir]


def code_of(revision: str, work: Path) -> Path:
    """The tree of `revision`, unpacked under `work`."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", revision], check=True, capture_output=True, text=True
    ).stdout.strip()
    out = work / f"code-{commit}"
    if not out.is_dir():
        out.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    return out


def build_with(code: Path, sources: list[Path], db: Path) -> float:
    if db.exists():
        db.unlink()
    script = (
        "import sys; from pipelines.defs.build import build; "
        f"s = build({[str(p) for p in sources]!r}, db_url={f'sqlite:///{db}'!r}); "
        "print(s.files, s.new, s.reprints, s.rejected, file=sys.stderr)"
    )
    # Both from the same neutral folder: files are recorded by their path relative to the working directory.
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(code), "DAGSTER_HOME": home, synth.ALLOW_ENV: "1"}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", script], cwd=home, env=env, check=True)
        return time.perf_counter() - start


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    columns = [(name, kind.upper()) for _, name, kind, *_ in conn.execute(f'PRAGMA table_info("{table}")')]
    kept = [name for name, kind in columns if "DATETIME" not in kind and "TIMESTAMP" not in kind]
    select = ", ".join(f'"{name}"' for name in kept)
    rows = [
        tuple(_BATCH_KEY_TIME.sub("", v) if isinstance(v, str) else v for v in row)
        for row in conn.execute(f'SELECT {select} FROM "{table}"')
    ]
    return sorted(rows, key=repr)


def differences(old: Path, new: Path) -> dict[str, str]:
    """Table → what differs (empty: the warehouses hold the same rows)."""
    a, b = sqlite3.connect(old), sqlite3.connect(new)
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
    tables = lambda c: {r[0] for r in c.execute(query)}  # noqa: E731 - its shadow tables are compared
    out = {}
    compared = 0
    for table in sorted((tables(a) | tables(b)) - SKIPPED_TABLES):
        if table not in tables(a) or table not in tables(b):
            out[table] = "only in one warehouse"
            continue
        ra, rb = _rows(a, table), _rows(b, table)
        compared += len(ra)
        if ra != rb:
            sa, sb = set(ra), set(rb)
            out[table] = (
                f"{len(ra)} rows against {len(rb)}; {len(sa - sb)} only in the old, {len(sb - sa)} only in the new"
            )
    print(f"compared {compared:,} rows of {len((tables(a) | tables(b)) - SKIPPED_TABLES)} tables")
    return out


def clusters(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM article WHERE reprint_cluster IS NOT NULL").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--plants", type=int, default=60)
    parser.add_argument("--against", default=None, help="revision to compare with (default: merge base with main)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--compare-only", action="store_true", help="compare the warehouses the last run built")
    args = parser.parse_args()
    against = (
        args.against
        or subprocess.run(
            ["git", "-C", str(REPO), "merge-base", "HEAD", "main"], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    work = args.work / f"identity-{args.size}"
    old_db, new_db = work / "old.db", work / "new.db"
    old_s = new_s = 0.0
    if not args.compare_only:
        sources = corpus(args.work, args.size, args.plants)
        old_s = build_with(code_of(against, args.work), sources, old_db)
        new_s = build_with(REPO, sources, new_db)
    diff = differences(old_db, new_db)
    print(
        f"built {args.size} articles + {args.plants} planted reprints: {against[:7]} in {old_s:.1f} s, "
        f"this code in {new_s:.1f} s"
    )
    print(f"articles in a reprint cluster: {clusters(old_db)} old, {clusters(new_db)} new")
    if diff:
        for table, what in diff.items():
            print(f"DIFFERENT {table}: {what}")
        sys.exit(1)
    print("identical: every compared table holds the same rows")


if __name__ == "__main__":
    main()
