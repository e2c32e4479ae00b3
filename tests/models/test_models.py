"""Learned models: reviewed data, training against the rules, artifacts, the labeller, similar practices, themes."""

import json
import logging
import shutil
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from models.artifacts import MODELS_DIR_ENV, ArtifactError, latest_artifact, load_model, shipped_artifacts_dir
from models.category_model import CATEGORY_NAMES, HELDOUT_MACRO_F1_BAR, KIND, TrainedModel, train
from models.dataset import DatasetError, data_hash, default_data_dir, load_examples
from models.features import to_simplified
from models.labeller import labeller
from models.rules import rule_labels
from models.similar import similar_practices
from models.topics import practice_themes
from pipelines.batch.stages import process_files
from pipelines.cli import app
from pipelines.cli.models import _training_output
from pipelines.defs.models import ModelStore, category_model, heldout_macro_f1_above_bar
from pipelines.extract.article import extract_article
from tests.conftest import SEEDS
from warehouse.db import get_engine
from warehouse.load import load_batch
from warehouse.schema import PracticeMention

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> TrainedModel:
    return train(artifacts_dir=tmp_path_factory.mktemp("artifacts"))


@pytest.fixture(scope="module")
def seeds() -> list:
    _, _, segmented = process_files(sorted(SEEDS.values()))
    return segmented


# ------------------------------------------------------------------------------------------------ the data


def test_reviewed_data_keeps_weak_and_reviewed_labels_and_a_written_heldout():
    examples = load_examples()
    heldout = [e for e in examples if e.split == "heldout"]
    assert len(examples) > 400 and len(heldout) > 100
    assert sum(e.corrected for e in examples) > 100  # the weak labels were reviewed, not copied
    assert any(not e.labels for e in examples)  # "none" is a label
    assert any(len(e.labels) >= 2 for e in examples)  # multi-label
    assert sum(e.source == "written" for e in heldout) >= 80
    # whole articles are held out: no corpus article has sentences in both splits
    train_articles = {e.source for e in examples if e.split == "train" and e.source.startswith("corpus/")}
    assert train_articles.isdisjoint({e.source for e in heldout})
    for category in CATEGORY_NAMES:  # every category can be scored on held-out
        assert any(category in e.labels for e in heldout), category


def test_malformed_data_is_an_error_naming_file_and_line(tmp_path: Path):
    shutil.copytree(default_data_dir(), tmp_path, dirs_exist_ok=True)
    lines = (tmp_path / "heldout.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[2])
    row["labels"] = ["crime_fighting"]
    lines[2] = json.dumps(row, ensure_ascii=False)
    (tmp_path / "heldout.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"heldout\.jsonl:3: unknown labels crime_fighting"):
        load_examples(tmp_path)


def test_rules_as_a_sentence_classifier_are_multi_label_and_may_abstain():
    assert rule_labels("依托高校志愿者团体成立反诈联盟") == ["volunteers_mass_prevention", "anti_fraud"]
    assert rule_labels("清晨的江面上薄雾缭绕") == []


# ------------------------------------------------------------------------------------------------ training


def test_training_scores_model_against_rules_and_keeps_the_model_only_where_it_won(trained: TrainedModel):
    meta = trained.artifact.meta
    cv_model, cv_rules = meta["cv"]["model"]["per_category"], meta["cv"]["rules"]["per_category"]
    assert meta["use_model"] == [c for c in CATEGORY_NAMES if cv_model[c] > cv_rules[c]]
    held = meta["heldout"]
    assert set(held) >= {"model", "rules", "combined", "subsets"}
    for name in ("model", "rules", "combined"):
        assert 0 <= held[name]["macro"] <= 1 and set(held[name]["per_category"]) == set(CATEGORY_NAMES)
    # the labeller in use beats the rules alone on held-out, and clears the recorded bar
    assert held["combined"]["macro"] > held["rules"]["macro"]
    assert held["combined"]["macro"] >= meta["bar"]["heldout_macro_f1"] == HELDOUT_MACRO_F1_BAR


def test_artifact_records_version_data_hash_and_libraries(trained: TrainedModel):
    meta = trained.artifact.meta
    assert meta["training_data_sha256"] == data_hash()
    assert meta["version"].endswith(data_hash()[:10])
    assert set(meta["libraries"]) >= {"scikit-learn", "numpy", "jieba"}
    assert (trained.artifact.path / "model.skops").stat().st_size < 3_000_000  # committed: keep it small


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


def test_fqa_train_saves_where_the_user_says_and_leaves_the_shipped_model_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv(MODELS_DIR_ENV, raising=False)
    shipped = shipped_artifacts_dir()
    before = _files(shipped)
    assert before, shipped
    unnamed = runner.invoke(app, ["train"])
    assert unnamed.exit_code == 1 and "--artifacts DIR" in unnamed.output and "--update-shipped" in unnamed.output
    both = runner.invoke(app, ["train", "--artifacts", str(tmp_path), "--update-shipped"])
    assert both.exit_code == 1 and "not both" in both.output

    mine = tmp_path / "mine"
    trained = runner.invoke(app, ["train", "--artifacts", str(mine)])
    assert trained.exit_code == 0, trained.output
    assert latest_artifact(KIND, mine).meta["training_data_sha256"] == data_hash()
    assert f"{MODELS_DIR_ENV}={mine}" in "".join(trained.output.split())  # how to use it
    assert _files(shipped) == before  # the git tree is untouched

    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path / "configured"))
    assert _training_output(None, update_shipped=False) == tmp_path / "configured"
    assert _training_output(None, update_shipped=True) == shipped


def test_the_shipped_artifact_is_current_for_the_shipped_data():
    shipped = latest_artifact(KIND)
    assert shipped.meta["training_data_sha256"] == data_hash(), "models/data changed: run `fqa train`"


def test_traditional_and_simplified_sentences_get_the_same_probabilities(trained: TrainedModel):
    model = load_model(trained.artifact)
    traditional = "社區義工每晚在公園周邊巡查,協助警方維護治安。"
    assert to_simplified(traditional) == "社区义工每晚在公园周边巡查,协助警方维护治安。"
    probs = model.predict_proba([traditional, to_simplified(traditional)])
    assert probs[0] == pytest.approx(probs[1])


def test_artifact_from_another_sklearn_version_asks_for_retraining(
    trained: TrainedModel, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    copy = tmp_path / KIND / trained.artifact.version
    shutil.copytree(trained.artifact.path, copy)
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    meta["libraries"]["scikit-learn"] = "1.0.2"
    (copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ArtifactError, match=r"scikit-learn 1\.0\.2.*retrain with `fqa train` \(--update-shipped"):
        load_model(latest_artifact(KIND, tmp_path))
    with caplog.at_level(logging.WARNING):
        assert labeller(tmp_path) is None  # extraction falls back to the rules instead of crashing
    assert "retrain with `fqa train`" in caplog.text


def test_a_corrupt_model_file_is_a_clear_error(trained: TrainedModel, tmp_path: Path):
    copy = tmp_path / KIND / trained.artifact.version
    shutil.copytree(trained.artifact.path, copy)
    (copy / "model.skops").write_bytes(b"not a zip")
    with pytest.raises(ArtifactError, match="cannot load.*retrain"):
        load_model(latest_artifact(KIND, tmp_path))


def test_training_asset_metadata_and_heldout_bar_check(tmp_path: Path):
    good = ModelStore(artifacts_dir=str(tmp_path / "good"))
    result = dg.materialize([category_model, heldout_macro_f1_above_bar], resources={"model_store": good})
    meta = result.asset_materializations_for_node("category_model")[0].metadata
    assert {
        "heldout_macro_f1_model",
        "heldout_macro_f1_rules",
        "cv_macro_f1_model",
        "per_category",
        "use_model",
        "version",
        "training_data_sha256",
    } <= set(meta)
    assert result.get_asset_check_evaluations()[0].passed

    # held-out labels that no longer match the sentences: the same training must now fail the check
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    rows = [json.loads(line) for line in (data / "heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["labels"] = ["none"]
    (data / "heldout.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    bad = ModelStore(data_dir=str(data), artifacts_dir=str(tmp_path / "bad"))
    result = dg.materialize(
        [category_model, heldout_macro_f1_above_bar], resources={"model_store": bad}, raise_on_error=False
    )
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed and evaluation.metadata["heldout_macro_f1"].value < HELDOUT_MACRO_F1_BAR


# ---------------------------------------------------------------------------------------------- extraction


def test_extraction_records_artifact_version_and_confidence(seeds: list):
    version = latest_artifact(KIND).version
    practices = [p for article in seeds for p in extract_article(article).practices]
    named = [p for p in practices if p.kind == "practice"]
    assert named and all(p.model_version == version and 0 <= p.confidence <= 1 for p in named)
    assert all(p.model_version is None and p.confidence is None for p in practices if p.kind == "slogan")
    assert {p.category for p in named} <= set(CATEGORY_NAMES)


# ----------------------------------------------------------------------------------- warehouse: both databases


def test_similar_practices_topics_and_stored_labels(db_url: str, seeds: list):
    engine = get_engine(db_url)
    load_batch(engine, seeds, batch_key="models-test", extractions={a.id: extract_article(a) for a in seeds})
    with engine.connect() as conn:
        stored = conn.execute(select(PracticeMention.model_version, PracticeMention.confidence)).all()
    assert any(v == latest_artifact(KIND).version and c is not None for v, c in stored)

    results = similar_practices(db_url, "背包警务", limit=5)
    assert len(results) == 5
    assert all(r.station and r.station != "东兴边境派出所" for r in results)  # other stations only
    assert all(r.sentence and r.source_file.endswith(".txt") for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert [(r.practice, r.station) for r in similar_practices(db_url, "背包警務", limit=5)] == [
        (r.practice, r.station) for r in results
    ]  # a Traditional query finds the same practices
    from warehouse import Archive

    via_api = Archive(db_url).similar("背包警务", limit=5)
    assert [(r.practice, r.station) for r in via_api] == [(r.practice, r.station) for r in results]
    assert list(via_api.to_dicts()[0]) == via_api.columns() and len(via_api.to_pandas()) == 5

    themes = practice_themes(db_url, k=4)
    assert 1 <= len(themes) <= 4 and all(t.terms and t.name == " · ".join(t.terms) for t in themes)
    assert len({s for t in themes for s in t.stations}) >= 4

    out = runner.invoke(app, ["similar", "背包警务", "--limit", "3", "--db", db_url, "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert len(rows) == 3 and all(r["station"] != "东兴边境派出所" and r["sentence"] for r in rows)
    out = runner.invoke(app, ["topics", "--k", "3", "--db", db_url])
    assert out.exit_code == 0 and "themes" in out.stdout


def test_cli_bad_input_is_one_clear_line(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    out = runner.invoke(app, ["topics", "--k", "0", "--db", url])
    assert out.exit_code == 1 and "--k must be at least 1" in out.output and "Traceback" not in out.output
    out = runner.invoke(app, ["similar", "  ", "--db", url])
    assert out.exit_code == 1 and "query is empty" in out.output
