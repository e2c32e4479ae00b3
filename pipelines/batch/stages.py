"""The stages over a batch of files: read → clean → simplify → segment.

The same functions run from tests, from `fqa`, and inside the Dagster assets, which only add timing and
metadata. A file that fails any stage becomes a `Rejection` naming the file and the problem; it never stops
the rest of the batch.

The CPU-heavy stages (read, clean, segment, extract) run over `parallel`'s process pool, one worker per core,
one article per item (extract: groups of 8, labelled in one model call); results come back in input order and
are identical to a run in one process. Simplify stays in the calling process: OpenCC takes ~1 ms an article,
less than shipping the article to a worker; so does recognising unchanged files by their hash.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipelines.batch import parallel, progress, synth
from pipelines.extract.article import ArticleExtraction, extract_articles
from pipelines.text.articles import (
    CleanArticle,
    Rejection,
    SegmentedArticle,
    SentenceRecord,
    SimplifiedArticle,
)
from pipelines.text.clean import CleanError, clean_article
from pipelines.text.read import DEFAULT_MAX_BYTES, IngestError, RawArticle, file_hash, read_article
from pipelines.text.reprints import Fingerprint, fingerprint
from pipelines.text.segment import split_sentences, tokenizer
from pipelines.text.simplify import config_for, convert, simplify

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w", re.UNICODE)  # as in segment: tokens without a word character are punctuation


@dataclass
class ReadBatch:
    articles: list[RawArticle] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # paths whose bytes the warehouse already holds
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return len(self.articles) + len(self.unchanged) + len(self.rejections)


@dataclass
class CleanBatch:
    articles: list[CleanArticle] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def read_batch(
    paths: Iterable[str | Path],
    known: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_synthetic: bool | None = None,
) -> ReadBatch:
    """Decode every file whose content hash differs from what the warehouse recorded for its path.

    Generated benchmark articles (`fqa synth`) are rejected unless `allow_synthetic`, or `FQA_ALLOW_SYNTHETIC`
    when it is None, says this warehouse is a benchmark one.
    """
    known = known or {}
    allow = synth.synthetic_allowed() if allow_synthetic is None else allow_synthetic
    batch = ReadBatch()
    # Unchanged files are recognised here, not in the pool: hashing a file takes ~50 µs, shipping it to a worker
    # more, and an unchanged re-run of 100,000 files would otherwise wake the pool for nothing.
    tasks = []
    for path in (str(p) for p in paths):
        if known.get(path) is not None and file_hash(path) == known[path]:
            batch.unchanged.append(path)
        else:
            tasks.append((path, max_bytes, allow))
    for outcome in parallel.map_ordered("read", _read_one, tasks):
        if isinstance(outcome, Rejection):
            batch.rejections.append(outcome)
        else:
            batch.articles.append(outcome)
    return batch


def _read_one(task: tuple[str, int, bool]) -> RawArticle | Rejection:
    """One file of `read_batch` (in a worker): the article or its rejection."""
    path, max_bytes, allow_synthetic = task
    try:
        raw = read_article(path, max_bytes=max_bytes)
    except IngestError as exc:
        # The hash and size of what was read, never a second unbounded read (a pipe would hang, a huge file fill
        # memory).
        return Rejection(path, exc.code, exc.reason, exc.file_sha256, exc.size)
    except OSError as exc:
        return Rejection(path, "unreadable", f"cannot read: {exc.strerror or exc}")
    if not allow_synthetic and synth.is_synthetic(raw.text):
        return Rejection(path, "synthetic", synth.REFUSAL, raw.file_sha256, raw.size)
    return raw


def clean_batch(raws: Sequence[RawArticle]) -> CleanBatch:
    batch = CleanBatch()
    for outcome in parallel.map_ordered("clean", _clean_one, raws):
        if isinstance(outcome, Rejection):
            batch.rejections.append(outcome)
        else:
            batch.articles.append(outcome)
    return batch


def _clean_one(raw: RawArticle) -> CleanArticle | Rejection:
    try:
        return clean_article(raw)
    except CleanError as exc:
        return Rejection(raw.path, exc.code, exc.reason, raw.file_sha256, raw.size)
    except Exception as exc:  # noqa: BLE001 - a cleaner bug on one file must not fail its batch of 500
        reason = f"cleaning failed ({type(exc).__name__}: {exc}); please report this file"
        return Rejection(raw.path, "error", reason, raw.file_sha256, raw.size)


def simplify_article(article: CleanArticle) -> SimplifiedArticle:
    simplified = simplify(article.text)
    config = config_for(simplified.script)
    meta = replace(
        article.meta,
        **{name: convert(value, config) for name, value in vars(article.meta).items() if isinstance(value, str)},
    )
    return SimplifiedArticle(article, simplified, meta)


def segment_article(article: SimplifiedArticle) -> SegmentedArticle:
    return SegmentedArticle(article, *_segment_one(article))


def _segment_one(article: SimplifiedArticle) -> tuple[tuple[SentenceRecord, ...], Fingerprint]:
    """Sentences and reprint fingerprint of one article (in a worker only these travel back, not the article)."""
    return _sentences_of(article), fingerprint(article.simplified.simplified)


def _sentences_of(article: SimplifiedArticle) -> tuple[SentenceRecord, ...]:
    """The sentence records of one article."""
    text = article.simplified.simplified
    original = article.simplified.original
    sentences = []
    for seq, sentence in enumerate(split_sentences(text)):
        o_start, o_end = article.simplified.original_span(sentence.start, sentence.end)
        tokens, search = sentence_tokens(sentence.text)
        sentences.append(
            SentenceRecord(
                seq=seq,
                start=sentence.start,
                end=sentence.end,
                original_start=o_start,
                original_end=o_end,
                text=sentence.text,
                original_text=original[o_start:o_end],
                tokens=" ".join(tokens),
                search_tokens=" ".join(search),
            )
        )
    return tuple(sentences)


def sentence_tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`segment.tokenize` and `segment.search_tokens` of a sentence from ONE jieba pass instead of two.

    Hand-written because jieba has no call returning both: its `cut_for_search` is `cut` (HMM on, as
    `tokenize` uses) followed by the dictionary 2- and 3-grams inside each word longer than 2 and 3 characters,
    and that expansion is repeated here verbatim. Segmentation is the floor's dominant cost, so this halves
    the segment stage; `tests/batch/test_parallel.py` checks the output equals the two separate calls.
    """
    tok = tokenizer()
    freq = tok.FREQ
    tokens: list[str] = []
    search: list[str] = []
    for word in tok.cut(text):
        if not _WORD.search(word):
            continue
        tokens.append(word)
        if len(word) > 2:
            search.extend(gram for i in range(len(word) - 1) if freq.get(gram := word[i : i + 2]))
        if len(word) > 3:
            search.extend(gram for i in range(len(word) - 2) if freq.get(gram := word[i : i + 3]))
        search.append(word)
    return tuple(tokens), tuple(search)


def simplify_batch(articles: Sequence[CleanArticle]) -> list[SimplifiedArticle]:
    return [simplify_article(article) for article in progress.each("simplify", articles)]


def segment_batch(articles: Sequence[SimplifiedArticle]) -> list[SegmentedArticle]:
    segmented = parallel.map_ordered("segment", _segment_one, articles)
    return [SegmentedArticle(article, *parts) for article, parts in zip(articles, segmented, strict=True)]


EXTRACT_GROUP = 8  # articles per extraction task: their practices are labelled in one model call


def extract_batch(articles: Sequence[SegmentedArticle]) -> list[ArticleExtraction]:
    """Stations, places, practices and statistics of every article, over the pool in groups."""
    size = max(1, min(EXTRACT_GROUP, len(articles) // parallel.MIN_PARALLEL_ITEMS))  # small batches: still parallel
    groups = [articles[i : i + size] for i in range(0, len(articles), size)]
    done = parallel.map_ordered("extract", extract_articles, groups, chunksize=1)
    return [extraction for group in done for extraction in group]


def process_files(
    paths: Iterable[str | Path], known: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ReadBatch, CleanBatch, list[SegmentedArticle]]:
    """All stages in one call, for `fqa extract`, tests and benchmarks."""
    read = read_batch(paths, known, max_bytes)
    cleaned = clean_batch(read.articles)
    segmented = segment_batch(simplify_batch(cleaned.articles))
    return read, cleaned, segmented
