"""One file the database refuses is taken out of its batch and quarantined; the rest of the batch loads."""

import shutil
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from pipelines.batch.load_retry import load_isolating_failures
from pipelines.batch.quarantine import quarantine_files
from pipelines.text.articles import SegmentedArticle
from tests.conftest import SEEDS
from tests.ingest_fixtures import process
from warehouse.db import get_engine
from warehouse.quarantine_log import quarantined
from warehouse.schema import Article, SourceFile


def _with_raw_text(item: SegmentedArticle, text: str) -> SegmentedArticle:
    """`item` as if its file had decoded to `text` (the loader stores the raw text with the article)."""
    clean = replace(item.article.clean, raw=replace(item.article.clean.raw, text=text))
    return replace(item, article=replace(item.article, clean=clean))


def test_a_refused_file_is_quarantined_with_the_database_reason_and_the_rest_loads(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    drop = tmp_path / "incoming"
    drop.mkdir()
    for path in SEEDS.values():
        shutil.copy(path, drop / path.name)
    segmented, extractions, rejections = process(sorted(drop.iterdir()))
    assert len(segmented) >= 3 and not rejections
    # A lone surrogate no driver can encode (SQLite and PostgreSQL alike); on PostgreSQL a NUL in the clean text
    # as well, which SQLite stores but PostgreSQL refuses (the raw text reaches the database compressed, as
    # bytes: `warehouse/stored_text.py`). Both stand for "the database refused this one file".
    bad = {0: segmented[0].article.clean.raw.text + "\ud800"}
    batch = [_with_raw_text(item, bad[i]) if i in bad else item for i, item in enumerate(segmented)]
    if engine.dialect.name == "postgresql":
        item = batch[2]
        clean = replace(item.article.clean, text="\x00" + item.article.clean.text)
        batch[2] = replace(item, article=replace(item.article, clean=clean))
        bad[2] = ""
    bad_paths = {segmented[i].article.clean.raw.path for i in bad}

    result, all_rejections = load_isolating_failures(engine, batch, rejections, "b1", extractions)

    good = [item for item in segmented if item.article.clean.raw.path not in bad_paths]
    assert {o.kind for p, o in result.outcomes.items() if p not in bad_paths} == {"new"}
    assert {p for p, o in result.outcomes.items() if o.kind == "rejected"} == bad_paths
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(Article.id))) == sorted(item.id for item in good)  # each good one once
        statuses = dict(conn.execute(select(SourceFile.path, SourceFile.status)).all())
    assert {p for p, s in statuses.items() if s == "rejected"} == bad_paths
    reasons = {row["path"]: row["reason"] for row in quarantined(engine, "b1")}
    assert set(reasons) == bad_paths
    assert "surrogates not allowed" in reasons[segmented[0].article.clean.raw.path]
    if engine.dialect.name == "postgresql":
        assert "NUL" in reasons[segmented[2].article.clean.raw.path]
    assert all(r.startswith("refused by the database: ") for r in reasons.values())

    moved = quarantine_files(engine, [r for r in all_rejections if r.path in bad_paths], tmp_path / "q", "b1")
    assert all(m.moved_to and Path(m.moved_to).is_file() for m in moved)
    assert not any(Path(p).exists() for p in bad_paths)

    # A re-run of the same batch does not fail and loads nothing twice.
    again, _ = load_isolating_failures(engine, batch, rejections, "b2", extractions)
    assert {o.kind for p, o in again.outcomes.items() if p not in bad_paths} == {"unchanged"}
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Article)) == len(good)
