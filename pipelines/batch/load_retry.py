"""Loading a batch so that one file the database refuses cannot block the others.

`warehouse.load.load_batch` lands a batch whole or not at all. When the database refuses one file's article
(PostgreSQL cannot store NUL in text; no driver can encode a lone surrogate), the load raises ArticleLoadError
naming the file; the batch is loaded again without it and the file joins the rejections with the database's
reason, so it is recorded, quarantined and not retried forever.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from pipelines.text.articles import Rejection, SegmentedArticle
from warehouse.load import ArticleLoadError, LoadResult, load_batch

if TYPE_CHECKING:
    from pipelines.extract.article import ArticleExtraction

log = logging.getLogger(__name__)


def load_isolating_failures(
    engine: Engine,
    articles: Sequence[SegmentedArticle],
    rejections: Sequence[Rejection] = (),
    batch_key: str | None = None,
    extractions: Mapping[str, ArticleExtraction] | None = None,
) -> tuple[LoadResult, list[Rejection]]:
    """`load_batch`, retried without each file the database refuses; (result, every rejection incl. those)."""
    articles, rejections = list(articles), list(rejections)
    while True:
        try:
            return load_batch(engine, articles, rejections, batch_key=batch_key, extractions=extractions), rejections
        except ArticleLoadError as exc:
            broken = [a for a in articles if a.article.clean.raw.path == exc.path]
            if not broken:  # not one of this batch's files: nothing to take out, so retrying cannot help
                raise
            raw = broken[0].article.clean.raw
            log.warning("load: the warehouse refused %s (%s); loading the batch without it", exc.path, exc.reason)
            articles = [a for a in articles if a.article.clean.raw.path != exc.path]
            reason = f"refused by the database: {exc.reason}"
            rejections.append(Rejection(raw.path, "database", reason, raw.file_sha256, raw.size))
