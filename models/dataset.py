"""The reviewed training data in `models/data/`: one JSON object per sentence, read and checked.

Each row keeps the rules' weak label beside the reviewed label(s), so a reader can see every correction:
`{"id", "split": "train"|"heldout", "source", "provenance", "text", "weak": [...], "labels": [...],
"corrected"}`; a sentence that describes no category is labelled ["none"].
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from models.rules import NONE
from pipelines.extract.practices import CATEGORIES

DATA_FILES = ("train.jsonl", "heldout.jsonl")
SPLITS = ("train", "heldout")


class DatasetError(ValueError):
    """A data file that is missing or malformed; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    id: str
    split: str
    source: str
    text: str
    weak: tuple[str, ...]
    labels: tuple[str, ...]  # categories; empty for "none"
    corrected: bool

    @property
    def group(self) -> str:
        """Cross-validation group: a corpus article stays in one fold; written sentences stand alone."""
        return self.source if self.source.startswith("corpus/") else self.id


def default_data_dir() -> Path:
    return Path(str(resources.files("models") / "data"))


def _categories(value: object, where: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise DatasetError(f"{where}: {field!r} must be a non-empty list of category names")
    unknown = [v for v in value if v != NONE and v not in CATEGORIES]
    if unknown:
        raise DatasetError(f"{where}: unknown {field} {', '.join(unknown)} (known: {', '.join(CATEGORIES)}, none)")
    if NONE in value and len(value) > 1:
        raise DatasetError(f"{where}: {field!r} cannot hold 'none' beside a category")
    return tuple(v for v in value if v != NONE)


def load_examples(data_dir: Path | None = None) -> list[Example]:
    """Every row of train.jsonl and heldout.jsonl; a malformed row is an error naming its file and line."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    examples: list[Example] = []
    seen: set[str] = set()
    for name in DATA_FILES:
        path = data_dir / name
        if not path.is_file():
            raise DatasetError(f"{path}: training data file not found")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{where}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise DatasetError(f"{where}: expected a JSON object")
            missing = [k for k in ("id", "split", "source", "text", "weak", "labels") if k not in row]
            if missing:
                raise DatasetError(f"{where}: missing {', '.join(missing)}")
            if row["split"] not in SPLITS or row["split"] != name.removesuffix(".jsonl"):
                raise DatasetError(f"{where}: split {row['split']!r} does not belong in {name}")
            if not isinstance(row["text"], str) or not row["text"].strip():
                raise DatasetError(f"{where}: empty text")
            if row["id"] in seen:
                raise DatasetError(f"{where}: duplicate id {row['id']!r}")
            seen.add(row["id"])
            labels = _categories(row["labels"], where, "labels")
            weak = _categories(row["weak"], where, "weak")
            examples.append(
                Example(
                    row["id"],
                    row["split"],
                    str(row["source"]),
                    row["text"],
                    weak,
                    labels,
                    bool(row.get("corrected", set(weak) != set(labels))),
                )
            )
    return examples


def data_hash(data_dir: Path | None = None) -> str:
    """sha256 over the data files' bytes, in a fixed order: what the artifact was trained on."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()
