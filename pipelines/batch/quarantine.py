"""Moving rejected files out of the drop folder and corpus into the quarantine folder.

Files move only after the batch's load transaction has committed, so a batch that fails leaves every file
where it was and the next run sees it again. The warehouse row (`warehouse.quarantine_log`) is written inside
the transaction with the reason; the move then fills in where the file went.

The quarantine sits beside the drop folder that fed it (`corpus/incoming` → `corpus/quarantine`, a build of
`corpus` → `quarantine` next to it), never in whatever the current directory is, and no scan reads a folder named
`quarantine`: a rejected file read again would be rejected again and recorded twice.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from pipelines.text.articles import Rejection
from pipelines.text.read import content_hash
from warehouse.quarantine_log import record_move

QUARANTINE_ENV = "FQA_QUARANTINE_DIR"
QUARANTINE_NAME = "quarantine"

log = logging.getLogger(__name__)


def quarantine_beside(source: str | Path) -> Path:
    """The quarantine next to the drop folder `source` (a file's drop folder is the one it sits in).

    Relative to the working directory when inside it, so paths recorded and printed stay short.
    """
    drop = os.path.abspath(source)
    if not os.path.isdir(drop):
        drop = os.path.dirname(drop)
    folder = os.path.join(os.path.dirname(drop), QUARANTINE_NAME)
    cwd = os.getcwd().rstrip(os.sep) + os.sep
    return Path(os.path.relpath(folder) if folder.startswith(cwd) else folder)


def default_quarantine_dir(source: str | Path) -> Path:
    """$FQA_QUARANTINE_DIR, else the quarantine beside the drop folder `source`."""
    configured = os.environ.get(QUARANTINE_ENV)
    return Path(configured) if configured else quarantine_beside(source)


def in_quarantine(path: str | Path, roots: Iterable[str | Path]) -> bool:
    """Whether `path` lies in a folder named `quarantine` below the root it was found under (a scan skips it)."""
    absolute = os.path.abspath(path)
    for root in roots:
        base = os.path.abspath(root)
        if absolute.startswith(base.rstrip(os.sep) + os.sep):
            return QUARANTINE_NAME in Path(os.path.relpath(absolute, base)).parts[:-1]
    return False


@dataclass(frozen=True)
class Quarantined:
    path: str
    moved_to: str | None  # None: left in place (missing, changed since it was read, or the move failed)
    note: str = ""


def destination(folder: str | Path, batch_key: str, path: str | Path) -> Path:
    """<folder>/<batch>/<file name>, so one batch's rejects stay together and names from two batches never clash."""
    return Path(folder) / batch_key / Path(path).name


def _move(rejection: Rejection, target: Path) -> Quarantined:
    source = Path(rejection.path)
    if not source.is_file():
        return Quarantined(rejection.path, None, "no longer there")
    if rejection.file_sha256 and content_hash(source.read_bytes()) != rejection.file_sha256:
        return Quarantined(rejection.path, None, "changed since it was read; left for the next run")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # the same name twice in one batch (files from two folders)
        target = target.with_name(f"{(rejection.file_sha256 or 'x')[:8]}-{target.name}")
    try:
        shutil.move(source, target)
    except OSError as exc:
        return Quarantined(rejection.path, None, f"could not move: {exc.strerror or exc}")
    return Quarantined(rejection.path, str(target))


def quarantine_files(
    engine: Engine, rejections: Iterable[Rejection], folder: str | Path, batch_key: str
) -> list[Quarantined]:
    """Move each rejected file into the quarantine folder and record where it went."""
    results = []
    for rejection in rejections:
        result = _move(rejection, destination(folder, batch_key, rejection.path))
        if result.moved_to is not None:
            record_move(engine, rejection.path, rejection.file_sha256 or "", result.moved_to)
        else:
            log.warning("quarantine: %s %s", rejection.path, result.note)
        results.append(result)
    return results


def restore_held(path: str, moved_to: str | None) -> str:
    """Put a held file an operator accepted back where it was dropped (a scan never reads the quarantine), and
    return where it now is."""
    if moved_to is None or not Path(moved_to).is_file():
        return path
    target = Path(path)
    if target.exists():
        raise FileExistsError(f"{path}: cannot put the accepted file back, another file is there (it is at {moved_to})")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(moved_to, target)
    return path
