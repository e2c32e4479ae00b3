"""A process pool for the CPU-heavy stages: one worker per core, NLP resources loaded once per process tree.

Processes, not threads: jieba, the mojibake search and the extractors are pure Python and hold the GIL.
Workers start from a fork server (never a fork of a Dagster run with its threads). The fork server imports
`pipelines.batch.worker_preload`, which runs the stages over a short built-in paragraph (`warm_up`) and so loads
everything the stages load lazily (jieba's dictionary with the domain words, OpenCC's converters, the mojibake
bigram tables, the division table, the category model) through the same public functions the stages call;
every worker forks with them in memory, shared. The pool initializer imports that module again, which costs
nothing then and still loads everything if the preload could not.

The fork server lives as long as the process; `shutdown` stops only the workers, and the next pool forks fresh
ones in a fraction of a second (`build` does this between batches). Small batches run
in the calling process: pickling and a cold pool would cost more than they save. Workers never re-run the
caller's script (as spawn and forkserver workers otherwise do), so a script needs no `__main__` guard; the
price is that the functions sent to workers must live in an importable module, not in that script.
"""

from __future__ import annotations

import atexit
import copy
import importlib
import logging
import multiprocessing
import multiprocessing.process as stdlib_process
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

from pipelines.batch import progress

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

WORKERS_ENV = "FQA_WORKERS"  # worker processes; 1 runs every stage in the calling process
# Below this many items a stage runs in the calling process (one article costs ~0.1-0.5 s; a cold worker ~2 s).
MIN_PARALLEL_ITEMS = 16
# Items per task sent to a worker: large enough to amortise pickling, small enough to balance the tail.
MAX_CHUNK = 8

# Imported by the fork server before any worker forks, and by each worker as its initializer (a no-op where the
# fork server already did): it runs the stages once. Named, not imported, so this pool stays a generic one.
PRELOAD_MODULE = "pipelines.batch.worker_preload"

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_owner: int | None = None  # pid that created the pool: a forked child must not reuse its parent's


def worker_count() -> int:
    """`FQA_WORKERS` if set, else the cores this process may run on."""
    value = os.environ.get(WORKERS_ENV)
    if value:
        try:
            count = int(value)
        except ValueError:
            raise ValueError(f"{WORKERS_ENV}={value!r}: expected a whole number of worker processes") from None
        if count < 1:
            raise ValueError(f"{WORKERS_ENV}={value!r}: needs at least 1 worker process")
        return count
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool() -> ProcessPoolExecutor:
    """The process's pool of `worker_count()` warmed-up workers, started on first use."""
    global _pool, _pool_owner
    with _lock:
        if _pool is None or _pool_owner != os.getpid():
            _own_process_record()
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([PRELOAD_MODULE])  # workers fork with NLP resources loaded
            workers = worker_count()
            _pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=importlib.import_module, initargs=(PRELOAD_MODULE,)
            )
            _pool_owner = os.getpid()
            # Start and warm every worker now (the executor starts them one per submit otherwise, so the first
            # batch would run on one core while the second worker loads its dictionaries). The executor
            # never starts another, so hiding the main script here covers every worker.
            with _main_script_hidden():
                for started in [_pool.submit(os.getpid) for _ in range(workers)]:
                    started.result()
        return _pool


def _own_process_record() -> None:
    """Let a step on a Celery worker start `pipelines.batch.parallel`'s process pool.

    Celery's prefork pool (billiard) makes each pool process the standard library's "current process" too, a
    daemonic one whose authkey only billiard can pickle: the stdlib then refuses to start processes from it
    ("daemonic processes are not allowed to have children", then "Pickling an AuthenticationString object is
    disallowed"), so every NLP step of a batch of 16 articles or more failed on a worker (tests/deploy/ found
    it). Here the stdlib gets a record of its own, not daemonic and with a stdlib authkey; billiard keeps its
    own and still ends the pool process as before, and the step's pool workers leave with it (pipes close).
    Called before the pool starts, so it holds on any Celery worker, whatever code location it loads.
    """
    current = stdlib_process.current_process()
    if type(current).__module__.startswith("billiard"):
        own = copy.copy(current)  # same name and identity, for the logs and the children's names
        own._config = {
            **current._config,  # private, as the record it stands in for: the stdlib offers no public way
            "daemon": False,
            "authkey": stdlib_process.AuthenticationString(current.authkey),
        }
        stdlib_process._current_process = own


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Start processes without telling them the main script (multiprocessing re-imports it when told)."""
    main = sys.modules.get("__main__")
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if main and name in main.__dict__}
    try:
        for name in saved:
            setattr(main, name, None)
        yield
    finally:
        for name, value in saved.items():
            setattr(main, name, value)


def shutdown() -> None:
    """Stop the workers (at exit, between build batches, and when a test wants a fresh pool); the fork server
    stays, so the next pool forks fresh workers from it at once."""
    global _pool, _pool_owner
    with _lock:
        if _pool is not None and _pool_owner == os.getpid():
            _pool.shutdown(wait=True, cancel_futures=True)
        _pool, _pool_owner = None, None


atexit.register(shutdown)


def map_ordered(
    stage: str, func: Callable[[T], R], items: Sequence[T], workers: int | None = None, chunksize: int | None = None
) -> list[R]:
    """`[func(x) for x in items]`, over the pool when it pays; results in input order, progress as they come.

    `func` must be a module-level function (workers import it by name). An exception raised by `func` is
    raised here, as in the list comprehension; stages catch per-item errors inside `func` so one bad file
    never stops its batch. `chunksize` (items per task) overrides the default when items are already groups.
    """
    workers = worker_count() if workers is None else workers
    if workers <= 1 or len(items) < MIN_PARALLEL_ITEMS:
        return [func(item) for item in progress.each(stage, items)]
    chunk = chunksize or max(1, min(MAX_CHUNK, len(items) // (workers * 4)))
    try:
        results: list[R] = []
        for result in pool().map(func, items, chunksize=chunk):
            results.append(result)
            progress.advance(stage, len(results), len(items))
        return results
    except BrokenProcessPool:
        # A worker died (killed for memory, say): say so, start a fresh pool next time, and finish here.
        log.warning("%s: a worker process died; finishing the batch in this process", stage)
        shutdown()
        return [func(item) for item in progress.each(stage, items)]
