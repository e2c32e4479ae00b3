"""The generated benchmark corpus: deterministic, varied, damaged like the seeds, and refused by the real archive."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from pipelines.batch import synth
from pipelines.batch.stages import clean_batch, read_batch
from pipelines.cli import app
from pipelines.defs.build import build
from pipelines.text.read import read_article
from pipelines.text.simplify import detect_script
from tests.conftest import CORPUS

runner = CliRunner()
SAMPLE = 60


@pytest.fixture(scope="module")
def material() -> synth.Material:
    return synth.load_material([CORPUS])


@pytest.fixture(scope="module")
def sample(material: synth.Material) -> list[synth.SyntheticArticle]:
    return [synth.generate(material, i, seed=7) for i in range(SAMPLE)]


def _text(article: synth.SyntheticArticle) -> str:
    return article.data.decode(article.encoding)


def test_same_seed_same_bytes_other_seed_other_bytes(material: synth.Material):
    assert synth.generate(material, 3, seed=1) == synth.generate(material, 3, seed=1)
    assert synth.generate(material, 3, seed=1).data != synth.generate(material, 3, seed=2).data
    assert synth.generate(material, 3, seed=1).data != synth.generate(material, 4, seed=1).data


def test_material_comes_from_the_cleaned_corpus(material: synth.Material):
    assert len(material.sentences) > 100
    clean_bodies = "".join(material.sentences)
    assert "\ufffd" not in clean_bodies and "(qū)" not in clean_bodies  # damage is added later, on purpose
    assert material.glosses.get("區") == "qū"  # harvested from seed 001's raw text


def test_every_article_is_marked_and_realistically_sized(sample: list[synth.SyntheticArticle]):
    for article in sample:
        text = _text(article)
        assert synth.is_synthetic(text), article.name
        assert synth.MIN_CHARS <= len(text) <= synth.MAX_CHARS + 2500, (article.name, len(text))


def test_scripts_encodings_pages_and_damage_vary(sample: list[synth.SyntheticArticle]):
    scripts = Counter(a.script for a in sample)
    assert 0.2 <= scripts["traditional"] / SAMPLE <= 0.5  # about a third Traditional
    encodings = Counter(a.encoding for a in sample)
    assert {"utf_8", "gb18030", "big5hkscs"} <= set(encodings), encodings
    assert any(a.name.endswith(".html") for a in sample)
    damage = Counter(d for a in sample for d in a.damage)
    assert {"pinyin_glosses", "mojibake", "boilerplate", "s2t", "s2tw"} <= set(damage), damage
    for article in sample:
        if article.script == "traditional" and "mojibake" not in article.damage:  # GBK garble reads as mixed
            assert detect_script(_text(article)).script == "traditional", article.name


def test_station_names_and_figures_are_varied(sample: list[synth.SyntheticArticle]):
    stations = Counter(m.group() for a in sample for m in synth._STATION.finditer(_text(a)))
    assert len(stations) >= 30, stations.most_common(5)
    percents = [float(m.group(1)) for a in sample for m in synth.re.finditer(r"(\d+(?:\.\d+)?)%", _text(a))]
    assert percents and all(0 <= p <= 100 for p in percents)


def test_mojibake_is_made_as_the_seeds_damage_arose():
    # one lost lead byte: every pair is read one byte late until an ASCII byte. Here F1BE → 窬; AFD1 starts in
    # the private area and vanishes; …; the odd byte A1 left in front of "," becomes "?" and swallows it
    data = "民警迅速到达现场,好".encode("gbk")[1:]
    assert synth._decode_out_of_step(data) == "窬杆俚酱锵殖?好"
    # the repair stage finds such runs in generated paragraphs (it was built from the seeds' damage)
    from pipelines.text.mojibake import repair_damage

    paragraph = "近日，该所民警迅速到达现场,将二人的情绪安抚下来,并组织双方调解,最终达成和解协议。"
    damaged = [synth._mojibake(paragraph, synth.random.Random(seed)) for seed in range(6)]
    assert all(d != paragraph for d in damaged)
    assert sum(bool(repair_damage(d).runs) for d in damaged) >= 4


def test_files_decode_and_every_stage_has_work(tmp_path: Path, material: synth.Material):
    written = list(synth.write_corpus(material, 24, tmp_path, seed=5))
    assert [w for _, w in written] == [True] * 24
    paths = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert len(paths) == 24
    for path in paths:
        assert synth.is_synthetic(read_article(path).text)
    batch = read_batch(paths, allow_synthetic=True)
    assert len(batch.articles) == 24 and {r.encoding for r in batch.articles} >= {"utf_8", "gb18030"}
    cleaned = clean_batch(batch.articles)
    assert not cleaned.rejections
    assert sum(a.repairs.glosses_removed for a in cleaned.articles) > 0
    assert sum(a.repairs.mojibake_runs for a in cleaned.articles) > 0
    assert sum(a.repairs.boilerplate_removed for a in cleaned.articles) > 0


def test_writing_resumes_where_it_stopped(tmp_path: Path, material: synth.Material):
    list(synth.write_corpus(material, 5, tmp_path))
    victim = tmp_path / synth.file_name(2)
    before = victim.read_bytes()
    victim.unlink()
    outcome = dict(synth.write_corpus(material, 7, tmp_path))
    assert outcome == {0: False, 1: False, 2: True, 3: False, 4: False, 5: True, 6: True}
    assert victim.read_bytes() == before


def test_the_archive_refuses_generated_articles(tmp_path: Path, material: synth.Material, monkeypatch):
    monkeypatch.delenv(synth.ALLOW_ENV, raising=False)
    list(synth.write_corpus(material, 3, tmp_path))
    paths = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    refused = read_batch(paths)
    assert not refused.articles
    assert [r.code for r in refused.rejections] == ["synthetic"] * 3
    assert synth.ALLOW_ENV in refused.rejections[0].reason
    monkeypatch.setenv(synth.ALLOW_ENV, "1")
    assert len(read_batch(paths).articles) == 3
    assert not read_batch(paths, allow_synthetic=False).articles  # an explicit False wins over the env


def test_build_refuses_them_unless_the_warehouse_is_a_benchmark_one(
    db_url: str, tmp_path: Path, material: synth.Material, monkeypatch
):
    monkeypatch.delenv(synth.ALLOW_ENV, raising=False)
    corpus = tmp_path / "synthetic"
    list(synth.write_corpus(material, 2, corpus))
    with dg.instance_for_test() as instance:
        refused = build([corpus], db_url, instance=instance)
        assert (refused.new, refused.rejected) == (0, 2)
        assert all("fqa synth" in line for line in refused.rejections)
        monkeypatch.setenv(synth.ALLOW_ENV, "1")
        accepted = build([corpus], db_url, instance=instance)
        assert accepted.new == 2


def test_cli_writes_the_corpus_and_names_a_bad_out(tmp_path: Path):
    out = tmp_path / "bench"
    result = runner.invoke(app, ["synth", "4", "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "4 written" in " ".join(result.output.split())  # rich wraps long lines
    assert len([p for p in out.rglob("*") if p.is_file()]) == 4
    again = runner.invoke(app, ["synth", "4", "--out", str(out), "--seed", "3"])
    assert "0 written, 4 already there" in " ".join(again.output.split())
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    bad = runner.invoke(app, ["synth", "2", "--out", str(a_file)])
    assert bad.exit_code == 1 and f"{a_file}: --out must be a folder" in "".join(bad.output.split("\n"))
