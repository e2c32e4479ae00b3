"""Rejects, not crashes: bad files are recorded with a reason and moved to the quarantine; the rest loads."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.batch.quarantine import QUARANTINE_ENV, destination, quarantine_files
from pipelines.cli import app
from pipelines.text.articles import Rejection
from pipelines.text.read import content_hash
from tests.conftest import SEEDS, TESTS
from tests.ingest_fixtures import load, process
from warehouse.db import get_engine
from warehouse.quarantine_log import quarantined

runner = CliRunner()


def _rejection(path: Path, code: str = "empty", reason: str = "empty file") -> Rejection:
    data = path.read_bytes()
    return Rejection(str(path), code, reason, content_hash(data), len(data))


def test_bad_files_are_recorded_with_their_reason_and_the_good_one_loads(db_url: str, tmp_path: Path):
    files = {
        "empty.txt": b"   \n",
        "binary.txt": b"GIF89a\x00\x01\x02\x00" * 20,
        "english.txt": b"Community policing report from a county police station. " * 30,
        "nav.html": (TESTS / "fixtures" / "index_no_article.html").read_bytes(),
        "undecodable.txt": bytes(range(0x80, 0x100)) * 8,
    }
    drop = tmp_path / "drop"
    drop.mkdir()
    for name, data in files.items():
        (drop / name).write_bytes(data)
    shutil.copy(SEEDS["002"], drop / "good.txt")
    engine = get_engine(db_url)
    result = load(engine, process(sorted(drop.iterdir())), batch_key="b1")
    assert result.counts()["new"] == 1 and result.counts()["rejected"] == len(files)
    rows = {Path(r["path"]).name: r for r in quarantined(engine)}
    assert set(rows) == set(files)
    assert rows["empty.txt"]["code"] == "empty"
    assert rows["binary.txt"]["code"] == "binary"
    assert rows["english.txt"]["code"] == "not_chinese" and "not a Chinese article" in rows["english.txt"]["reason"]
    assert rows["nav.html"]["code"] == "no_text" and "without article text" in rows["nav.html"]["reason"]
    assert rows["undecodable.txt"]["code"] in {"undecodable", "not_chinese"}
    assert all(r["batch_key"] == "b1" and r["moved_to"] is None for r in rows.values())


def test_files_move_only_when_they_are_still_the_bytes_that_were_rejected(db_url: str, tmp_path: Path):
    engine = get_engine(db_url)
    folder = tmp_path / "quarantine"
    bad, changed = tmp_path / "bad.txt", tmp_path / "changed.txt"
    bad.write_bytes(b"")
    changed.write_bytes(b"")
    rejections = [_rejection(bad), _rejection(changed), Rejection(str(tmp_path / "gone.txt"), "empty", "empty file")]
    load(engine, ([], {}, rejections), batch_key="b1")
    changed.write_text("新的内容" * 20, encoding="utf-8")  # fixed by the operator before the move
    moved = {Path(q.path).name: q for q in quarantine_files(engine, rejections, folder, "b1")}
    assert moved["bad.txt"].moved_to == str(destination(folder, "b1", bad)) and not bad.exists()
    assert Path(moved["bad.txt"].moved_to).is_file()
    assert moved["changed.txt"].moved_to is None and changed.exists()
    assert moved["gone.txt"].moved_to is None
    rows = {Path(r["path"]).name: r for r in quarantined(engine)}
    assert rows["bad.txt"]["moved_to"] == moved["bad.txt"].moved_to and rows["changed.txt"]["moved_to"] is None


def test_cli_ingest_quarantines_rejects_and_says_how_many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # no dagster.yaml here: the CLI runs on an ephemeral Dagster instance
    drop = tmp_path / "incoming"
    drop.mkdir()
    shutil.copy(SEEDS["004"], drop / "good.txt")
    (drop / "empty.txt").write_bytes(b"")
    (drop / "big.txt").write_text("派出所" * 3000, encoding="utf-8")
    url, folder = f"sqlite:///{tmp_path / 'w.db'}", tmp_path / "quarantine"
    result = runner.invoke(
        app, ["ingest", str(drop), "--db", url, "--quarantine", str(folder), "--max-bytes", "8000", "--json"]
    )
    assert result.exit_code == 2, result.output
    report = json.loads(result.output)
    assert report["counts"] == {"new": 1, "updated": 0, "reprint": 0, "unchanged": 0, "rejected": 2, "review": 0}
    files = {Path(p).name: f for p, f in report["files"].items()}
    assert "oversize" in files["big.txt"]["detail"] and files["empty.txt"]["detail"] == "empty file"
    for name in ("big.txt", "empty.txt"):
        assert not (drop / name).exists() and Path(files[name]["moved_to"]).is_file()
        assert Path(files[name]["moved_to"]).is_relative_to(folder)
    assert (drop / "good.txt").exists()

    listing = runner.invoke(app, ["quarantine", "--db", url, "--json"])
    assert listing.exit_code == 0
    assert {Path(r["path"]).name for r in json.loads(listing.output)} == {"big.txt", "empty.txt"}
    table = runner.invoke(app, ["quarantine", "--db", url])
    assert "2 quarantined files" in table.output and "empty file" in table.output

    again = runner.invoke(app, ["ingest", str(drop), "--db", url, "--quarantine", str(folder)])
    assert again.exit_code == 0, again.output  # the rejects are gone; the good file is unchanged
    assert "unchanged" in again.output


@pytest.mark.parametrize("args", [["ingest", "{tmp}/nowhere"], ["ingest", "{tmp}/empty_dir"]])
def test_cli_ingest_errors_are_one_line(tmp_path: Path, args: list[str]):
    (tmp_path / "empty_dir").mkdir()
    argv = [a.format(tmp=tmp_path) for a in args] + ["--db", f"sqlite:///{tmp_path / 'w.db'}"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(tmp_path) in result.output



def _corpus_with_a_reject(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    incoming = corpus / "incoming"
    incoming.mkdir(parents=True)
    shutil.copy(SEEDS["002"], incoming / "good.txt")
    (incoming / "empty.txt").write_bytes(b"")
    return corpus, incoming


def test_ingest_quarantine_sits_beside_the_drop_folder_not_in_the_working_directory(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv(QUARANTINE_ENV, raising=False)
    corpus, incoming = _corpus_with_a_reject(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    ingested = runner.invoke(app, ["ingest", str(incoming), "--db", db_url])
    assert ingested.exit_code == 2, ingested.output
    moved = list((corpus / "quarantine").glob("*/empty.txt"))
    assert len(moved) == 1 and not (elsewhere / "corpus").exists()
    assert [r["moved_to"] for r in quarantined(get_engine(db_url))] == [str(moved[0])]


def test_build_twice_records_each_reject_once_and_never_reads_the_quarantine(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A drop-folder reject already in corpus/quarantine and a new reject in the corpus: the build quarantines the
    new one beside the corpus (outside what it scans); the second build finds nothing new and records nothing."""
    monkeypatch.delenv(QUARANTINE_ENV, raising=False)
    corpus, incoming = _corpus_with_a_reject(tmp_path)
    monkeypatch.chdir(tmp_path)
    ingested = runner.invoke(app, ["ingest", str(incoming), "--db", db_url, "--quarantine", str(corpus / "quarantine")])
    assert ingested.exit_code == 2, ingested.output
    shutil.copy(SEEDS["004"], corpus / "other.txt")
    (corpus / "binary.txt").write_bytes(b"GIF89a\x00\x01\x02\x00" * 20)

    first = runner.invoke(app, ["build", "--corpus", str(corpus), "--db", db_url])
    assert first.exit_code == 0, first.output
    engine = get_engine(db_url)
    rows = quarantined(engine)
    assert sorted(Path(r["path"]).name for r in rows) == ["binary.txt", "empty.txt"]  # not empty.txt twice
    assert not (corpus / "binary.txt").exists()
    moved = list((tmp_path / "quarantine").glob("*/binary.txt"))  # beside the corpus
    recorded = [Path(r["moved_to"]).resolve() for r in rows if r["path"].endswith("binary.txt")]
    assert len(moved) == 1 and recorded == [moved[0].resolve()]
    count = len(json.loads(runner.invoke(app, ["articles", "--db", db_url, "--json"]).output))

    second = runner.invoke(app, ["build", "--corpus", str(corpus), "--db", db_url])
    assert second.exit_code == 0, second.output
    numbers = [line.split() for line in second.output.splitlines() if line.startswith("│")][-1]
    assert numbers[1:8:2] == ["2", "0", "2", "0"]  # files, new, unchanged, rejected
    assert len(quarantined(engine)) == 2
    assert len(json.loads(runner.invoke(app, ["articles", "--db", db_url, "--json"]).output)) == count
