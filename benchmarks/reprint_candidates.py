"""Reprint candidates per article as the warehouse grows (issue 19, item 2b).

The load asks the warehouse, for every new article, which stored fingerprints share an LSH band with it
(`warehouse.reprint_clusters.WarehouseReprintIndex.matches`) and checks each candidate's signature. This script
replays exactly those lookups, article after article, against a SQLite warehouse holding only the fingerprint
tables, so it runs in seconds where a build takes minutes:

* fingerprints of generated articles (`pipelines/batch/synth.py`, read → clean → simplify → fingerprint as the
  build does), cached under --work;
* planted reprints: every 50th article is followed by a copy of an earlier one with a new headline, publisher
  block and some of its sentences dropped or rewritten, at Jaccard similarities from about 0.5 to 0.95; the
  script reports how many of them each scheme finds;
* candidates per article (fetched by the band query) and seconds per article, over the last 1,000 articles at
  each warehouse size, for the warehouse's band scheme and for the one it replaced.

Usage (repo root):
    .venv/bin/python benchmarks/reprint_candidates.py --sizes 2000 10000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from pipelines.batch import synth  # noqa: E402
from pipelines.text.reprints import Fingerprint, fingerprint  # noqa: E402

DEFAULT_WORK = REPO / ".bench"
PLANT_EVERY = 50
WINDOW = 1000  # articles whose lookups are timed at each size: the last ones before it


def _print_of(path: str) -> tuple[bytes, int]:
    from pipelines.batch.stages import simplify_article
    from pipelines.text.clean import clean_article
    from pipelines.text.read import read_article

    simplified = simplify_article(clean_article(read_article(path)))
    print_ = fingerprint(simplified.simplified.simplified)
    return print_.signature, print_.shingle_count


def _text_of(path: str) -> str:
    from pipelines.batch.stages import simplify_article
    from pipelines.text.clean import clean_article
    from pipelines.text.read import read_article

    return simplify_article(clean_article(read_article(path))).simplified.simplified


def generated_prints(size: int, work: Path, seed: int = 0) -> list[Fingerprint]:
    """Fingerprints of generated articles 0..size-1, as the build computes them (cached)."""
    cache = work / f"reprint-prints-{seed}.npz"
    have: list[Fingerprint] = []
    if cache.is_file():
        data = np.load(cache)
        have = [Fingerprint(sig.tobytes(), int(n)) for sig, n in zip(data["signatures"], data["counts"], strict=True)]
    if len(have) >= size:
        return have[:size]
    root = work / "corpus"
    material = synth.load_material([REPO / "corpus"])
    for _ in synth.write_corpus(material, size, root, seed):
        pass
    paths = [str(root / synth.file_name(i, seed)) for i in range(len(have), size)]
    os.environ[synth.ALLOW_ENV] = "1"
    with ProcessPoolExecutor(2) as pool:
        for sig, n in pool.map(_print_of, paths, chunksize=50):
            have.append(Fingerprint(sig, n))
    np.savez(
        cache,
        signatures=np.array([np.frombuffer(p.signature, dtype=np.uint32) for p in have]),
        counts=np.array([p.shingle_count for p in have]),
    )
    return have


def reprint_of(text: str, rng: random.Random, keep: float) -> str:
    """A reprint of `text`: a new headline and publisher block, `1 - keep` of its sentences dropped or altered."""
    sentences = [s for s in text.replace("。", "。\n").splitlines() if s.strip()]
    out = []
    for sentence in sentences:
        roll = rng.random()
        if roll < keep:
            out.append(sentence)
        elif roll < keep + (1 - keep) / 2:
            out.append(sentence[: len(sentence) // 2] + "（编辑注）" + sentence[len(sentence) // 2 :][::-1])
    return "\n".join(["转载：新标题一则", "来源：某地晚报 编辑：某某", *out, "（责任编辑：佚名）"])


def planted(size: int, work: Path, seed: int = 0) -> list[tuple[int, Fingerprint]]:
    """(index of the original, fingerprint of its reprint) for every PLANT_EVERY-th article below `size`."""
    rng = random.Random(f"reprints:{seed}")
    root = work / "corpus"
    os.environ[synth.ALLOW_ENV] = "1"
    out = []
    for at in range(PLANT_EVERY, size, PLANT_EVERY):
        original = rng.randrange(at)
        keep = rng.uniform(0.45, 0.97)
        copy = reprint_of(_text_of(str(root / synth.file_name(original, seed))), rng, keep)
        out.append((original, fingerprint(copy)))
    return out


def replay(prints: list[Fingerprint], plants: list[tuple[int, Fingerprint]], sizes: list[int], scheme: str) -> dict:
    """Load the fingerprints one after another as the load does; per size, candidates and seconds per article."""
    from sqlalchemy import event

    from warehouse import reprint_clusters as rc

    engine = create_engine("sqlite://")
    event.listen(engine, "connect", lambda dbapi, _r: dbapi.execute("PRAGMA foreign_keys=OFF"))
    with engine.begin() as conn:  # the articles as the band queries read them: integer key → public id
        conn.exec_driver_sql('CREATE TABLE article ("key" INTEGER PRIMARY KEY, id VARCHAR(32) NOT NULL UNIQUE)')
    rc.ArticleFingerprint.__table__.create(engine)
    rc.FingerprintBand.__table__.create(engine)
    by_at = {
        at: (original, print_)
        for at, (original, print_) in zip(range(PLANT_EVERY, 10**9, PLANT_EVERY), plants, strict=False)
    }
    results: dict = {"scheme": scheme, "sizes": {}, "planted": 0, "found": 0, "missed": []}
    with engine.begin() as conn:
        index = rc.WarehouseReprintIndex(conn, scheme=scheme)
        window_start = {size: max(0, size - WINDOW) for size in sizes}
        seconds = 0.0
        candidates = 0
        for i, print_ in enumerate(prints[: max(sizes)]):
            if i in window_start.values():
                seconds, candidates = 0.0, 0
            if i in by_at:
                original, copy = by_at[i]
                found = [key for key, _ in index.matches(copy)]
                results["planted"] += 1
                similarity = copy.similarity(prints[original])
                if f"a{original}" in found:
                    results["found"] += 1
                elif similarity >= 0.5:
                    results["missed"].append((original, round(similarity, 3)))
            key = f"a{i}"
            conn.exec_driver_sql('INSERT INTO article ("key", id) VALUES (?, ?)', (i + 1, key))
            rc.save_fingerprint(conn, key, print_, article_key=i + 1)
            before = index.candidates_fetched
            start = time.perf_counter()
            index.matches(print_)
            seconds += time.perf_counter() - start
            candidates += index.candidates_fetched - before
            index.add(key, print_, article_key=i + 1)
            if i + 1 in sizes:
                n = i + 1 - window_start[i + 1]
                results["sizes"][i + 1] = {
                    "candidates per article": round(candidates / n, 2),
                    "ms per article": round(1000 * seconds / n, 3),
                }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--schemes", nargs="+", default=None, help="band schemes (default: all known)")
    args = parser.parse_args()
    from warehouse import reprint_clusters as rc

    args.work.mkdir(parents=True, exist_ok=True)
    sizes = sorted(args.sizes)
    prints = generated_prints(max(sizes), args.work, args.seed)
    plants = planted(max(sizes), args.work, args.seed)
    true = sum(1 for original, copy in plants if copy.similarity(prints[original]) >= 0.5)
    print(f"{len(prints)} generated articles, {len(plants)} planted reprints ({true} at estimated Jaccard >= 0.5)")
    for scheme in args.schemes or list(rc.BAND_SCHEMES):
        out = replay(prints, plants, sizes, scheme)
        for size, figures in out["sizes"].items():
            print(
                f"{scheme:>10} {size:>7,}: {figures['candidates per article']:>8} candidates/article, "
                f"{figures['ms per article']:>7} ms/article"
            )
        print(
            f"{scheme:>10} planted reprints found: {out['found']} of {out['planted']}; "
            f"missed at Jaccard >= 0.5: {out['missed']}"
        )


if __name__ == "__main__":
    main()
