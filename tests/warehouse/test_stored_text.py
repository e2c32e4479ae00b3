"""`warehouse.stored_text`: the raw and clean texts stored by what they add to the simplified text (issue 22) come
back as the strings the pipeline produced, through the ORM, SQL and re-extraction, on both databases."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.text.offsets import OffsetMap
from tests.ingest_fixtures import load, processed_seeds
from warehouse import stored_text
from warehouse.db import get_engine
from warehouse.reextract import stored_articles
from warehouse.schema import Article, Sentence


def test_a_patch_gives_the_raw_text_back_whatever_the_map() -> None:
    clean = "调处纠纷120起"
    raw = "  调處糾紛\n\n120起。尾"
    runs = [[2, 3, 1, 1], [3, 5, 3, 0], [7, 10, 3, 1], [10, 11, 1, 1]]
    assert stored_text.raw_text(clean, stored_text.encode(raw, clean, runs)) == raw
    for broken in ([], [[5, 6, 1, 1], [0, 1, 1, 1]], [[0, 99, 9, 0]]):  # no map, backwards, past the end
        assert stored_text.raw_text(clean, stored_text.encode(raw, clean, broken)) == raw
    assert stored_text.encode(clean, clean, []) is None and stored_text.raw_text(clean, None) == clean
    assert stored_text.raw_text("", stored_text.encode("\x00<p>\U0002000b</p>", "", [])) == "\x00<p>\U0002000b</p>"
    identity = OffsetMap.identity(len(clean)).to_runs()
    assert stored_text.patch(clean + "\n", clean, identity) == [len(clean), "\n"]


def test_a_clean_patch_gives_the_clean_text_back() -> None:
    simplified = "调处纠纷120起,为群众办实事" * 20
    traditional = "調處糾紛120起,為群眾辦實事" * 20
    masked = stored_text.clean_patch(traditional, simplified)
    assert masked[:1] == b"M" and len(masked) < len(traditional.encode()) / 4
    assert stored_text.clean_from_patch(simplified, masked) == traditional
    for clean in ("調處糾紛", traditional + "。", traditional.replace("調", "\x00"), "\U0002000b" + traditional[1:]):
        assert stored_text.clean_from_patch(simplified, stored_text.clean_patch(clean, simplified)) == clean
    assert stored_text.clean_patch(simplified, simplified) is None
    assert stored_text.clean_from_patch(simplified, None) == simplified
    # a span is rebuilt by itself (what SQL reads for a sentence), from either kind of patch or none
    whole = stored_text.clean_patch(traditional + "。", simplified)
    for start, end in ((0, 0), (0, 7), (5, 31), (270, 280), (279, 400)):
        assert stored_text.clean_span(simplified, masked, start, end) == traditional[start:end]
        assert stored_text.clean_span(simplified, whole, start, end) == (traditional + "。")[start:end]
        assert stored_text.clean_span(simplified, None, start, end) == simplified[start:end]


def test_the_warehouse_gives_back_the_texts_it_was_given(db_url: str) -> None:
    engine = get_engine(db_url)
    segmented = processed_seeds()[0]
    load(engine, processed_seeds())
    given = {item.id: item.article for item in segmented}
    with Session(engine) as session:
        for article in session.scalars(select(Article)):
            expected = given[article.id]
            assert article.clean_text == expected.clean.text
            assert article.raw_text == expected.clean.raw.text
            assert article.simplified_text == expected.simplified.simplified
    with engine.connect() as conn:
        # PostgreSQL stores the clean text, SQLite a patch against the simplified text
        column = Article.clean_patch if engine.dialect.name == "sqlite" else Article.clean_stored
        other = Article.clean_stored if engine.dialect.name == "sqlite" else Article.clean_patch
        stored = dict(conn.execute(select(Article.id, column)).all())
        assert conn.scalar(select(func.count()).where(other.is_not(None))) == 0
        clean = dict(conn.execute(select(Article.id, Article.clean_text)).all())  # in SQL
        # the clean text is stored only where it differs from the simplified text
        assert {i for i, s in stored.items() if s is not None} == {
            i for i, a in given.items() if a.clean.text != a.simplified.simplified
        }
        assert any(s is None for s in stored.values())
        # a sentence's original-script text is its span of the clean text, stored or not
        for article_id, start, end, original in conn.execute(
            select(Sentence.article_id, Sentence.original_start, Sentence.original_end, Sentence.original_text)
        ):
            assert clean[article_id][start:end] == original
        patched = conn.scalar(select(func.sum(func.length(Article.raw_patch))))
        raw = sum(len(a.clean.raw.text.encode()) for a in given.values())
        assert patched < raw / 3
    for article in stored_articles(engine, list(given)):
        assert article.article.clean.raw.text == given[article.id].clean.raw.text
        assert article.article.clean.text == given[article.id].clean.text
