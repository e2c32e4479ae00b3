"""Move finished renditions from `pool/` into `dev/` or `test/`, decided by the stem alone.

One in three stems goes to `test` (sha256 of the stem, as a number, divisible by 3), so no one picks which
report is held out and a report keeps its split however often the corpus grows. Source logs stay in `pool/`.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT_SUFFIXES = (".txt", ".html", ".htm")


def split_of(stem: str) -> str:
    return "test" if int(hashlib.sha256(stem.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "dev"


def main(prefixes: list[str]) -> int:
    """Moves every finished rendition, or only those whose stem starts with one of `prefixes`."""
    pool = HERE / "pool"
    moved = {"dev": 0, "test": 0}
    if not pool.is_dir():
        print("nothing to move: no pool/ folder")
        return 0
    for report in sorted(p for p in pool.iterdir() if p.suffix.lower() in REPORT_SUFFIXES):
        if prefixes and not report.stem.startswith(tuple(prefixes)):
            continue
        gold = pool / "gold" / f"{report.stem}.json"
        if not gold.is_file():
            print(f"{report.name}: no gold file yet, left in pool/", file=sys.stderr)
            continue
        split = split_of(report.stem)
        (HERE / split / "gold").mkdir(parents=True, exist_ok=True)
        report.rename(HERE / split / report.name)
        gold.rename(HERE / split / "gold" / gold.name)
        moved[split] += 1
    print(f"moved {moved['dev']} to dev/, {moved['test']} to test/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
