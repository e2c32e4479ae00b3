"""The warehouse: schema, loading, full-text search and the researchers' API (`from warehouse import Archive`)."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:  # noqa: ANN401
    # Imported on first use, so `import warehouse.schema` (the pipeline's path) stays light and cycle-free.
    if name == "Archive":
        from warehouse.archive import Archive

        return Archive
    raise AttributeError(f"module 'warehouse' has no attribute {name!r}")


__all__ = ["Archive"]
