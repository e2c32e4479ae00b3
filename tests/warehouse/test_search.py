"""Full-text search on SQLite and PostgreSQL: either script, two-character words, phrases, ranking, snippets,
pagination, recall against substring truth, and the index following the sentence table."""

from __future__ import annotations

import random
import re
import sqlite3

import pytest
from sqlalchemy import delete, select, text

from pipelines.text.segment import tokenizer
from pipelines.text.simplify import convert
from tests.research_warehouse import load_seeds, seeded_url_fixture
from warehouse import fts, search
from warehouse.archive import Archive
from warehouse.filters import Filters
from warehouse.schema import Sentence
from warehouse.search import QueryError, _candidates, parse_query


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_url(request, tmp_path_factory):
    yield from seeded_url_fixture(request, tmp_path_factory)


@pytest.fixture
def archive(seeded_url: str) -> Archive:
    """Read-only tests share one seeded warehouse per database."""
    return Archive(seeded_url)


@pytest.fixture
def own_archive(db_url: str, tmp_path) -> Archive:
    """Tests that change the warehouse get their own."""
    load_seeds(db_url, tmp_path)
    return Archive(db_url)


def _ids(page) -> list[str]:
    return [hit.article_id for hit in page.hits]


def _truth(archive: Archive, needle: str) -> set[int]:
    """Sentence ids whose text contains `needle`: the substring truth search is measured against."""
    with archive.engine.connect() as conn:
        rows = conn.execute(select(Sentence.id, Sentence.text)).all()
    return {r.id for r in rows if needle in fts.normalize(r.text)}


def _found(archive: Archive, query: str) -> set[int]:
    with archive.engine.connect() as conn:
        return {sid for sid, _, _ in _candidates(conn, parse_query(query), Filters())}


# --- the traps named in the issue, each shown to bite and shown to be avoided -----------------------------


def test_fts5_default_tokenizer_glues_chinese_runs_but_our_index_does_not(archive: Archive):
    sentence = "成功调解矛盾纠纷700余起"
    glued = sqlite3.connect(":memory:")
    glued.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    glued.execute("INSERT INTO t VALUES (?)", (sentence,))
    assert glued.execute("SELECT count(*) FROM t WHERE t MATCH '调解'").fetchone()[0] == 0
    assert "调解" in fts.index_grams(sentence).split()
    assert archive.search("调解").total >= 4


def test_trigram_tokenizer_misses_two_character_words_but_our_index_does_not(archive: Archive):
    trigram = sqlite3.connect(":memory:")
    trigram.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
    trigram.execute("INSERT INTO t VALUES ('成功调解矛盾纠纷')")
    assert trigram.execute("SELECT count(*) FROM t WHERE t MATCH '\"调解\"'").fetchone()[0] == 0
    assert trigram.execute("SELECT count(*) FROM t WHERE body LIKE '%调解%'").fetchone()[0] == 0  # 3.40's trap
    for word in ("调解", "义警", "反诈"):
        assert _found(archive, word) == _truth(archive, word) != set(), word


def test_normalising_after_segmentation_would_miss_traditional_queries(archive: Archive):
    # jieba cuts the Traditional form differently from the Simplified one, so converting its tokens afterwards
    # gives other words; the query is converted first.
    late = [convert(w) for w in tokenizer().cut("楓橋經驗")]
    early = list(tokenizer().cut(convert("楓橋經驗")))
    assert late != early
    assert [t.text for t in parse_query("楓橋經驗").terms] == early
    assert _ids(archive.search("楓橋經驗")) == _ids(archive.search("枫桥经验")) != []


# --- either script ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("調解", "调解"), ("楓橋經驗", "枫桥经验"), ("義警", "义警"), ("矛盾糾紛", "矛盾纠纷")],
)
def test_traditional_and_simplified_queries_find_the_same_articles(archive: Archive, traditional, simplified):
    assert _ids(archive.search(traditional)) == _ids(archive.search(simplified)) != []


def test_a_simplified_query_finds_a_traditional_article_and_shows_its_original_words(archive: Archive):
    page = archive.search("玉洞派出所", script="traditional")
    assert page.total == 1
    hit = page.hits[0]
    assert "玉洞派出所" in hit.snippet_text
    with archive.engine.connect() as conn:
        original = conn.scalar(select(Sentence.original_text).where(Sentence.id == hit.sentence_id))
    assert original != hit.snippet_text.strip("…")  # the article is Traditional as written
    assert re.sub("[【】…]", "", hit.original_snippet) in original


# --- phrases, ranking, snippets, pagination -------------------------------------------------------------------


def test_a_quoted_phrase_matches_only_as_a_phrase(archive: Archive):
    words = _found(archive, "纠纷 调解")
    phrase = _found(archive, '"纠纷调解"')
    assert phrase == _truth(archive, "纠纷调解") != set()
    assert phrase < words  # words anywhere in the sentence find more
    # Punctuation inside a phrase stands for any punctuation, but the words must stay next to each other.
    assert _found(archive, '"矛盾纠纷,调解"') <= _truth(archive, "矛盾纠纷")


def test_results_are_articles_ranked_by_score_with_highlighted_snippets(archive: Archive):
    page = archive.search("调解")
    assert len(set(_ids(page))) == len(page.hits) == page.total
    scores = [hit.score for hit in page.hits]
    assert scores == sorted(scores, reverse=True)
    for hit in page.hits:
        assert hit.hits >= 1
        assert "【调解】" in hit.snippet
        assert all(hit.snippet_text[s:e] == "调解" for s, e in hit.highlights)
        assert hit.snippet.replace("【", "").replace("】", "") == hit.snippet_text


def test_bm25_prefers_a_sentence_where_the_word_stands_alone_and_repeats(archive: Archive):
    with archive.engine.connect() as conn:
        ranked = sorted((score, sid) for sid, _, score in _candidates(conn, parse_query("调解"), Filters()))
        best_sid = ranked[-1][1]
        worst_sid = ranked[0][1]
        best = conn.scalar(select(Sentence.text).where(Sentence.id == best_sid))
        worst = conn.scalar(select(Sentence.text).where(Sentence.id == worst_sid))
    density = lambda s: s.count("调解") / len(s)  # noqa: E731
    assert density(best) > density(worst)


def test_pages_split_the_ranked_articles_without_overlap(archive: Archive):
    everything = _ids(archive.search("派出所", limit=50))
    assert len(everything) >= 4
    first, second = archive.search("派出所", limit=2, page=1), archive.search("派出所", limit=2, page=2)
    assert _ids(first) + _ids(second) == everything[:4]
    assert first.pages == (len(everything) + 1) // 2
    assert archive.search("派出所", limit=2, page=99).hits == []


def test_filters_narrow_the_search(archive: Archive):
    everywhere = set(_ids(archive.search("调解")))
    guangxi = set(_ids(archive.search("调解", province="廣西")))  # a Traditional filter value works too
    assert guangxi and guangxi < everywhere
    assert set(_ids(archive.search("调解", metric="mediation_success_rate", min=99))) < everywhere
    dated = set(_ids(archive.search("调解", year_from=2023, year_to=2023)))
    assert dated and dated < everywhere


# --- recall against substring truth ---------------------------------------------------------------------------


def test_every_sentence_containing_the_query_is_found(archive: Archive):
    """Substring truth on sampled strings of 1–5 characters, many of them across jieba word boundaries."""
    with archive.engine.connect() as conn:
        texts = [fts.normalize(t) for t in conn.scalars(select(Sentence.text))]
    rng = random.Random(4)
    runs = [run for t in texts for run in fts._RUN.findall(t) if len(run) >= 5]
    needles = {"老人", "民警", "调", "网格员", "矛盾纠纷", "警务"}
    while len(needles) < 60:
        run = rng.choice(runs)
        size = rng.randint(2, 5)
        start = rng.randrange(0, len(run) - size + 1)
        needles.add(run[start : start + size])
    for needle in sorted(needles):
        assert _found(archive, f'"{needle}"') == _truth(archive, needle) != set(), needle
        assert _found(archive, needle) >= _truth(archive, needle), needle


def test_a_sentence_holding_a_words_bigrams_apart_is_not_a_match(archive: Archive):
    """The index keeps no positions (issue 22): it finds every sentence holding all the bigrams of a word or
    phrase, and the search keeps those holding them in order. Strings whose bigrams the seeds hold apart in some
    sentence show that the check is made, for words, phrases and phrases across punctuation."""
    with archive.engine.connect() as conn:
        texts = [fts.normalize(t) for t in conn.scalars(select(Sentence.text))]
    holding: dict[str, set[int]] = {}  # bigram → the sentences holding it
    for i, t in enumerate(texts):
        for run in fts._RUN.findall(t):
            for j in range(len(run) - 1):
                holding.setdefault(run[j : j + 2], set()).add(i)
    apart = set()
    for t in texts:
        for run in fts._RUN.findall(t):
            for size in (3, 4):
                for start in range(len(run) - size + 1):
                    needle = run[start : start + size]
                    together = set.intersection(*(holding[needle[i : i + 2]] for i in range(size - 1)))
                    if any(needle not in texts[i] for i in together):
                        apart.add(needle)
    assert len(apart) >= 8
    words = 0
    for needle in sorted(apart)[:30]:
        assert _found(archive, f'"{needle}"') == _truth(archive, needle) != set(), needle
        if [t.text for t in parse_query(needle).terms] == [needle]:  # jieba keeps it one word
            assert _found(archive, needle) == _truth(archive, needle), needle
            words += 1
    assert words, sorted(apart)
    # runs across punctuation: the first must end a run of the sentence and the last start the next one
    parsed = parse_query('"纠纷,调解"')
    assert search.matches(parsed, "化解矛盾纠纷,调解成功") and search.matches(parsed, "纠纷。调解员")
    assert not search.matches(parsed, "纠纷多,调解") and not search.matches(parsed, "纠纷,再调解")
    assert not search.matches(parsed, "调解,纠纷") and not search.matches(parsed, "纠纷调解")


# --- the index follows the table, and an old warehouse is upgraded when opened ---------------------------------


def test_deleting_sentences_removes_them_from_the_index(own_archive: Archive):
    archive = own_archive
    victim = archive.search("玉洞派出所").hits[0].article_id
    with archive.engine.begin() as conn:
        conn.execute(delete(Sentence).where(Sentence.article_id == victim))
    assert archive.search("玉洞派出所").hits == []
    if archive.engine.dialect.name == "sqlite":
        with archive.engine.connect() as conn:
            conn.execute(text("INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('integrity-check', 1)"))


def test_a_warehouse_built_before_the_index_gets_it_when_opened(db_url: str, tmp_path):
    engine = load_seeds(db_url, tmp_path)
    expected = _ids(Archive(db_url).search("调解"))
    with engine.begin() as conn:  # make it look like a warehouse from before the index
        if engine.dialect.name == "sqlite":
            for trigger in ("ai", "ad", "au", "article_bd"):
                conn.execute(text(f"DROP TRIGGER sentence_fts_{trigger}"))
            conn.execute(text("DROP TABLE sentence_fts"))
        else:
            for trigger in ("ad", "at"):
                conn.execute(text(f"DROP TRIGGER sentence_search_{trigger} ON sentence"))
            conn.execute(text("DROP TABLE sentence_search"))
    fts._ready.clear()
    fts.ensure_search_index(engine)
    assert _ids(Archive(db_url).search("调解")) == expected != []


def test_parsing_converts_before_cutting_and_keeps_phrases_whole():
    parsed = parse_query('調解矛盾 "楓橋經驗" ＡＰＰ')
    assert parsed.simplified == '调解矛盾 "枫桥经验" ＡＰＰ'
    assert [(t.text, t.phrase) for t in parsed.terms] == [
        ("调解", False),
        ("矛盾", False),
        ("枫桥经验", True),
        ("app", False),
    ]
    with pytest.raises(QueryError, match="empty"):
        parse_query("   ")
