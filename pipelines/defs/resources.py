"""The resources the Dagster definitions share: the warehouse database and the folders files come from."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.batch.quarantine import default_quarantine_dir
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
    quarantine: str | None = "corpus/quarantine"  # beside `incoming`; the build and rescan never read it
    max_bytes: int = DEFAULT_MAX_BYTES
    settle_seconds: float = 10.0  # files modified more recently wait for the next tick (copies still in progress)


def drop_folders_from_env() -> DropFolders:
    """FQA_CORPUS_DIR, FQA_INCOMING_DIR and FQA_QUARANTINE_DIR override the defaults under ./corpus; the
    quarantine defaults to the one beside the drop folder, wherever that is."""
    corpus = os.environ.get("FQA_CORPUS_DIR", "corpus")
    incoming = os.environ.get("FQA_INCOMING_DIR", f"{corpus}/incoming")
    return DropFolders(corpus=corpus, incoming=incoming, quarantine=str(default_quarantine_dir(incoming)))
