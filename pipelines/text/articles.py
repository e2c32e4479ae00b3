"""The plain data each stage hands to the next (dataclasses in, dataclasses out)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from pipelines.text.offsets import OffsetMap
from pipelines.text.read import RawArticle
from pipelines.text.reprints import Fingerprint
from pipelines.text.simplify import SimplifiedText

METADATA_FIELDS = ("title", "published", "publisher", "author", "editor", "url")


def article_id_for(clean_text: str) -> str:
    """An article is its cleaned text: a byte-identical copy under another name gets the same id."""
    return hashlib.sha256(clean_text.encode("utf-8")).hexdigest()[:32]


OFF_TOPIC = "off_topic"  # a Rejection code that holds a file for review (pipelines.extract.topic), not a fault


@dataclass(frozen=True)
class Rejection:
    path: str
    code: str  # empty | binary | undecodable | oversize | type | no_text | not_chinese | error | off_topic
    reason: str
    file_sha256: str | None = None
    size: int = 0


@dataclass(frozen=True)
class ArticleMeta:
    title: str | None = None
    subtitle: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    author: str | None = None
    editor: str | None = None
    url: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in METADATA_FIELDS if getattr(self, name) in (None, ""))


@dataclass(frozen=True)
class RepairReport:
    """What the cleaner changed; spans are in the clean text so later stages can skip unrecovered runs."""

    glosses_removed: int = 0
    entities_fixed: int = 0
    mojibake_runs: int = 0
    mojibake_chars: int = 0
    mojibake_chars_recovered: int = 0
    unrecoverable_spans: tuple[tuple[int, int], ...] = ()
    boilerplate_removed: int = 0

    @property
    def repaired(self) -> bool:
        return bool(self.glosses_removed or self.entities_fixed or self.mojibake_runs)

    @property
    def flagged(self) -> bool:
        return bool(self.unrecoverable_spans)

    def as_dict(self) -> dict[str, object]:
        return {
            "glosses_removed": self.glosses_removed,
            "entities_fixed": self.entities_fixed,
            "mojibake_runs": self.mojibake_runs,
            "mojibake_chars": self.mojibake_chars,
            "mojibake_chars_recovered": self.mojibake_chars_recovered,
            "unrecoverable_spans": [list(span) for span in self.unrecoverable_spans],
            "boilerplate_removed": self.boilerplate_removed,
        }


@dataclass(frozen=True)
class CleanArticle:
    raw: RawArticle
    id: str
    text: str  # body in the original script
    to_raw: OffsetMap  # clean position → span of raw.text (for HTML: of the extracted text)
    meta: ArticleMeta
    repairs: RepairReport
    captions: tuple[str, ...] = ()
    source_text: str = ""  # what to_raw points into: raw.text, or the extracted text of an HTML page


@dataclass(frozen=True)
class SimplifiedArticle:
    clean: CleanArticle
    simplified: SimplifiedText
    meta: ArticleMeta  # the clean article's metadata in Simplified script

    @property
    def id(self) -> str:
        return self.clean.id


@dataclass(frozen=True)
class SentenceRecord:
    seq: int
    start: int  # span in the simplified text
    end: int
    original_start: int  # span in the clean original-script text
    original_end: int
    text: str
    original_text: str
    # space-separated, as the warehouse stores them: one string instead of a tuple of ~40 small ones is a third
    # of the memory a batch holds and travels between processes much faster
    tokens: str
    search_tokens: str

    @property
    def token_count(self) -> int:
        return self.tokens.count(" ") + 1 if self.tokens else 0


@dataclass(frozen=True)
class SegmentedArticle:
    article: SimplifiedArticle
    sentences: tuple[SentenceRecord, ...] = field(default_factory=tuple)
    # computed with the sentences, in a worker, so the load step (one process) does not pay for MinHash
    fingerprint: Fingerprint | None = None

    @property
    def id(self) -> str:
        return self.article.id
