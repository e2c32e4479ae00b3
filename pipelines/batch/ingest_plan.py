"""Which files need loading, and in which batches: shared by `fqa ingest`, the drop-folder sensor and the rescan.

A file needs loading when the warehouse has never seen its path, or saw different bytes there. Everything the
warehouse already knows is fetched as one set (one query), never looked up file by file, and the files are
compared by content hash, so a rescan of an unchanged corpus costs one read per file and no NLP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.batch.quarantine import in_quarantine
from pipelines.text.read import discover_files, file_hash

BATCH_SIZE = 500  # files per batch (one Dagster partition and one load transaction each)


def new_batch_key(paths: Sequence[str]) -> str:
    """Time-ordered and unique per file set, so batches sort by when they were ingested."""
    digest = hashlib.sha256("\n".join(sorted(paths)).encode()).hexdigest()[:8]
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{digest}"


def canonical_path(path: str | Path) -> str:
    """Relative to the working directory when inside it, else absolute.

    A file is known by its path, so `fqa ingest corpus/incoming` and `fqa ingest /repo/corpus/incoming` (or the
    sensor, which runs from the repo root) must name it the same way, or every file looks new to the other.
    """
    absolute, cwd = os.path.abspath(path), os.getcwd()
    return os.path.relpath(absolute, cwd) if absolute.startswith(cwd.rstrip(os.sep) + os.sep) else absolute


def scan(roots: Iterable[str | Path], quarantine_dir: str | Path | None = None) -> list[str]:
    """Every supported file under the roots, leaving out the quarantine folder and any folder named `quarantine`
    below a root (a drop folder's quarantine may sit inside the corpus): rejects are never read twice."""
    roots = list(roots)
    return [
        canonical_path(p) for p in discover_files(roots, exclude=quarantine_dir) if not in_quarantine(p, roots)
    ]


def hash_files(paths: Iterable[str]) -> dict[str, str | None]:
    """path → sha256 of its bytes; None when it cannot be read (the read stage then rejects it with the reason)."""
    return {path: file_hash(path) for path in paths}


def recently_modified(paths: Iterable[str], seconds: float, now: float | None = None) -> set[str]:
    """Files modified in the last `seconds`: an operator's copy into the drop folder may not have finished, and
    loading half a report would make the whole one look like an update of it."""
    if seconds <= 0:
        return set()
    cutoff = (time.time() if now is None else now) - seconds
    fresh = set()
    for path in paths:
        try:
            if os.stat(path).st_mtime > cutoff:
                fresh.add(path)
        except OSError:
            continue  # gone already; the read stage reports files that vanish
    return fresh


@dataclass
class IngestPlan:
    to_load: list[str] = field(default_factory=list)  # new paths and paths whose bytes changed
    unchanged: list[str] = field(default_factory=list)  # same bytes as the warehouse recorded
    in_flight: list[str] = field(default_factory=list)  # already in a batch that has not finished
    settling: list[str] = field(default_factory=list)  # modified moments ago: maybe still being copied in

    def batches(self, size: int = BATCH_SIZE) -> list[list[str]]:
        return [self.to_load[i : i + size] for i in range(0, len(self.to_load), size)]


def plan_ingest(
    hashes: Mapping[str, str | None],
    known: Mapping[str, tuple[str, str]],
    in_flight: Iterable[str] = (),
    retry_rejected: bool = False,
    settling: Iterable[str] = (),
) -> IngestPlan:
    """Sort files into to-load, unchanged and in-flight.

    `known` is path → (sha256, loaded | rejected) as the warehouse recorded it. With `retry_rejected`, a rejected
    file still lying where it was is loaded again, so it is rejected again and this time moved to the quarantine.
    """
    busy, fresh = set(in_flight), set(settling)
    plan = IngestPlan()
    for path, sha in hashes.items():
        if path in busy:
            plan.in_flight.append(path)
            continue
        if path in fresh:
            plan.settling.append(path)
            continue
        seen = known.get(path)
        if seen is not None and sha is not None and seen[0] == sha and not (retry_rejected and seen[1] == "rejected"):
            plan.unchanged.append(path)
        else:
            plan.to_load.append(path)
    return plan
