"""Article metadata (title, date, publisher, author, editor, original URL) found in plain article text.

Reposted Chinese news text carries its metadata in a handful of conventional places: a headline line at the
top, a "dateline" under it (``时间:… 来源:… 作者:…`` or ``<出版社>  2023/3/9 10:31:38``), a byline
(``文/图/黄伟锋``), a trailing credit on the last paragraph (``(王勇 卜英豪)``, ``(作者:…)``,
``(新津公安 供稿)``), editor lines (``(责编:…)``, ``编辑:栏目----姓名``) and a source link
(``原文链接:http://…``).  The rules below look for those *shapes*, never for particular outlets.

Every value comes with the span of ``text`` it was read from, and `ArticleMetadata.removable` lists the
spans that hold nothing but metadata, so the boilerplate stage can drop them from the body and the offset
map still points at the raw characters.  Values are normalised (whitespace trimmed, pinyin glosses such as
``區(qū)`` dropped), so a title comes out the same whether glosses were stripped before this stage or after.

Decisions:

* **Title**: the headline-shaped line (short, no sentence punctuation inside or at its end) closest above
  the first dateline; without a dateline, the first non-blank line if it is headline-shaped.  Otherwise
  the title is ``None`` (listed in ``missing``): a first line that is a body paragraph is not a title, and
  we do not invent one.
* **Subtitle**: headline-shaped lines between the title block and the first paragraph, accepted only when
  one of them starts with a dash (``——记…``, the 副题 convention); the lines are joined without separator.
* **Anonymous authors** (佚名, 匿名, 不详 …) give ``author=None`` with ``author_as_written`` kept.
* **Publisher from a photo credit** (``人民网 王勇摄``) is inferred only when the credited photographer is
  one of the article's own authors: then the credit's organisation is the author's employer and the article
  is its own report; a credit naming someone else says only who owns the picture.  Flagged in ``inferred``.
* **Contributed copy** (``(新津公安 供稿)``): the contributor is the author; it supplied the copy to an outlet
  the text does not name, so the publisher stays unknown rather than being filled with the contributor.
* **Date** from a dateline or labelled field; else an unlabelled date-only line; else the date in the
  article URL path (``/2023-12/19/``), flagged in ``inferred``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Span = tuple[int, int]

FIELDS = ("title", "published", "publisher", "author", "editor", "url")

# --- character helpers ---------------------------------------------------------------------------------

# Simplified → Traditional variants of the characters used in labels, so label regexes match both scripts.
_TRAD = {
    "时": "時", "间": "間", "来": "來", "发": "發", "布": "佈", "记": "記", "编": "編", "辑": "輯",
    "责": "責", "浏": "瀏", "览": "覽", "阅": "閱", "读": "讀", "点": "點", "击": "擊", "讯": "訊",
    "员": "員", "转": "轉", "载": "載", "摄": "攝", "图": "圖", "网": "網", "链": "鏈", "处": "處",
    "笔": "筆", "审": "審", "核": "核", "对": "對", "数": "數", "稿": "稿", "题": "題", "关": "關",
    "页": "頁", "报": "報", "导": "導", "实": "實", "习": "習", "约": "約", "从": "從",
}
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A pinyin gloss after a Han character: "區(qū)".  Requires a tone mark or ü so "(APP)", "(2022)" survive.
_GLOSS_RE = re.compile(rf"(?<=[\u3400-\u9fff])[(（](?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}[)）]")
_OPT_GLOSS = rf"(?:[(（][a-z{_TONED}]{{1,7}}[)）])?"

_WS = " \t\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff"
_COLON = "[:：]"
_TERMINAL = "。!?;!?;"


def _label(*words: str) -> str:
    """Regex alternation for labels in either script, tolerating spaces inside ("来 源") and glosses."""
    alts = []
    for word in sorted(words, key=len, reverse=True):
        parts = []
        for ch in word:
            cls = re.escape(ch) if ch not in _TRAD else f"[{ch}{_TRAD[ch]}]"
            parts.append(cls + _OPT_GLOSS)
        alts.append(rf"[{_WS}]*".join(parts))
    return "(?:" + "|".join(alts) + ")"


def strip_glosses(value: str) -> str:
    """Drop pinyin glosses ("區(qū)" → "區") from a short value; the body is the cleaner's business."""
    return _GLOSS_RE.sub("", value)


def _norm(value: str) -> str:
    return re.sub(rf"[{_WS}]+", " ", strip_glosses(value)).strip()


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# --- labels ---------------------------------------------------------------------------------------------

_DATE_LABELS = _label("时间", "日期", "发布时间", "发布日期", "发表时间", "发表日期", "更新时间", "发稿时间",
                      "发布于", "发表于")
_SOURCE_LABELS = _label("来源", "稿源", "出处", "文章来源", "信息来源", "新闻来源", "转自", "转载自", "来自",
                        "供稿", "供稿单位")
_AUTHOR_LABELS = _label("作者", "记者", "撰稿", "撰文", "文字", "通讯员", "特约记者", "本报记者", "本刊记者",
                        "实习记者", "文", "文/图", "图/文", "文图", "图文", "笔者")
_EDITOR_LABELS = _label("责任编辑", "责编", "编辑", "本文编辑", "网络编辑", "值班编辑")
_OTHER_LABELS = _label("审核", "校对", "责任校对", "编审", "浏览次数", "浏览", "阅读", "阅读数", "点击",
                       "点击数", "点击率", "访问量", "字号", "摄影", "图片", "来源链接")
_URL_LABELS = _label("原文链接", "原文地址", "原文网址", "本文链接", "文章链接", "原文", "链接", "网址",
                     "出处链接", "URL", "url", "Url")

_REPORTER_LABELS = _label("记者", "通讯员", "特约记者", "本报记者", "本刊记者", "实习记者")
# "来源:X" anywhere in a line; "记者 张三" (no colon) only for reporter labels, which precede a name.
_ANY_LABEL = re.compile(
    rf"(?:(?<=^)|(?<=[{_WS}|【\[(（]))(?:(?P<label>{_DATE_LABELS}|{_SOURCE_LABELS}|{_AUTHOR_LABELS}"
    rf"|{_EDITOR_LABELS}|{_OTHER_LABELS}|{_URL_LABELS})[{_WS}]*{_COLON}|(?P<label2>{_REPORTER_LABELS})[{_WS}]+)"
    rf"[{_WS}]*"
)

_ANONYMOUS = {"佚名", "匿名", "不详", "不詳", "未知", "网络", "網絡", "本站", "admin", "管理员", "管理員"}

# --- dates ----------------------------------------------------------------------------------------------

_TIME = r"(?:[\sT]+\d{1,2}[:时時]\d{2}(?:[:分]\d{2}秒?)?)?"
_DATE_RES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)" + _TIME),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]" + _TIME),
)
_URL_DATE_RES = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})-?(?P<m>\d{2})/(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})/?(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})/"),
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_"),
)
_URL_RE = re.compile(r"https?://[^\s<>\"'“”()（）]+")


def parse_date(value: str) -> tuple[dt.date, Span] | None:
    """First valid calendar date in `value` (2023-12-20, 2023/3/9 10:31:38, 2023年12月20日, 2023.12.20)."""
    hits = []
    for rx in _DATE_RES:
        for m in rx.finditer(value):
            try:
                hits.append((m.start(), dt.date(int(m["y"]), int(m["m"]), int(m["d"])), m.span()))
            except ValueError:
                continue
    if not hits:
        return None
    _, date, span = min(hits)
    return date, span


def date_from_url(url: str) -> tuple[dt.date, Span] | None:
    """A date written into a URL path (/2023-12/19/, /20231219/, /t20231219_…); span within `url`."""
    for rx in _URL_DATE_RES:
        for m in rx.finditer(url):
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"])), (m.start("y"), m.end("d"))
            except ValueError:
                continue
    return None


# --- lines ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the text: `start:end` is its content with surrounding whitespace trimmed."""

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return self.start == self.end


def split_lines(text: str) -> list[Line]:
    """Lines with trimmed spans (leading indentation and trailing spaces excluded)."""
    lines = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        lead = len(raw) - len(raw.lstrip(_WS))
        content = raw.strip(_WS)
        start = pos + lead if content else pos
        lines.append(Line(i, start, start + len(content), content))
        pos += len(raw) + 1
    return lines


_NAV_HINT = re.compile(r"[||]|>>|›|当前位置|您的位置|您现在的位置|^收藏|^首页")


def is_headline(line: str) -> bool:
    """Short, no sentence punctuation: the shape of a title (a trailing …… is allowed)."""
    value = _norm(line)
    if not 4 <= len(value) <= 64 or _NAV_HINT.search(value):
        return False
    if any(ch in _TERMINAL for ch in value) or value.endswith((":", ":")):
        return False
    if _URL_RE.search(value) or parse_date(value):
        return False
    return sum(_is_han(ch) for ch in value) >= max(4, len(value) // 2)


def is_paragraph(line: str) -> bool:
    """A body paragraph: sentence punctuation or long."""
    value = _norm(line)
    return len(value) >= 40 or (len(value) >= 8 and any(ch in _TERMINAL for ch in value))


# --- result ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleMetadata:
    """Metadata of one article; each `*_span` is the (start, end) of `text` the value was read from."""

    title: str | None = None
    title_span: Span | None = None
    subtitle: str | None = None
    subtitle_span: Span | None = None
    published: dt.date | None = None
    published_span: Span | None = None
    publisher: str | None = None
    publisher_span: Span | None = None
    author: str | None = None
    author_span: Span | None = None
    author_as_written: str | None = None  # "佚名" when the text names the author as anonymous
    authors: tuple[str, ...] = ()
    editor: str | None = None
    editor_span: Span | None = None
    editors: tuple[str, ...] = ()
    url: str | None = None
    url_span: Span | None = None
    missing: tuple[str, ...] = ()  # FIELDS whose value is None
    inferred: tuple[str, ...] = ()  # fields read from indirect evidence ("published" from the URL, …)
    removable: tuple[tuple[int, int, str], ...] = ()  # (start, end, field): spans holding only metadata


@dataclass
class _Found:
    value: str
    span: Span
    raw: str = ""


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(rf"[、,,;;//{_WS}]+", value) if p)


def _name_list(value: str) -> bool:
    """A list of personal names: 2–4 Han characters each (the common shape of Chinese names)."""
    parts = _split_names(value)
    return bool(parts) and all(2 <= len(p) <= 4 and all(_is_han(c) for c in p) for p in parts)


def _org_token(value: str) -> bool:
    """One organisation-like token: no spaces or punctuation, 2–30 characters, mostly Han."""
    return (
        2 <= len(value) <= 30
        and not re.search(rf"[{_WS},,。、:::;;!?!?“”‘’\"'《》「」<>]", value)
        and sum(_is_han(c) for c in value) >= len(value) * 0.6
    )


def _fields_in_line(line: Line) -> list[tuple[str, str, Span]] | None:
    """Labelled fields of a metadata line as (kind, value, span); None when the line is not metadata."""
    text = line.text
    matches = list(_ANY_LABEL.finditer(text))
    if not matches:
        return None
    if matches[0].start() != 0 and text[: matches[0].start()].strip(_WS + "【[((") != "":
        # something unlabelled before the first label: allowed only if it is a date ("2023-12-20 来源:…")
        head = text[: matches[0].start()].strip(_WS)
        if not parse_date(head):
            return None
    if len(_norm(text)) > 100:
        return None
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        raw = text[m.end() : end]
        value = raw.rstrip(_WS + "】])) ")
        label = _norm(m["label"] or m["label2"])
        kind = _label_kind(label)
        if kind != "url" and not _field_value_ok(kind, _norm(value)):
            return None
        out.append((kind, value, (line.start + m.end(), line.start + m.end() + len(value))))
    return out


def _field_value_ok(kind: str, value: str) -> bool:
    """Field values are short and not sentences; "记者:请问……?" in an interview is body text."""
    if kind == "date":
        return parse_date(value) is not None
    return len(value) <= 40 and not any(ch in _TERMINAL for ch in value)


def _label_kind(label: str) -> str:
    label = label.replace(" ", "")
    for kind, rx in (
        ("url", _URL_LABELS),
        ("date", _DATE_LABELS),
        ("editor", _EDITOR_LABELS),
        ("publisher", _SOURCE_LABELS),
        ("author", _AUTHOR_LABELS),
    ):
        if re.fullmatch(rx, label):
            return kind
    return "other"


_BYLINE_RE = re.compile(
    rf"^(?:[文图圖](?:[{_WS}]*[/／、和][{_WS}]*[文图圖])*)[{_WS}]*[/／|｜][{_WS}]*(?P<names>.+)$"
)
_DATELINE_EXTRAS = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|[发發]表于[\u4e00-\u9fff]{2,3}$")
_CREDIT_TAIL_RE = re.compile(r"[(（](?P<inner>[^()（）]{2,60})[)）]$")
_CONTRIB_RE = re.compile(rf"^(?P<org>.+?)[{_WS}]*(?:供稿|供图|供圖|报道|報導|通讯|通訊)$")
_PHOTO_CREDIT_RE = re.compile(
    rf"(?:^|[{_TERMINAL}{_WS}((])(?P<org>(?:[^\s{_TERMINAL}(()]{_OPT_GLOSS}){{2,20}}?)?[{_WS}]*"
    rf"(?:记者|記者)?[{_WS}]*(?P<name>[\u3400-\u9fff]{{2,4}})[{_WS}]*[摄攝][)）]?$"
)


def _editor_value(value: str) -> tuple[str, int]:
    """Editor lines may name the column first ("派出所工作----石虹"): keep what follows the last dash run."""
    runs = list(re.finditer(r"(?:-{2,}|—+|–{2,})", value))
    if not runs:
        return value, 0
    return value[runs[-1].end() :], runs[-1].end()


def extract_metadata(text: str) -> ArticleMetadata:
    """Find the article's metadata in plain text; see the module docstring for the rules and why."""
    lines = split_lines(text)
    nonblank = [ln for ln in lines if not ln.blank]
    found: dict[str, _Found] = {}
    removable: list[tuple[int, int, str]] = []
    inferred: list[str] = []
    author_as_written: str | None = None

    def put(kind: str, value: str, span: Span, raw: str = "") -> None:
        if kind in FIELDS and kind not in found and value:
            found[kind] = _Found(value, span, raw)

    # 1. metadata lines: labelled fields, datelines "<org> <date>", bylines "文/图/X"
    metadata_lines: list[Line] = []
    first_paragraph = next((ln.index for ln in nonblank if is_paragraph(ln.text) and not _looks_meta(ln)), None)
    for ln in nonblank:
        head_zone = first_paragraph is None or ln.index < first_paragraph
        fields = _fields_in_line(ln)
        if fields is not None:
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "labelled line"))
            head = ln.text[: _ANY_LABEL.search(ln.text).start()]  # type: ignore[union-attr]
            date_head = parse_date(head)
            if date_head:
                put("published", date_head[0].isoformat(), (ln.start + date_head[1][0], ln.start + date_head[1][1]))
            for kind, value, span in fields:
                _take_field(kind, value, span, put)
            continue
        m = _BYLINE_RE.match(ln.text)
        if m and head_zone and _name_list(_norm(m["names"])):
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "author"))
            put("author", m["names"], (ln.start + m.start("names"), ln.start + m.end("names")))
            continue
        if head_zone and len(_norm(ln.text)) <= 60:
            date = parse_date(ln.text)
            if date:
                rest = (ln.text[: date[1][0]] + " " + ln.text[date[1][1] :]).strip(_WS)
                rest = _DATELINE_EXTRAS.sub("", rest).strip(_WS)  # WeChat: "东山公安 2024-06-12 18:30 发表于福建"
                if not rest or _org_token(_norm(rest)):
                    metadata_lines.append(ln)
                    removable.append((ln.start, ln.end, "dateline"))
                    put("published", date[0].isoformat(), (ln.start + date[1][0], ln.start + date[1][1]))
                    if rest:
                        off = ln.text.find(rest)
                        put("publisher", rest, (ln.start + off, ln.start + off + len(rest)))
                    continue
        if _URL_RE.fullmatch(ln.text):
            metadata_lines.append(ln)
            removable.append((ln.start, ln.end, "url"))
            put("url", ln.text, (ln.start, ln.end))

    # 2. trailing credits in parentheses: "(作者:…)", "(责编:…)", "(新津公安 供稿)", "(王勇 卜英豪)"
    last_paragraph = next((ln for ln in reversed(nonblank) if is_paragraph(ln.text) and not _looks_meta(ln)), None)
    for ln in nonblank:
        m = _CREDIT_TAIL_RE.search(ln.text)
        if not m:
            continue
        inner = m["inner"].strip(_WS)
        inner_start = ln.start + m.start("inner") + (len(m["inner"]) - len(m["inner"].lstrip(_WS)))
        span = (ln.start + m.start(), ln.start + m.end())
        whole_line = m.start() == 0
        fields = _fields_in_line(Line(ln.index, inner_start, inner_start + len(inner), inner))
        if fields:
            for kind, value, vspan in fields:
                _take_field(kind, value, vspan, put)
            removable.append((*span, "credit"))
            continue
        c = _CONTRIB_RE.match(inner)
        if c and _org_token(_norm(c["org"])) and (whole_line or ln is last_paragraph):
            vspan = (inner_start, inner_start + len(c["org"]))
            put("author", c["org"], vspan)  # who supplied the copy, not the outlet that published it
            removable.append((*span, "credit"))
            continue
        if ln is last_paragraph and _name_list(_norm(inner)) and not whole_line:
            put("author", inner, (inner_start, inner_start + len(inner)))
            removable.append((*span, "credit"))

    # 3. URL (labelled, or a bare URL line) and the title block
    title, subtitle = _title_block(lines, nonblank, metadata_lines)
    if title:
        found["title"] = _Found(title.text, (title.start, title.end))
        removable.append((title.start, title.end, "title"))
    sub_value = sub_span = None
    if subtitle:
        sub_value = "".join(_norm(s.text) for s in subtitle)
        sub_span = (subtitle[0].start, subtitle[-1].end)
        removable.extend((s.start, s.end, "subtitle") for s in subtitle)

    # 4. fallbacks: a date in the URL; publisher from a photo credit by one of the authors
    if "published" not in found and "url" in found:
        hit = date_from_url(found["url"].value)
        if hit:
            s = found["url"].span[0]
            found["published"] = _Found(hit[0].isoformat(), (s + hit[1][0], s + hit[1][1]))
            inferred.append("published")
    author_names: tuple[str, ...] = ()
    if "author" in found:
        author_as_written = _norm(found["author"].value)
        author_names = _split_names(author_as_written)
        if author_as_written in _ANONYMOUS:
            author_names = ()
    if "publisher" not in found and author_names:
        for ln in nonblank:
            m = _PHOTO_CREDIT_RE.search(ln.text)
            if m and m["org"] and _norm(m["name"]) in author_names and _org_token(_norm(m["org"])):
                put("publisher", m["org"], (ln.start + m.start("org"), ln.start + m.end("org")))
                inferred.append("publisher")
                break

    def value(kind: str) -> str | None:
        return _norm(found[kind].value) if kind in found else None

    def span(kind: str) -> Span | None:
        return found[kind].span if kind in found else None

    author = value("author")
    if author in _ANONYMOUS:
        author = None
    editor = value("editor")
    if editor:
        editor_clean, skip = _editor_value(editor)
        if skip:
            raw_span = found["editor"].span
            raw = text[raw_span[0] : raw_span[1]]
            cut, _ = _editor_value(raw)
            found["editor"] = _Found(cut, (raw_span[1] - len(cut), raw_span[1]))
        editor = _norm(editor_clean) or None
    published = dt.date.fromisoformat(found["published"].value) if "published" in found else None
    url = value("url")
    values = {
        "title": value("title"),
        "published": published,
        "publisher": value("publisher"),
        "author": author,
        "editor": editor,
        "url": url,
    }
    return ArticleMetadata(
        title=values["title"],
        title_span=span("title"),
        subtitle=sub_value,
        subtitle_span=sub_span,
        published=published,
        published_span=span("published"),
        publisher=values["publisher"],
        publisher_span=span("publisher"),
        author=author,
        author_span=span("author"),
        author_as_written=author_as_written,
        authors=author_names,
        editor=editor,
        editor_span=span("editor"),
        editors=_split_names(editor) if editor else (),
        url=url,
        url_span=span("url"),
        missing=tuple(f for f in FIELDS if values[f] is None),
        inferred=tuple(inferred),
        removable=tuple(sorted(set(removable))),
    )


def _take_field(kind: str, value: str, span: Span, put: Callable[..., None]) -> None:
    value = value.strip(_WS)
    if not value:
        return
    if kind == "date":
        hit = parse_date(value)
        if hit:
            put("published", hit[0].isoformat(), (span[0] + hit[1][0], span[0] + hit[1][1]))
    elif kind == "url":
        m = _URL_RE.search(value)
        if m:
            put("url", m.group(), (span[0] + m.start(), span[0] + m.end()))
    elif kind in ("publisher", "author", "editor"):
        put(kind, value, (span[0], span[0] + len(value)))


def _looks_meta(line: Line) -> bool:
    return _fields_in_line(line) is not None or bool(_BYLINE_RE.match(line.text))


def _is_dateline(line: Line) -> bool:
    if _fields_in_line(line) is not None:
        return True
    if len(_norm(line.text)) > 60:
        return False
    date = parse_date(line.text)
    if not date:
        return False
    rest = (line.text[: date[1][0]] + " " + line.text[date[1][1] :]).strip(_WS)
    return not rest or _org_token(_norm(rest))


def _title_block(
    lines: list[Line], nonblank: list[Line], metadata_lines: list[Line]
) -> tuple[Line | None, list[Line]]:
    """The title line and any subtitle lines (see the module docstring for the rule)."""
    if not nonblank:
        return None, []
    meta_idx = {ln.index for ln in metadata_lines}
    first_para = next(
        (ln for ln in nonblank if ln.index not in meta_idx and is_paragraph(ln.text)), None
    )
    limit = first_para.index if first_para else len(lines)
    dateline = next((ln for ln in nonblank if ln.index < limit and _is_dateline(ln)), None)
    title: Line | None = None
    if dateline is not None:
        above = [ln for ln in nonblank if ln.index < dateline.index and ln.index not in meta_idx]
        title = next((ln for ln in reversed(above) if is_headline(ln.text)), None)
    if title is None and nonblank[0].index not in meta_idx and is_headline(nonblank[0].text):
        title = nonblank[0]
    if title is None:
        return None, []
    # subtitle: headline-shaped lines after the title block and before the first paragraph
    candidates: list[Line] = []
    for ln in nonblank:
        if ln.index <= title.index or ln.index >= limit or ln.index in meta_idx:
            continue
        if not is_headline(ln.text.lstrip("—-–") or "x") and not ln.text.startswith(("——", "—", "--")):
            return title, []
        candidates.append(ln)
    if candidates and len(candidates) <= 3 and any(c.text.startswith(("——", "—", "--")) for c in candidates):
        return title, candidates
    return title, []


def iter_fields(meta: ArticleMetadata) -> Iterator[tuple[str, object, Span | None]]:
    """(field, value, span) for every field, for logging and Dagster metadata."""
    for name in ("title", "subtitle", *FIELDS[1:]):
        yield name, getattr(meta, name), getattr(meta, f"{name}_span")
