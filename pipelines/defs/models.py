"""Dagster assets for the learned models: the category classifier (with its held-out bar) and practice themes.

Thin wrappers: training, scoring and themes are plain functions in `models/`. The classifier's asset
metadata carries the figures a reviewer needs (macro-F1 by cross-validation and on held-out, per category,
model against rules, and which categories use the model); the asset check re-scores the saved artifact on
the current held-out data against the bar recorded in it.
"""

import datetime as dt
import json
import time
from pathlib import Path

import dagster as dg

from models.artifacts import latest_artifact, library_versions, load_model
from models.labeller import CATEGORY_NAMES, KIND

# The training and theme code is imported inside the assets: it loads scikit-learn, which a process that only
# builds the archive (this code location, `fqa build`) would otherwise hold for nothing (~160 MiB).

MODEL_GROUP = "models"


class ModelStore(dg.ConfigurableResource):
    """Where training data is read and artifacts are written; None means the package's own folders."""

    data_dir: str | None = None
    artifacts_dir: str | None = None

    def data(self) -> Path | None:
        return Path(self.data_dir) if self.data_dir else None

    def artifacts(self) -> Path | None:
        return Path(self.artifacts_dir) if self.artifacts_dir else None


def _per_category_table(meta: dict) -> str:
    rows = ["| category | CV model | CV rules | held-out model | held-out rules | uses |", "|---|---|---|---|---|---|"]
    cv, held = meta["cv"], meta["heldout"]
    for c in CATEGORY_NAMES:
        rows.append(
            f"| {c} | {cv['model']['per_category'][c]:.2f} | {cv['rules']['per_category'][c]:.2f} | "
            f"{held['model']['per_category'][c]:.2f} | {held['rules']['per_category'][c]:.2f} | "
            f"{'model' if c in meta['use_model'] else 'rules'} |"
        )
    return "\n".join(rows)


@dg.asset(group_name=MODEL_GROUP)
def category_model(model_store: ModelStore) -> dg.MaterializeResult:
    """The practice-category classifier trained on models/data, saved under models/artifacts/category/."""
    started = time.perf_counter()
    from models.category_model import train

    trained = train(model_store.data(), model_store.artifacts())
    meta = trained.artifact.meta
    held = meta["heldout"]
    return dg.MaterializeResult(
        metadata={
            "version": meta["version"],
            "path": str(trained.artifact.path),
            "training_data_sha256": meta["training_data_sha256"],
            "libraries": dg.MetadataValue.json(meta["libraries"]),
            "cv_macro_f1_model": meta["cv"]["model"]["macro"],
            "cv_macro_f1_rules": meta["cv"]["rules"]["macro"],
            "heldout_macro_f1_model": held["model"]["macro"],
            "heldout_macro_f1_rules": held["rules"]["macro"],
            "heldout_macro_f1_combined": held["combined"]["macro"],
            "heldout_subsets": dg.MetadataValue.json(held["subsets"]),
            "bar": meta["bar"]["heldout_macro_f1"],
            "threshold": meta["threshold"],
            "use_model": dg.MetadataValue.json(meta["use_model"]),
            "per_category": dg.MetadataValue.md(_per_category_table(meta)),
            "examples": dg.MetadataValue.json(meta["counts"]),
            "seconds": round(time.perf_counter() - started, 3),
        }
    )


@dg.asset_check(asset=category_model, name="heldout_macro_f1_above_bar")
def heldout_macro_f1_above_bar(model_store: ModelStore) -> dg.AssetCheckResult:
    """The latest artifact, re-scored on today's held-out data, must reach the bar recorded in it."""
    artifact = latest_artifact(KIND, model_store.artifacts())
    bar = float(artifact.meta["bar"]["heldout_macro_f1"])
    from models.category_model import heldout_macro_f1

    score = heldout_macro_f1(load_model(artifact), artifact.meta, model_store.data())
    return dg.AssetCheckResult(
        passed=score >= bar,
        metadata={"version": artifact.version, "heldout_macro_f1": score, "bar": bar},
    )


class ThemesConfig(dg.Config):
    k: int = 6


@dg.asset(group_name=MODEL_GROUP, required_resource_keys={"warehouse", "model_store"})
def practice_themes_model(context: dg.AssetExecutionContext, config: ThemesConfig) -> dg.MaterializeResult:
    """NMF themes over the warehouse's practice descriptions, saved as themes/themes.json beside the models.

    Themes depend on what the local warehouse holds, so that folder is git-ignored, unlike the classifier.
    """
    from models.topics import practice_themes

    themes = practice_themes(context.resources.warehouse.engine(), config.k)
    store: ModelStore = context.resources.model_store
    root = store.artifacts() or Path(str(Path(__file__).resolve().parent.parent / "models" / "artifacts"))
    folder = root / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "k": config.k,
        "libraries": library_versions(),
        "themes": [
            {"name": t.name, "terms": t.terms, "stations": t.stations, "practices": [list(p) for p in t.practices]}
            for t in themes
        ],
    }
    (folder / "themes.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    table = ["| theme | practices | stations |", "|---|---|---|"]
    table += [f"| {t.name} | {len(t.practices)} | {'、'.join(t.stations)} |" for t in themes]
    return dg.MaterializeResult(
        metadata={"themes": dg.MetadataValue.md("\n".join(table)), "path": str(folder / "themes.json")}
    )


MODEL_ASSETS = [category_model, practice_themes_model]
MODEL_CHECKS = [heldout_macro_f1_above_bar]
