"""The Dagster daemon of a test deployment: `dagster-daemon run -f deploy/definitions.py`, as the README runs it.

It evaluates the drop-folder sensor, queues the runs it asks for (QueuedRunCoordinator) and launches them
(DefaultRunLauncher), so a run it starts goes the whole production way to the Celery workers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO
from tests.deploy.celery_workers import stop_session


@contextmanager
def running_daemon(env: Mapping[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """The daemon in a session of its own for the block's duration; stopped with its code server after."""
    command = [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-f", str(REPO / "deploy/definitions.py")]
    with log.open("wb") as out:
        daemon = subprocess.Popen(
            command, cwd=REPO, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield daemon
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        finally:
            # the code server it started outlives a SIGTERM; anything of the daemon's session still there goes now
            stop_session(daemon.pid)
            daemon.wait(timeout=10)
