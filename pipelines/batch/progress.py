"""Progress reporting from inside a Dagster run to whoever started it in this process (the `fqa` CLI).

Dagster's in-process executor runs assets in the caller's process, so a module-level reporter is enough;
in any other executor no reporter is installed and `advance` does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
Reporter = Callable[[str, int, int], None]  # (stage, done, total)
_reporter: Reporter | None = None


@contextmanager
def reporting_to(reporter: Reporter) -> Iterator[None]:
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous


def advance(stage: str, done: int, total: int) -> None:
    if _reporter is not None:
        _reporter(stage, done, total)


def each(stage: str, items: Sequence[T]) -> Iterator[T]:
    """Yield the items of a stage, reporting progress as each one is taken."""
    for done, item in enumerate(items, 1):
        advance(stage, done, len(items))
        yield item
