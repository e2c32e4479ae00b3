"""End to end: `fqa build` through Dagster on SQLite and PostgreSQL, and a second build that changes nothing."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.defs.build import BuildError, build
from tests.conftest import REPO, SEEDS
from warehouse.db import get_engine
from warehouse.schema import Article, Sentence, SourceFile

runner = CliRunner()
GLOSS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in SEEDS.values():
        shutil.copy(path, folder / path.name)
    return folder


def _snapshot(url: str) -> list[tuple]:
    with get_engine(url).connect() as conn:
        articles = conn.execute(select(Article.id, Article.clean_text, Article.first_ingested)).all()
        sentences = conn.scalar(select(func.count()).select_from(Sentence))
    return sorted(articles) + [("sentences", sentences)]


def test_build_twice_on_both_databases(db_url: str, corpus: Path):
    with dg.instance_for_test() as instance:
        first = build([corpus], db_url, instance=instance)
        assert (first.files, first.new, first.unchanged, first.rejected) == (5, 5, 0, 0)
        assert first.repaired >= 2  # seeds 001 and 004 carry glosses and mojibake
        assert first.checks["no_pinyin_gloss"] and first.checks["no_traditional_chars"]
        snapshot = _snapshot(db_url)

        second = build([corpus], db_url, instance=instance)
        assert (second.files, second.new, second.unchanged, second.rejected) == (5, 0, 5, 0)
        assert _snapshot(db_url) == snapshot
        runs = instance.get_runs()
        assert len(runs) == 2 and all(run.is_success for run in runs)


def test_byte_identical_copy_under_another_name_is_recognised(tmp_path: Path, corpus: Path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    with dg.instance_for_test() as instance:
        build([corpus], url, instance=instance)
        shutil.copy(corpus / SEEDS["000"].name, corpus / "reposted-copy.txt")
        summary = build([corpus], url, instance=instance)
    assert (summary.new, summary.unchanged) == (0, 6)
    with get_engine(url).connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Article)) == 5
        ids = conn.execute(select(SourceFile.path, SourceFile.article_id)).all()
    by_name = {Path(p).name: a for p, a in ids}
    assert by_name["reposted-copy.txt"] == by_name[SEEDS["000"].name]


def test_rejected_files_do_not_stop_the_batch(tmp_path: Path, corpus: Path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    url = f"sqlite:///{tmp_path / 'w.db'}"
    with dg.instance_for_test() as instance:
        summary = build([corpus], url, instance=instance)
    assert (summary.new, summary.rejected) == (5, 2)
    assert any("empty.txt" in line and "empty" in line for line in summary.rejections)


def test_build_of_nothing_is_a_clear_error(tmp_path: Path):
    with pytest.raises(BuildError, match="no .txt"):
        build([tmp_path], f"sqlite:///{tmp_path / 'w.db'}")


def test_cli_build_then_show(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # no dagster.yaml here: the CLI uses an ephemeral instance
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--db", url])
    assert result.exit_code == 0, result.output
    assert re.search(r"│\s+5\s+│\s+5\s+│\s+0\s+│\s+0\s+│", result.output), result.output
    again = runner.invoke(app, ["build", "--corpus", str(corpus), "--db", url])
    assert re.search(r"│\s+5\s+│\s+0\s+│\s+5\s+│\s+0\s+│", again.output), again.output

    listing = runner.invoke(app, ["articles", "--db", url, "--json"])
    assert listing.exit_code == 0 and listing.output.count('"id"') == 5

    shown = runner.invoke(app, ["show", SEEDS["001"].name, "--db", url])
    assert shown.exit_code == 0, shown.output
    assert "玉洞派出所践行新时代“枫桥经验”纪实" in shown.output
    body = shown.output.split("simplified text", 1)[1]
    assert "良庆区" in body and "區" not in body
    assert "南寧市良慶區玉洞派出所" in shown.output  # the title as written is kept beside the Simplified one
    assert not GLOSS.search(shown.output)
    assert "glosses_removed" in shown.output


def test_cli_errors_are_one_line(tmp_path: Path):
    missing = runner.invoke(app, ["build", "--corpus", str(tmp_path / "nowhere"), "--db", "sqlite:///x.db"])
    assert missing.exit_code == 1
    assert "nowhere" in missing.output and "Traceback" not in missing.output
    bad_db = runner.invoke(app, ["articles", "--db", "mysql://u@h/d"])
    assert bad_db.exit_code == 1 and "unsupported database" in bad_db.output
    get_engine(f"sqlite:///{tmp_path / 'e.db'}")  # an empty warehouse: read commands refuse a missing one
    unknown = runner.invoke(app, ["show", "deadbeef", "--db", f"sqlite:///{tmp_path / 'e.db'}"])
    assert unknown.exit_code == 1 and "no article" in unknown.output


def test_the_loading_process_does_not_hold_scikit_learn():
    """scikit-learn (with the pandas, pyarrow and pytest it imports) is ~160 MiB that only the processes that
    label practices need: the build's workers load it from their fork server, the process that runs Dagster
    and the load step must not (docs/scale.md, memory)."""
    probe = (
        "import sys; import pipelines.defs.build, pipelines.definitions, pipelines.cli; "
        "print(sorted(m for m in ('sklearn', 'skops', 'pandas', 'pytest') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
