"""Full-text search: query parsing in either script, FTS querying, ranking, grouping by article, snippets.

A query is data, never SQL or FTS syntax: it is cut into terms here, and every term reaches the database as
a bound parameter made only of letters and digits, so quotes, `AND (`, `*`, `NEAR` or `;--` are just text.

Semantics. The query is converted to Simplified with OpenCC *before* it is cut into words (normalising after
segmentation would miss Traditional queries, whose words jieba cuts differently). Unquoted text is cut into
words with jieba; a sentence matches when it contains every word. Text in double quotes is a phrase: the
sentence must contain it as written (punctuation inside the phrase may be any punctuation). Words and phrases
are matched on the character-bigram index (`warehouse/fts.py`), so a word is found wherever its characters
occur, inside longer words too: recall equals substring truth. The index keeps no positions (issue 22): it
finds the sentences holding all of a term's bigrams, and each is checked on its text (`matches`). A term's
document frequency (for the BM25 of a query of several terms) is the index's: the sentences holding all of its
bigrams, counted alike on both databases. Ranking is BM25 with whole-word matches (jieba
search-mode tokens) counting three times a match inside a longer word, computed in Python by `bm25` for the
candidates of either database (`ranked_candidates`), so the same articles give the same hits in the same order
on SQLite and PostgreSQL; ties go by score, matches, then article id, and an article's best sentence is the
earliest of its best-scored ones.

Speed. Hits are sentences. At most `CANDIDATE_CAP` matching sentences are ranked (the first in storage order,
in practice the earliest loaded), so a query that matches most of the archive still costs a bounded amount;
the page reports when the cap was reached. PostgreSQL finds them by scanning or through the GIN index,
whichever a probe predicts is cheaper (see `_pg_candidates`). Articles are ranked by their best sentence, and
snippets are made only for the page shown.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import String, bindparam, column, func, literal_column, select, table, text, true
from sqlalchemy.engine import Connection

from pipelines.text.segment import tokenizer
from pipelines.text.simplify import config_for, convert, detect_script
from warehouse import words
from warehouse.filters import Filters, also_published_by
from warehouse.fts import _RUN, FTS_TABLE, PG_TABLE, PG_VECTOR, normalize, run_terms, runs, span_sql
from warehouse.reprint_clusters import counted_once
from warehouse.schema import Article, Sentence, Station, StationArticle, clean_span, span_text

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_LIMIT = 200
CANDIDATE_CAP = 1000
SNIPPET_CHARS = 120
MARK_OPEN, MARK_CLOSE = "【", "】"
WORD_WEIGHT, GRAM_WEIGHT = 3.0, 1.0  # a whole-word hit counts three times a hit inside a longer word

log = logging.getLogger(__name__)
# A sentence's text: its span of the article's simplified text, in queries that join `article` (issue 22).
_SENTENCE_TEXT = span_text(Article.simplified_text, Sentence.start, Sentence.end)

_QUOTED = re.compile(r'"([^"]*)"?|“([^”]*)”?|「([^」]*)」?|(\S+)')
_SURROGATE_OR_CONTROL = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryError(ValueError):
    """The query cannot be searched; the message says why and what to type instead."""


@dataclass(frozen=True)
class Term:
    """A word (unquoted) or a phrase (quoted), as normalised runs of letters and digits."""

    runs: tuple[str, ...]
    phrase: bool

    @property
    def text(self) -> str:
        return " ".join(self.runs)

    def gram_tokens(self) -> tuple[list[str], bool]:
        """Consecutive index terms the sentence must contain, and whether the last is a prefix.

        Every run but the last must end where a run of the sentence ends (so it keeps its closing
        single-character term); the last may continue, so it drops it, and a last run of one character is
        matched as a prefix (the start of a bigram, or a run's closing character).
        """
        tokens: list[str] = []
        for run in self.runs[:-1]:
            tokens.extend(run_terms(run))
        last = self.runs[-1]
        if len(last) == 1:
            return tokens + [last], True
        return tokens + run_terms(last)[:-1], False


@dataclass(frozen=True)
class ParsedQuery:
    original: str
    simplified: str  # the query after OpenCC, before segmentation
    terms: tuple[Term, ...]

    @property
    def needles(self) -> list[str]:
        """Strings to highlight: each word, and each run of each phrase."""
        return sorted({run for term in self.terms for run in term.runs}, key=len, reverse=True)


def parse_query(query: Any) -> ParsedQuery:  # noqa: ANN401 - anything a caller passes is checked here
    if not isinstance(query, str):
        raise QueryError(f"a query is text, not {type(query).__name__}")
    cleaned = _SURROGATE_OR_CONTROL.sub("", query).strip()
    if not cleaned:
        raise QueryError('empty query: give a word or a phrase, e.g. 调解 or "枫桥经验"')
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(cleaned):,} characters long; the limit is {MAX_QUERY_CHARS}")
    simplified = convert(cleaned, config_for(detect_script(cleaned).script))
    terms: list[Term] = []
    for match in _QUOTED.finditer(simplified):
        quoted = next((g for g in match.groups()[:3] if g is not None), None)
        if quoted is not None:
            parts = tuple(runs(quoted))
            if parts:
                terms.append(Term(parts, phrase=True))
            continue
        for run in runs(match.group(4)):
            for word in tokenizer().cut(run):
                word = word.strip()
                if word:
                    terms.append(Term((word,), phrase=False))
    terms = list(dict.fromkeys(terms))
    if not terms:
        raise QueryError(f"query {cleaned!r} has no letters or digits to search for")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"query has {len(terms)} words; the limit is {MAX_TERMS} (use quotes for a phrase)")
    return ParsedQuery(cleaned, simplified, tuple(terms))


# --- the database side -----------------------------------------------------------------------------------


def index_terms(term: Term) -> list[tuple[str, bool]]:
    """The index terms a sentence holding `term` holds, each with whether it is a prefix (a last run of one
    character). The index keeps no positions (issue 22): a match of all of them is a candidate, and `matches`
    checks on the sentence's text that they stand in the term's order."""
    tokens, prefix = term.gram_tokens()
    return list(dict.fromkeys((token, prefix and i == len(tokens) - 1) for i, token in enumerate(tokens)))


def _query_index_terms(parsed: ParsedQuery) -> list[tuple[str, bool]]:
    """Every index term of every term of the query, once each."""
    return list(dict.fromkeys(pair for term in parsed.terms for pair in index_terms(term)))


def fts5_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression: every index term of every term, ANDed (FTS5 refuses phrases on an index
    without positions). Every token is letters and digits only, so quoting it is safe."""
    return " AND ".join(f'"{t}"' + ("*" if prefix else "") for t, prefix in _query_index_terms(parsed))


def pg_match_expression(parsed: ParsedQuery) -> str:
    """The PostgreSQL tsquery for the candidates: every index term of every term, ANDed, as on SQLite (the side
    table's vectors keep no positions)."""
    return " & ".join(f"'{t}'" + (":*" if prefix else "") for t, prefix in _query_index_terms(parsed))


def matches(parsed: ParsedQuery, folded: str) -> bool:
    """Whether a normalised sentence holds every term: a word, or a phrase of one run, as a substring; a phrase
    of several runs as consecutive runs of the sentence (its first run ending one, its last starting one,
    punctuation between them any punctuation). This is what the bigram phrases of the index meant while it kept
    positions, and what a candidate (a sentence holding all of the terms' bigrams, in any order) is checked for."""
    joined = None
    for term in parsed.terms:
        if len(term.runs) == 1:
            if term.runs[0] not in folded:
                return False
            continue
        if joined is None:
            joined = " ".join(_RUN.findall(folded))
        if term.text not in joined:
            return False
    return True


def _candidates(conn: Connection, parsed: ParsedQuery, filters: Filters) -> list[tuple[int, str, float]]:
    """(sentence id, article id, BM25) for at most CANDIDATE_CAP matching sentences.

    Beyond the cap, the sentences ranked are the first matching in storage order: in SQLite the lowest rowids,
    in PostgreSQL the first in `sentence_search`'s storage order; on both, in practice, the earliest loaded (not
    exactly on PostgreSQL: a row that does not fit the last page may take room left on an earlier one, so past
    the cap the two can rank a few different sentences). Ordering all hits to choose others would cost what the
    cap saves.

    The index finds the sentences holding every bigram of every term (it keeps no positions); each is checked
    on its text (`matches`), and when some fail, the index is read on past the last one until CANDIDATE_CAP
    pass or it has no more: the same sentences as a phrase index would have given.
    """
    conditions = [counted_once(), *filters.article_conditions(conn)]
    fetch = _pg_fetcher(conn, parsed, conditions) if conn.dialect.name == "postgresql" else _sqlite_fetcher(
        conn, parsed, conditions
    )
    found: list[int] = []
    rows: dict[int, SentenceRow] = {}
    folded: dict[int, str] = {}
    after: Any = None
    while len(found) < CANDIDATE_CAP:
        wanted = CANDIDATE_CAP - len(found)
        ids, after = fetch(wanted, after)
        if not ids:
            break
        rows.update(sentence_rows(conn, ids))
        for sid in ids:
            folded[sid] = normalize(rows[sid].text)
            if matches(parsed, folded[sid]):
                found.append(sid)
        if len(ids) < wanted:
            break
    if not found:
        return []
    weights = _term_idf(conn, parsed) if len(parsed.terms) > 1 else dict.fromkeys(parsed.terms, 1.0)
    lengths = [len(folded[sid]) for sid in found]
    average = sum(lengths) / len(lengths)
    scored = [
        (sid, rows[sid].article_id, bm25(parsed, rows[sid].text, rows[sid].words, weights, length, average))
        for sid, length in zip(found, lengths, strict=True)
    ]
    # ranked_candidates ranks these same sentences next: it takes their rows and scores from here
    conn.info[_ROWS_KEY] = (parsed, rows, {sid: score for sid, _, score in scored})
    return scored


Fetcher = Callable[[int, Any], tuple[list[int], Any]]


def _sqlite_fetcher(conn: Connection, parsed: ParsedQuery, conditions: list) -> Fetcher:
    """At most `limit` sentence ids the FTS5 index matches, in rowid order, past rowid `after`."""
    fts = table(FTS_TABLE, column("rowid"))
    expression = fts5_expression(parsed)

    def fetch(limit: int, after: int | None) -> tuple[list[int], int | None]:
        query = (
            select(fts.c.rowid)
            .select_from(fts)
            .join(Sentence, fts.c.rowid == Sentence.id)
            .join(Article, Article.key == Sentence.article_key)
            .where(text(f"{FTS_TABLE} MATCH :fts"), *conditions)
            .order_by(fts.c.rowid)
            .limit(limit)
        )
        if after is not None:
            query = query.where(fts.c.rowid > after)
        ids = [int(rowid) for rowid in conn.scalars(query, {"fts": expression})]
        return ids, (ids[-1] if ids else after)

    return fetch


_ROWS_KEY = "fqa_search_rows"


class SentenceRow(NamedTuple):
    article_id: str
    seq: int
    text: str
    words: str  # `warehouse.words` form


# PostgreSQL: one statement with the ids as one array (an IN list of 1,000 parameters took 16 ms to plan and
# bind, the array 4 ms), the sentences sliced from their articles there (measured: as fast as reading each
# article's text once, and only the sentences travel).
_PG_SENTENCE_ROWS = text(
    f"""SELECT s.id, a.id AS article_id, s.seq, {span_sql("a.simplified_text", "s")} AS text, s.search_words
    FROM sentence s JOIN article a ON a."key" = s.article_key WHERE s.id = ANY(:ids)"""
)


def sentence_rows(conn: Connection, ids: list[int]) -> dict[int, SentenceRow]:
    """The sentences' texts and words for ranking. A sentence is a span of its article's text (issue 22): each
    article's text is read once and sliced here, not once per sentence in SQL (most candidates share articles,
    and an article row is long)."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(_PG_SENTENCE_ROWS, {"ids": ids}).all()
        return {r.id: SentenceRow(r.article_id, int(r.seq), r.text, r.search_words or "") for r in rows}
    spans: dict[int, Any] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        query = select(
            Sentence.id, Sentence.article_key, Sentence.seq, Sentence.start, Sentence.end, Sentence.search_words
        ).where(Sentence.id.in_(chunk))
        spans.update((r.id, r) for r in conn.execute(query))
    wanted = list({r.article_key for r in spans.values()})
    texts: dict[int, tuple[str, str]] = {}
    for chunk in (wanted[i : i + 500] for i in range(0, len(wanted), 500)):
        query = select(Article.key, Article.id, Article.simplified_text).where(Article.key.in_(chunk))
        texts.update((key, (article_id, text_)) for key, article_id, text_ in conn.execute(query))
    return {
        sid: SentenceRow(
            texts[r.article_key][0], int(r.seq), texts[r.article_key][1][r.start : r.end], r.search_words or ""
        )
        for sid, r in spans.items()
    }


# --- PostgreSQL: the first CANDIDATE_CAP matches in storage order, by scan or by GIN index ------------------
#
# Two ways give the same rows in the same order (block order, then line pointer order):
# * scan: read `sentence_search` from its first block (a TID range scan), testing `@@` on each row, until
#   enough match. Its cost is the number of blocks read: cheap for common words (调解, in 8% of sentences,
#   needs about 1,300 of 95,000 blocks: 10 ms), ruinous for rare ones (a name: the whole table, 0.7 s).
# * GIN: a bitmap of every matching row from the index, then the heap in block order until enough pass the
#   recheck. Its cost grows with the number of matches in the whole table: cheap for rare words, costly for
#   common ones (群众, 225,000 matches: 50 ms).
# A probe scans the first PROBE_BLOCKS blocks. The density of matches there predicts how many blocks a scan
# needs; the cost model below picks the cheaper way (measured on this project's 2-core machine with 1.1 M
# sentences; only the ratios matter, and a wrong guess costs time, never results). With these figures the
# scan wins above about 0.43 matches a block (3.7% of sentences). If the scan falls short (matches thin out
# further on), the GIN way runs after all.
PROBE_BLOCKS = 128  # about 1,500 sentences, 1-2 ms
SCAN_US_PER_BLOCK = 7.0  # about 11.6 rows a block, 0.6 µs a row
GIN_US_PER_MATCH = 0.2  # building the bitmap
GIN_US_FIXED = 8000.0  # heap visits, rechecks and article lookups for CANDIDATE_CAP rows
SCAN_MARGIN = 1.5  # blocks to allow beyond the prediction; the LIMIT stops the scan as soon as it has enough

# Planner settings for the candidate query, inside a savepoint that is rolled back (the caller's session is
# left as it was). Nested loops keep the side table's order and stop at the LIMIT; a hash join would read all
# of `article` first. Parallel workers and JIT cost more to start than a bounded query saves. Custom plans:
# psycopg prepares a statement run five times, and a generic plan cannot see how common the words are.
_PG_SETTINGS = {
    "enable_seqscan": "off",
    "enable_hashjoin": "off",
    "enable_mergejoin": "off",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
    "plan_cache_mode": "force_custom_plan",
}
# scan: a TID range scan, never the GIN bitmap; article rows by index.
_PG_SCAN_SETTINGS = {"enable_bitmapscan": "off"}
# GIN: the bitmap, with enough memory that it stays exact: a lossy bitmap (past work_mem) rechecks every row
# of its pages. (The side table's primary key is no alternative: its id order is of no use to this query, so
# the planner never walks it, as it walked `sentence`'s article index in the first design.)
_PG_GIN_SETTINGS = {"enable_bitmapscan": "on", "work_mem": "32MB"}


def _settings_sql(settings: dict[str, str]) -> str:
    return ", ".join(f"set_config('{name}', '{value}', true)" for name, value in settings.items())


def pg_candidate_query(
    conditions: list, limit: int, blocks: tuple[int, int | None] | None = None, after: str | None = None
) -> Any:  # noqa: ANN401
    """Matching sentences of `sentence_search` (id, article id, tuple id as text), at most `limit`, in storage
    order.

    `blocks` (first, end) restricts the query to blocks [first, end) (end None: to the last), read by a TID
    range scan; None leaves the side table to the GIN index. `after` (a tuple id) keeps only the rows after it.
    Bind `match` (`pg_match_expression`). Rows come in storage order under either plan, so the LIMIT keeps the
    first ones.
    """
    side = table(PG_TABLE, column("id"), column("article_key"), column(PG_VECTOR), column("ctid"))
    vector = side.c[PG_VECTOR]
    simple = literal_column("'simple'::regconfig")
    where = [vector.op("@@")(func.to_tsquery(simple, bindparam("match", type_=String)))]
    if blocks is not None:  # a lower bound even from block 0: it is what makes the plan a TID range scan
        first, end = blocks
        where.append(text(f"{PG_TABLE}.ctid >= CAST(:first_tid AS tid)").bindparams(first_tid=f"({first},0)"))
        if end is not None:
            where.append(text(f"{PG_TABLE}.ctid < CAST(:end_tid AS tid)").bindparams(end_tid=f"({end},0)"))
    if after is not None:
        where.append(text(f"{PG_TABLE}.ctid > CAST(:after_tid AS tid)").bindparams(after_tid=after))
    # The article conditions (reprints, filters) in a LATERAL subquery fenced by OFFSET 0: the planner cannot
    # flatten it into a join it might turn around (with few articles, or a selective filter, it would start from
    # `article` and yield rows article by article), so the side table drives and rows stay in storage order.
    # It gives the article's public id for its integer key.
    counted = (
        select(Article.id.label("article_id"))
        .where(Article.key == side.c.article_key, *conditions)
        .offset(0)
        .lateral("counted")
    )
    position = func.cast(side.c.ctid, String)
    return (
        select(side.c.id, counted.c.article_id, position.label("tid"))
        .select_from(side)
        .join(counted, true())
        .where(*where)
        .limit(limit)
    )


def scan_blocks_after_probe(found: int, probed: int, total: int, wanted: int) -> int | None:
    """Blocks to scan after a probe that found `found` of `wanted` matches in `probed` of `total` blocks, or
    None when the GIN index is predicted to be cheaper (or the probe found nothing to predict from)."""
    if found <= 0 or probed <= 0:
        return None
    density = found / probed  # matches per block
    needed = min((wanted - found) / density, total - probed)  # a scan to the last block finds them all
    scan_cost = SCAN_US_PER_BLOCK * needed
    gin_cost = GIN_US_PER_MATCH * density * total + GIN_US_FIXED
    if scan_cost > gin_cost:
        return None
    return math.ceil(needed * SCAN_MARGIN) + 1


def _pg_candidates(
    conn: Connection, parsed: ParsedQuery, conditions: list, wanted: int | None = None
) -> list[tuple[int, str, str]]:
    """The first `wanted` (CANDIDATE_CAP) index matches in storage order, (id, article id, tuple id): probe,
    then scan on or use the GIN index."""
    wanted = CANDIDATE_CAP if wanted is None else wanted
    params = {"match": pg_match_expression(parsed)}

    def fetch(limit: int, blocks: tuple[int, int | None] | None) -> list[tuple[int, str, str]]:
        rows = conn.execute(pg_candidate_query(conditions, limit, blocks), params).all()
        return [(int(sid), aid, tid) for sid, aid, tid in rows]

    savepoint = conn.begin_nested()
    try:
        total = conn.execute(
            text(
                f"SELECT {_settings_sql(_PG_SETTINGS | _PG_SCAN_SETTINGS)},"
                f" pg_relation_size('{PG_TABLE}') / current_setting('block_size')::int"
            )
        ).all()[0][-1]
        probe_end = PROBE_BLOCKS if total > PROBE_BLOCKS else None  # None: the probe reads the whole table
        rows = fetch(wanted, (0, probe_end))
        how = "probe"
        if len(rows) < wanted and probe_end is not None:
            more = scan_blocks_after_probe(len(rows), PROBE_BLOCKS, total, wanted)
            scan_end = None
            if more is not None:
                scan_end = probe_end + more if probe_end + more < total else None
                rows += fetch(wanted - len(rows), (probe_end, scan_end))
                how += "+scan"
            # No prediction, or the matches thinned out before the scan's end: the GIN index after all.
            if more is None or (len(rows) < wanted and scan_end is not None):
                conn.execute(text(f"SELECT {_settings_sql(_PG_GIN_SETTINGS)}"))
                rows = fetch(wanted, None)
                how += "+gin"
        log.debug("candidates for %r: %s, %d rows, side table %d blocks", parsed.simplified, how, len(rows), total)
    finally:
        savepoint.rollback()
    return rows


def _pg_fetcher(conn: Connection, parsed: ParsedQuery, conditions: list) -> Fetcher:
    """The first matches as `_pg_candidates` finds them; the next (when some failed their check on the text)
    through the GIN index, past the last tuple read."""
    params = {"match": pg_match_expression(parsed)}

    def fetch(limit: int, after: str | None) -> tuple[list[int], str | None]:
        if after is None:
            rows = _pg_candidates(conn, parsed, conditions, limit)
        else:
            savepoint = conn.begin_nested()
            try:
                conn.execute(text(f"SELECT {_settings_sql(_PG_SETTINGS | _PG_GIN_SETTINGS)}"))
                statement = pg_candidate_query(conditions, limit, None, after)
                rows = [(int(sid), aid, tid) for sid, aid, tid in conn.execute(statement, params).all()]
            finally:
                savepoint.rollback()
        return [sid for sid, _, _ in rows], (rows[-1][2] if rows else after)

    return fetch


# FTS5's own bm25() computes each phrase's document frequency by walking the phrase's whole doclist, on every
# query: with a common two-bigram word (派出所, 242,000 of 1.1 M sentences) that alone took 35-47 ms, against
# 0.3 ms for the capped candidates. So SQLite scores the capped candidates here, with the same formula
# (k1 = 1.2, b = 0.75) and document frequencies counted only up to DF_COUNT_LIMIT.
K1, B = 1.2, 0.75
DF_COUNT_LIMIT = 5000


def _idf(conn: Connection, parsed: ParsedQuery) -> dict[Term, float]:
    """Inverse document frequency per term; a term in more than DF_COUNT_LIMIT sentences counts as common."""
    total = conn.scalar(select(func.max(Sentence.id))) or 1
    weights = {}
    for term in parsed.terms:
        single = ParsedQuery(parsed.original, parsed.simplified, (term,))
        df = conn.scalar(
            text(f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q LIMIT :n)"),
            {"q": fts5_expression(single), "n": DF_COUNT_LIMIT},
        )
        weights[term] = math.log(1 + (total - df + 0.5) / (df + 0.5))
    return weights


def bm25(
    parsed: ParsedQuery, sentence: str, search_words: str, idf: dict[Term, float], length: int, average: float
) -> float:
    """BM25 of one sentence: occurrences anywhere in the text, whole-word occurrences (among its jieba
    search-mode words, stored as `warehouse.words` spans) counted WORD_WEIGHT times, saturated by k1 and
    normalised by the sentence's length against the candidates' average."""
    folded = normalize(sentence)
    score = 0.0
    for term in parsed.terms:
        occurrences = folded.count(term.runs[0])  # a word, or a phrase's first run
        whole = 0 if term.phrase else words.count(sentence, search_words, term.runs[0])
        tf = occurrences * GRAM_WEIGHT + whole * (WORD_WEIGHT - GRAM_WEIGHT)
        score += idf[term] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / max(average, 1.0)))
    return score


# --- one ranking for both databases ---------------------------------------------------------------------------
#
# The order of hits must not depend on the database: SQLite's candidates come in rowid order, PostgreSQL's in
# storage order, and `ts_rank` is not BM25. So both are re-scored here, by `bm25` over the same sentences, and
# kept only where every run of every term is in the normalised text (FTS5's tokenizer folds diacritics, so `é`
# would match `e` there and nothing on PostgreSQL). Ties: score, then matches, then article id (in `search`);
# an article's best sentence: score, then position in the article.


def ranked_candidates(
    conn: Connection, parsed: ParsedQuery, candidates: list[tuple[int, str, float]]
) -> list[tuple[int, str, int, float]]:
    """(sentence id, article id, position in the article, BM25) for the candidates that truly match (`matches`),
    scored alike on SQLite and PostgreSQL."""
    if not candidates:
        return []
    ids = [sid for sid, _, _ in candidates]
    cached = conn.info.pop(_ROWS_KEY, None)
    if cached is not None and cached[0] == parsed and cached[2].keys() == set(ids):
        # scored by `_candidates` over exactly these sentences, every one of which matched
        rows, scores = cached[1], cached[2]
        return [(sid, aid, rows[sid].seq, scores[sid]) for sid, aid, _ in candidates]
    rows = sentence_rows(conn, ids)
    kept = []
    for sid, aid, _ in candidates:
        folded = normalize(rows[sid].text)
        if matches(parsed, folded):
            kept.append((sid, aid, rows[sid], len(folded)))
    if not kept:
        return []
    weights = _term_idf(conn, parsed) if len(parsed.terms) > 1 else dict.fromkeys(parsed.terms, 1.0)
    average = sum(length for *_, length in kept) / len(kept)
    return [
        (sid, aid, r.seq, bm25(parsed, r.text, r.words, weights, length, average))
        for sid, aid, r, length in kept
    ]


def _term_idf(conn: Connection, parsed: ParsedQuery) -> dict[Term, float]:
    """`_idf` on either database: document frequencies from FTS5, or from the PostgreSQL side table."""
    if conn.dialect.name != "postgresql":
        return _idf(conn, parsed)
    total = conn.scalar(select(func.max(Sentence.id))) or 1
    weights = {}
    for term in parsed.terms:
        single = ParsedQuery(parsed.original, parsed.simplified, (term,))
        df = conn.scalar(
            text(
                f"SELECT count(*) FROM (SELECT 1 FROM {PG_TABLE} WHERE {PG_VECTOR} @@ to_tsquery('simple', :q)"
                " LIMIT :n) AS found"
            ),
            {"q": pg_match_expression(single), "n": DF_COUNT_LIMIT},
        )
        weights[term] = math.log(1 + (total - df + 0.5) / (df + 0.5))
    return weights


# --- results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One article, represented by its best-matching sentence."""

    article_id: str
    title: str | None
    station: str | None  # the station the snippet sentence names, else the first the article names
    stations: list[str]
    published: Any  # datetime.date | None
    publisher: str | None
    url: str | None
    snippet: str  # the best sentence (or a window of it), hits wrapped in 【】
    snippet_text: str  # the same without marks
    highlights: list[tuple[int, int]]  # hit spans in snippet_text
    original_snippet: str  # the same sentence as written (Traditional articles stay Traditional)
    score: float
    hits: int  # matching sentences in this article (among those ranked)
    sentence_id: int
    also_published_by: list[str] = field(default_factory=list)

    def marked(self, open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE) -> str:
        return mark(self.snippet_text, self.highlights, open_mark, close_mark)

    def to_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["published"] = self.published.isoformat() if self.published else None
        row["highlights"] = [list(span) for span in self.highlights]
        return row


@dataclass(frozen=True)
class SearchPage:
    query: str
    simplified: str
    terms: list[str]
    hits: list[SearchHit]
    total: int  # articles matching (among ranked sentences)
    sentences: int  # matching sentences ranked
    capped: bool  # at least CANDIDATE_CAP sentences matched; only that many (the earliest loaded) were ranked
    page: int
    limit: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.limit))

    def to_pandas(self) -> Any:  # noqa: ANN401 - pandas.DataFrame
        import pandas as pd

        columns = list(SearchHit.__dataclass_fields__)
        return pd.DataFrame([asdict(hit) for hit in self.hits], columns=columns)


def mark(text_: str, spans: list[tuple[int, int]], open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE) -> str:
    out, pos = [], 0
    for start, end in spans:
        out.append(text_[pos:start] + open_mark + text_[start:end] + close_mark)
        pos = end
    return "".join(out) + text_[pos:]


def highlight_spans(sentence: str, needles: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of the needles in the sentence, compared after normalisation."""
    folded = normalize(sentence)
    if len(folded) != len(sentence):  # NFKC changed the length: compare case-folded only
        folded = sentence.casefold()
    taken = [False] * len(sentence)
    spans = []
    for needle in needles:
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            if not any(taken[start:end]):
                spans.append((start, end))
                for i in range(start, end):
                    taken[i] = True
            start = folded.find(needle, end)
    return sorted(spans)


def window(sentence: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, list]:
    """At most `width` characters around the first hit, with … where cut."""
    if len(sentence) <= width:
        return sentence, spans
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 3, len(sentence) - width))
    end = start + width
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(sentence) else ""
    inside = [(s - start + len(lead), e - start + len(lead)) for s, e in spans if s >= start and e <= end]
    return lead + sentence[start:end] + tail, inside


def search(
    conn: Connection,
    query: Any,
    filters: Filters | None = None,
    *,
    page: int = 1,  # noqa: ANN401
    limit: int = 20,
) -> SearchPage:
    if not isinstance(page, int) or page < 1:
        raise QueryError(f"page must be a whole number from 1, not {page!r}")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}")
    parsed = parse_query(query)
    found = _candidates(conn, parsed, filters or Filters())
    candidates = ranked_candidates(conn, parsed, found)
    best: dict[str, tuple[float, int, int]] = {}  # article → (score, sentence position, sentence id)
    counts: dict[str, int] = defaultdict(int)
    for sentence_id, article_id, seq, score in candidates:
        counts[article_id] += 1
        # the best sentence: the highest score, on a tie the earliest in the article, whatever the fetch order
        if article_id not in best or (-score, seq) < (-best[article_id][0], best[article_id][1]):
            best[article_id] = (score, seq, sentence_id)
    ranked = sorted(best, key=lambda a: (-best[a][0], -counts[a], a))
    shown = ranked[(page - 1) * limit : page * limit]
    return SearchPage(
        query=parsed.original,
        simplified=parsed.simplified,
        terms=[term.text for term in parsed.terms],
        hits=_hits(conn, parsed, shown, best, counts),
        total=len(ranked),
        sentences=len(candidates),
        capped=len(found) >= CANDIDATE_CAP,
        page=page,
        limit=limit,
    )


def _hits(
    conn: Connection,
    parsed: ParsedQuery,
    article_ids: list[str],
    best: dict[str, tuple[float, int, int]],
    counts: dict[str, int],
) -> list[SearchHit]:
    """Metadata and snippets for the page shown only."""
    if not article_ids:
        return []
    sentence_ids = [best[a][2] for a in article_ids]
    articles = {
        r.id: r
        for r in conn.execute(
            select(
                Article.id, Article.title, Article.published, Article.publisher, Article.url, Article.reprint_cluster
            ).where(Article.id.in_(article_ids))
        )
    }
    sentences = {
        r.id: r
        for r in conn.execute(
            select(
                Sentence.id,
                _SENTENCE_TEXT.label("text"),
                clean_span(Sentence.original_start, Sentence.original_end).label("original_text"),
            )
            .join(Article, Article.key == Sentence.article_key)
            .where(Sentence.id.in_(sentence_ids))
        )
    }
    names: dict[str, list[str]] = defaultdict(list)
    for article_id, name in conn.execute(
        select(Article.id, Station.name)
        .join(StationArticle, StationArticle.article_key == Article.key)
        .join(Station, Station.id == StationArticle.station_id)
        .where(Article.id.in_(article_ids))
        .order_by(Article.id, StationArticle.start, Station.id)
    ):
        names[article_id].append(name)
    reach = also_published_by(conn, [a for a in article_ids if articles[a].reprint_cluster == a])
    needles = parsed.needles
    hits = []
    for article_id in article_ids:
        score, _seq, sentence_id = best[article_id]
        meta, sentence = articles[article_id], sentences[sentence_id]
        spans = highlight_spans(sentence.text, needles)
        snippet_text, snippet_spans = window(sentence.text, spans)
        original = sentence.original_text
        if len(original) == len(sentence.text):
            original = mark(*window(original, spans))
        hits.append(
            SearchHit(
                article_id=article_id,
                title=meta.title,
                station=_station_of(sentence.text, names.get(article_id, [])),
                stations=names.get(article_id, []),
                published=meta.published,
                publisher=meta.publisher,
                url=meta.url,
                snippet=mark(snippet_text, snippet_spans),
                snippet_text=snippet_text,
                highlights=snippet_spans,
                original_snippet=original,
                score=round(score, 6),
                hits=counts[article_id],
                sentence_id=sentence_id,
                also_published_by=reach.get(article_id, []),
            )
        )
    return hits


def _station_of(sentence: str, stations: list[str]) -> str | None:
    """The station the hit sentence names, else the first the article names."""
    return next((name for name in stations if name in sentence), stations[0] if stations else None)
