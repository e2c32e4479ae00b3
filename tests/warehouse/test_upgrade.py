"""`warehouse.upgrade`: a warehouse laid out as the code before issue 22 stored it (every sentence's text, original
text, tokens and bigrams as columns, statistics' and mentions' sentences as copies, an external-content FTS5
table or insert triggers reading those columns, indexes repeating key prefixes) is converted in place, answers
every query as the fresh warehouse did, and an upgrade interrupted half-way is finished by the next open."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from pipelines.text.segment import tokenize
from tests.research_warehouse import load_seeds
from warehouse import fts, upgrade, words
from warehouse.archive import Archive
from warehouse.db import get_engine
from warehouse.reextract import stored_articles
from warehouse.schema import Article, PracticeMention, Sentence, Statistic

QUERIES = ["调解", "派出所", '"矛盾纠纷"', "楓橋經驗", "民警 群众", "玉洞派出所", "调", "网格员"]

# What the code before issue 22 created, verbatim (warehouse/fts.py and warehouse/schema.py at 8dc9234).
_OLD_SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE sentence_fts USING fts5("
    "search_tokens, grams, content='sentence', content_rowid='id', detail=full)",
    """CREATE TRIGGER sentence_fts_ai AFTER INSERT ON sentence BEGIN
        INSERT INTO sentence_fts(rowid, search_tokens, grams) VALUES (new.id, new.search_tokens, new.grams);
    END""",
    """CREATE TRIGGER sentence_fts_ad AFTER DELETE ON sentence BEGIN
        INSERT INTO sentence_fts(sentence_fts, rowid, search_tokens, grams)
        VALUES ('delete', old.id, old.search_tokens, old.grams);
    END""",
    """CREATE TRIGGER sentence_fts_au AFTER UPDATE ON sentence BEGIN
        INSERT INTO sentence_fts(sentence_fts, rowid, search_tokens, grams)
        VALUES ('delete', old.id, old.search_tokens, old.grams);
        INSERT INTO sentence_fts(rowid, search_tokens, grams) VALUES (new.id, new.search_tokens, new.grams);
    END""",
    "INSERT INTO sentence_fts(sentence_fts) VALUES ('rebuild')",
]
_OLD_PG_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(a.search_tokens, '')), 'A')"
    " || setweight(to_tsvector('simple', coalesce(a.grams, '')), 'B')"
)
_OLD_PG_SEARCH = [
    f"""CREATE OR REPLACE FUNCTION sentence_search_ai() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF current_setting('fqa.search_index_deferred', true) = 'on' THEN RETURN NULL; END IF;
        INSERT INTO sentence_search (id, article_id, search_vector)
        SELECT a.id, a.article_id, {_OLD_PG_VECTOR} FROM added a ORDER BY a.id; RETURN NULL; END $$""",
    "CREATE TRIGGER sentence_search_ai AFTER INSERT ON sentence REFERENCING NEW TABLE AS added"
    " FOR EACH STATEMENT EXECUTE FUNCTION sentence_search_ai()",
    f"""CREATE OR REPLACE FUNCTION sentence_search_au() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM sentence_search s USING removed r WHERE s.id = r.id;
        INSERT INTO sentence_search (id, article_id, search_vector)
        SELECT a.id, a.article_id, {_OLD_PG_VECTOR} FROM added a ORDER BY a.id; RETURN NULL; END $$""",
    "CREATE TRIGGER sentence_search_au AFTER UPDATE ON sentence REFERENCING OLD TABLE AS removed NEW TABLE AS added"
    " FOR EACH STATEMENT EXECUTE FUNCTION sentence_search_au()",
]
_OLD_INDEXES = [
    "CREATE INDEX ix_sentence_article ON sentence (article_id)",
    "CREATE INDEX ix_sentence_id_article ON sentence (id, article_id)",
    "CREATE INDEX ix_station_article_station_id ON station_article (station_id)",
]


def _make_legacy(engine: Engine) -> None:
    """Give a warehouse the layout the code before issue 22 built, with the values that code stored."""
    with engine.connect() as conn:
        sentences = conn.execute(
            select(Sentence.id, Sentence.text, Sentence.original_text, Sentence.search_words)
        ).all()
        statistics = conn.execute(select(Statistic.id, Statistic.sentence).order_by(Statistic.id)).all()
        mentions = conn.execute(select(PracticeMention.id, PracticeMention.sentence).order_by(PracticeMention.id)).all()
    _make_unkeyed(engine)  # that code named an article by its 32-character id everywhere
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        if sqlite:
            for name in ("ai", "ad", "au", "article_bd"):
                conn.execute(text(f"DROP TRIGGER sentence_fts_{name}"))
            conn.execute(text("DROP TABLE sentence_fts"))
        conn.execute(text("ALTER TABLE sentence DROP COLUMN search_words"))
        for column in ("text", "original_text", "tokens", "search_tokens", "grams"):
            conn.execute(text(f'ALTER TABLE sentence ADD COLUMN "{column}" TEXT'))
        conn.execute(text("ALTER TABLE statistic ADD COLUMN sentence TEXT"))
        conn.execute(text("ALTER TABLE practice_mention ADD COLUMN sentence TEXT"))
        conn.execute(
            text(
                "UPDATE sentence SET text = :t, original_text = :o, tokens = :k, search_tokens = :s, grams = :g"
                " WHERE id = :i"
            ),
            [
                {
                    "i": i,
                    "t": t,
                    "o": o,
                    "k": " ".join(w.text for w in tokenize(t)),
                    "s": words.text(t, w),
                    "g": fts.index_grams(t),
                }
                for i, t, o, w in sentences
            ],
        )
        for table, rows in (("statistic", statistics), ("practice_mention", mentions)):
            conn.execute(text(f"UPDATE {table} SET sentence = :s WHERE id = :i"), [{"i": i, "s": s} for i, s in rows])
        for statement in _OLD_INDEXES + (_OLD_SQLITE_SEARCH if sqlite else _OLD_PG_SEARCH):
            conn.execute(text(statement))
        conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.UPGRADE_NAME})


def _answers(url: str) -> dict[str, object]:
    """What the query API, the ORM and re-extraction answer, in comparable form."""
    archive = Archive(url)
    answers: dict[str, object] = {}
    for query in QUERIES:
        page = archive.search(query, limit=50)
        answers[f"search {query}"] = ([h.to_dict() for h in page.hits], page.total, page.sentences)
    answers["stations"] = archive.stations().to_dicts()
    answers["statistics"] = archive.statistics().to_dicts()
    answers["practices"] = archive.practices().to_dicts()
    answers["articles"] = archive.articles().to_dicts()
    answers["compare"] = archive.compare("disputes_mediated", all=True).rows.to_dicts()
    station = answers["stations"][0]["name"]
    answers["station"] = repr(archive.station(station))
    engine = archive.engine
    with engine.connect() as conn:
        answers["sentences"] = conn.execute(select(Sentence).order_by(Sentence.id)).all()
        for name, owner in (("statistic", Statistic), ("mention", PracticeMention)):
            answers[f"{name} sentences"] = conn.execute(select(owner.id, owner.sentence).order_by(owner.id)).all()
        ids = list(conn.scalars(select(Article.id).order_by(Article.id)))
    answers["stored articles"] = [
        (dataclasses.astuple(a.sentences[0]), a.article.clean.raw.text, a.article.clean.text)
        for a in stored_articles(engine, ids)
    ]
    with Session(engine) as session:
        answers["article texts"] = [
            (a.id, a.raw_text, a.clean_text, a.simplified_text)
            for a in session.scalars(select(Article).order_by(Article.id))
        ]
    return answers


def _reopen(url: str) -> Engine:
    get_engine.cache_clear()
    fts._ready.clear()
    return get_engine(url)


def _layout(engine: Engine) -> tuple[set[str], set[str]]:
    existing = inspect(engine)
    tables = ("sentence", "statistic", "practice_mention")
    columns = {f"{t}.{c['name']}" for t in tables for c in existing.get_columns(t)}
    indexes = {i["name"] for t in ("sentence", "station_article") for i in existing.get_indexes(t)}
    return columns, indexes


def test_an_older_warehouse_is_upgraded_in_place_and_answers_as_a_fresh_one(db_url: str, tmp_path) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    fresh_layout = _layout(engine)
    _make_legacy(engine)
    legacy_columns, legacy_indexes = _layout(engine)
    assert {"sentence.text", "sentence.grams", "statistic.sentence"} <= legacy_columns
    assert {"ix_sentence_article", "ix_station_article_station_id"} <= legacy_indexes

    engine = _reopen(db_url)  # opening the warehouse upgrades it
    assert _layout(engine) == fresh_layout
    assert upgrade.is_done(engine)
    assert _without_keys(_answers(db_url)) == fresh
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('integrity-check', 1)"))


def test_an_interrupted_upgrade_is_finished_by_the_next_open(db_url: str, tmp_path, monkeypatch) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    _make_legacy(engine)

    class Interrupted(Exception):
        pass

    def interrupted(_engine: Engine) -> None:
        raise Interrupted

    # stopped after the search triggers, the indexes and the sentence columns went, before the other tables'
    monkeypatch.setattr(upgrade, "LEGACY_COLUMNS", {"sentence": upgrade.LEGACY_COLUMNS["sentence"]})
    monkeypatch.setattr(upgrade, "_compact", interrupted)
    with pytest.raises(Interrupted):
        _reopen(db_url)
    monkeypatch.undo()
    columns, _ = _layout(engine)
    assert "sentence.grams" not in columns and "statistic.sentence" in columns
    assert not upgrade.is_done(engine)
    engine = _reopen(db_url)
    assert upgrade.is_done(engine)
    assert _without_keys(_answers(db_url)) == fresh
    assert upgrade.upgrade_storage(engine) == []  # done: one lookup, nothing more


def _make_whole_texts(engine: Engine) -> None:
    """Give a warehouse the article layout before `article_texts`: the raw and clean texts whole, in columns."""
    with Session(engine) as session:
        texts = [(a.id, a.raw_text, a.clean_text) for a in session.scalars(select(Article))]
    _make_unkeyed(engine)  # that code named an article by its 32-character id everywhere
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE article ADD COLUMN raw_text TEXT"))
        conn.execute(text("ALTER TABLE article ADD COLUMN clean_text TEXT"))
        conn.execute(
            text("UPDATE article SET raw_text = :r, clean_text = :c WHERE id = :i"),
            [{"i": i, "r": r, "c": c} for i, r, c in texts],
        )
        conn.execute(text("ALTER TABLE article DROP COLUMN clean_stored"))
        conn.execute(text("ALTER TABLE article DROP COLUMN raw_patch"))
        conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.TEXTS_UPGRADE})


def _article_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("article")}


def test_a_warehouse_with_whole_article_texts_is_upgraded_and_answers_as_a_fresh_one(db_url: str, tmp_path) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    fresh_columns = _article_columns(engine)
    _make_whole_texts(engine)
    assert {"raw_text", "clean_text"} <= _article_columns(engine)

    engine = _reopen(db_url)
    assert _article_columns(engine) == fresh_columns
    assert upgrade.is_done(engine, upgrade.TEXTS_UPGRADE)
    assert _without_keys(_answers(db_url)) == fresh
    with engine.connect() as conn:  # the clean text is stored only where it is not the simplified text
        assert conn.scalar(select(Article.id).where(Article.clean_stored == Article.simplified_text)) is None


def test_an_interrupted_article_texts_upgrade_is_finished_by_the_next_open(db_url: str, tmp_path, monkeypatch) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    _make_whole_texts(engine)
    encode = upgrade.stored_text.encode
    calls = []

    class Interrupted(Exception):
        pass

    def fails_on_the_third(raw: str, clean: str, runs: list) -> bytes | None:
        calls.append(1)
        if len(calls) == 3:
            raise Interrupted
        return encode(raw, clean, runs)

    monkeypatch.setattr(upgrade, "_TEXTS_CHUNK", 2)  # one chunk written, the second rolled back
    monkeypatch.setattr(upgrade.stored_text, "encode", fails_on_the_third)
    with pytest.raises(Interrupted):
        _reopen(db_url)
    monkeypatch.undo()
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM article WHERE raw_patch IS NOT NULL")) == 2
    assert "raw_text" in _article_columns(engine) and not upgrade.is_done(engine, upgrade.TEXTS_UPGRADE)
    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.TEXTS_UPGRADE)
    assert _without_keys(_answers(db_url)) == fresh
    assert upgrade.upgrade_article_texts(engine) == []


def test_a_side_table_with_the_jieba_words_is_rebuilt_with_bigrams_only(db_url: str, tmp_path) -> None:
    """PostgreSQL: the side table of older warehouses held each sentence's search-mode words (weight A) beside
    its bigrams; the upgrade builds it again without them, and search answers as before. SQLite: nothing to do."""
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            rows = conn.execute(
                select(Sentence.id, Sentence.text, Sentence.search_words).order_by(Sentence.id)
            ).all()
        _make_unkeyed(engine)  # the side table of those warehouses named the article by its id
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {fts.PG_TABLE}"))
            conn.execute(
                text(
                    f"INSERT INTO {fts.PG_TABLE} (id, article_id, {fts.PG_VECTOR})"
                    " SELECT s.id, s.article_id, setweight(to_tsvector('simple', :words), 'A')"
                    " || setweight(to_tsvector('simple', :grams), 'B') FROM sentence s WHERE s.id = :i"
                ),
                [{"i": i, "words": words.text(t, w), "grams": fts.index_grams(t)} for i, t, w in rows],
            )
            conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.VECTORS_UPGRADE})
            weighted = f"SELECT count(*) FROM {fts.PG_TABLE} WHERE ts_filter({fts.PG_VECTOR}, '{{a}}') <> ''"
            assert conn.scalar(text(weighted)) > 0
    else:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.VECTORS_UPGRADE})
        _make_unkeyed(engine)

    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.VECTORS_UPGRADE)
    assert _without_keys(_answers(db_url)) == fresh
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            assert conn.scalar(text(weighted)) == 0
            assert conn.scalar(text(f"SELECT count(*) FROM {fts.PG_TABLE}")) == len(rows)
    assert upgrade.upgrade_search_vectors(engine) is False


def test_search_words_of_the_first_layout_are_rewritten_and_answer_the_same(db_url: str, tmp_path) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    with engine.connect() as conn:
        rows = conn.execute(select(Sentence.id, Sentence.text, Sentence.search_words)).all()
    assert all(w.startswith(words.MARK) for _, _, w in rows if w and not w.startswith(words.PLAIN))

    def layout_1(sentence: str, stored: str) -> str:
        if not stored or stored.startswith(words.PLAIN):
            return stored
        return "".join(words._char_1(sentence.find(w), len(w)) for w in words.decode(sentence, stored))

    with engine.begin() as conn:
        conn.execute(
            text("UPDATE sentence SET search_words = :w WHERE id = :i"),
            [{"i": i, "w": layout_1(t, w)} for i, t, w in rows],
        )
        conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.WORDS_UPGRADE})
    older = _without_keys(_answers(db_url))
    assert older["sentences"] != fresh["sentences"]  # stored otherwise …
    assert {k: v for k, v in older.items() if k != "sentences"} == {  # … read the same
        k: v for k, v in fresh.items() if k != "sentences"
    }
    _make_unkeyed(engine)  # that layout came before the integer article key

    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.WORDS_UPGRADE)
    assert _without_keys(_answers(db_url)) == fresh  # the stored values too
    assert upgrade.upgrade_search_words(engine) == 0


# What the code before the integer article key created (warehouse/schema.py and reprint_clusters.py at 30d8887),
# verbatim: SQLite tables, then the indexes on the article id.
_UNKEYED_SQLITE = {
    "article": "CREATE TABLE article (\n\tid VARCHAR(32) NOT NULL, \n\tsimplified_text TEXT NOT NULL, \n\tsource_file TEXT NOT NULL, \n\tmedia_type VARCHAR(8) NOT NULL, \n\tencoding VARCHAR(32) NOT NULL, \n\turl TEXT, \n\ttitle TEXT, \n\toriginal_title TEXT, \n\tsubtitle TEXT, \n\tpublished DATE, \n\tpublisher TEXT, \n\tauthor TEXT, \n\teditor TEXT, \n\tmissing_metadata JSON NOT NULL, \n\toriginal_script VARCHAR(16) NOT NULL, \n\tclean_stored TEXT, \n\traw_patch BLOB, \n\tclean_to_raw JSON NOT NULL, \n\tsimplified_to_clean JSON NOT NULL, \n\trepair_flags JSON NOT NULL, \n\tcaptions JSON NOT NULL, \n\treprint_cluster VARCHAR(32), \n\tbatch_key VARCHAR(64), \n\tfirst_ingested DATETIME NOT NULL, \n\tlast_ingested DATETIME NOT NULL, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(batch_key) REFERENCES ingest_batch (\"key\")\n)",  # noqa: E501
    "sentence": "CREATE TABLE sentence (\n\tid INTEGER NOT NULL, \n\tarticle_id VARCHAR(32) NOT NULL, \n\tseq INTEGER NOT NULL, \n\tstart INTEGER NOT NULL, \n\t\"end\" INTEGER NOT NULL, \n\toriginal_start INTEGER NOT NULL, \n\toriginal_end INTEGER NOT NULL, \n\tsearch_words TEXT, \n\tPRIMARY KEY (id), \n\tUNIQUE (article_id, seq), \n\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n)",  # noqa: E501
    "station_article": "CREATE TABLE station_article (\n\tid INTEGER NOT NULL, \n\tstation_id INTEGER NOT NULL, \n\tarticle_id VARCHAR(32) NOT NULL, \n\tstart INTEGER, \n\t\"end\" INTEGER, \n\tconfidence FLOAT, \n\tPRIMARY KEY (id), \n\tUNIQUE (station_id, article_id), \n\tFOREIGN KEY(station_id) REFERENCES station (id), \n\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n)",  # noqa: E501
    "practice_mention": "CREATE TABLE practice_mention (\n\tid INTEGER NOT NULL, \n\tpractice_id INTEGER NOT NULL, \n\tstation_id INTEGER, \n\tarticle_id VARCHAR(32) NOT NULL, \n\tname VARCHAR(128) NOT NULL, \n\tcategory VARCHAR(64) NOT NULL, \n\tstart INTEGER NOT NULL, \n\t\"end\" INTEGER NOT NULL, \n\toriginal_start INTEGER NOT NULL, \n\toriginal_end INTEGER NOT NULL, \n\tsentence_start INTEGER NOT NULL, \n\tsentence_end INTEGER NOT NULL, \n\tmodel_version VARCHAR(64), \n\tconfidence FLOAT, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(practice_id) REFERENCES practice (id), \n\tFOREIGN KEY(station_id) REFERENCES station (id), \n\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n)",  # noqa: E501
    "statistic": "CREATE TABLE statistic (\n\tid INTEGER NOT NULL, \n\tarticle_id VARCHAR(32) NOT NULL, \n\tstation_id INTEGER, \n\tmetric VARCHAR(64) NOT NULL, \n\tvalue FLOAT, \n\tlow FLOAT, \n\thigh FLOAT, \n\tunit VARCHAR(32) NOT NULL, \n\tqualifier VARCHAR(16), \n\tapprox BOOLEAN NOT NULL, \n\tchange VARCHAR(16), \n\tcomparison VARCHAR(16), \n\tperiod VARCHAR(64), \n\tperiod_start DATE, \n\tperiod_end DATE, \n\tsubject TEXT NOT NULL, \n\ttext VARCHAR(64) NOT NULL, \n\tstart INTEGER NOT NULL, \n\t\"end\" INTEGER NOT NULL, \n\toriginal_start INTEGER NOT NULL, \n\toriginal_end INTEGER NOT NULL, \n\tsentence_start INTEGER NOT NULL, \n\tsentence_end INTEGER NOT NULL, \n\tconfidence FLOAT, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE, \n\tFOREIGN KEY(station_id) REFERENCES station (id)\n)",  # noqa: E501
    "extraction_version": "CREATE TABLE extraction_version (\n\tarticle_id VARCHAR(32) NOT NULL, \n\tversion VARCHAR(16) NOT NULL, \n\textracted DATETIME NOT NULL, \n\tPRIMARY KEY (article_id), \n\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n)",  # noqa: E501
    "article_fingerprint": "CREATE TABLE article_fingerprint (\n\tarticle_id VARCHAR(32) NOT NULL, \n\tsignature BLOB NOT NULL, \n\tshingles INTEGER NOT NULL, \n\tscheme VARCHAR(32) NOT NULL, \n\tPRIMARY KEY (article_id), \n\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n)",  # noqa: E501
    "fingerprint_band": "CREATE TABLE fingerprint_band (\n\tarticle_id VARCHAR(32) NOT NULL, \n\tband SMALLINT NOT NULL, \n\thash BIGINT NOT NULL, \n\tPRIMARY KEY (article_id, band), \n\tFOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE\n)",  # noqa: E501
}
_UNKEYED_INDEXES = [
    "CREATE INDEX ix_article_url ON article (url)",
    "CREATE INDEX ix_article_reprint_cluster ON article (reprint_cluster)",
    "CREATE INDEX ix_article_published ON article (published)",
    "CREATE INDEX ix_article_original_script ON article (original_script)",
    "CREATE INDEX ix_station_article_article_id ON station_article (article_id)",
    "CREATE INDEX ix_practice_mention_station_id ON practice_mention (station_id)",
    "CREATE INDEX ix_practice_mention_practice_id ON practice_mention (practice_id)",
    "CREATE INDEX ix_practice_mention_article_id ON practice_mention (article_id)",
    "CREATE INDEX ix_statistic_article_id ON statistic (article_id)",
    "CREATE INDEX ix_statistic_metric ON statistic (metric)",
    "CREATE INDEX ix_statistic_station_id ON statistic (station_id)",
    "CREATE INDEX ix_extraction_version_version ON extraction_version (version)",
    "CREATE INDEX ix_fingerprint_band_candidates ON fingerprint_band (band, hash, article_id)",
    "CREATE INDEX ix_article_id_cluster ON article (id, reprint_cluster)",
]
_UNKEYED_PG_CONSTRAINTS = {  # PostgreSQL: the same tables' keys on the article id
    "sentence": "UNIQUE (article_id, seq)",
    "station_article": "UNIQUE (station_id, article_id)",
    "extraction_version": "PRIMARY KEY (article_id)",
    "article_fingerprint": "PRIMARY KEY (article_id)",
    "fingerprint_band": "PRIMARY KEY (article_id, band)",
}


def _old_sqlite_trigger(statement: str) -> str:
    return (
        statement.replace('a."key" = new.article_key', "a.id = new.article_id")
        .replace('a."key" = old.article_key', "a.id = old.article_id")
        .replace('s.article_key = old."key"', "s.article_id = old.id")
        .replace("UPDATE OF article_key", "UPDATE OF article_id")
    )


def _make_clean_stored(engine: Engine) -> None:
    """Give a warehouse the article layout before `clean_patches`: SQLite's clean texts (where they differ from
    the simplified text) whole in `clean_stored`, no `clean_patch` column. PostgreSQL's layout is the same."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "UPDATE article SET clean_stored = fqa_clean(simplified_text, clean_patch), clean_patch = NULL"
                    " WHERE clean_patch IS NOT NULL"
                )
            )
            conn.execute(text("ALTER TABLE article DROP COLUMN clean_patch"))
        conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.CLEAN_PATCH_UPGRADE})


def _make_unkeyed(engine: Engine) -> None:
    """Give a warehouse the layout before `article_keys`: every row names its article by the 32-character id."""
    children = [t for t in upgrade.KEYED_TABLES]
    _make_clean_stored(engine)  # a later step
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql("BEGIN")
            for name in fts.SQLITE_TRIGGERS:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            for name in (*children, "article"):
                columns = [c["name"] for c in inspect(conn).get_columns(name) if c["name"] not in ("key", "article_key")]  # noqa: E501
                quoted = ", ".join(f'"{c}"' for c in columns)
                conn.exec_driver_sql(_UNKEYED_SQLITE[name].replace(f"TABLE {name} ", f"TABLE {name}__old ", 1))
                if name == "article":
                    conn.exec_driver_sql(
                        f'INSERT INTO article__old ({quoted}) SELECT {quoted} FROM article ORDER BY "key"'
                    )
                else:
                    picked = ", ".join(f't."{c}"' for c in columns)
                    conn.exec_driver_sql(
                        f"INSERT INTO {name}__old ({quoted}, article_id) SELECT {picked}, a.id FROM {name} t"
                        f' JOIN article a ON a."key" = t.article_key ORDER BY t.rowid'
                    )
                conn.exec_driver_sql(f"DROP TABLE {name}")
                conn.exec_driver_sql(f"ALTER TABLE {name}__old RENAME TO {name}")
            for statement in _UNKEYED_INDEXES:
                conn.exec_driver_sql(statement)
            for statement in fts._SQLITE_DDL[1:]:
                conn.exec_driver_sql(_old_sqlite_trigger(statement))
            conn.exec_driver_sql("COMMIT")
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    else:
        with engine.begin() as conn:
            for name in (*children, fts.PG_TABLE):
                conn.execute(text(f"ALTER TABLE {name} ADD COLUMN article_id varchar(32)"))
                conn.execute(
                    text(f'UPDATE {name} t SET article_id = a.id FROM article a WHERE a."key" = t.article_key')
                )
                conn.execute(text(f"ALTER TABLE {name} ALTER COLUMN article_id SET NOT NULL, DROP COLUMN article_key"))
                if name in _UNKEYED_PG_CONSTRAINTS:
                    conn.execute(text(f"ALTER TABLE {name} ADD {_UNKEYED_PG_CONSTRAINTS[name]}"))
            conn.execute(text("ALTER TABLE article DROP CONSTRAINT article_id_key CASCADE"))
            conn.execute(text('ALTER TABLE article DROP COLUMN "key" CASCADE'))
            conn.execute(text("ALTER TABLE article ADD PRIMARY KEY (id)"))
            conn.execute(text("ALTER TABLE source_file ADD FOREIGN KEY (article_id) REFERENCES article (id)"))
            for name in children:
                conn.execute(
                    text(f"ALTER TABLE {name} ADD FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE")
                )
            for statement in _UNKEYED_INDEXES:
                if "ON article " not in statement and "article_id)" in statement:
                    conn.execute(text(statement))
            conn.execute(text(f"DROP INDEX IF EXISTS {fts.ARTICLE_CLUSTER_INDEX}"))  # went with the key column
            conn.execute(text("CREATE INDEX ix_article_id_cluster ON article (id, reprint_cluster)"))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.KEYS_UPGRADE})


def _without_keys(answers: dict[str, object]) -> dict[str, object]:
    """The answers, the sentences' integer article keys left out (PostgreSQL numbers an upgraded warehouse's
    articles by first ingestion, not by the order they were stored in)."""
    out = dict(answers)
    out["sentences"] = [{k: v for k, v in row._mapping.items() if k != "article_key"} for row in answers["sentences"]]
    return out


def _keyed_layout(engine: Engine) -> dict[str, set[str]]:
    existing = inspect(engine)
    return {
        t: {c["name"] for c in existing.get_columns(t)} | {i["name"] for i in existing.get_indexes(t)}
        for t in ("article", *upgrade.KEYED_TABLES)
    }


def test_a_warehouse_keyed_by_article_id_is_upgraded_and_answers_as_a_fresh_one(db_url: str, tmp_path) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    fresh_layout = _keyed_layout(engine)
    _make_unkeyed(engine)
    assert "article_id" in {c["name"] for c in inspect(engine).get_columns("sentence")}
    assert not upgrade.is_done(engine, upgrade.KEYS_UPGRADE)

    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.KEYS_UPGRADE)
    assert _keyed_layout(engine) == fresh_layout
    assert _without_keys(_answers(db_url)) == fresh
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('integrity-check', 1)"))
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        else:
            assert "article_key" in {c["name"] for c in inspect(conn).get_columns(fts.PG_TABLE)}
    assert upgrade.upgrade_article_keys(engine) == []


def test_an_interrupted_article_keys_upgrade_is_finished_by_the_next_open(db_url: str, tmp_path, monkeypatch) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _without_keys(_answers(db_url))
    _make_unkeyed(engine)

    class Interrupted(Exception):
        pass

    convert = upgrade._sqlite_rebuild if engine.dialect.name == "sqlite" else upgrade._pg_convert

    def stops_at_statistic(conn, name: str) -> bool:  # noqa: ANN001
        if name == "statistic":
            raise Interrupted
        return convert(conn, name)

    name = "_sqlite_rebuild" if engine.dialect.name == "sqlite" else "_pg_convert"
    monkeypatch.setattr(upgrade, name, stops_at_statistic)
    with pytest.raises(Interrupted):
        _reopen(db_url)
    monkeypatch.undo()
    assert "key" in _article_columns(engine)  # article and the tables before statistic were done …
    assert "article_id" in {c["name"] for c in inspect(engine).get_columns("statistic")}  # … not the rest
    assert not upgrade.is_done(engine, upgrade.KEYS_UPGRADE)
    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.KEYS_UPGRADE)
    assert _without_keys(_answers(db_url)) == fresh


def _make_positional(engine: Engine) -> None:
    """Give a warehouse the full-text index before `search_without_positions`: SQLite's FTS5 table with
    positions (`detail=full`), PostgreSQL's side table with positions and weight B (as warehouse/fts.py at
    2840d63 made them)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            rows = conn.execute(select(Sentence.id, Sentence.text)).all()
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for name in fts.SQLITE_TRIGGERS:
                conn.execute(text(f"DROP TRIGGER {name}"))
            conn.execute(text(f"DROP TABLE {fts.FTS_TABLE}"))
            conn.execute(
                text(
                    f"CREATE VIRTUAL TABLE {fts.FTS_TABLE} USING fts5(grams, content='', columnsize=0, detail=full)"
                )
            )
            conn.execute(text(fts._SQLITE_FILL + " ORDER BY s.id"))
            fts.install_sqlite_triggers(conn)
        else:
            conn.execute(text(f"TRUNCATE {fts.PG_TABLE}"))
            conn.execute(
                text(
                    f"INSERT INTO {fts.PG_TABLE} (id, article_key, {fts.PG_VECTOR})"
                    " SELECT s.id, s.article_key, setweight(to_tsvector('simple', :grams), 'B')"
                    " FROM sentence s WHERE s.id = :i"
                ),
                [{"i": i, "grams": fts.index_grams(t)} for i, t in sorted(rows)],
            )
        conn.execute(text("DELETE FROM warehouse_upgrade WHERE name = :n"), {"n": upgrade.POSITIONS_UPGRADE})


def _index_definition(engine: Engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": fts.FTS_TABLE})
        vector, table = fts.PG_VECTOR, fts.PG_TABLE
        positional = conn.scalar(text(f"SELECT count(*) FROM {table} WHERE {vector} <> strip({vector})"))
        indexes = sorted(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = :t"), {"t": table}))
        return f"{positional} vectors with positions; indexes {indexes}"


def test_an_index_with_positions_is_rebuilt_without_and_answers_as_a_fresh_one(db_url: str, tmp_path) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _answers(db_url)
    fresh_index = _index_definition(engine)
    _make_positional(engine)
    assert not upgrade.is_done(engine, upgrade.POSITIONS_UPGRADE)
    if engine.dialect.name == "sqlite":
        assert "detail=full" in _index_definition(engine) and "detail=none" in fresh_index
    else:
        assert fresh_index.startswith("0 vectors") and not _index_definition(engine).startswith("0 vectors")

    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.POSITIONS_UPGRADE)
    assert _index_definition(engine) == fresh_index
    assert _answers(db_url) == fresh
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('integrity-check', 1)"))
    assert upgrade.upgrade_search_positions(engine) == []


def test_an_index_rebuild_that_fails_half_way_leaves_the_old_one_and_is_done_by_the_next_open(
    db_url: str, tmp_path, monkeypatch
) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _answers(db_url)
    _make_positional(engine)
    positional = _index_definition(engine)

    class Interrupted(Exception):
        pass

    sqlite = engine.dialect.name == "sqlite"
    owner, name = (fts, "build_sqlite_index") if sqlite else (upgrade, "_pg_strip_side_table")
    rebuild = getattr(owner, name)

    def fails_after_the_work(conn) -> None:  # noqa: ANN001
        rebuild(conn)
        raise Interrupted

    monkeypatch.setattr(owner, name, fails_after_the_work)
    with pytest.raises(Interrupted):
        _reopen(db_url)
    monkeypatch.undo()
    assert _index_definition(engine) == positional  # rolled back whole
    assert not upgrade.is_done(engine, upgrade.POSITIONS_UPGRADE)
    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.POSITIONS_UPGRADE)
    assert _answers(db_url) == fresh


def test_clean_texts_whole_are_made_patches_and_answer_as_a_fresh_one(db_url: str, tmp_path) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _answers(db_url)
    fresh_columns = _article_columns(engine)
    _make_clean_stored(engine)
    sqlite = engine.dialect.name == "sqlite"
    whole = text("SELECT count(*) FROM article WHERE clean_stored IS NOT NULL")
    with engine.connect() as conn:
        stored = conn.scalar(whole)
    assert stored > 0
    assert ("clean_patch" in _article_columns(engine)) is not sqlite

    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.CLEAN_PATCH_UPGRADE)
    assert _article_columns(engine) == fresh_columns
    assert _answers(db_url) == fresh
    with engine.connect() as conn:
        assert conn.scalar(whole) == (0 if sqlite else stored)
        if sqlite:
            assert conn.scalar(text("SELECT count(*) FROM article WHERE clean_patch IS NOT NULL")) == stored
    assert upgrade.upgrade_clean_patches(engine) == 0


def test_an_interrupted_clean_patches_upgrade_is_finished_by_the_next_open(db_url: str, tmp_path, monkeypatch) -> None:
    engine = load_seeds(db_url, tmp_path)
    fresh = _answers(db_url)
    _make_clean_stored(engine)
    make = upgrade.stored_text.clean_patch
    calls = []

    class Interrupted(Exception):
        pass

    def fails_on_the_second(clean: str, simplified: str) -> bytes | None:
        calls.append(1)
        if len(calls) == 2:
            raise Interrupted
        return make(clean, simplified)

    monkeypatch.setattr(upgrade, "_TEXTS_CHUNK", 1)  # one chunk written, the second rolled back
    monkeypatch.setattr(upgrade.stored_text, "clean_patch", fails_on_the_second)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        with pytest.raises(Interrupted):
            _reopen(db_url)
        monkeypatch.undo()
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM article WHERE clean_patch IS NOT NULL")) == 1
        assert not upgrade.is_done(engine, upgrade.CLEAN_PATCH_UPGRADE)
        assert _answers(db_url) == fresh  # half-way, each article's clean text is read from where it is
    else:
        _reopen(db_url)  # PostgreSQL keeps the text: nothing to do
        monkeypatch.undo()
        assert not calls
    engine = _reopen(db_url)
    assert upgrade.is_done(engine, upgrade.CLEAN_PATCH_UPGRADE)
    assert _answers(db_url) == fresh
