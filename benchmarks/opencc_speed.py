"""Measure the C++ `opencc` package against `opencc-python-reimplemented`: speed and output equality.

Both packages install under the import name `opencc`, so each gets its own throwaway venv in a temp dir.
This file is also the worker: `python opencc_speed.py --worker ...` runs inside a venv, converts the seed
texts of `corpus/*.txt` with each config, times a repeated conversion and prints JSON on stdout. The parent
compares the outputs, prints a markdown table and writes it into `docs/opencc.md`; it exits 1 if any
output differs between the two packages.

Usage (from the repo root):  .venv/bin/python benchmarks/opencc_speed.py [--append] [--keep-venvs DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DOC = REPO / "docs" / "opencc.md"
CONFIGS = ("t2s", "tw2s", "hk2s")
# Seeds that are in Traditional script (the rest are Simplified); noted in the table only.
TRADITIONAL_SEEDS = ("001", "004")
MIN_SECONDS = 2.0  # the timed loop also runs at least this long


@dataclass(frozen=True)
class Backend:
    """One package under test: its label, distribution name and pinned version."""

    label: str
    dist: str
    version: str
    target_chars: int  # characters converted per config in the timed loop

    @property
    def requirement(self) -> str:
        """The pip requirement string."""
        return f"{self.dist}=={self.version}"


BACKENDS = (
    Backend("C++ opencc", "opencc", "1.4.2", 20_000_000),
    Backend("opencc-python-reimplemented", "opencc-python-reimplemented", "0.1.7", 1_000_000),
)


def seed_paths() -> list[Path]:
    """The seed texts: `corpus/*.txt` (not `corpus/incoming`), sorted by name."""
    return sorted(CORPUS.glob("*.txt"))


# --------------------------------------------------------------------------- worker (runs inside a venv)


def run_worker(seeds: list[Path], target_chars: int, dist: str) -> dict:
    """Convert every seed once per config (outputs kept), then time conversions of at least `target_chars`."""
    from importlib.metadata import version

    import opencc  # the one package this venv holds

    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds}
    result: dict = {"version": version(dist), "python": platform.python_version(), "configs": {}}
    for config in CONFIGS:
        try:
            start = time.perf_counter()
            conv = opencc.OpenCC(config)
            load_s = time.perf_counter() - start
        except Exception as exc:  # an unsupported config is reported, not fatal
            result["configs"][config] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        outputs = {name: conv.convert(text) for name, text in texts.items()}
        chars = calls = 0
        start = time.perf_counter()
        while chars < target_chars or time.perf_counter() - start < MIN_SECONDS:
            for text in texts.values():
                conv.convert(text)
                chars += len(text)
                calls += 1
        elapsed = time.perf_counter() - start
        result["configs"][config] = {
            "load_s": load_s,
            "chars": chars,
            "calls": calls,
            "seconds": elapsed,
            "chars_per_s": chars / elapsed,
            "outputs": outputs,
        }
    return result


# --------------------------------------------------------------------------- parent


def make_venv(root: Path, backend: Backend) -> Path:
    """Create a venv under `root` holding only `backend.requirement`; return its python."""
    venv = root / backend.dist
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, backend.requirement], check=True)
    return python


def run_in_venv(python: Path, backend: Backend) -> dict:
    """Run this file as a worker with the venv's python and parse its JSON."""
    cmd = [str(python), str(Path(__file__).resolve()), "--worker", "--target-chars", str(backend.target_chars)]
    cmd += ["--dist", backend.dist]
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=str(REPO))
    return json.loads(proc.stdout)


def first_difference(a: str, b: str) -> str:
    """Describe where two strings first differ: position and a little context from each."""
    if a == b:
        return "identical"
    pos = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    ctx_a, ctx_b = a[max(0, pos - 5) : pos + 5], b[max(0, pos - 5) : pos + 5]
    diffs = [(i, x, y) for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
    listed = ", ".join(f"{i}: {x}→{y}" for i, x, y in diffs[:5])
    return (
        f"differ first at {pos}: {ctx_a!r} vs {ctx_b!r}; lengths {len(a)}/{len(b)}, "
        f"{len(diffs)} differing positions ({listed})"
    )


def fmt_rate(rate: float) -> str:
    """Characters per second as millions with two decimals."""
    return f"{rate / 1e6:.2f} M"


def fmt_timed(run: dict) -> str:
    """Characters converted and seconds taken in one timed loop."""
    return f"{run['chars'] / 1e6:.1f} M in {run['seconds']:.2f} s"


def build_report(results: dict[str, dict], seeds: list[Path], load: tuple[float, float, float]) -> tuple[str, bool]:
    """Markdown section with the speed and equality tables; also returns whether all outputs matched."""
    cpp, py = (results[b.label] for b in BACKENDS)
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
    lines = [
        f"## Run of {now}",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, load average before the run "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min), after {fmt_load(os.getloadavg())}",
        f"- Python {cpp['python']}; `opencc` {cpp['version']}; `opencc-python-reimplemented` {py['version']}",
        f"- timed loop: the {len(seeds)} seeds converted one document per call, repeated to at least "
        f"{BACKENDS[0].target_chars / 1e6:g} M characters (C++) and {BACKENDS[1].target_chars / 1e6:g} M "
        f"(pure Python) per config and at least {MIN_SECONDS:g} s; setup is building the converter",
        "",
        "| config | C++ chars/s | pure-Python chars/s | ratio | C++ timed | pure-Python timed | setup C++/Py (s) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    all_equal = True
    eq_rows = []
    for config in CONFIGS:
        c, p = cpp["configs"][config], py["configs"][config]
        if "error" in c or "error" in p:
            lines.append(
                f"| {config} | {c.get('error', fmt_rate(c.get('chars_per_s', 0)))} | "
                f"{p.get('error', fmt_rate(p.get('chars_per_s', 0)))} | – | – | – | – |"
            )
            continue
        ratio = c["chars_per_s"] / p["chars_per_s"]
        lines.append(
            f"| {config} | {fmt_rate(c['chars_per_s'])} | {fmt_rate(p['chars_per_s'])} | {ratio:.1f}× | "
            f"{fmt_timed(c)} | {fmt_timed(p)} | {c['load_s']:.3f} / {p['load_s']:.3f} |"
        )
        for seed in seeds:
            verdict = first_difference(c["outputs"][seed.name], p["outputs"][seed.name])
            all_equal &= verdict == "identical"
            script = "Traditional" if seed.name.startswith(TRADITIONAL_SEEDS) else "Simplified"
            eq_rows.append(
                f"| {config} | {seed.name} ({script}, {len(seed.read_text(encoding='utf-8'))} chars) | {verdict} |"
            )
    lines += ["", "| config | seed | outputs of the two backends |", "| --- | --- | --- |", *eq_rows, ""]
    lines.append(f"All outputs identical: **{'yes' if all_equal else 'no'}**.")
    return "\n".join(lines) + "\n", all_equal


def fmt_load(load: tuple[float, float, float]) -> str:
    """Load average triple as text."""
    return " / ".join(f"{x:.2f}" for x in load)


DOC_HEADER = """# OpenCC: C++ `opencc` against `opencc-python-reimplemented`

Written by `benchmarks/opencc_speed.py` (run from the repo root with `.venv/bin/python`). The two packages share
the import name `opencc`, so the script installs each in its own throwaway venv and compares them there; the
project declares only the C++ one. Speeds depend on the machine's load (other jobs may share its cores), so
each run records the load average. The script exits 1 when any output differs. The pipeline itself uses `tw2s`
on Traditional seeds (001, 004) and `t2s` on Simplified ones (`pipelines/text/simplify.py`).

"""


def write_doc(section: str, append: bool) -> None:
    """Write the run section into docs/opencc.md, replacing earlier runs unless `append`."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    if append and DOC.exists():
        DOC.write_text(DOC.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + section, encoding="utf-8")
    else:
        DOC.write_text(DOC_HEADER + section, encoding="utf-8")


def main() -> int:
    """Parse arguments; run as worker or as the parent that builds venvs and writes the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--target-chars", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--dist", default="opencc", help=argparse.SUPPRESS)
    parser.add_argument("--append", action="store_true", help="add this run to docs/opencc.md instead of replacing")
    parser.add_argument("--keep-venvs", type=Path, help="build (or reuse) the venvs here instead of a temp dir")
    args = parser.parse_args()
    seeds = seed_paths()
    if args.worker:
        json.dump(run_worker(seeds, args.target_chars, args.dist), sys.stdout, ensure_ascii=False)
        return 0

    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="opencc-bench-") as tmp:
        root = args.keep_venvs or Path(tmp)
        results = {}
        for backend in BACKENDS:
            python = root / backend.dist / "bin" / "python"
            if not python.exists():
                python = make_venv(root, backend)
            results[backend.label] = run_in_venv(python, backend)
    section, all_equal = build_report(results, seeds, load)
    print(section)
    write_doc(section, args.append)
    print(f"written to {DOC.relative_to(REPO)}")
    return 0 if all_equal else 1


if __name__ == "__main__":
    sys.exit(main())
