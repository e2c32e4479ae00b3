"""The clean stage: raw file text → article body in its original script, plus metadata and repair flags.

Order matters: mojibake and broken entities are repaired first (a mojibake run can swallow the `&` of an
entity, and a gloss can sit on a letter a run left behind), then pinyin glosses are dropped, then metadata
and boilerplate are read off the repaired text. Each step reports replacements, and their offset maps are
composed, so every clean character still points at the raw characters it came from.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.text.articles import ArticleMeta, CleanArticle, RepairReport, article_id_for
from pipelines.text.boilerplate import find_boilerplate
from pipelines.text.html_extract import extract_html
from pipelines.text.metadata import ArticleMetadata, extract_metadata
from pipelines.text.mojibake import repair_damage
from pipelines.text.offsets import apply_replacements
from pipelines.text.pinyin_gloss import find_pinyin_glosses
from pipelines.text.read import RawArticle

MIN_HAN_CHARACTERS = 20
MIN_HAN_SHARE = 0.2


class CleanError(Exception):
    def __init__(self, path: str, reason: str, code: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.code = code


_NOT_HAN_RE = re.compile("[^\u4e00-\u9fff\u3400-\u4dbf]+")


def _han_count(text: str) -> int:
    """Characters of the two main Han blocks (what is left when a regex drops the rest, in C: every article's
    whole body goes through this)."""
    return len(_NOT_HAN_RE.sub("", text))


def _merge_meta(found: ArticleMetadata, fallback: ArticleMeta | None) -> ArticleMeta:
    """Metadata read from the text; for HTML pages, what the page's own markup says fills the gaps."""
    meta = ArticleMeta(
        title=found.title,
        subtitle=found.subtitle,
        published=found.published,
        publisher=found.publisher,
        author=found.author,
        editor=found.editor,
        url=found.url,
    )
    if fallback is None:
        return meta
    merged = ArticleMeta(**{
        name: getattr(meta, name) if getattr(meta, name) not in (None, "") else getattr(fallback, name)
        for name in ("title", "subtitle", "published", "publisher", "author", "editor", "url")
    })
    # A publisher the body text only hints at (a 中新网…电 dateline, a reporter line) gives way to the one the whole
    # page states (its 来源 field, which the extracted body may have lost).
    if fallback.publisher and "publisher" in found.inferred:
        merged = replace(merged, publisher=fallback.publisher)
    # The page's own headline (og:title, <h1>, <title> without the site name) is what its publisher called it; a
    # line of the extracted body that looks like a headline is a guess, often a section heading or a slogan.
    return replace(merged, title=fallback.title) if fallback.title else merged


def clean_article(raw: RawArticle) -> CleanArticle:
    """Clean one decoded file; CleanError when nothing usable as a Chinese article is left."""
    source = raw.text
    page_meta: ArticleMeta | None = None
    if raw.media_type == "html":
        page = extract_html(raw.text)
        if not page.has_article_text or not page.text.strip():
            raise CleanError(raw.path, "HTML page without article text", "no_text")
        source = page.text
        page_meta = ArticleMeta(
            title=page.title, published=page.published, publisher=page.publisher, author=page.author,
            url=page.url,
        )

    damage = repair_damage(source)
    repaired, to_source = apply_replacements(source, damage.replacements)
    glosses = find_pinyin_glosses(repaired)
    unglossed, gloss_map = apply_replacements(repaired, glosses)
    found = extract_metadata(unglossed)
    # Headlines stay in the body: they often name the station and its honours, and they are searched.
    boilerplate = find_boilerplate(unglossed, found, drop_headings=False)
    body, body_map = apply_replacements(unglossed, boilerplate.replacements)
    to_source = to_source.then(gloss_map).then(body_map)

    han = _han_count(body)
    if han < MIN_HAN_CHARACTERS or han < MIN_HAN_SHARE * len(body.strip()):
        raise CleanError(raw.path, f"not a Chinese article ({han} Han characters of {len(body)})", "not_chinese")

    unrecoverable = tuple(
        span for span in (to_source.derived_span(s, e) for s, e in damage.unrecoverable) if span[0] < span[1]
    )
    repairs = RepairReport(
        glosses_removed=len(glosses),
        entities_fixed=damage.entities_fixed,
        mojibake_runs=len(damage.runs),
        mojibake_chars=sum(run.end - run.start for run in damage.runs),
        mojibake_chars_recovered=sum(run.recovered_chars for run in damage.runs),
        unrecoverable_spans=unrecoverable,
        boilerplate_removed=sum(1 for r in boilerplate.replacements if r.kind == "boilerplate"),
    )
    return CleanArticle(
        raw=raw,
        id=article_id_for(body),
        text=body,
        to_raw=to_source,
        meta=_merge_meta(found, page_meta),
        repairs=repairs,
        captions=tuple(unglossed[s:e] for s, e in boilerplate.captions),
        source_text=source,
    )
