"""Real Celery workers for the deploy tests, started with the command deploy/README.md gives each machine.

A worker is `dagster-celery worker start -A dagster_celery.app -y deploy/celery.yaml [-q QUEUE] -- -c 1` in a
session of its own, so that stopping it stops the Celery main process and its pool child with it. Whether it is
up, and which process runs a step, are asked of the worker itself over the broker (Celery's remote control), not
guessed from the time that has passed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from celery import Celery

from tests.conftest import REPO

T = TypeVar("T")
STARTUP_SECONDS = 90  # two workers importing Dagster and the pipelines on two shared cores


def wait_for(what: str, probe: Callable[[], T | None], seconds: float, interval: float = 0.2) -> T:
    """Poll `probe` until it returns something other than None; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found is not None:
            return found
        time.sleep(interval)
    raise TimeoutError(f"gave up after {seconds:.0f} s waiting for {what}")


class Worker:
    """One `dagster-celery worker start` process tree, its log in `log`."""

    def __init__(self, name: str, queue: str | None, env: Mapping[str, str], log: Path) -> None:
        self.name = name
        self.hostname = f"{name}@{socket.gethostname()}"
        self.log = log
        command = [
            str(Path(sys.executable).parent / "dagster-celery"),
            "worker", "start", "-A", "dagster_celery.app", "-y", str(REPO / "deploy" / "celery.yaml"),
            "-n", name, "-l", "INFO",
        ]
        command += ["-q", queue] if queue else []
        command += ["--", "-c", "1"]
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def stop(self) -> None:
        """SIGTERM to the worker's whole session (a warm shutdown); whatever is left of it after 20 s, SIGKILL."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        stop_session(self.process.pid)
        self.process.wait(timeout=10)

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def stop_session(leader: int) -> None:
    """SIGKILL every process still in the session `leader` started (a step's pool, a code server), if any is."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(leader, signal.SIGKILL)


def control_app(broker: str) -> Celery:
    """A bare app on the workers' broker, for remote control only (ping, active tasks)."""
    return Celery("fqa_deploy_test", broker=broker, backend=broker)


def wait_until_ready(app: Celery, workers: list[Worker]) -> None:
    """Until every worker answers a ping over the broker (its pool is up and it consumes its queue)."""
    names = {w.hostname for w in workers}

    def answered() -> bool | None:
        for worker in workers:
            if worker.process.poll() is not None:
                raise RuntimeError(f"worker {worker.name} exited:\n{worker.log_tail()}")
        replies = app.control.ping(destination=sorted(names), timeout=1.0) or []
        return True if names <= {name for reply in replies for name in reply} else None

    wait_for("the Celery workers to answer a ping", answered, STARTUP_SECONDS)


def step_process(app: Celery, worker: Worker) -> int | None:
    """The pid of the pool process running a task on `worker` now, or None if it runs none."""
    active = (app.control.inspect(destination=[worker.hostname], timeout=1.0).active() or {}).get(worker.hostname)
    return active[0]["worker_pid"] if active else None


def process_gone(pid: int) -> bool | None:
    """True once `pid` no longer exists (the worker's main process reaps its killed child)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return None
