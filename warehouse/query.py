"""Read access to the warehouse for the CLI, tests and notebooks."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from warehouse.schema import Article, Sentence


class NotFound(LookupError):
    pass


def list_articles(engine: Engine) -> list[dict[str, object]]:
    sentence_counts = (
        select(Sentence.article_key, func.count().label("n")).group_by(Sentence.article_key).subquery()
    )
    query = (
        select(
            Article.id,
            Article.title,
            Article.published,
            Article.publisher,
            Article.original_script,
            Article.source_file,
            Article.repair_flags,
            func.coalesce(sentence_counts.c.n, 0),
        )
        .outerjoin(sentence_counts, sentence_counts.c.article_key == Article.key)
        .order_by(Article.published.is_(None), Article.published, Article.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        {
            "id": r[0],
            "title": r[1],
            "published": r[2].isoformat() if r[2] else None,
            "publisher": r[3],
            "script": r[4],
            "source_file": r[5],
            "repair_flags": r[6],
            "sentences": r[7],
        }
        for r in rows
    ]


def get_article(engine: Engine, id_or_prefix: str) -> Article:
    """The article whose id starts with the given prefix (4+ hex characters, like a git hash), or whose
    source file has the given path or file name."""
    key = id_or_prefix.strip()
    prefix = key.lower()
    with Session(engine) as session:
        matches: list[Article] = []
        if len(prefix) >= 4 and all(c in "0123456789abcdef" for c in prefix):
            matches = list(session.scalars(select(Article).where(Article.id.like(prefix + "%")).limit(2)))
        if not matches and key:
            name = key.replace("\\", "/").rsplit("/", 1)[-1]
            candidates = session.scalars(select(Article).where(Article.source_file.like("%" + name))).all()
            matches = [a for a in candidates if a.source_file == key or a.source_file.endswith("/" + name)
                       or a.source_file == name][:2]
        if not matches:
            raise NotFound(f"no article with id {id_or_prefix!r}")
        if len(matches) > 1:
            raise NotFound(f"article id {id_or_prefix!r} is ambiguous; give more characters")
        article = matches[0]
        session.expunge(article)
        return article
