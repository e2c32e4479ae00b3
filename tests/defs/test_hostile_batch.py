"""Issue 20's hostile batch, end to end on SQLite and PostgreSQL: after the seeds, one drop holds a file with a
NUL past its first 4 KB, a Big5 copy of a seed whose pinyin glosses lost their tones to `?`, the first third of
another seed's text, an off-topic recipe and one good new report. The good file loads once, the two near-copies
join their originals' clusters without adding a figure, the NUL file is quarantined and the recipe is held for
review, from where one command loads it."""

import json
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pipelines.cli.app import app
from pipelines.defs.ingest_files import ingest
from tests.conftest import seed_text
from tests.ingest_fixtures import counted_statistics_per_station, load, process
from warehouse.db import get_engine
from warehouse.quarantine_log import quarantined
from warehouse.schema import Article

runner = CliRunner()

RECIPE = """红烧排骨的家常做法

排骨500克洗净，冷水下锅焯水，撇去浮沫后捞出沥干。锅中放少许油，加入冰糖小火炒出糖色，
倒入排骨翻炒上色，再放葱段、姜片、八角和桂皮炒香。沿锅边淋入料酒和生抽，加开水没过排骨，
大火烧开后转小火炖40分钟，最后大火收汁，撒上葱花即可出锅。这道菜咸甜适口，老人孩子都爱吃，
周末做上一锅，全家人围坐一桌，其乐融融。小贴士：焯水时加几片姜能去腥，收汁时要不停翻动防止粘锅。
"""


def _write_drop(drop: Path) -> None:
    drop.mkdir()
    (drop / "good_000.txt").write_text(seed_text("000"), encoding="utf-8")
    (drop / "big5_damaged_001.txt").write_bytes(seed_text("001").encode("big5", errors="replace"))
    text = seed_text("003")
    (drop / "first_third_003.txt").write_text(text[: len(text) // 3], encoding="utf-8")
    (drop / "recipe.txt").write_text(RECIPE, encoding="utf-8")
    body = seed_text("004")
    padding = "\n" * max(0, 4200 - len(body[:1500].encode()))
    (drop / "nul_004.txt").write_bytes((body[:1500] + padding + "\x00" + body[1500:]).encode())


def test_a_hostile_batch_loads_every_good_file_once_and_holds_the_rest(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    engine = get_engine(db_url)
    seeds = process([Path(p) for p in sorted((Path(__file__).parents[2] / "corpus").glob("00[1-3]_*.txt"))])
    load(engine, seeds, batch_key="seeds")
    seed_ids = {Path(a.article.clean.raw.path).name[:3]: a.id for a in seeds[0]}
    counted = counted_statistics_per_station(engine)

    drop, quarantine = tmp_path / "incoming", tmp_path / "quarantine"
    _write_drop(drop)
    with dg.instance_for_test() as instance:
        report = ingest([drop], db_url, instance=instance, quarantine_dir=quarantine)
    outcomes = {Path(p).name: o for p, o in report.outcomes.items()}
    assert {name: o.kind for name, o in outcomes.items()} == {
        "good_000.txt": "new",
        "big5_damaged_001.txt": "reprint",
        "first_third_003.txt": "reprint",
        "recipe.txt": "review",
        "nul_004.txt": "rejected",
    }
    assert outcomes["big5_damaged_001.txt"].detail == seed_ids["001"]
    assert outcomes["first_third_003.txt"].detail == seed_ids["003"]
    # The near-copies add reach, not figures: the seeds' counts are what they were; only 000's stations are new.
    after = counted_statistics_per_station(engine)
    assert {name: n for name, n in after.items() if name in counted} == counted
    with engine.connect() as conn:
        titles = set(conn.scalars(select(Article.title)))
        assert conn.scalar(select(func.count()).select_from(Article)) == 3 + 3
    assert not any("排骨" in (t or "") for t in titles)

    reasons = {Path(r["path"]).name: r for r in quarantined(engine)}
    assert set(reasons) == {"recipe.txt", "nul_004.txt"}
    assert "NUL" in reasons["nul_004.txt"]["reason"] and "review" in reasons["recipe.txt"]["reason"]
    assert not (drop / "recipe.txt").exists() and Path(reasons["recipe.txt"]["moved_to"]).is_file()

    monkeypatch.chdir(tmp_path)  # no dagster.yaml here: the CLI runs on an ephemeral Dagster instance
    review = runner.invoke(app, ["quarantine", "--review", "--db", db_url, "--json"])
    assert review.exit_code == 0, review.output
    assert [Path(r["path"]).name for r in json.loads(review.output)] == ["recipe.txt"]

    accepted = runner.invoke(app, ["accept", str(drop / "recipe.txt"), "--db", db_url])
    assert accepted.exit_code == 0, accepted.output
    assert "new" in accepted.output and (drop / "recipe.txt").is_file()  # back where it was dropped, and loaded
    assert json.loads(runner.invoke(app, ["quarantine", "--review", "--db", db_url, "--json"]).output) == []
    with engine.connect() as conn:
        assert any("排骨" in (t or "") for t in conn.scalars(select(Article.title)))

    # A later scan of the drop folder sees nothing new and holds nothing again.
    with dg.instance_for_test() as instance:
        again = ingest([drop], db_url, instance=instance, quarantine_dir=quarantine)
    assert {o.kind for o in again.outcomes.values()} == {"unchanged"}


def test_accept_needs_a_held_file(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    get_engine(url)  # creates the warehouse
    nothing = runner.invoke(app, ["accept", "--db", url])
    assert nothing.exit_code == 1 and "--all" in nothing.output
    unknown = runner.invoke(app, ["accept", str(tmp_path / "x.txt"), "--db", url])
    assert unknown.exit_code == 1 and "x.txt" in unknown.output
