import subprocess
import sys

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs.automation import INGEST_BATCHES
from tests.conftest import REPO


def test_definitions_load_with_every_stage_partitioned_by_batch():
    repo = defs.get_repository_def()
    archive = {"raw_articles", "clean_articles", "simplified_articles", "segmented_articles",
               "extracted_articles", "warehouse_articles"}
    keys = {key.to_user_string() for key in repo.asset_graph.get_all_asset_keys()}
    assert keys == archive | {"category_model", "practice_themes_model"}
    for key in repo.asset_graph.get_all_asset_keys():
        # the archive is partitioned by ingest batch; models are trained over everything, unpartitioned
        expected = INGEST_BATCHES if key.to_user_string() in archive else None
        assert repo.asset_graph.get(key).partitions_def == expected
    checks = {c.name for c in repo.asset_graph.asset_check_keys}
    assert {"no_pinyin_gloss", "title_and_date", "no_traditional_chars", "spans_match_text", "rates_in_range",
            "counts_non_negative", "statistics_attributed"} <= checks
    assert isinstance(INGEST_BATCHES, dg.DynamicPartitionsDefinition)
    # The drop-folder sensor and the daily corpus rescan ship switched on (pipelines/defs/automation.py).
    assert repo.get_sensor_def("incoming_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    assert repo.get_schedule_def("corpus_rescan_schedule").default_status == dg.DefaultScheduleStatus.RUNNING
    assert repo.get_job("ingest_job").partitions_def == INGEST_BATCHES


def test_dagster_cli_validates_the_code_location_from_the_repo_root():
    dagster = [sys.executable, "-m", "dagster", "definitions", "validate"]
    result = subprocess.run(dagster, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
