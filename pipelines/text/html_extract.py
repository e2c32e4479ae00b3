"""Article text and metadata from an HTML news page (trafilatura for the main text, our rules for metadata).

trafilatura finds the main content and reads HTML metadata (<title>, og:*, canonical link, htmldate).  Two
things it does not do well on Chinese CMS pages, handled here:

* Old layouts put everything in <table>s; with tables on, navigation cells end up in the text joined by
  " | ".  We first extract with tables off and precision on, and fall back to tables on / recall only when
  that yields no article text.  Paragraphs are rebuilt from trafilatura's XML body (one line per <p>,
  heading, list item, table cell or <br>), so later stages see the paragraph structure.
* The page's visible dateline ("时间:2023-12-20 来源:中国长安网") is what the article says; htmldate often
  prefers a date in the URL.  We render the whole page as lines and run `extract_metadata` on it; its
  title/date/publisher/author win, trafilatura's fill gaps.

The <title> loses only trailing site-like segments (``-新华网``, ``_新浪网``, `` - 中国长安网``, ``|人民网``); a
<title> that is only a site's name is the publisher, not a headline.  htmldate's date is kept only when the
markup states it (<meta>, <time>, JSON-LD): a date it found in the body is not the publication date.

A page whose extraction holds no paragraph of body text (an index page, a 404, a login wall) gives
``text == ""`` and ``has_article_text=False`` so the caller can reject "HTML without article text".
Nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from charset_normalizer import from_bytes

from pipelines.text.boilerplate import _strong_reason
from pipelines.text.metadata import (
    BARE_OUTLET_RE,
    ROLE_NOUNS,
    ArticleMetadata,
    clean_author,
    clean_publisher,
    extract_metadata,
    is_paragraph,
    parse_date,
    split_lines,
)

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "table",
        "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "dt", "dd", "form",
        "figure", "figcaption", "center", "title", "option", "hr",
        # trafilatura's XML body
        "head", "item", "list", "row", "cell", "quote", "lb", "graphic", "code",
    }
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "select")
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
_TITLE_SEP_RE = re.compile(r"\s*(?:_|\||\uff5c|--|\u2014{2}|\s-\s|\s\u2013\s|(?<![\d\s])-(?![\d\s]))\s*")
# A trailing <title> segment that names the site: short, or shaped like an outlet or a host name.
_SITE_RE = re.compile(
    r"^(?:[\w.-]+\.[a-z]{2,}|.{1,20}?(?:网|網|报|報|在线|在線|客户端|频道|頻道|门户|門戶|新闻|新聞|政府|公安|"
    r"官网|官網|平台|中心|社|台)|[\w\u4e00-\u9fff·]{1,8})$",
    re.I,
)
_LD_DATE_RE = re.compile(r'"date(?:Published|Created)"\s*:\s*"([^"]{8,40})"')
_MIN_ARTICLE_HAN = 50
_MAX_BAD_BYTES = 3  # undecodable bytes repaired in a page (more per 1,000 bytes on long pages)


@dataclass(frozen=True)
class HtmlExtraction:
    """Main text (one paragraph per line) and metadata of one HTML page."""

    text: str
    has_article_text: bool
    title: str | None = None
    published: dt.date | None = None
    published_source: str | None = None  # "page" (visible dateline), "html" (htmldate/meta) or "url"
    author: str | None = None
    publisher: str | None = None
    url: str | None = None  # canonical / og:url, else the URL given
    encoding: str | None = None  # the codec used when bytes were given
    extractor: str = "none"  # which trafilatura pass produced the text: precision, balanced, recall, none
    page_metadata: ArticleMetadata | None = None  # extract_metadata over the whole visible page


def _decode_repaired(data: bytes, codec: str) -> str | None:
    """`data` in `codec` with a few undecodable bytes replaced by U+FFFD; None when more than a trace is damaged.

    One corrupt byte in an otherwise valid page is damage to repair, not a reason to reject the page or to read
    it in another encoding (which would turn every character into mojibake).
    """
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    damaged = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
    return text if damaged <= max(_MAX_BAD_BYTES, len(data) // 1000) else None


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes → str using the declared charset (GBK read as its superset GB18030), else detection.

    A page that is valid in its charset except for a few stray bytes is decoded with those bytes replaced.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    m = _CHARSET_RE.search(data[:4096])
    declared = None
    if m:
        declared = m.group(1).decode("ascii").lower()
        codec = _SUPERSETS.get(declared, declared)
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in dict.fromkeys(c for c in (_SUPERSETS.get(declared or "", declared), "utf-8") if c):
        repaired = _decode_repaired(data, codec)
        if repaired is not None:
            return repaired, codec
    best = from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace"), "utf-8"
    return str(best), best.encoding


def _render_lines(element) -> str:  # noqa: ANN001 - lxml element
    """Visible text of an element tree, one line per block element; blank lines and edges stripped."""
    parts: list[str] = []

    def walk(el) -> None:  # noqa: ANN001
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if tag in _DROP_TAGS:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(element)
    text = "".join(parts).replace("\r", "")
    lines = (re.sub(r"[ \t\u00a0\u3000]+", " ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _has_article_text(text: str) -> bool:
    """At least one real paragraph: sentence-shaped, not page chrome, with enough Han characters."""
    han = 0
    for line in split_lines(text):
        if line.blank or _strong_reason(line) or not is_paragraph(line.text):
            continue
        han += sum("\u3400" <= c <= "\u9fff" for c in line.text)
    return han >= _MIN_ARTICLE_HAN


def _clean_title(title: str | None) -> tuple[str | None, str | None]:
    """"<headline>_<site>" → (headline, site): trailing site-like segments are cut, the headline kept whole.

    Only segments at the end that look like a site name (`-新华网`, `_新浪网`, ` - 中国长安网`, `|人民网`,
    `_福州新闻`) are removed, so a headline with its own separator ("致敬70 | 香蜜湖派出所：…") survives.
    """
    if not title:
        return None, None
    title = title.strip()
    seps = list(_TITLE_SEP_RE.finditer(title))
    site = None
    end = len(title)
    for sep in reversed(seps):
        segment = title[sep.end() : end].strip()
        head = title[: sep.start()].strip()
        host = _hostname_like(segment)
        if not segment or len(head) < 4 or not _SITE_RE.match(segment) or len(segment) >= len(head) and not host:
            break
        site = segment if host is False and (site is None or _hostname_like(site)) else site
        end = sep.start()
    return title[:end].strip() or None, site


# A <title> that is an office's name alone (大竹县人民政府): the site's owner, no headline
_ORG_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,12}(?:人民政府|政府网|公安局|公安厅|融媒体中心)$")


def _leading_site(page_title: str, headline: str) -> str | None:
    """"警声 - 新界北总区 推动社群 关爱长者" with the headline 推动社群 关爱长者: a short first segment of a <title>
    that ends with the page's own headline is the site's name, written first."""
    first = _TITLE_SEP_RE.search(page_title)
    if first is None or not page_title.rstrip().endswith(headline):
        return None
    segment = page_title[: first.start()].strip()
    return segment if 2 <= len(segment) <= 12 and not re.search(r"\s", segment) else None


def _markup_dates(html: str, tree: lxml.html.HtmlElement | None) -> set[dt.date]:
    """Dates the page's markup states (<meta> content, <time>, JSON-LD datePublished): a date htmldate found only
    in the body text is a guess, and a date from the body is not the publication date."""
    dates: set[dt.date] = set()
    values = [m.group(1) for m in _LD_DATE_RE.finditer(html)]
    if tree is not None:
        values += [el.get("content") or "" for el in tree.iter("meta")]
        values += [el.get("datetime") or el.text_content() for el in tree.iter("time")]
    for value in values:
        hit = parse_date(value or "")
        if hit:
            dates.add(hit[0])
    return dates


def _page_author(value: str | None) -> str | None:
    """An author from the page's markup, names only; a CMS role ("创始人") or an outlet name is no author."""
    if not value or value in ("佚名", "匿名") or value.strip() in ROLE_NOUNS:
        return None
    author = clean_author(value)
    if author is None or clean_publisher(author) == author and re.search(r"[网網报報台社]$", author):
        return None
    return author


# <meta name="source" content="平安日报">, <meta name="author" …>: the CMS fields many Chinese news sites write
_META_FIELDS = {"source": "source", "contentsource": "source", "author": "author"}


def _meta_fields(tree: lxml.html.HtmlElement | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for el in tree.iter("meta") if tree is not None else ():
        field = _META_FIELDS.get((el.get("name") or "").strip().lower())
        content = (el.get("content") or "").strip()
        if field and content and field not in fields:
            fields[field] = content
    return fields


def _hostname_like(value: str | None) -> bool:
    return bool(value) and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", value or "", re.I) is not None


def extract_html(html: str | bytes, url: str | None = None) -> HtmlExtraction:
    """Main text and metadata of a news page; text is "" (has_article_text False) when there is no article."""
    encoding = None
    if isinstance(html, bytes):
        html, encoding = decode_html(html)
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input with an encoding declaration

    passes = (
        ("precision", {"favor_precision": True, "include_tables": False}),
        ("balanced", {}),
        ("recall", {"favor_recall": True}),
    )
    doc = None
    text = ""
    extractor = "none"
    for name, options in passes:
        candidate = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, **options
        )
        if candidate is None or candidate.body is None:
            continue
        doc = doc or candidate
        candidate_text = _render_lines(candidate.body)
        if _has_article_text(candidate_text):
            doc, text, extractor = candidate, candidate_text, name
            break

    page_meta: ArticleMetadata | None = None
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        tree = None
    if tree is not None and text:  # a list or index page's lines are not an article's header
        body = tree.find("body")
        page_meta = extract_metadata(_render_lines(body if body is not None else tree))

    html_title, site_from_title = _clean_title(doc.title if doc else None)
    if site_from_title is None and tree is not None:  # trafilatura may have cut the site off its title already
        site_from_title = _clean_title(tree.findtext(".//title"))[1]
    markup = _meta_fields(tree)
    if html_title and site_from_title is None and (BARE_OUTLET_RE.match(html_title) or _ORG_ONLY.match(html_title)):
        html_title, site_from_title = None, html_title  # <title>中国长安网</title>: the site's name, no headline
    title = html_title
    if page_meta and page_meta.title and (not html_title or page_meta.title in (doc.title or "")):
        title = page_meta.title
    page_title = (tree.findtext(".//title") or "").strip() if tree is not None else ""
    if site_from_title is None and title and page_title and title != page_title:
        site_from_title = _leading_site(page_title, title)

    published = None
    source = None
    if page_meta and page_meta.published and "published" not in page_meta.inferred:
        published, source = page_meta.published, "page"
    elif doc and doc.date:
        try:
            published, source = dt.date.fromisoformat(doc.date[:10]), "html"
        except ValueError:
            published = None
        if published is not None and published not in _markup_dates(html, tree):
            published, source = None, None
    elif page_meta and page_meta.published:
        published, source = page_meta.published, "url"

    publisher = page_meta.publisher if page_meta else None
    publisher = publisher or (clean_publisher(markup["source"]) if markup.get("source") else None)
    if not publisher and doc and doc.sitename and not _hostname_like(doc.sitename):
        publisher = doc.sitename
    publisher = publisher or site_from_title

    author = page_meta.author if page_meta else None
    if not author and doc and doc.author:
        author = _page_author(doc.author)
    if not author and markup.get("author"):
        author = _page_author(markup["author"])

    page_url = (doc.url if doc else None) or url
    return HtmlExtraction(
        text=text,
        has_article_text=bool(text),
        title=title,
        published=published,
        published_source=source,
        author=author,
        publisher=publisher,
        url=page_url,
        encoding=encoding,
        extractor=extractor,
        page_metadata=page_meta,
    )


_WARM_UP_PAGE = (
    "<html><head><title>示例</title></head><body><article><p>时间：2023年13月45日 第1234期</p>"
    "<p>近年来，该所深入践行新时代“枫桥经验”，成功调处矛盾纠纷120余起，调处成功率达98%。</p></article></body></html>"
)


def warm_up() -> None:
    """Build what the first page would otherwise pay for, once per process: dateparser (which htmldate asks
    about a date string nothing else could read) compiles its patterns for every locale on its first failed
    parse, about 2 s. The pool's fork server should call this before its workers fork."""
    from htmldate.extractors import get_external_parser

    get_external_parser().get_date_data("2023年13月45日 第1234期")
    extract_html(_WARM_UP_PAGE)
