"""Throughput and scale: the whole pipeline against the NLP floor, at 1,000, 10,000 and 100,000 articles.

For each size it writes a generated corpus (`pipelines/batch/synth.py`, resumable), then, in the same run:

* the **floor**: a bare pass over the same files in the same number of processes — decode, OpenCC t2s, one
  jieba accurate-mode cut (HMM on, as the pipeline) — with jieba 0.42.1 (the reference every ratio is to), and
  beside it with jieba_fast 0.53 and with jieba-rs (`rjieba` 0.2.2, its own HMM);
* the **build**: `pipelines.defs.build.build` through Dagster, in ingest batches of 1,000 files, on SQLite and/or
  PostgreSQL, with per-stage seconds from the assets' metadata, wall time end to end, and peak RSS of this
  process plus all its children (sampled with psutil every 0.2 s);
* the **unchanged re-run** of the same build, the warehouse size, and search p50/p95 through
  `warehouse.search.search` when that module is present.

Each (size, database) result is saved as JSON under `benchmarks/results/` and `docs/benchmarks.md` is written
from every result there, so sizes can run at different times. A build that is interrupted resumes: batches
already loaded are skipped as unchanged, and their timings come from the progress log written per batch.

Usage (repo root):
    .venv/bin/python benchmarks/run.py                        # 1,000, 10,000 and 100,000 on SQLite
    .venv/bin/python benchmarks/run.py --sizes 1000 --databases sqlite postgresql
    .venv/bin/python benchmarks/run.py --table-only           # rewrite docs/benchmarks.md from saved results
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from pipelines.batch import parallel, synth  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
DOC = REPO / "docs" / "benchmarks.md"
DEFAULT_WORK = REPO / ".bench"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
STAGES = (
    "raw_articles",
    "clean_articles",
    "simplified_articles",
    "segmented_articles",
    "extracted_articles",
    "warehouse_articles",
)
SEARCH_QUERIES = ("枫桥经验", "矛盾纠纷", "派出所 调解", "網格", "满意度", "警民微信群", "义警", "边境")
SEARCH_REPEATS = 5
FLOOR_CHUNK = 20  # files per floor task
log = logging.getLogger("benchmarks")


# ----------------------------------------------------------------------------------------------- the floor

_floor_cut: Any = None
_floor_converter: Any = None
FLOOR_SEGMENTERS = ("jieba", "jieba_fast", "rjieba")  # the first is the reference


def _floor_init(segmenter: str) -> None:
    """Load the bare segmenter (its own dictionary, no user words) and OpenCC once per worker."""
    global _floor_cut, _floor_converter
    import opencc

    module = __import__(segmenter)
    if segmenter == "rjieba":
        _floor_cut = module.Jieba().cut  # a list, HMM on: the same call as lcut
    else:
        module.setLogLevel(logging.WARNING)
        tokenizer = module.Tokenizer()
        tokenizer.initialize()
        _floor_cut = tokenizer.lcut
    _floor_converter = opencc.OpenCC("t2s")


def _decode(data: bytes) -> str:
    for encoding in ("utf_8", "gb18030", "big5hkscs"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf_8", errors="replace")


def _floor_chunk(paths: list[str]) -> tuple[int, int, int]:
    """(files, characters, tokens) of one chunk: decode, OpenCC t2s, one jieba cut."""
    chars = tokens = 0
    for path in paths:
        text_ = _floor_converter.convert(_decode(Path(path).read_bytes()))
        chars += len(text_)
        tokens += len(_floor_cut(text_))
    return len(paths), chars, tokens


def _ready(_: int) -> int:
    return os.getpid()


def measure_floor(paths: list[str], workers: int, segmenter: str) -> dict[str, Any]:
    chunks = [paths[i : i + FLOOR_CHUNK] for i in range(0, len(paths), FLOOR_CHUNK)]
    with ProcessPoolExecutor(workers, initializer=_floor_init, initargs=(segmenter,)) as pool:
        list(pool.map(_ready, range(workers * 4)))  # start and load every worker before the clock starts
        started = time.perf_counter()
        results = list(pool.map(_floor_chunk, chunks))
        seconds = time.perf_counter() - started
    files = sum(r[0] for r in results)
    chars = sum(r[1] for r in results)
    return {
        "segmenter": segmenter,
        "workers": workers,
        "files": files,
        "chars": chars,
        "tokens": sum(r[2] for r in results),
        "seconds": round(seconds, 2),
        "articles_per_s": round(files / seconds, 1),
        "chars_per_s": round(chars / seconds),
    }


def segmenter_identity(paths: list[str], limit: int = 300) -> dict[str, Any]:
    """jieba_fast, jieba-rs and the pipeline's own tokenizer (`segment.tokenizer`: jieba-rs's route with jieba's
    HMM) against jieba 0.42.1 on the corpus: whole articles with HMM off, and the pipeline's filtered tokens (HMM
    on, domain dictionary, punctuation dropped) per sentence. A segmenter that is not installed is left out."""
    import re

    import jieba

    from pipelines.text.segment import DOMAIN_DICTIONARY, split_sentences, tokenizer
    from pipelines.text.simplify import simplify

    jieba.setLogLevel(logging.WARNING)
    reference = (jieba.Tokenizer(), jieba.Tokenizer())  # plain, and with the domain dictionary
    with DOMAIN_DICTIONARY.open("rb") as handle:
        reference[1].load_userdict(handle)
    # name -> (cut of a plain article with HMM off, cut of a sentence with the domain words and HMM on)
    cuts: dict[str, tuple[Any, Any]] = {"pipeline": (None, tokenizer().lcut)}
    try:
        import jieba_fast

        jieba_fast.setLogLevel(logging.WARNING)
        plain, domain = jieba_fast.Tokenizer(), jieba_fast.Tokenizer()
        domain.load_userdict(str(DOMAIN_DICTIONARY))
        cuts["jieba_fast"] = (lambda t, plain=plain: plain.lcut(t, HMM=False), domain.lcut)
    except ImportError:
        pass
    try:
        import rjieba

        plain, domain = rjieba.Jieba(), rjieba.Jieba()
        for line in DOMAIN_DICTIONARY.read_text(encoding="utf-8").splitlines():
            word, freq, tag = line.split()
            domain.add_word(word, int(freq), tag)
        cuts["rjieba"] = (lambda t, plain=plain: plain.cut(t, False), domain.cut)
    except ImportError:
        pass
    word = re.compile(r"\w")
    counts = {
        name: {"articles": 0, "articles_differ_hmm_off": 0, "sentences": 0, "sentences_differ_hmm_on": 0}
        for name in cuts
    }
    for path in paths[:limit]:
        text_ = simplify(_decode(Path(path).read_bytes())).simplified
        whole = reference[0].lcut(text_, HMM=False)
        sentences = [s.text for s in split_sentences(text_)]
        expected = [[w for w in reference[1].cut(s) if word.search(w)] for s in sentences]
        for name, (article_cut, sentence_cut) in cuts.items():
            c = counts[name]
            if article_cut is not None:
                c["articles"] += 1
                c["articles_differ_hmm_off"] += article_cut(text_) != whole
            for sentence, tokens in zip(sentences, expected, strict=True):
                c["sentences"] += 1
                c["sentences_differ_hmm_on"] += [w for w in sentence_cut(sentence) if word.search(w)] != tokens
    return counts


# ------------------------------------------------------------------------------------------------- memory


class PeakRSS:
    """Peak memory of this process and all its descendants, summed, sampled in a thread.

    Each process counts its proportional set size (PSS): the workers fork from one server and share its pages,
    which plain RSS would count once per worker."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                total += proc.memory_full_info().pss
            except psutil.Error:
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------------------------- warehouse


def warehouse_url(database: str, size: int, work: Path, pg_admin: str, fresh: bool, prefix: str = "fqa_bench") -> str:
    if database == "sqlite":
        path = work / f"{size}" / "warehouse.db"
        if fresh and path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    name = f"{prefix}_{size}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if fresh and exists:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(pg_admin).set(database=name).render_as_string(hide_password=False)


def warehouse_bytes(url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    engine = create_engine(url)
    with engine.connect() as conn:
        size = int(conn.scalar(text("SELECT pg_database_size(current_database())")))
    engine.dispose()
    return size


def text_bytes(url: str) -> int:
    """UTF-8 bytes of the warehouse's article text (Simplified): what issue 22 measures the warehouse against."""
    engine = create_engine(url)
    length = "LENGTH(CAST(simplified_text AS BLOB))" if url.startswith("sqlite") else "OCTET_LENGTH(simplified_text)"
    with engine.connect() as conn:
        size = int(conn.scalar(text(f"SELECT COALESCE(SUM({length}), 0) FROM article")) or 0)
    engine.dispose()
    return size


def search_latency(url: str) -> dict[str, Any]:
    """p50/p95 of `warehouse.search.search` over a few queries, or why it could not be measured."""
    try:
        from warehouse.db import get_engine
        from warehouse.search import search
    except ImportError as exc:
        return {"note": f"see docs/search.md ({exc})"}
    timings = []
    try:
        with get_engine(url).connect() as conn:
            for query in SEARCH_QUERIES:
                search(conn, query)  # warm the cache for this query
                for _ in range(SEARCH_REPEATS):
                    started = time.perf_counter()
                    search(conn, query)
                    timings.append((time.perf_counter() - started) * 1000)
    except Exception as exc:  # noqa: BLE001 - another helper's module; report, do not fail the benchmark
        return {"note": f"see docs/search.md (search failed: {str(exc).splitlines()[0][:120]})"}
    quantiles = statistics.quantiles(timings, n=20)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(quantiles[18], 1), "queries": len(timings)}


# -------------------------------------------------------------------------------------------------- build


def drop_stored_outputs(instance_dir: Path, partition: str) -> None:
    """The fs io manager keeps every batch's pickled stage outputs; a benchmark needs none of them afterwards."""
    for stored in (instance_dir / "storage").glob(f"*/{partition}"):
        shutil.rmtree(stored, ignore_errors=True) if stored.is_dir() else stored.unlink(missing_ok=True)


class BudgetSpent(Exception):
    """Raised between batches when a size's time budget is used up; finished batches stay loaded."""


def run_build(
    sources: list[Path], url: str, work: Path, progress_log: Path, deadline: float | None = None
) -> dict[str, Any]:
    """Build through Dagster, logging each batch; stops between batches once `deadline` has passed."""
    import dagster as dg

    from pipelines.defs.build import build

    instance_dir = work / "dagster"
    instance_dir.mkdir(parents=True, exist_ok=True)
    last = [time.perf_counter()]

    def on_batch(summary: Any) -> None:
        now = time.perf_counter()
        entry = {
            "batch": summary.batch_key,
            "files": summary.files,
            "new": summary.new,
            "unchanged": summary.unchanged,
            "rejected": summary.rejected,
            "seconds": round(now - last[0], 3),
            "stages": summary.stage_seconds,
            "loadavg": os.getloadavg(),
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        last[0] = now
        with progress_log.open("a") as handle:
            handle.write(json.dumps(entry) + "\n")
        drop_stored_outputs(instance_dir, summary.batch_key)
        print(
            f"  batch {summary.batch_key[-8:]}: {summary.files} files, {summary.new} new, "
            f"{entry['seconds']:.1f}s, load {entry['loadavg'][0]:.1f}",
            flush=True,
        )
        if deadline is not None and time.monotonic() > deadline:
            raise BudgetSpent

    started = time.perf_counter()
    overrides = {"telemetry": {"enabled": False}}
    with dg.DagsterInstance.local_temp(tempdir=str(instance_dir), overrides=overrides) as instance:
        try:
            summary = build(sources, url, instance=instance, on_batch=on_batch)
        except BudgetSpent:
            return {"seconds": time.perf_counter() - started, "summary": None, "complete": False}
    return {"seconds": time.perf_counter() - started, "summary": summary, "complete": True}


def fold_progress(progress_log: Path) -> dict[str, Any]:
    """Totals over the batches that did the work (new articles), across interrupted and resumed runs."""
    entries = [json.loads(line) for line in progress_log.read_text().splitlines() if line.strip()]
    working = [e for e in entries if e["new"] or e["rejected"]]
    stages: dict[str, float] = {}
    for entry in working:
        for stage, seconds in entry["stages"].items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    return {
        "batches": len(working),
        "files": sum(e["files"] for e in working),
        "new": sum(e["new"] for e in working),
        "rejected": sum(e["rejected"] for e in working),
        "seconds": sum(e["seconds"] for e in working),
        "stages": stages,
        "loadavg_max": max((e["loadavg"][0] for e in working), default=None),
    }


def bench_database(
    database: str, size: int, sources: list[Path], args: argparse.Namespace, work: Path
) -> dict[str, Any]:
    progress_log = work / f"{database}.progress.jsonl"
    resume = progress_log.exists() and not args.force
    if not resume:
        progress_log.unlink(missing_ok=True)
        shutil.rmtree(work / "dagster", ignore_errors=True)
    url = warehouse_url(database, size, work, args.pg_admin, fresh=not resume)
    print(f"{size} on {database}: building ({'resuming' if resume else 'fresh'}) …", flush=True)
    deadline = time.monotonic() + args.budget_minutes * 60 if args.budget_minutes else None
    load_before = os.getloadavg()
    with PeakRSS() as memory:
        first = run_build(sources, url, work, progress_log, deadline)
        folded = fold_progress(progress_log)
        # what was built: batches take the files in path order, so the first `files` of them
        built_sources = sources if first["complete"] else built_files(sources, folded["files"])
        rerun_log = work / f"{database}.rerun.jsonl"
        rerun_log.unlink(missing_ok=True)
        print(f"{size} on {database}: unchanged re-run over what was built …", flush=True)
        second = run_build(built_sources, url, work, rerun_log)
    seconds = folded["seconds"] or first["seconds"]
    return {
        "size": size,
        "database": database,
        "workers": args.workers,
        "resumed": resume,
        "complete": first["complete"],
        "_built_sources": built_sources,  # not saved: the floor runs over these
        "files_built": folded["files"],
        "new": folded["new"],
        "rejected": folded["rejected"],
        "build_seconds": round(seconds, 1),
        "stage_seconds": folded["stages"],
        "peak_rss_mb": round(memory.peak / 2**20),
        "rerun_seconds": round(second["seconds"], 1),
        "rerun_unchanged": second["summary"].unchanged,
        "warehouse_mb": round(warehouse_bytes(url) / 2**20, 1),
        "text_mb": round(text_bytes(url) / 2**20, 1),
        "search": search_latency(url),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "loadavg_max_during": folded["loadavg_max"],
    }


def measure_rescan(sources: list[Path]) -> dict[str, Any]:
    """What an unchanged re-run does before any Dagster run, over the whole corpus of this size: find every
    file and hash its bytes (the plan that sends unchanged files to one batch)."""
    from pipelines.batch.ingest_plan import hash_files, scan

    load = os.getloadavg()[0]
    started = time.perf_counter()
    hashes = hash_files(scan(sources))
    return {"files": len(hashes), "seconds": round(time.perf_counter() - started, 2), "loadavg": round(load, 2)}


def built_files(sources: list[Path], count: int) -> list[Path]:
    from pipelines.text.read import discover_files

    return [path for path, _ in zip(discover_files(sources), range(count), strict=False)]


def against_floor(result: dict[str, Any], floor: dict[str, Any]) -> None:
    """End-to-end and per-stage rates over the files built, each paired with the floor over those same files."""
    files, chars, seconds = result["files_built"], floor["chars"], result["build_seconds"]
    result["end_to_end"] = {
        "seconds": seconds,
        "articles_per_s": round(files / seconds, 2),
        "chars_per_s": round(chars / seconds),
        "ratio_to_floor": round(floor["seconds"] / seconds, 3),
    }
    result["stages"] = {
        stage: {
            "seconds": round(s, 2),
            "articles_per_s": round(files / s, 1) if s else None,
            "chars_per_s": round(chars / s) if s else None,
        }
        for stage, s in result.pop("stage_seconds").items()
    }


# ------------------------------------------------------------------------------------------------- driver


def corpus_for(size: int, work: Path, seed: int) -> list[Path]:
    """The size's files as whole folders of the shared corpus (article i is the same at every size)."""
    root = work / "corpus" if size % synth.FILES_PER_FOLDER == 0 else work / f"corpus-{size}"
    material = synth.load_material([REPO / "corpus"])
    started = time.perf_counter()
    written = sum(w for _, w in synth.write_corpus(material, size, root, seed))
    print(
        f"corpus {size}: {written} written, {size - written} already there "
        f"({time.perf_counter() - started:.0f}s) in {root}",
        flush=True,
    )
    if root.name == "corpus":
        return [root / f"{i:04d}" for i in range(size // synth.FILES_PER_FOLDER)]
    return [root]


def bench_size(size: int, args: argparse.Namespace) -> None:
    from pipelines.text.read import discover_files

    work = args.work / f"{size}"
    work.mkdir(parents=True, exist_ok=True)
    sources = corpus_for(size, args.work, args.seed)
    rescan = measure_rescan(sources)
    print(f"{size}: rescan (scan + hash every file) {rescan['seconds']} s", flush=True)
    for database in args.databases:
        out = RESULTS / f"{size}-{database}.json"
        if out.exists() and not args.force and json.loads(out.read_text()).get("complete", True):
            print(f"{size} on {database}: already measured ({out}); --force to redo", flush=True)
            continue  # a partial result (time budget) is not skipped: running again resumes its build
        result = bench_database(database, size, sources, args, work)
        # the floor over exactly the files the build processed, right after it, in as many processes
        paths = [str(p) for p in discover_files(result.pop("_built_sources"))]
        print(
            f"{size}: floor over {len(paths):,} files, {', '.join(FLOOR_SEGMENTERS)}, {args.workers} processes …",
            flush=True,
        )
        floor_load = os.getloadavg()
        floors: dict[str, dict[str, Any] | None] = {}
        for segmenter in FLOOR_SEGMENTERS:
            try:
                floors[segmenter] = measure_floor(paths, args.workers, segmenter)
            except ImportError:  # a segmenter beside the reference that is not installed
                floors[segmenter] = None
        floor = floors["jieba"]
        against_floor(result, floor)
        result.update(
            {
                "floor": floor,
                "floor_jieba_fast": floors["jieba_fast"],
                "floor_rjieba": floors["rjieba"],
                "floor_loadavg": [round(x, 2) for x in floor_load],
                "rescan": rescan,
                "segmenter_identity": segmenter_identity(paths),
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": _commit(),
            }
        )
        RESULTS.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        write_table()
        print(json.dumps(result["end_to_end"]), f"peak {result['peak_rss_mb']} MB", flush=True)


@lru_cache(maxsize=1)
def _commit() -> str:
    """HEAD when first asked, which `main` does before any work: the code this process imported, even if a
    commit lands while a long run is under way."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | int):
        return f"{value:,.{digits}f}"
    return str(value)


def _per_text(result: dict[str, Any]) -> str:
    """Warehouse MB per MB of its text's UTF-8 (issue 22: at most 4 on SQLite, 5 on PostgreSQL); — if not recorded."""
    text_mb = result.get("text_mb")
    return f"{result['warehouse_mb'] / text_mb:.1f}" if text_mb else "—"


def write_table() -> None:
    """docs/benchmarks.md from every saved result."""
    results = sorted(
        (json.loads(p.read_text()) for p in RESULTS.glob("*.json") if not p.name.startswith("rerun-")),
        key=lambda r: (r["size"], r["database"]),
    )
    full_reruns = sorted(
        (json.loads(p.read_text()) for p in RESULTS.glob("rerun-*.json")), key=lambda r: (r["size"], r["database"])
    )
    lines = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run.py` from `benchmarks/results/*.json`; do not edit by hand. Generated corpus "
        "(`fqa synth`), 2-core machine shared with other work: the load average is recorded with every figure.",
        "",
        "## End to end against the floor",
        "",
        "Floor: decode + OpenCC t2s + one jieba 0.42.1 cut per article, same files, same number of processes, "
        "same run. Ratio = floor time / build time (1.0 = as fast as the bare NLP). The jieba_fast and jieba-rs "
        "(rjieba) floors are the same pass with that segmenter, beside it; the ratio stays the jieba one.",
        "",
        "| articles | db | built | workers | build s | articles/s | chars/s | floor chars/s (jieba) | ratio | "
        "floor chars/s (jieba_fast) | ratio vs jieba_fast | floor chars/s (jieba-rs) | ratio vs jieba-rs | "
        "peak memory MB (PSS) | warehouse MB | "
        "warehouse MB per MB of text | unchanged re-run s | search p50 / p95 ms | load avg (floor; build max) | code |",
        "|" + "---|" * 20,
    ]
    for r in results:
        e2e, floor, fast, rs = r["end_to_end"], r["floor"], r.get("floor_jieba_fast"), r.get("floor_rjieba")
        fast_ratio = fast["seconds"] / e2e["seconds"] if fast else None
        rs_ratio = rs["seconds"] / e2e["seconds"] if rs else None
        search = r["search"]
        search_cell = (
            f"{search['p50_ms']} / {search['p95_ms']}"
            if "p50_ms" in search
            else search.get("note", "see docs/search.md")
        )
        built = f"{r['files_built']:,}" + (" (resumed)" if r.get("resumed") else "")
        if not r.get("complete", True):
            built += " (partial: time budget)"
        lines.append(
            f"| {r['size']:,} | {r['database']} | {built} | {r['workers']} | {_fmt(e2e['seconds'], 1)} | "
            f"{_fmt(e2e['articles_per_s'], 1)} | {_fmt(e2e['chars_per_s'])} | {_fmt(floor['chars_per_s'])} | "
            f"**{e2e['ratio_to_floor']:.3f}** | {_fmt(fast['chars_per_s']) if fast else '—'} | "
            f"{_fmt(fast_ratio, 3)} | {_fmt(rs['chars_per_s']) if rs else '—'} | {_fmt(rs_ratio, 3)} | "
            f"{r['peak_rss_mb']:,} | {r['warehouse_mb']} | {_per_text(r)} | "
            f"{r['rerun_seconds']} | "
            f"{search_cell} | {r['floor_loadavg'][0]:.2f}; {_fmt(r['loadavg_max_during'], 2)} | "
            f"{r.get('commit', '—')} |"
        )
    lines += [
        "",
        "## Per stage",
        "",
        "Seconds summed over the batches (from each asset's `seconds` metadata), the same in floors (stage seconds "
        "over the jieba floor's seconds, so 1.0 floors costs one bare jieba pass); articles/s and characters/s over "
        "the same files.",
        "",
        "| articles | db | " + " | ".join(s.replace("_articles", "") for s in STAGES) + " |",
        "|---|---|" + "---|" * len(STAGES),
    ]
    for r in results:
        cells = []
        for stage in STAGES:
            s = r["stages"].get(stage)
            floors = s["seconds"] / r["floor"]["seconds"] if r["floor"]["seconds"] else None
            cells.append(
                f"{s['seconds']:,.1f} s · {_fmt(floors, 2)} floors · {_fmt(s['articles_per_s'], 1)} art/s · "
                f"{_fmt(s['chars_per_s'])} ch/s"
                if s
                else "—"
            )
        lines.append(f"| {r['size']:,} | {r['database']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Unchanged re-run",
        "",
        "An unchanged re-run plans first (scan and hash every file; unchanged files go to ONE batch), then runs "
        "that batch through Dagster, whose read stage checks each file's hash in the calling process and skips "
        "it. *rescan* is the first part timed over the whole corpus of that size; *re-run* is the whole thing over "
        "the files that were built.",
        "",
        "| articles | db | files rescanned | rescan s | files re-run | re-run s (all unchanged) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        rescan = r.get("rescan") or {}
        lines.append(
            f"| {r['size']:,} | {r['database']} | {_fmt(rescan.get('files'))} | {_fmt(rescan.get('seconds'), 2)} | "
            f"{r['rerun_unchanged']:,} | {r['rerun_seconds']} |"
        )
    if full_reruns:
        lines += [
            "",
            "At full size (`benchmarks/rerun_bench.py`): every file of the corpus recorded as loaded, with its real "
            "hash, in a fresh warehouse, then `fqa build` over the whole corpus, timed end to end. Target: under "
            "30 s at 100,000.",
            "",
            "| articles | db | re-run s (all unchanged) | read stage s | load step s | load avg | commit |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in full_reruns:
            stages = r["stage_seconds"]
            lines.append(
                f"| {r['size']:,} | {r['database']} | **{r['seconds']}** | {stages.get('raw_articles')} | "
                f"{stages.get('warehouse_articles')} | {r['loadavg'][0]:.2f} | {r['commit']} |"
            )
    lines += [
        "",
        "## jieba vs jieba_fast vs jieba-rs",
        "",
        "Identity is against jieba 0.42.1 on the first 300 files: whole plain articles cut with HMM off, and each "
        "sentence's filtered tokens with the domain dictionary and HMM on. *pipeline* is `segment.tokenizer()`: "
        "jieba-rs's dictionary route with jieba's own HMM, what the segment and extract stages run.",
        "",
        "| articles | segmenter | floor s | floor chars/s | articles identical (HMM off) | "
        "sentences identical (pipeline tokens, HMM on) |",
        "|---|---|---|---|---|---|",
    ]
    latest: dict[int, dict[str, Any]] = {}  # per size, the most recent run: it has every segmenter measured so far
    for r in results:
        if r["size"] not in latest or r.get("at", "") > latest[r["size"]].get("at", ""):
            latest[r["size"]] = r
    for r in latest.values():
        identity = _identity_by_segmenter(r.get("segmenter_identity"))
        floors = {"jieba": r["floor"], "jieba_fast": r.get("floor_jieba_fast"), "rjieba": r.get("floor_rjieba")}
        for name in (*floors, "pipeline"):
            floor, ident = floors.get(name), identity.get(name)
            if name != "jieba" and not ident and not floor:
                continue
            same = same_on = "reference" if name == "jieba" else "—"
            if ident and ident.get("articles"):
                same = f"{ident['articles'] - ident['articles_differ_hmm_off']:,} of {ident['articles']:,}"
            if ident:
                same_on = f"{ident['sentences'] - ident['sentences_differ_hmm_on']:,} of {ident['sentences']:,}"
            lines.append(
                f"| {r['size']:,} | {name} | {floor['seconds'] if floor else '—'} | "
                f"{_fmt(floor['chars_per_s']) if floor else '—'} | {same} | {same_on} |"
            )
    lines += ["", "Storage figures (issue 22) are kept in [storage.md](storage.md)."]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(lines) + "\n")


def _identity_by_segmenter(identity: dict[str, Any] | None) -> dict[str, dict[str, int]]:
    """`segmenter_identity` by segmenter; results saved before jieba-rs hold jieba_fast's counts at the top level."""
    if not identity:
        return {}
    if "articles" in identity:
        return {"jieba_fast": identity}
    return identity


def main() -> None:
    _commit()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite"])
    parser.add_argument("--workers", type=int, default=parallel.worker_count())
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpus, warehouses, Dagster storage")
    parser.add_argument("--pg-admin", default=os.environ.get("FQA_TEST_PG_URL", DEFAULT_PG))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="measure again what results/ already holds")
    parser.add_argument("--table-only", action="store_true", help="only rewrite docs/benchmarks.md")
    parser.add_argument(
        "--budget-minutes",
        type=float,
        help="per size and database: stop building between batches after this long (resume later by re-running)",
    )
    args = parser.parse_args()
    if args.table_only:
        write_table()
        print(f"wrote {DOC}")
        return
    os.environ[synth.ALLOW_ENV] = "1"  # a benchmark warehouse: generated articles are expected here
    os.environ[parallel.WORKERS_ENV] = str(args.workers)
    for size in args.sizes:
        bench_size(size, args)
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
