import subprocess
import sys

import dagster as dg

from pipelines.definitions import INGEST_BATCHES, defs
from tests.conftest import REPO


def test_definitions_load_with_every_stage_partitioned_by_batch():
    repo = defs.get_repository_def()
    keys = {key.to_user_string() for key in repo.asset_graph.get_all_asset_keys()}
    assert keys == {"raw_articles", "clean_articles", "simplified_articles", "segmented_articles",
                    "extracted_articles", "warehouse_articles"}
    for key in repo.asset_graph.get_all_asset_keys():
        assert repo.asset_graph.get(key).partitions_def == INGEST_BATCHES
    checks = {c.name for c in repo.asset_graph.asset_check_keys}
    assert {"no_pinyin_gloss", "title_and_date", "no_traditional_chars", "spans_match_text", "rates_in_range",
            "counts_non_negative", "statistics_attributed"} <= checks
    assert isinstance(INGEST_BATCHES, dg.DynamicPartitionsDefinition)


def test_dagster_cli_validates_the_code_location_from_the_repo_root():
    dagster = [sys.executable, "-m", "dagster", "definitions", "validate"]
    result = subprocess.run(dagster, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
