"""The resources the Dagster definitions share: the warehouse database and the folders files come from."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.batch.quarantine import QUARANTINE_ENV
from pipelines.text.read import DEFAULT_MAX_BYTES
from warehouse.db import get_engine


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse database; None means FQA_DB_URL or the default SQLite file."""

    url: str | None = None

    def engine(self):  # noqa: ANN201 - sqlalchemy.Engine
        return get_engine(self.url)


class DropFolders(dg.ConfigurableResource):
    """Where the corpus, the drop folder and the quarantine are; quarantine None leaves rejected files in place."""

    corpus: str = "corpus"
    incoming: str = "corpus/incoming"
    quarantine: str | None = "corpus/quarantine"
    max_bytes: int = DEFAULT_MAX_BYTES
    settle_seconds: float = 10.0  # files modified more recently wait for the next tick (copies still in progress)


def drop_folders_from_env() -> DropFolders:
    """FQA_CORPUS_DIR, FQA_INCOMING_DIR and FQA_QUARANTINE_DIR override the defaults under ./corpus."""
    corpus = os.environ.get("FQA_CORPUS_DIR", "corpus")
    return DropFolders(
        corpus=corpus,
        incoming=os.environ.get("FQA_INCOMING_DIR", f"{corpus}/incoming"),
        quarantine=os.environ.get(QUARANTINE_ENV, f"{corpus}/quarantine"),
    )
