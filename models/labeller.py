"""Categories for extracted practices: the rules, overruled by the latest model where it beat them.

`label_practices` is what the extraction stage calls, once per article. The rules
(`pipelines.extract.practices.categorize`) pick a category from the practice's name and sentence; the model reads the
same text. The model's answer replaces
the rules' only among the categories the artifact records as won by the model (`use_model`), or when the
rules found no keyword at all (their answer is then a default, not evidence). Every label records the
artifact version and the model's probability for the category given, so a researcher can filter on both.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from models.artifacts import Artifact, ArtifactError, latest_artifact, load_model
from pipelines.extract.practices import CATEGORIES, keyword_hits

log = logging.getLogger(__name__)

KIND = "category"  # the artifacts' kind (models/artifacts.py)
CATEGORY_NAMES = tuple(CATEGORIES)  # the order of the model's outputs


@dataclass(frozen=True)
class PracticeLabel:
    category: str
    confidence: float | None  # the model's probability of `category`; None without a usable model
    model_version: str | None


@dataclass(frozen=True)
class CategoryLabeller:
    model: Any
    artifact: Artifact

    @property
    def meta(self) -> dict[str, Any]:
        return self.artifact.meta

    @property
    def version(self) -> str:
        return self.artifact.version

    def label(self, name: str, sentence: str, rule_category: str) -> PracticeLabel:
        return self.label_many([(name, sentence, rule_category)])[0]

    def label_many(
        self, items: list[tuple[str, str, str]], segmented: Mapping[str, Sequence[str]] | None = None
    ) -> list[PracticeLabel]:
        """One model call for all of an article's practices: per-call overhead in scikit-learn dwarfs the maths.

        `segmented`: sentences' words as the segment stage found them (`features.known_words`), so the model
        need not segment them again."""
        if not items:
            return []
        from models.features import known_words  # scikit-learn: loaded where the model runs, not on import

        texts = [sentence if name in sentence else f"{name}。{sentence}" for name, sentence, _ in items]
        with known_words(segmented or {}):
            rows = self.model.predict_proba(texts)
        return [self._decide(*item, row) for item, row in zip(items, rows, strict=True)]

    def _decide(self, name: str, sentence: str, rule_category: str, row: Any) -> PracticeLabel:  # noqa: ANN401
        probs = dict(zip(CATEGORY_NAMES, row, strict=True))
        won = [c for c in self.meta["use_model"] if c in probs]
        threshold = float(self.meta["threshold"])
        rules_abstained = not any(keyword_hits(f"{name} {sentence}").values())
        category = rule_category
        if rules_abstained:
            category = max(won or CATEGORY_NAMES, key=probs.__getitem__)
        elif rule_category in won and probs[rule_category] < threshold:
            best = max(won, key=probs.__getitem__)
            if probs[best] >= threshold:
                category = best
        return PracticeLabel(category, round(float(probs.get(category, 0.0)), 4), self.version)


@lru_cache(maxsize=4)
def labeller(artifacts_dir: Path | None = None) -> CategoryLabeller | None:
    """The latest category artifact, loaded once per process; None (with a warning) when it is unusable."""
    try:
        artifact = latest_artifact(KIND, artifacts_dir)
        return CategoryLabeller(load_model(artifact), artifact)
    except ArtifactError as exc:
        log.warning("category model not used, practices keep the rules' categories: %s", exc)
        return None


def label_practice(name: str, sentence: str, rule_category: str) -> PracticeLabel:
    """Category, confidence and artifact version for one extracted practice."""
    return label_practices([(name, sentence, rule_category)])[0]


def label_practices(
    items: list[tuple[str, str, str]], segmented: Mapping[str, Sequence[str]] | None = None
) -> list[PracticeLabel]:
    """`label_practice` for many (name, sentence, rule category) triples at once (`segmented`: as `label_many`)."""
    current = labeller()
    if current is None:
        return [PracticeLabel(rule, None, None) for _, _, rule in items]
    return current.label_many(items, segmented)
