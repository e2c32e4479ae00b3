"""Generated articles for benchmarks: the corpus's own sentences recombined, renamed, re-scripted and damaged.

Every stage must do real work on them, so they carry what real reports carry: stations and places varied
from the division table, figures changed (rates stay within 0-100), about a third in Traditional script
(OpenCC `s2tw` or `s2t`), pinyin glosses on Traditional characters (the glosses are harvested from the raw
seeds), GBK mojibake made the way the seeds' damage arose (see `pipelines/text/mojibake.py`: a lost byte puts the
decoder out of step until the next ASCII byte; shifted pairs in GBK's private area vanish, undecodable pairs
become "?" and swallow the byte after them, full-width ！；： are folded to ASCII), page boilerplate taken from
the seeds, HTML pages, and GBK/Big5 encodings.

Each file carries `SYNTHETIC_MARKER`; the read stage refuses such files unless `FQA_ALLOW_SYNTHETIC=1` (or
`read_batch(..., allow_synthetic=True)`) says the warehouse is a benchmark one, so generated text can never
enter the real archive. Article *i* depends only on (seed, i): a corpus of 10,000 starts with the 1,000 of a
smaller one, and an interrupted generation resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

SYNTHETIC_MARKER = "fqa-synthetic-article"
ALLOW_ENV = "FQA_ALLOW_SYNTHETIC"
REFUSAL = (
    f"generated benchmark article ({SYNTHETIC_MARKER}, made by `fqa synth`); refused for the real archive "
    f"(set {ALLOW_ENV}=1 only for a benchmark warehouse)"
)
FILES_PER_FOLDER = 1000
MIN_CHARS, MAX_CHARS = 1500, 2500  # body length, as the seeds (1,900-5,000 characters) after cleaning

# Page chrome copied from the seeds (000, 001, 002): the boilerplate stage must find and drop it.
BOILERPLATE_HEAD = (
    "收藏中国人民公安大学出版社 社长致辞 | 出版社简介 | 帮助中心",
    "      高级搜索",
    "访问群众出版社",
)
BOILERPLATE_TAIL = (
    "分享让更多人看到",
    "[免责声明] 本文来源于网络转载,仅供学习交流使用,不构成商业目的。版权归原作者所有,如涉及作品内容、版权和其它问题,"
    "请在30日内与本网联系,我们将在第一时间删除内容!",
    "地址:北京市西城区木樨地南里甲一号  邮编:100038    出版社位置地图",
    "E-mail:zbs@cppsup.com   zbs@cppsu.edu.cn",
)
PUBLISHERS = ("中国长安网", "人民网", "人民公安报", "法治日报", "广西日报", "新华网", "平安中国")
AUTHORS = ("佚名", "张明", "李华", "王勇", "陈静", "刘洋", "黄昱梅")

_STATION = re.compile(r"([\u4e00-\u9fff]{2})(边境)?派出所")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_GLOSS = re.compile(r"([\u4e00-\u9fff])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")
_PUA_LEADS = frozenset(range(0xAA, 0xB0)) | frozenset(range(0xF8, 0xFF))
_FOLD = {"！": "!", "；": ";", "：": ":"}


def synthetic_allowed() -> bool:
    return os.environ.get(ALLOW_ENV, "").strip().lower() in ("1", "true", "yes")


def is_synthetic(text: str) -> bool:
    return SYNTHETIC_MARKER in text


@dataclass(frozen=True)
class Material:
    """What articles are recombined from, read once from the corpus."""

    sentences: tuple[str, ...]  # clean, Simplified, one sentence each
    titles: tuple[str, ...]
    glosses: dict[str, str]  # Traditional character → pinyin, as the seeds gloss it
    counties: tuple[tuple[str, str, tuple[str, ...]], ...]  # (county name, province, township stems)
    places: re.Pattern[str]  # county names found in the sentences, to be swapped


@dataclass(frozen=True)
class SyntheticArticle:
    name: str  # file name relative to the output folder
    data: bytes
    encoding: str
    script: str  # simplified | traditional
    damage: tuple[str, ...]


def load_material(corpus: Sequence[Path]) -> Material:
    """Clean the corpus files and keep their sentences; harvest glosses from their raw text."""
    from pipelines.text.clean import CleanError, clean_article
    from pipelines.text.read import IngestError, discover_files, read_article
    from pipelines.text.segment import split_sentences
    from pipelines.text.simplify import convert, simplify

    sentences: list[str] = []
    titles: list[str] = []
    glosses: dict[str, str] = {}
    for path in discover_files(corpus):
        try:
            raw = read_article(path)
            if is_synthetic(raw.text):
                continue  # never recombine generated text
            clean = clean_article(raw)
        except (IngestError, CleanError):
            continue
        for match in _GLOSS.finditer(raw.text):
            glosses.setdefault(match.group(1), match.group(2))
        simplified = simplify(clean.text).simplified
        if clean.meta.title:
            titles.append(convert(clean.meta.title, "tw2s"))
        for sentence in split_sentences(simplified):
            text = sentence.text
            # keep body sentences: long enough, mostly Han, no unrecovered bytes
            if len(text) >= 12 and "\ufffd" not in text and text[-1] in "。！？”":
                sentences.append(text)
    if not sentences:
        raise ValueError(f"{', '.join(map(str, corpus))}: no usable sentences to recombine")
    counties = _counties()
    names = sorted({name for name, _, _ in counties}, key=len, reverse=True)
    found = [name for name in names if any(name in s for s in sentences)]
    places = re.compile("|".join(map(re.escape, found))) if found else re.compile(r"(?!x)x")
    return Material(tuple(dict.fromkeys(sentences)), tuple(titles), glosses, counties, places)


@lru_cache(maxsize=1)
def _counties() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(county, province, township stems) from the shipped division table."""
    rows = [
        line.split("\t")
        for line in (resources.files("pipelines.extract") / "data" / "divisions.tsv").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    names = {row[0]: row[2] for row in rows}
    out = []
    for row in rows:
        if row[1] != "county" or len(row) < 9:
            continue
        stems = tuple(s for s in " ".join(row[6:9]).split() if len(s) == 2)
        if stems:
            out.append((row[2], names.get(row[4][:2] + "0000", ""), stems))
    return tuple(out)


def generate(material: Material, index: int, seed: int = 0) -> SyntheticArticle:
    """Article number `index`: the same bytes for the same (material, seed, index)."""
    rng = random.Random(f"{seed}:{index}")
    county, province, stems = rng.choice(material.counties)
    station_stems: dict[str, str] = {}

    def rename(sentence: str) -> str:
        def station(match: re.Match[str]) -> str:
            stem = station_stems.setdefault(match.group(1), rng.choice(stems))
            return stem + (match.group(2) or "") + "派出所"

        sentence = _STATION.sub(station, sentence)
        sentence = material.places.sub(county, sentence)
        return _NUMBER.sub(lambda m: _new_figure(rng, m, sentence), sentence)

    target = rng.randint(MIN_CHARS, MAX_CHARS)
    paragraphs: list[str] = []
    length = 0
    while length < target:
        paragraph = "".join(rename(rng.choice(material.sentences)) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        length += len(paragraph)
    title = rename(rng.choice(material.titles)) if material.titles else f"{county}{stems[0]}派出所践行新时代“枫桥经验”"
    published = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    header = f"时间:{published.isoformat()} 来源:{rng.choice(PUBLISHERS)} 作者:{rng.choice(AUTHORS)}"
    damage: list[str] = []
    head: list[str] = []
    tail: list[str] = []
    if rng.random() < 0.5:
        head = list(BOILERPLATE_HEAD)
        tail = list(BOILERPLATE_TAIL)
        damage.append("boilerplate")

    script = "traditional" if rng.random() < 1 / 3 else "simplified"
    if script == "traditional":
        from pipelines.text.simplify import convert

        config = rng.choice(("s2tw", "s2t"))
        title, header = convert(title, config), convert(header, config)
        head, tail = [convert(line, config) for line in head], [convert(line, config) for line in tail]
        paragraphs = [convert(p, config) for p in paragraphs]
        damage.append(config)
        if material.glosses and rng.random() < 0.5:
            paragraphs = [_gloss(p, material.glosses, rng) for p in paragraphs]
            damage.append("pinyin_glosses")
    if rng.random() < 0.3:
        paragraphs = [_mojibake(p, rng) if rng.random() < 0.3 else p for p in paragraphs]
        damage.append("mojibake")

    name = file_name(index, seed)
    if name.endswith(".html"):
        text = _html_page(title, header, paragraphs, province)
        encoding = "utf_8"
    else:
        body = "\n\n".join(f"  {p}" for p in paragraphs)
        text = "\n\n".join([*head, title, header, body, *tail, f"〔{SYNTHETIC_MARKER} seed={seed} index={index}〕"])
        encoding = _encoding_for(script, rng)
    data = text.encode(encoding, errors="replace")  # a Big5 converter writes "?" for what Big5 lacks (爲, 峯 …)
    if encoding != "utf_8" and data.count(b"?") > text.count("?"):
        damage.append("unmappable")
    if encoding != "utf_8":
        damage.append(encoding)
    return SyntheticArticle(name, data, encoding, script, tuple(damage))


def file_name(index: int, seed: int = 0) -> str:
    """Where article `index` goes (one in ten is an HTML page); known without generating the article."""
    html_page = random.Random(f"{seed}:{index}:page").random() < 0.1
    return f"{index // FILES_PER_FOLDER:04d}/synth_{index:07d}.{'html' if html_page else 'txt'}"


def _new_figure(rng: random.Random, match: re.Match[str], sentence: str) -> str:
    """A different number of the same shape; years stay years and rates stay within 0-100."""
    text = match.group()
    after = sentence[match.end() : match.end() + 1]
    decimals = len(text.split(".")[1]) if "." in text else 0
    if after == "年" and len(text) == 4:
        return str(rng.randint(2016, 2025))
    if after in ("%", "％"):
        value = rng.uniform(50, 100) if decimals else rng.randint(50, 100)
        return f"{value:.{decimals}f}"
    if after in ("月", "日", "号"):
        return text  # dates keep their day and month
    digits = len(text.split(".")[0])
    value = rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10**digits - 1)
    return f"{value}.{rng.randint(0, 10**decimals - 1):0{decimals}d}" if decimals else str(value)


def _gloss(paragraph: str, glosses: dict[str, str], rng: random.Random) -> str:
    """Pinyin after some glossed characters, as the seeds' converter wrote them: 區(qū)."""
    return "".join(f"{ch}({glosses[ch]})" if ch in glosses and rng.random() < 0.5 else ch for ch in paragraph)


def _mojibake(paragraph: str, rng: random.Random) -> str:
    """Lose one byte of a GBK character and decode out of step up to the next ASCII byte (see module doc)."""
    try:
        data = paragraph.encode("gbk")
    except UnicodeEncodeError:
        return paragraph
    starts = []
    i = 0
    while i < len(data):  # start offsets of the double-byte characters
        if data[i] >= 0x80:
            starts.append(i)
            i += 2
        else:
            i += 1
    ascii_after = [s for s in starts if any(b < 0x80 for b in data[s + 2 : s + 120])]
    if not ascii_after:
        return paragraph
    start = rng.choice(ascii_after)
    damaged = data[:start] + data[start + 1 :]  # the lead byte is lost
    return data[:start].decode("gbk") + _decode_out_of_step(damaged[start:])


def _decode_out_of_step(data: bytes) -> str:
    out: list[str] = []
    i = 0
    in_step = False
    while i < len(data):
        byte = data[i]
        if byte < 0x80:
            in_step = True  # an ASCII byte puts the decoder back in step
            out.append(chr(byte))
            i += 1
            continue
        if in_step:
            return "".join(out) + data[i:].decode("gbk", errors="replace")
        pair = data[i : i + 2]
        i += 2
        if len(pair) < 2:
            out.append("?")
            continue
        if pair[0] in _PUA_LEADS:
            continue  # a private-area pair vanished
        try:
            char = pair.decode("gbk")
        except UnicodeDecodeError:
            out.append("?")  # and the byte after it is swallowed
            continue
        out.append(_FOLD.get(char, char))
    return "".join(out)


def _encoding_for(script: str, rng: random.Random) -> str:
    roll = rng.random()
    if script == "traditional":
        return "big5hkscs" if roll < 0.4 else "utf_8"
    return "gb18030" if roll < 0.35 else "utf_8"


def _html_page(title: str, header: str, paragraphs: Sequence[str], province: str) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<!-- {SYNTHETIC_MARKER} -->\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>\n"
        f'<nav><a href="/">首页</a> | <a href="/news">新闻</a> | <a href="/{province}">{province}</a></nav>\n'
        f'<article><h1>{html.escape(title)}</h1>\n<div class="info">{html.escape(header)}</div>\n{body}\n</article>\n'
        "<footer>版权所有 分享让更多人看到</footer>\n</body></html>\n"
    )


def write_corpus(material: Material, count: int, out: Path, seed: int = 0) -> Iterator[tuple[int, bool]]:
    """Write articles 0..count-1 under `out`, skipping files already there; yields (index, written)."""
    for index in range(count):
        if (out / file_name(index, seed)).is_file():
            yield index, False
            continue
        article = generate(material, index, seed)
        path = out / article.name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(article.data)
        tmp.replace(path)  # never leave a half-written article for a resumed run to skip
        yield index, True
