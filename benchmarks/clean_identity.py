"""Proof that a change to the clean stage leaves its output byte-identical, and what the stage costs.

Runs `clean_article` over every supported file of the given folders (default: corpus/, tests/heldout/,
tests/annotated/dev/ and, when given with --generated, a folder written by `fqa synth` / benchmarks/run.py) and
writes one line per file: the path and a SHA-256 of every output field (text, both offset arrays, metadata,
repair report, captions, source text), or the rejection code. Run it at two commits and compare the digest
files: equal files mean equal output. It also reports the stage's CPU seconds in this one process (files read
and decoded beforehand, in the state of a pool worker: resources loaded by `pipelines.batch.worker_preload`,
the collector frozen), and, with --floor, the bare decode + OpenCC + jieba pass over the same files in the same
process, so the stage can be given in floors as docs/benchmarks.md does. The first pass pays what a worker
pays once (dateparser's patterns for the first HTML page); later passes (--repeat) are the steady state.

    FQA_ALLOW_SYNTHETIC=1 python benchmarks/clean_identity.py --generated /tmp/gen --out digests.txt --floor
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.text.clean import CleanArticle, CleanError, clean_article  # noqa: E402
from pipelines.text.read import IngestError, RawArticle, discover_files, read_article  # noqa: E402

DEFAULT_ROOTS = ("corpus", "tests/heldout", "tests/annotated/dev")


def digest(article: CleanArticle) -> str:
    """One hash over every field the clean stage produces."""
    h = hashlib.sha256()
    for part in (
        article.id,
        article.text,
        article.source_text,
        repr(sorted(vars(article.meta).items())),
        repr(article.repairs),
        repr(article.captions),
        str(article.to_raw.source_length),
    ):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    h.update(article.to_raw.starts.tobytes())
    h.update(b"\x00")
    h.update(article.to_raw.ends.tobytes())
    return h.hexdigest()


def load(roots: list[Path]) -> list[RawArticle]:
    raws = []
    for path in discover_files(roots):
        try:
            raws.append(read_article(path))
        except (IngestError, OSError):
            continue  # not the clean stage's business
    return raws


def clean_all(raws: list[RawArticle]) -> list[str]:
    lines = []
    for raw in raws:
        rel = os.path.relpath(raw.path, REPO) if raw.path.startswith(str(REPO)) else raw.path
        try:
            lines.append(f"{rel}\t{digest(clean_article(raw))}")
        except CleanError as exc:
            lines.append(f"{rel}\trejected:{exc.code}:{exc.reason}")
    return lines


def floor_seconds(raws: list[RawArticle]) -> float:
    """The floor of benchmarks/run.py (decode, OpenCC t2s, one jieba cut) over the same files, CPU seconds."""
    import jieba
    import opencc

    sys.path.insert(0, str(REPO / "benchmarks"))
    from run import _decode  # the floor's own decode

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    converter = opencc.OpenCC("t2s")
    datas = [Path(r.path).read_bytes() for r in raws]
    started = time.process_time()
    for data in datas:
        tokenizer.lcut(converter.convert(_decode(data)))
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("roots", nargs="*", type=Path, help="folders to clean (default: the repo's own sets)")
    parser.add_argument("--generated", type=Path, action="append", default=[], help="a generated corpus folder")
    parser.add_argument("--out", type=Path, required=True, help="where to write the digests")
    parser.add_argument("--floor", action="store_true", help="also time the bare jieba floor on the same files")
    parser.add_argument("--repeat", type=int, default=1, help="time the stage this many times, report the best")
    args = parser.parse_args()
    os.environ.setdefault("FQA_ALLOW_SYNTHETIC", "1")
    roots = args.roots or [REPO / r for r in DEFAULT_ROOTS]
    raws = load([*roots, *args.generated])
    generated = sum(1 for r in raws if any(r.path.startswith(str(g)) for g in args.generated))
    import pipelines.batch.worker_preload  # noqa: F401 - a pool worker's state: resources loaded, gc frozen

    times = []
    for _ in range(max(args.repeat, 1)):
        started = time.process_time()
        lines = clean_all(raws)
        times.append(time.process_time() - started)
    best = min(times)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    chars = sum(len(r.text) for r in raws)
    print(f"{len(raws)} files ({generated} generated), {chars:,} characters; digests in {args.out}")
    print(f"clean stage: {best:.2f} CPU s (each pass: {', '.join(f'{t:.2f}' for t in times)})")
    if args.floor:
        floor = floor_seconds(raws)
        print(f"floor: {floor:.2f} CPU s; clean = {best / floor:.2f} floors")


if __name__ == "__main__":
    main()
