"""Re-extraction: every article records the extractor that read it, and `fqa reextract` brings the ones an
older extractor read up to the current one from what the warehouse stored. Both databases."""

from __future__ import annotations

import ast
import importlib.util
import shutil
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import delete, func, insert, select, update
from typer.testing import CliRunner

from pipelines.batch import synth
from pipelines.batch.reextract import reextract
from pipelines.cli import app
from pipelines.defs.reextract import ReextractConfig, reextract_job
from pipelines.defs.resources import WarehouseResource
from pipelines.extract import version as version_module
from pipelines.extract.article import extract_articles
from pipelines.extract.version import extractor_version
from tests.conftest import CORPUS, SEEDS, seed_text
from tests.ingest_fixtures import load, process, processed_seeds
from warehouse.db import get_engine
from warehouse.reextract import count_stale, replace_extractions, stale_article_ids, stored_articles
from warehouse.schema import (
    Article,
    ExtractionVersion,
    Practice,
    PracticeMention,
    Station,
    StationArticle,
    Statistic,
)

runner = CliRunner()
EXTRACTION_TABLES = (Station, StationArticle, Practice, PracticeMention, Statistic, ExtractionVersion)


def _extraction_content(engine) -> dict[str, list[tuple]]:
    """The extraction tables' rows without their surrogate ids and timestamps, station and practice ids
    replaced by their keys: equal only if the same things were extracted at the same places."""
    with engine.connect() as conn:
        station_key = dict(conn.execute(select(Station.id, Station.key)).all())
        practice_key = {row.id: (row.normalized, row.kind) for row in conn.execute(select(Practice))}
        content = {}
        for table in EXTRACTION_TABLES:
            rows = []
            for row in conn.execute(select(table)).mappings():
                values = {k: v for k, v in row.items() if k not in ("id", "extracted")}
                if "station_id" in values:
                    values["station_id"] = station_key.get(values["station_id"])
                if "practice_id" in values:
                    values["practice_id"] = practice_key[values["practice_id"]]
                rows.append(tuple(sorted((k, repr(v)) for k, v in values.items())))
            content[table.__tablename__] = sorted(rows)
    return content


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_every_loaded_article_records_the_extractor_that_read_it(db_url: str):
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    with engine.connect() as conn:
        versions = dict(conn.execute(select(ExtractionVersion.article_id, ExtractionVersion.version)).all())
        articles = set(conn.scalars(select(Article.id)))
    assert set(versions) == articles and set(versions.values()) == {extractor_version()}
    assert count_stale(engine, extractor_version()) == 0
    assert sorted(stale_article_ids(engine, "an older one")) == sorted(articles)


def _with_unrecoverable_mojibake(folder: Path) -> Path:
    """A generated article whose mojibake the cleaner could not recover (the seeds' all was)."""
    material = synth.load_material([CORPUS])
    for index in range(60):
        article = synth.generate(material, index)
        path = folder / Path(article.name).name
        path.write_bytes(article.data)
        segmented = process([path])[0]
        if segmented and segmented[0].article.clean.repairs.unrecoverable_spans:
            return path
        path.unlink()
    raise AssertionError("no generated article with unrecoverable mojibake among the first 60")


def test_stored_articles_extract_exactly_as_they_did_when_loaded(db_url: str, tmp_path: Path, monkeypatch):
    monkeypatch.setenv(synth.ALLOW_ENV, "1")
    engine = get_engine(db_url)
    segmented, extractions, _ = process([*sorted(SEEDS.values()), _with_unrecoverable_mojibake(tmp_path)])
    load(engine, (segmented, extractions, []))
    ids = [a.id for a in segmented]
    stored = stored_articles(engine, [*ids, "no such article"])
    assert [a.id for a in stored] == ids
    assert stored[-1].article.clean.repairs.unrecoverable_spans  # figures are never taken from inside them
    for original, again in zip(segmented, stored, strict=True):
        assert again.sentences == original.sentences
        assert again.article.simplified == original.article.simplified
        assert again.article.meta == original.article.meta
        assert again.article.clean.repairs == original.article.clean.repairs
    assert extract_articles(stored) == [extractions[i] for i in ids]


def test_reextract_replaces_an_older_extractors_rows_and_drops_what_only_they_named(db_url: str):
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    current = _extraction_content(engine)
    first, second = sorted(stale_article_ids(engine, "an older one"))[:2]
    with engine.begin() as conn:  # what an older extractor could have left: a false station and practice …
        first_key = conn.scalar(select(Article.key).where(Article.id == first))
        second_key = conn.scalar(select(Article.key).where(Article.id == second))
        conn.execute(update(ExtractionVersion).values(version="0123456789abcdef"))
        station = conn.execute(
            insert(Station).values(key="?/误识派出所", name="误识派出所", kind="station", aliases=[], honours=[])
            .returning(Station.id)
        ).scalar_one()
        practice = conn.execute(
            insert(Practice).values(normalized="误识做法", kind="practice", category="other").returning(Practice.id)
        ).scalar_one()
        conn.execute(insert(StationArticle).values(station_id=station, article_key=first_key))
        conn.execute(
            insert(PracticeMention).values(
                practice_id=practice, station_id=station, article_key=first_key, name="误识做法", category="other",
                start=0, end=4, original_start=0, original_end=4, sentence_start=0, sentence_end=3,
            )
        )
        conn.execute(delete(Statistic).where(Statistic.article_key == second_key))  # … and figures it missed
        conn.execute(delete(ExtractionVersion).where(ExtractionVersion.article_key == second_key))  # pre-versions
    assert _extraction_content(engine) != current
    assert count_stale(engine, extractor_version()) == 5

    summary = reextract(engine)
    assert (summary.due, summary.reextracted, summary.gone, summary.batches) == (5, 5, 0, 1)
    assert (summary.stations_dropped, summary.practices_dropped) == (1, 1)
    assert summary.after["statistics"] > summary.before["statistics"]
    assert _extraction_content(engine) == current  # exactly what the current extractor loads

    again = reextract(engine)  # nothing is due: nothing is touched
    assert (again.due, again.reextracted, again.batches) == (0, 0, 0)
    assert _extraction_content(engine) == current


def test_an_interrupted_reextraction_carries_on_where_it_stopped(db_url: str):
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    with engine.begin() as conn:
        conn.execute(update(ExtractionVersion).values(version="0123456789abcdef"))
    due = stale_article_ids(engine, extractor_version())
    assert reextract(engine, batch_size=2, limit=3).reextracted == 3
    assert stale_article_ids(engine, extractor_version()) == due[3:]
    rest = reextract(engine, batch_size=2)
    assert (rest.due, rest.reextracted, rest.batches) == (2, 2, 1)
    assert count_stale(engine, extractor_version()) == 0


def test_an_article_a_load_replaced_meanwhile_keeps_the_loads_extraction(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    path = tmp_path / "000.txt"
    shutil.copy(SEEDS["000"], path)
    old_id = load(engine, process([path])).new[0]
    read_before = stored_articles(engine, [old_id])
    path.write_text(seed_text("000").replace("常住人口3.6万余人", "常住人口3.8万余人"), encoding="utf-8")
    new_id = load(engine, process([path])).outcomes[str(path)].article_id
    loaded = _extraction_content(engine)

    replaced = replace_extractions(engine, extract_articles(read_before))
    assert replaced.articles == 0
    assert _extraction_content(engine) == loaded
    with engine.connect() as conn:
        assert conn.scalars(select(StationArticle.article_id).distinct()).all() == [new_id]


def test_a_replaced_version_takes_the_station_only_it_named_with_it(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    path = tmp_path / "000.txt"
    shutil.copy(SEEDS["000"], path)
    load(engine, process([path]))
    path.write_text(seed_text("000").replace("东兴边境派出所", "东兴口岸派出所"), encoding="utf-8")
    assert load(engine, process([path])).outcomes[str(path)].kind == "updated"
    with engine.connect() as conn:
        names = set(conn.scalars(select(Station.name)))
    assert "东兴口岸派出所" in names and "东兴边境派出所" not in names


def test_the_version_changes_with_the_extractors_code_and_data(monkeypatch):
    before = extractor_version()
    source = version_module._source

    def edited(module: str) -> bytes:
        return source(module) + (b"# edited\n" if module == "pipelines.extract.quantities" else b"")

    monkeypatch.setattr(version_module, "_source", edited)
    version_module.extractor_version.cache_clear()
    try:
        assert extractor_version() != before
        monkeypatch.setattr(version_module, "_source", source)
        monkeypatch.setattr(version_module, "category_model_version", lambda: "another-artifact")
        version_module.extractor_version.cache_clear()
        assert extractor_version() != before
    finally:
        monkeypatch.undo()
        version_module.extractor_version.cache_clear()
    assert extractor_version() == before


def _project_imports(module: str) -> set[str]:
    packages = ("pipelines", "models")
    tree = ast.parse(Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module in packages:  # from pipelines.batch import parallel
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name for name in names if name.split(".")[0] in packages and name not in packages}


def test_the_version_covers_every_project_module_the_extraction_stage_imports():
    reached, todo = set(), ["pipelines.extract.article"]
    while todo:
        module = todo.pop()
        if module not in reached:
            reached.add(module)
            todo.extend(_project_imports(module) - reached)
    classified = set(version_module.EXTRACTION_CODE) | set(version_module.NOT_EXTRACTION_CODE)
    assert reached - classified == set(), "classify these in pipelines/extract/version.py"
    assert not set(version_module.EXTRACTION_CODE) & set(version_module.NOT_EXTRACTION_CODE)


def test_reextract_job_runs_through_dagster(db_url: str):
    engine = get_engine(db_url)
    load(engine, processed_seeds())
    with engine.begin() as conn:
        conn.execute(delete(ExtractionVersion))
    with dg.instance_for_test() as instance:
        result = reextract_job.execute_in_process(
            instance=instance,
            resources={"warehouse": WarehouseResource(url=db_url)},
            run_config=dg.RunConfig(ops={"reextract_stale_articles": ReextractConfig(batch_size=2)}),
        )
    out = result.output_for_node("reextract_stale_articles")
    assert (out["due"], out["reextracted"]) == (5, 5)
    assert _count(engine, ExtractionVersion) == 5


def test_fqa_build_says_when_articles_are_due_and_fqa_reextract_brings_them_up_to_date(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS["002"], corpus / SEEDS["002"].name)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    built = runner.invoke(app, ["build", "--corpus", str(corpus), "--db", url])
    assert built.exit_code == 0, built.output
    assert "fqa reextract" not in built.output
    with get_engine(url).begin() as conn:
        conn.execute(update(ExtractionVersion).values(version="0123456789abcdef"))
    again = runner.invoke(app, ["build", "--corpus", str(corpus), "--db", url])
    assert "1 article extracted by an older extractor" in again.output

    dry = runner.invoke(app, ["reextract", "--db", url, "--dry-run"])
    assert dry.exit_code == 0 and "1 article due" in dry.output
    assert count_stale(get_engine(url), extractor_version()) == 1
    done = runner.invoke(app, ["reextract", "--db", url])
    assert done.exit_code == 0, done.output
    assert "1 of 1 article re-extracted" in done.output and "statistics" in done.output
    assert count_stale(get_engine(url), extractor_version()) == 0


@pytest.mark.parametrize("size", ["0", "-3"])
def test_fqa_reextract_rejects_a_bad_batch_size(size: str, tmp_path: Path):
    result = runner.invoke(app, ["reextract", "--db", f"sqlite:///{tmp_path / 'w.db'}", "--batch-size", size])
    assert result.exit_code != 0 and "--batch-size must be at least 1" in result.output
