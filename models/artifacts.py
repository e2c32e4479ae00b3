"""Saving and loading model artifacts: a skops file beside a JSON record of what made it.

skops, not pickle: loading a skops file builds only the types it is told to trust, so an artifact cannot run
code. It still cannot promise that an estimator written by one scikit-learn release behaves the same under
another, so `meta.json` records the library versions and `load_model` refuses a mismatch *before* reading the
model, with a message that says to retrain, instead of a crash or a silently different model.

Layout: `<artifacts dir>/<kind>/<version>/{model.skops, meta.json}`; the newest `created` is the latest.
The default artifacts dir is the package's own `models/artifacts/` (committed, shipped as package data);
`FQA_MODELS_DIR` points elsewhere (tests, a deployment that trains its own). `fqa train` writes to a folder the
user names and replaces the shipped model only when told to (`shipped_artifacts_dir`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

MODELS_DIR_ENV = "FQA_MODELS_DIR"
MODEL_FILE = "model.skops"
META_FILE = "meta.json"
# Libraries whose version changes what the saved model computes (jieba: tokens; numpy/scipy: arrays).
TRACKED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "jieba", "skops")
# A mismatch in these refuses to load; the others are recorded for the reader.
MUST_MATCH = ("scikit-learn",)
# `fqa train` alone writes to $FQA_MODELS_DIR (and, unset, says how to choose); the shipped model needs the flag
RETRAIN_HINT = "retrain with `fqa train` (--update-shipped to replace the model shipped with the package)"


class ArtifactError(ValueError):
    """An artifact that is missing, unreadable or written by other library versions; says how to fix it."""


@dataclass(frozen=True)
class Artifact:
    path: Path
    meta: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.meta["version"])


def shipped_artifacts_dir() -> Path:
    """The package's own artifacts: in a checkout, a folder under git; in an installed wheel, site-packages."""
    return Path(str(resources.files("models") / "artifacts"))


def configured_artifacts_dir() -> Path | None:
    """The folder `FQA_MODELS_DIR` names, if set."""
    configured = os.environ.get(MODELS_DIR_ENV)
    return Path(configured) if configured else None


def default_artifacts_dir() -> Path:
    return configured_artifacts_dir() or shipped_artifacts_dir()


def library_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in TRACKED_LIBRARIES}


def save_model(
    model: Any, kind: str, version: str, meta: dict[str, Any], artifacts_dir: Path | None = None, keep: int = 2
) -> Artifact:
    """Write model and meta under kind/version (replacing that version), then keep only the `keep` newest."""
    root = Path(artifacts_dir) if artifacts_dir else default_artifacts_dir()
    folder = root / kind / version
    folder.mkdir(parents=True, exist_ok=True)
    full_meta = {
        "kind": kind,
        "version": version,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "libraries": library_versions(),
        **meta,
    }
    import skops.io  # as in load_model

    # the vocabularies are stored as verbose JSON: deflate takes the file from ~25 MB to a few
    skops.io.dump(model, folder / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    (folder / META_FILE).write_text(json.dumps(full_meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for old in list_artifacts(kind, root)[keep:]:
        shutil.rmtree(old.path)
    return Artifact(folder, full_meta)


def read_meta(folder: Path) -> dict[str, Any]:
    path = folder / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read ({exc.strerror or exc}); {RETRAIN_HINT}") from exc
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"{path}: not JSON ({exc.msg}); {RETRAIN_HINT}") from exc
    if not isinstance(meta, dict) or "version" not in meta or "libraries" not in meta:
        raise ArtifactError(f"{path}: no version or library record; {RETRAIN_HINT}")
    return meta


def list_artifacts(kind: str, artifacts_dir: Path | None = None) -> list[Artifact]:
    """Artifacts of one kind, newest first; folders without a readable meta.json are skipped."""
    root = (Path(artifacts_dir) if artifacts_dir else default_artifacts_dir()) / kind
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.is_dir() and (folder / META_FILE).is_file():
            try:
                found.append(Artifact(folder, read_meta(folder)))
            except ArtifactError:
                continue
    return sorted(found, key=lambda a: str(a.meta.get("created", "")), reverse=True)


def latest_artifact(kind: str, artifacts_dir: Path | None = None) -> Artifact:
    found = list_artifacts(kind, artifacts_dir)
    if not found:
        root = (Path(artifacts_dir) if artifacts_dir else default_artifacts_dir()) / kind
        raise ArtifactError(f"{root}: no {kind} artifact; {RETRAIN_HINT}")
    return found[0]


def check_compatible(artifact: Artifact) -> None:
    """Refuse an artifact whose recorded scikit-learn differs from the installed one, before unpickling."""
    recorded = artifact.meta.get("libraries") or {}
    installed = library_versions()
    for name in MUST_MATCH:
        if recorded.get(name) != installed[name]:
            raise ArtifactError(
                f"{artifact.path}: written by {name} {recorded.get(name) or 'unknown'}, "
                f"but {name} {installed[name]} is installed; {RETRAIN_HINT}"
            )


def load_model(artifact: Artifact) -> Any:
    """The model of a compatible artifact, trusting only scikit-learn/numpy/scipy types and our analyzers."""
    # Imported here, not at the top: skops and the features load scikit-learn (~160 MiB), which only the
    # processes that label practices need (the build's workers), not the one that runs Dagster and the load.
    import skops.io

    from models.features import TRUSTED_FUNCTIONS

    check_compatible(artifact)
    path = artifact.path / MODEL_FILE
    try:
        untrusted = skops.io.get_untrusted_types(file=path)
        unexpected = [t for t in untrusted if t not in TRUSTED_FUNCTIONS]
        if unexpected:
            raise ArtifactError(
                f"{path}: holds types this code does not trust ({', '.join(unexpected)}); {RETRAIN_HINT}"
            )
        return skops.io.load(path, trusted=list(untrusted))
    except ArtifactError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to rebuild the model has the same remedy
        raise ArtifactError(f"{path}: cannot load ({type(exc).__name__}: {exc}); {RETRAIN_HINT}") from exc
