"""The practice-category classifier: trained on the reviewed sentences, scored against the rules, saved.

Multi-label (a sentence can do several things, or none): one logistic regression per category (one-vs-rest)
over jieba-word and character TF-IDF plus the rules' own keyword evidence (`features.py`). Class weights
are balanced because most categories are rare; that shifts the probabilities upward, so the decision
threshold is chosen by cross-validation and recorded with the model.

Scoring, on the same examples for both: macro-F1 by grouped cross-validation over the training split (a
corpus article never sits in two folds) and on the held-out split, per category, for the model and for the
rules alone (`rules.rule_labels`). The model is used only for the categories where its cross-validated F1
beats the rules'; that decision is made on the training split and recorded in the artifact, so the held-out
figures stay an honest estimate of the combination actually used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from models.artifacts import Artifact, save_model
from models.dataset import Example, data_hash, load_examples
from models.features import make_classifier_features, to_simplified
from models.labeller import CATEGORY_NAMES, KIND
from models.rules import rule_labels

MODEL_REVISION = 1  # bump when features or estimator change: part of the artifact version
CV_FOLDS = 4
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
# The labeller in use (model where it won, rules elsewhere) must reach this held-out macro-F1; the rules alone
# reach 0.69 on the current held-out split, so a model that falls to the rules' level fails the asset check.
HELDOUT_MACRO_F1_BAR = 0.70


def make_model() -> Pipeline:
    classifier = LogisticRegression(C=3.0, class_weight="balanced", solver="liblinear")
    return Pipeline([("features", make_classifier_features()), ("classify", OneVsRestClassifier(classifier))])


def label_matrix(label_sets: Sequence[Sequence[str]]) -> np.ndarray:
    index = {c: i for i, c in enumerate(CATEGORY_NAMES)}
    matrix = np.zeros((len(label_sets), len(CATEGORY_NAMES)), dtype=int)
    for row, labels in enumerate(label_sets):
        for label in labels:
            matrix[row, index[label]] = 1
    return matrix


def rules_matrix(texts: Sequence[str]) -> np.ndarray:
    return label_matrix([rule_labels(to_simplified(t)) for t in texts])


def combine(model_pred: np.ndarray, rules_pred: np.ndarray, use_model: Sequence[str]) -> np.ndarray:
    """The model's decision for the categories it won, the rules' for the rest."""
    mask = np.array([c in use_model for c in CATEGORY_NAMES])
    return np.where(mask, model_pred, rules_pred)


def _f1(truth: np.ndarray, pred: np.ndarray) -> tuple[float, dict[str, float]]:
    per = f1_score(truth, pred, average=None, zero_division=0)
    return round(float(np.mean(per)), 4), {c: round(float(f), 4) for c, f in zip(CATEGORY_NAMES, per, strict=True)}


@dataclass
class TrainingReport:
    threshold: float
    use_model: list[str]
    cv: dict[str, Any]  # {"model"|"rules": {"macro": f, "per_category": {...}}}
    heldout: dict[str, Any]  # {"model"|"rules"|"combined": {...}, "subsets": {name: {...}}}
    counts: dict[str, int]

    def as_meta(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "use_model": self.use_model,
            "cv": self.cv,
            "heldout": self.heldout,
            "counts": self.counts,
        }


def cross_validate(train: Sequence[Example]) -> np.ndarray:
    """Out-of-fold probabilities over the training split; one corpus article never spans two folds."""
    texts = [e.text for e in train]
    truth = label_matrix([e.labels for e in train])
    probs = np.zeros(truth.shape, dtype=float)
    for fit_rows, score_rows in GroupKFold(n_splits=CV_FOLDS).split(texts, truth, [e.group for e in train]):
        model = make_model().fit([texts[i] for i in fit_rows], truth[fit_rows])
        probs[score_rows] = model.predict_proba([texts[i] for i in score_rows])
    return probs


def evaluate(
    model: Pipeline, train: Sequence[Example], heldout: Sequence[Example], cv_probs: np.ndarray
) -> TrainingReport:
    truth = label_matrix([e.labels for e in train])
    threshold = max(THRESHOLDS, key=lambda t: _f1(truth, (cv_probs >= t).astype(int))[0])
    cv_model = _f1(truth, (cv_probs >= threshold).astype(int))
    cv_rules = _f1(truth, rules_matrix([e.text for e in train]))
    use_model = [c for c in CATEGORY_NAMES if cv_model[1][c] > cv_rules[1][c]]

    held_truth = label_matrix([e.labels for e in heldout])
    held_model = (model.predict_proba([e.text for e in heldout]) >= threshold).astype(int)
    held_rules = rules_matrix([e.text for e in heldout])
    held_combined = combine(held_model, held_rules, use_model)

    def scores(rows: np.ndarray) -> dict[str, Any]:
        out = {}
        for name, pred in (("model", held_model), ("rules", held_rules), ("combined", held_combined)):
            macro, per = _f1(held_truth[rows], pred[rows])
            out[name] = {"macro": macro, "per_category": per}
        return out

    everything = np.ones(len(heldout), dtype=bool)
    written = np.array([e.source == "written" for e in heldout])
    heldout_scores = scores(everything)
    heldout_scores["subsets"] = {
        "written (rules never tuned on it)": {k: v["macro"] for k, v in scores(written).items()},
        "corpus article (rules written against it)": {k: v["macro"] for k, v in scores(~written).items()},
    }
    return TrainingReport(
        threshold=threshold,
        use_model=use_model,
        cv={
            "model": {"macro": cv_model[0], "per_category": cv_model[1]},
            "rules": {"macro": cv_rules[0], "per_category": cv_rules[1]},
        },
        heldout=heldout_scores,
        counts={
            "train": len(train),
            "heldout": len(heldout),
            "heldout_written": int(written.sum()),
            "corrected_weak_labels": sum(e.corrected for e in (*train, *heldout)),
        },
    )


@dataclass
class TrainedModel:
    artifact: Artifact
    report: TrainingReport


def train(data_dir: Path | None = None, artifacts_dir: Path | None = None) -> TrainedModel:
    """Fit on the training split, score, and save the artifact with its metrics, bar and decisions."""
    examples = load_examples(data_dir)
    train_split = [e for e in examples if e.split == "train"]
    heldout = [e for e in examples if e.split == "heldout"]
    if not train_split or not heldout:
        raise ValueError(f"{data_dir or 'models/data'}: need both a train and a heldout split")
    cv_probs = cross_validate(train_split)
    model = make_model().fit([e.text for e in train_split], label_matrix([e.labels for e in train_split]))
    report = evaluate(model, train_split, heldout, cv_probs)
    digest = data_hash(data_dir)
    version = f"r{MODEL_REVISION}-{digest[:10]}"
    meta = {
        "model": "one-vs-rest logistic regression (liblinear, balanced) on jieba-word + char 1-3-gram TF-IDF "
        "+ rule keyword evidence",
        "categories": list(CATEGORY_NAMES),
        "training_data_sha256": digest,
        "bar": {"heldout_macro_f1": HELDOUT_MACRO_F1_BAR, "of": "combined"},
        **report.as_meta(),
    }
    return TrainedModel(save_model(model, KIND, version, meta, artifacts_dir), report)


def heldout_macro_f1(model: Pipeline, meta: dict[str, Any], data_dir: Path | None = None) -> float:
    """Re-score a saved model, with its recorded threshold and decisions, on the current held-out split."""
    heldout = [e for e in load_examples(data_dir) if e.split == "heldout"]
    truth = label_matrix([e.labels for e in heldout])
    texts = [e.text for e in heldout]
    pred = (model.predict_proba(texts) >= float(meta["threshold"])).astype(int)
    return _f1(truth, combine(pred, rules_matrix(texts), meta["use_model"]))[0]
