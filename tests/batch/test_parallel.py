"""The stages over all cores: same results as one process, resources loaded once per worker, batches streamed."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import dagster as dg
import pytest

from pipelines.batch import memory as batch_memory
from pipelines.batch import parallel, synth
from pipelines.batch.stages import (
    clean_batch,
    extract_batch,
    read_batch,
    segment_batch,
    sentence_tokens,
    simplify_batch,
)
from pipelines.defs import build as build_module
from pipelines.defs.build import build
from pipelines.extract.article import extract_article, extract_articles
from pipelines.text.segment import search_tokens, split_sentences, tokenize, tokenizer
from tests.conftest import CORPUS, SEEDS, seed_text


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Generated articles and two duds (the tests lower MIN_PARALLEL_ITEMS so these few use the pool)."""
    folder = tmp_path_factory.mktemp("synthetic")
    list(synth.write_corpus(synth.load_material([CORPUS]), 6, folder, seed=11))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "english.txt").write_text("Nothing Chinese here at all, just an English sentence or two. " * 5)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _run_stages(paths: list[Path]) -> tuple:
    read = read_batch(paths, allow_synthetic=True)
    cleaned = clean_batch(read.articles)
    segmented = segment_batch(simplify_batch(cleaned.articles))
    return read, cleaned, segmented, extract_batch(segmented)


def test_one_jieba_pass_gives_both_token_lists():
    sentences = [s.text for prefix in SEEDS for s in split_sentences(seed_text(prefix))]
    assert len(sentences) > 300
    for sentence in sentences:
        tokens, search = sentence_tokens(sentence)
        assert tokens == tuple(t.text for t in tokenize(sentence)), sentence
        assert search == tuple(search_tokens(sentence)), sentence


def test_all_cores_give_what_one_process_gives(synthetic: list[Path], monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 2)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    parallel_run = _run_stages(synthetic)
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    serial_run = _run_stages(synthetic)
    assert parallel_run == serial_run
    read, cleaned, segmented, extractions = parallel_run
    # the duds are rejected with their reasons and the rest of the batch carries on, in input order
    assert {Path(r.path).name: r.code for r in read.rejections} == {"empty.txt": "empty"}
    assert [Path(r.path).name for r in cleaned.rejections] == ["english.txt"]
    assert [a.raw.path for a in cleaned.articles] == [r.path for r in read.articles if "english" not in r.path]
    assert len(segmented) == len(extractions) == len(synthetic) - 2
    assert sum(len(e.stations) for e in extractions) > len(extractions)


def _worker_state(_: int) -> tuple[int, int]:
    """(pid, jieba tokenizers loaded) as seen inside a worker before it segments anything."""
    return os.getpid(), tokenizer.cache_info().currsize


def test_workers_are_processes_with_resources_loaded_once(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    seen = parallel.map_ordered("probe", _worker_state, list(range(64)))
    pids = {pid for pid, _ in seen}
    assert os.getpid() not in pids and len(pids) == 2
    assert {loaded for _, loaded in seen} == {1}  # the initializer already loaded the dictionary


def test_between_batches_workers_are_fresh_forks_with_resources_loaded(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    before = {pid for pid, _ in parallel.map_ordered("probe", _worker_state, list(range(64)))}
    batch_memory.release_memory()
    seen = parallel.map_ordered("probe", _worker_state, list(range(64)))
    assert not before & {pid for pid, _ in seen} and len({pid for pid, _ in seen}) == 2
    assert {loaded for _, loaded in seen} == {1}  # forked from the server that had loaded them


def test_small_batches_and_one_worker_stay_in_process(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    few = parallel.map_ordered("probe", _worker_state, list(range(parallel.MIN_PARALLEL_ITEMS - 1)))
    assert {pid for pid, _ in few} == {os.getpid()}
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    many = parallel.map_ordered("probe", _worker_state, list(range(64)))
    assert {pid for pid, _ in many} == {os.getpid()}


@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_a_bad_worker_count_is_named(value: str, monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, value)
    with pytest.raises(ValueError, match=f"{parallel.WORKERS_ENV}='{value}'"):
        parallel.worker_count()


def test_build_streams_the_corpus_in_batches(db_url: str, tmp_path: Path, monkeypatch):
    trims, thresholds = [], []
    monkeypatch.setattr(build_module, "release_memory", lambda: trims.append(1))
    materialize = build_module._materialize

    def watched(*args, **kwargs):  # noqa: ANN202 - the wrapped function's
        thresholds.append(gc.get_threshold())
        return materialize(*args, **kwargs)

    monkeypatch.setattr(build_module, "_materialize", watched)
    before = gc.get_threshold()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for prefix in ("000", "002"):  # seeds without mojibake: the quickest to build
        (corpus / SEEDS[prefix].name).write_bytes(SEEDS[prefix].read_bytes())
    heard = []
    with dg.instance_for_test() as instance:
        summary = build([corpus], db_url, instance=instance, batch_files=1, on_batch=heard.append)
        assert [b.files for b in heard] == [1, 1]
        assert len(trims) == 2  # the heap a batch leaves is handed back before the next one
        # no full collection mid-batch (they walk the whole batch); the collector is as it was afterwards
        assert [t[2] for t in thresholds] == [batch_memory._NO_FULL_COLLECTIONS] * 2
        assert [t[:2] for t in thresholds] == [before[:2]] * 2 and gc.get_threshold() == before
        assert (summary.files, summary.new, summary.rejected) == (2, 2, 0)
        assert len(summary.batch_keys) == 2 and summary.batch_keys == [b.batch_key for b in heard]
        assert instance.get_dynamic_partitions("ingest_batch") == summary.batch_keys
        assert all(run.is_success for run in instance.get_runs()) and len(instance.get_runs()) == 2
        again = build([corpus], db_url, instance=instance, batch_files=1)
        assert (again.new, again.unchanged) == (0, 2)
        assert len(again.batch_keys) == 1  # unchanged files share one batch: one run, not one per batch
        (corpus / SEEDS["000"].name).write_bytes(SEEDS["000"].read_bytes() + "\n补记一句。".encode())
        changed = build([corpus], db_url, instance=instance, batch_files=1)
        assert len(changed.batch_keys) == 2 and (changed.files, changed.unchanged) == (2, 1)
        assert changed.new + changed.updated == 1


def test_a_cleaner_bug_on_one_file_rejects_that_file_not_the_batch(monkeypatch):
    # found by the 100,000-article benchmark: an exception other than CleanError used to fail the whole batch
    from pipelines.batch import stages

    real = stages.clean_article

    def flaky(raw):
        if raw.path.endswith(SEEDS["002"].name):
            raise ValueError("overlapping replacements at 354 (mojibake)")
        return real(raw)

    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    monkeypatch.setattr(stages, "clean_article", flaky)
    batch = clean_batch(read_batch([SEEDS["000"], SEEDS["002"]]).articles)
    assert [a.raw.path for a in batch.articles] == [str(SEEDS["000"])]
    [rejection] = batch.rejections
    assert (rejection.path, rejection.code) == (str(SEEDS["002"]), "error")
    assert "ValueError: overlapping replacements" in rejection.reason


def test_a_group_labelled_in_one_model_call_gets_what_each_article_gets_alone():
    _, _, segmented = _run_seeds()
    assert sum(1 for s in segmented for _ in extract_article(s).practices) > 20
    assert extract_articles(segmented) == [extract_article(s) for s in segmented]


def _run_seeds() -> tuple:
    read = read_batch([SEEDS[k] for k in sorted(SEEDS)])
    cleaned = clean_batch(read.articles)
    return read, cleaned, segment_batch(simplify_batch(cleaned.articles))
