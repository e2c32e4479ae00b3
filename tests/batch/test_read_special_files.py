"""The read stage over a drop folder holding a named pipe: it is skipped with a reason, and nothing waits on it."""

import contextlib
import os
import threading
from pathlib import Path

import pytest

from pipelines.batch.stages import read_batch
from pipelines.text.read import discover_files

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")

REPORT = "枫桥派出所今年共调解矛盾纠纷一百二十起，调解成功率百分之九十八。社区民警每周走访辖区群众。\n" * 5


def _read_with_a_bound(paths: list[Path], blocked_on: list[Path], known: dict[str, str] | None = None):
    """read_batch in a thread; fails the test (and lets the reader go) if it has not returned within 20 s."""
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(read_batch(paths, known, allow_synthetic=True)))
    reader.daemon = True
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():
        for fifo in blocked_on:  # opening the write end releases a reader blocked on the pipe
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)
        pytest.fail("the read stage blocked on a named pipe")
    return outcome[0]


def test_a_named_pipe_in_the_drop_folder_is_skipped_with_a_reason(tmp_path: Path):
    drop = tmp_path / "incoming"
    drop.mkdir()
    (drop / "a_report.txt").write_text(REPORT, encoding="utf-8")
    fifo = drop / "b_pipe.txt"
    os.mkfifo(fifo)
    paths = list(discover_files([drop]))
    assert fifo in paths
    batch = _read_with_a_bound(paths, [fifo])
    assert [Path(a.path).name for a in batch.articles] == ["a_report.txt"]
    [rejection] = batch.rejections
    assert rejection.path == str(fifo) and rejection.code == "special"
    assert "named pipe" in rejection.reason
    # A pipe where the warehouse once knew a file (so its hash is compared first) does not block either.
    again = _read_with_a_bound([fifo], [fifo], known={str(fifo): "0" * 64})
    assert [r.code for r in again.rejections] == ["special"]


def test_a_named_pipe_named_on_the_command_line_is_read_as_a_rejection(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert list(discover_files([fifo])) == [fifo]
    assert [r.code for r in _read_with_a_bound([fifo], [fifo]).rejections] == ["special"]
