"""The five seeds (plus, on request, a reprint of seed 002) loaded into a test warehouse for the search, archive,
CLI and hostile-query tests. The NLP runs once per test session; loading runs per database."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, MetaData, select, update

from pipelines.batch.stages import extract_batch, process_files
from tests.conftest import SEEDS
from warehouse.db import get_engine
from warehouse.load import load_batch
from warehouse.schema import Article

REPRINT_PUBLISHER = "转载日报"


@cache
def _processed(tmp_dir: str, with_reprint: bool) -> tuple:
    files = sorted(SEEDS.values())
    if with_reprint:
        # The same report as seed 002, published again elsewhere: a different byline, the same body.
        original = SEEDS["002"].read_text(encoding="utf-8")
        reprint = Path(tmp_dir) / "zz_reprint_of_002.txt"
        copy, replaced = re.subn(
            r"中国人民公安大学出版社\s+2023/3/9 10:31:38",
            f"来源:{REPRINT_PUBLISHER}  2023/3/10 08:00:00",
            original,
            count=1,
        )
        assert replaced == 1
        copy = copy.rstrip() + f"\n\n{REPRINT_PUBLISHER}记者对此进行了跟踪报道。\n"
        reprint.write_text(copy, encoding="utf-8")
        files.append(reprint)
    read, cleaned, segmented = process_files(files)
    assert not read.rejections and not cleaned.rejections, (read.rejections, cleaned.rejections)
    extractions = {e.article_id: e for e in extract_batch(segmented)}
    return segmented, extractions


def load_seeds(db_url: str, tmp_dir: Path, with_reprint: bool = False) -> Engine:
    """Load the seeds; with_reprint adds a copy of seed 002 and makes sure both are one reprint cluster."""
    segmented, extractions = _processed(str(tmp_dir), with_reprint)
    engine = get_engine(db_url)
    load_batch(engine, segmented, batch_key="research-tests", extractions=extractions)
    if with_reprint:
        with engine.begin() as conn:
            rows = conn.execute(select(Article.id, Article.source_file)).all()
            original = next(r.id for r in rows if "002_" in r.source_file)
            copy = next(r.id for r in rows if "zz_reprint" in r.source_file)
            conn.execute(update(Article).where(Article.id.in_([original, copy])).values(reprint_cluster=original))
    return engine


def snapshot(engine: Engine) -> str:
    """A digest of every row of every table: equal digests mean an unchanged database."""
    digest = hashlib.sha256()
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        for name in sorted(meta.tables):
            if name == "sentence_fts":
                # the FTS5 table itself holds no content (contentless); its shadow tables, the index, are compared
                continue
            table = meta.tables[name]
            rows = conn.execute(select(table)).all()
            digest.update(name.encode())
            for row in sorted(repr(tuple(row)) for row in rows):
                digest.update(row.encode())
    return digest.hexdigest()


def seeded_url_fixture(request, tmp_path_factory, with_reprint: bool = False):  # noqa: ANN001, ANN201
    """Body of a module-scoped fixture: one seeded warehouse per database for the read-only tests of a module.

    Same two databases as conftest's `db_url` (a SQLite file, a fresh PostgreSQL database), built once per
    module instead of once per test, because loading the seeds is what the time goes on.
    """
    from tests.conftest import _fresh_pg_database

    tmp = tmp_path_factory.mktemp("research")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'warehouse.db'}"
        load_seeds(url, tmp, with_reprint)
        yield url
        get_engine.cache_clear()
        return
    admin_url = request.getfixturevalue("pg_server")
    for url in _fresh_pg_database(admin_url):
        load_seeds(url, tmp, with_reprint)
        yield url
