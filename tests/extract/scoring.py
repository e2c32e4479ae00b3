"""Score the extractor on an annotated folder the way `fqa evaluate` does, with all files through the stages at
once (the process pool), for the tests that hold extraction figures."""

from __future__ import annotations

from pathlib import Path

from pipelines.batch.stages import extract_batch, process_files
from pipelines.extract.article import extraction_json
from pipelines.extract.evaluate import Report, evaluate, load_gold


def score(gold_dir: Path, corpus: Path) -> Report:
    gold = load_gold(gold_dir)
    paths = [corpus / name for name in gold]
    read, cleaned, segmented = process_files(paths)
    rejected = read.rejections + cleaned.rejections
    assert not rejected, [(r.path, r.reason) for r in rejected]
    by_file = {
        Path(article.article.clean.raw.path).name: (article, extraction)
        for article, extraction in zip(segmented, extract_batch(segmented), strict=True)
    }
    return evaluate((name, extraction_json(*by_file[name]), annotation) for name, annotation in gold.items())
