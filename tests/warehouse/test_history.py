"""Updates keep history: a changed version replaces the current one, the old one moves to article_version,
and `fqa changes --since` lists per station what is new or changed. Both databases."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import SEEDS, seed_text
from tests.ingest_fixtures import load, process, processed_seeds
from warehouse.db import get_engine
from warehouse.history import ArticleChange, ArticleVersion, changes_since, versions_of
from warehouse.schema import Article, Sentence, SourceFile, Station, StationArticle, Statistic

runner = CliRunner()
URL = "http://www.example.gov.cn/jwzx/2024/0301/c12.html"


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table).where(*where))


def _with_source(publisher: str, edit: tuple[str, str] | None = None) -> str:
    """Seed 000 with its publisher line changed and an original-URL line added."""
    text = seed_text("000").replace("来源:中国长安网 作者:佚名", f"来源:{publisher} 作者:佚名\n\n原文链接:{URL}", 1)
    if edit:
        assert edit[0] in text
        text = text.replace(edit[0], edit[1], 1)
    return text


def test_a_changed_file_replaces_its_article_and_keeps_the_old_version(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    path = tmp_path / "000.txt"
    shutil.copy(SEEDS["000"], path)
    first = load(engine, process([path]), batch_key="b1")
    old_id = first.new[0]
    old_stats = _count(engine, Statistic, Statistic.article_id == old_id)
    assert old_stats > 0

    path.write_text(seed_text("000").replace("常住人口3.6万余人", "常住人口3.8万余人"), encoding="utf-8")
    second = load(engine, process([path]), batch_key="b2")
    outcome = second.outcomes[str(path)]
    assert (outcome.kind, outcome.detail) == ("updated", old_id)
    new_id = outcome.article_id
    assert new_id != old_id
    with engine.connect() as conn:
        assert conn.scalars(select(Article.id)).all() == [new_id]  # only the current version is an article
        old = conn.execute(select(ArticleVersion).where(ArticleVersion.article_id == old_id)).one()
        first_seen = conn.scalar(select(Article.first_ingested).where(Article.id == new_id))
        file_row = conn.execute(select(SourceFile).where(SourceFile.path == str(path))).one()
    assert "3.6万余人" in old.clean_text and old.replaced_by == new_id and old.batch_key == "b2"
    assert first_seen == old.first_ingested  # the report was first seen with its first version
    assert file_row.article_id == new_id
    for table in (Sentence, Statistic, StationArticle):  # the old version's rows are gone, not double-counted
        assert _count(engine, table, table.article_id == old_id) == 0
    assert _count(engine, Statistic, Statistic.article_id == new_id) == old_stats
    assert [v["id"] for v in versions_of(engine, new_id)] == [old_id]

    again = load(engine, process([path]), batch_key="b3")  # the same bytes again change nothing
    assert again.outcomes[str(path)].kind == "unchanged"
    assert _count(engine, ArticleVersion) == 1


def test_same_url_and_publisher_is_an_update_but_a_reprint_quoting_the_url_is_not(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    files = {
        "first": (tmp_path / "a.txt", _with_source("中国长安网")),
        "changed": (tmp_path / "b.txt", _with_source("中国长安网", ("荣立集体二等功4次", "荣立集体二等功5次"))),
        "quoting": (tmp_path / "c.txt", _with_source("广西法治日报")),
    }
    for path, text in files.values():
        path.write_text(text, encoding="utf-8")
    first = load(engine, process([files["first"][0]]))
    changed = load(engine, process([files["changed"][0]]))
    assert [o.kind for o in changed.outcomes.values()] == ["updated"]
    quoting = load(engine, process([files["quoting"][0]]))
    [outcome] = quoting.outcomes.values()
    assert outcome.kind == "reprint" and outcome.detail == changed.new[0]
    with engine.connect() as conn:
        assert set(conn.scalars(select(Article.id))) == {changed.new[0], quoting.new[0]}
        assert first.new[0] in set(conn.scalars(select(ArticleVersion.article_id)))


def test_changes_since_lists_per_station_what_is_new_or_changed(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    load(engine, processed_seeds(), batch_key="seeds")
    with engine.begin() as conn:  # pretend the seeds came in last year
        conn.execute(ArticleChange.__table__.update().values(at=dt.datetime(2025, 1, 1)))
    path = tmp_path / "001.txt"
    path.write_text(seed_text("001"), encoding="utf-8")  # another file with the same text: nothing new
    load(engine, process([path]))
    shutil.copy(SEEDS["002"], path)
    path.write_text(seed_text("002").replace("共有15个村", "共有16个村"), encoding="utf-8")
    load(engine, process([path]), batch_key="update")  # a different article's text at a known path: updated

    since = changes_since(engine, dt.datetime(2026, 1, 1))
    assert since and all(c.kind == "updated" for g in since for c in g.changes)
    stations = {g.station for g in since}
    with engine.connect() as conn:
        expected = set(
            conn.scalars(
                select(Station.name).join(StationArticle).join(Article).where(Article.source_file == str(path))
            )
        )
    assert stations == expected and "睦洲派出所" in stations
    everything = changes_since(engine)
    kinds = {c.kind for g in everything for c in g.changes}
    assert kinds == {"new", "updated"}
    assert len({c.article_id for g in everything for c in g.changes}) == 5  # the replaced version is not listed

    listed = runner.invoke(app, ["changes", "--since", "2026-01-01", "--db", db_url, "--json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    assert {g["station"] for g in data} == expected
    assert all(c["kind"] == "updated" and c["previous_id"] for g in data for c in g["changes"])
    table = runner.invoke(app, ["changes", "--since", "2026-01-01", "--db", db_url])
    assert "睦洲派出所" in table.output and "updated" in table.output


@pytest.mark.parametrize("since", ["yesterday", "2024-13-45"])
def test_changes_rejects_a_bad_date_in_one_line(tmp_path: Path, since: str):
    result = runner.invoke(app, ["changes", "--since", since, "--db", f"sqlite:///{tmp_path / 'w.db'}"])
    assert result.exit_code == 1
    assert f"--since {since!r}: not a date" in result.output and "Traceback" not in result.output


def test_a_batch_that_replaces_an_article_it_loaded_itself_leaves_the_search_index_whole(
    db_url: str, tmp_path: Path
):
    """The load indexes its sentences in one statement at the end (warehouse.fts.BatchSentenceIndex); a version
    replaced within the same batch must be indexed before its sentences are deleted from the index."""
    from warehouse.archive import Archive

    engine = get_engine(db_url)
    first, changed = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(_with_source("中国长安网", ("荣立集体二等功4次", "荣立集体二等功7次")), encoding="utf-8")
    changed.write_text(_with_source("中国长安网", ("荣立集体二等功4次", "荣立集体二等功5次")), encoding="utf-8")
    result = load(engine, process([first, changed]))
    assert sorted(o.kind for o in result.outcomes.values()) == ["new", "updated"]
    current = result.outcomes[str(changed)].article_id
    archive = Archive(db_url)
    assert [h.article_id for h in archive.search('"集体二等功5次"').hits] == [current]
    assert archive.search('"集体二等功7次"').hits == []
    assert {h.article_id for h in archive.search("派出所").hits} == {current}
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # FTS5 checks its index against the sentence table
            conn.exec_driver_sql("INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('integrity-check', 1)")
