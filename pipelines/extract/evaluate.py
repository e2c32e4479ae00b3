"""Score extractor output against the hand-annotated gold files in `tests/gold/`.

Why a dedicated evaluator: the extractor's output and the gold differ in ways that are not errors (short vs full
station names, `“北仑河卫士”群防队伍` vs `北仑河卫士`, `超过98%` vs `98%`, sentences cut differently at mojibake
edges in seeds 001/004), so a plain equality diff would drown real misses in noise.

Input shape (one article, as `fqa extract --json`)::

    {"article": {title, date, source, url, author, script},
     "stations": [{name, kind, aliases, province, city, county, honours: [{text, batch, year, level}]}],
     "practices": [{name, normalized, category, station, sentence}],
     "slogans": [{text, station}],
     "statistics": [{metric, value, low, high, unit, qualifier, period, subject, station, text, sentence}]}

Gold says `publisher` where the output says `source`; both spellings are read on either side.

Normalisation: every compared string is NFKC-folded (full-width → half-width) and stripped; name/text keys used
for *matching* also drop quotes, punctuation and whitespace (`定期培训、综合考评` ≈ `定期培训,综合考评`).

Matching (always one-to-one, greedy by best score; ties keep document order):

* **stations** — a predicted station matches a gold one when its name equals the gold name or one of the gold
  aliases, or the gold name equals one of the predicted aliases. Scored on matched pairs: `kind`, `province`,
  `city`, `county`, and `honours`: a predicted honour matches a gold honour of the same station when their texts
  contain one another and `batch`/`year` do not conflict (equal, or one side null); matched honours then score
  `batch`, `year`, `level`. Honours of unmatched stations are not scored (the station miss already counts).
* **practices** — keys are `normalized` (falling back to `name`) with quotes and a trailing generic head noun
  (工作机制/工作模式/机制/模式/工程/活动/队伍) stripped; a pair matches when either key contains the other (exact
  beats containment). Scored: `category`, `station`.
* **slogans** — text containment either way. Scored: `station`.
* **statistics** — same sentence (equal, containing one another, or sharing a 12-character substring within 12
  characters of the figure, which absorbs mojibake-edge differences) AND figure text containing one another AND
  equal `value` (null == null). Identical figure texts in the same sentence match even when the values differ,
  so a wrong value is scored as a wrong `value`, not as one miss plus one false hit. Scored: `metric`, `value`,
  `low`, `high`, `unit`, `qualifier`, `period`, `station`, and `subject` (lenient: containment either way).
  Numbers compare with tolerance 1e-6.
* **article** — `title`, `date`, `source`, `author`, `url`, `script`, each correct / incorrect / missing.

Every `station` attribute is alias-aware: names are mapped to the gold station they denote (gold names and aliases,
plus the aliases of the predicted station matched to it) before comparing.

Counting, per field:

* entity fields (`stations`, `stations.honours`, `practices`, `slogans`, `statistics`): tp = matched pairs,
  fp = unmatched predictions (false hits), fn = unmatched gold items (misses);
  precision = tp / predicted, recall = tp / gold.
* attribute fields (`statistics.metric`, …, `article.title`, …), over matched pairs: equal non-null → tp;
  prediction null where gold has a value → fn (miss); prediction non-null where gold is null → fp (false hit); two
  different non-null values → fp and fn (listed in both lists). null == null counts only towards `accuracy`.
  Accuracy (correct / compared pairs) is kept beside P/R.
* 0/0 is reported as 1.0: nothing to find and nothing claimed is not an error.

`evaluate` sums the counts over articles (micro-average).
"""

from __future__ import annotations

import dataclasses
import json
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ARTICLE_FIELDS = ("title", "date", "source", "author", "url", "script")
STATION_FIELDS = ("kind", "province", "city", "county")
HONOUR_FIELDS = ("batch", "year", "level")
PRACTICE_FIELDS = ("category", "station")
SLOGAN_FIELDS = ("station",)
STATISTIC_FIELDS = ("metric", "value", "low", "high", "unit", "qualifier", "period", "station", "subject")
NUMERIC_FIELDS = frozenset({"value", "low", "high", "batch", "year"})

FIELDS: tuple[str, ...] = (
    *(f"article.{name}" for name in ARTICLE_FIELDS),
    "stations",
    *(f"stations.{name}" for name in STATION_FIELDS),
    "stations.honours",
    *(f"stations.honours.{name}" for name in HONOUR_FIELDS),
    "practices",
    *(f"practices.{name}" for name in PRACTICE_FIELDS),
    "slogans",
    *(f"slogans.{name}" for name in SLOGAN_FIELDS),
    "statistics",
    *(f"statistics.{name}" for name in STATISTIC_FIELDS),
)

# The figures a researcher's trust rests on (issue 18), counted beside FIELDS:
# * units — predicted units other than bureaus (公安局/分局): tp matched a gold unit, fp did not (a fragment, an
#   honour title, a generic 各派出所 …); the false-unit rate is fp / (tp + fp).
# * named_metric — matched figures whose gold metric is not `incidental`: correct when the prediction names a
#   metric (not `other`/`incidental`), so `compare` can use it.
# * false_named — predicted figures with a named metric: tp when they match a gold figure that is not
#   `incidental`, fp otherwise (no statistic at all, or an anecdote's count).
# * period — matched figures whose gold carries resolved periods (`period_start`/`period_end`; older gold has none)
#   and where either side has a period: correct when start and end both equal (null included).
TRUST_COUNTS = ("units", "named_metric", "false_named", "period")
BUREAU_KINDS = ("公安局", "分局", "公安厅", "警察局")  # matched by ending: 森林公安局, 铁路公安局 too
UNNAMED_METRICS = frozenset({"other", "incidental", ""})

HEAD_NOUNS = ("工作机制", "工作模式", "机制", "模式", "工程", "活动", "队伍")
SHARED_WINDOW = 12
TOLERANCE = 1e-6

Issue = tuple[str, str, str]


# ---------------------------------------------------------------------------------------------------------------
# counts and reports


@dataclass
class Counts:
    """tp/fp/fn for P/R, plus correct/compared for attribute accuracy."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0
    compared: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.correct += other.correct
        self.compared += other.compared

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.compared)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


Row = tuple[str, int, int, int, float, float]


@dataclass
class _Scored:
    """Shared by one article's score and the whole report, so both print the same way."""

    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in FIELDS})
    trust: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in TRUST_COUNTS})
    misses: list[Issue] = field(default_factory=list)
    false_hits: list[Issue] = field(default_factory=list)

    def rows(self) -> list[Row]:
        """(field, tp, fp, fn, precision, recall) in the fixed FIELDS order."""
        return [(name, c.tp, c.fp, c.fn, c.precision, c.recall) for name, c in self.counts.items()]

    def precision(self, name: str) -> float:
        return self.counts[name].precision

    def recall(self, name: str) -> float:
        return self.counts[name].recall

    def accuracy(self, name: str) -> float:
        return self.counts[name].accuracy


@dataclass
class ArticleScore(_Scored):
    """Counts and issue lists of one article."""

    name: str = ""


@dataclass
class Report(_Scored):
    """Micro-averaged counts over articles, with every article's issues."""

    articles: list[ArticleScore] = field(default_factory=list)

    def add(self, score: ArticleScore) -> None:
        self.articles.append(score)
        for name, counts in score.counts.items():
            self.counts.setdefault(name, Counts()).add(counts)
        for name, counts in score.trust.items():
            self.trust[name].add(counts)
        self.misses.extend(score.misses)
        self.false_hits.extend(score.false_hits)


# ---------------------------------------------------------------------------------------------------------------
# normalisation


def _norm(value: Any) -> str:
    """NFKC + strip, so full-width and half-width forms compare equal."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _key(value: Any) -> str:
    """Matching key: normalised, without quotes, punctuation or spaces."""
    return "".join(ch for ch in _norm(value) if not unicodedata.category(ch).startswith(("P", "Z", "C")))


def _practice_key(value: Any) -> str:
    """Practice key: `_key` minus one trailing generic head noun (kept when nothing else would remain)."""
    key = _key(value)
    for noun in HEAD_NOUNS:
        if key.endswith(noun) and len(key) > len(noun):
            return key[: -len(noun)]
    return key


def _contains(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _present(value: Any) -> bool:
    return value is not None and _norm(value) != ""


def _show(value: Any) -> str:
    return "null" if value is None else str(value)


def _clip(text: Any, width: int = 40) -> str:
    text = _norm(text)
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------------------------------------------
# station names


class _StationMap:
    """Maps any surface form of a station to the gold station it denotes, so `station` fields are alias-aware."""

    def __init__(self, gold_stations: Sequence[dict[str, Any]]) -> None:
        self._map: dict[str, str] = {}
        for station in gold_stations:
            canonical = _norm(station.get("name"))
            for form in (station.get("name"), *(station.get("aliases") or [])):
                self._map.setdefault(_norm(form), canonical)

    def learn(self, predicted: dict[str, Any], gold: dict[str, Any]) -> None:
        """A matched predicted station's own name and aliases also denote its gold station."""
        canonical = _norm(gold.get("name"))
        for form in (predicted.get("name"), *(predicted.get("aliases") or [])):
            self._map.setdefault(_norm(form), canonical)

    def canonical(self, value: Any) -> str | None:
        if not _present(value):
            return None
        form = _norm(value)
        return self._map.get(form, form)


# ---------------------------------------------------------------------------------------------------------------
# one-to-one matching


def _greedy(
    predicted: Sequence[Any], gold: Sequence[Any], score: Callable[[Any, Any], float | None]
) -> list[tuple[int, int]]:
    """Pairs (pred index, gold index), best score first; `score` returns None for 'cannot match'."""
    candidates: list[tuple[float, int, int]] = []
    for i, pred in enumerate(predicted):
        for j, gold_item in enumerate(gold):
            value = score(pred, gold_item)
            if value is not None:
                candidates.append((-value, i, j))
    candidates.sort()
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if i not in used_pred and j not in used_gold:
            used_pred.add(i)
            used_gold.add(j)
            pairs.append((i, j))
    return sorted(pairs, key=lambda pair: pair[1])


def _station_score(pred: dict[str, Any], gold: dict[str, Any]) -> float | None:
    name = _norm(pred.get("name"))
    gold_name = _norm(gold.get("name"))
    if not name or not gold_name:
        return None
    if name == gold_name:
        return 3.0
    if name in {_norm(alias) for alias in gold.get("aliases") or []}:
        return 2.0
    if gold_name in {_norm(alias) for alias in pred.get("aliases") or []}:
        return 1.0
    return None


def _text_score(a: str, b: str) -> float | None:
    """2 for equal keys, 1 + overlap share for containment, None otherwise."""
    if not a or not b:
        return None
    if a == b:
        return 2.0
    if a in b or b in a:
        return 1.0 + min(len(a), len(b)) / max(len(a), len(b))
    return None


def _practice_keys(item: dict[str, Any]) -> set[str]:
    keys = {_practice_key(item.get("normalized")), _practice_key(item.get("name"))}
    keys.discard("")
    return keys


def _practice_score(pred: dict[str, Any], gold: dict[str, Any]) -> float | None:
    scores = [_text_score(p, g) for p in _practice_keys(pred) for g in _practice_keys(gold)]
    found = [s for s in scores if s is not None]
    return max(found) if found else None


def _slogan_score(pred: dict[str, Any], gold: dict[str, Any]) -> float | None:
    return _text_score(_key(pred.get("text")), _key(gold.get("text")))


def _windows(sentence: str, text: str) -> list[str]:
    """12-character substrings of the sentence within 12 characters of each occurrence of the figure."""
    out: list[str] = []
    start = sentence.find(text) if text else -1
    while start >= 0:
        lo = max(0, start - SHARED_WINDOW)
        hi = min(len(sentence), start + len(text) + SHARED_WINDOW)
        out.extend(sentence[k : k + SHARED_WINDOW] for k in range(lo, hi - SHARED_WINDOW + 1))
        start = sentence.find(text, start + 1)
    return out


def _same_sentence(pred: dict[str, Any], gold: dict[str, Any]) -> float | None:
    """1.0 equal, 0.5 containment, 0.25 shared 12-character window around the figure, None otherwise."""
    ps, gs = _norm(pred.get("sentence")), _norm(gold.get("sentence"))
    if not ps or not gs:
        return None
    if ps == gs:
        return 1.0
    if ps in gs or gs in ps:
        return 0.5
    pt, gt = _norm(pred.get("text")), _norm(gold.get("text"))
    if any(window in ps for window in _windows(gs, gt)) or any(window in gs for window in _windows(ps, pt)):
        return 0.25
    return None


def _numbers_equal(a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= TOLERANCE


def _statistic_score(pred: dict[str, Any], gold: dict[str, Any]) -> float | None:
    sentence = _same_sentence(pred, gold)
    if sentence is None:
        return None
    text = _text_score(_norm(pred.get("text")), _norm(gold.get("text")))
    if text is None:
        return None
    if not _numbers_equal(pred.get("value"), gold.get("value")) and text < 2.0:
        return None
    # Attribute agreement breaks ties between equal figures in one sentence (001: 3个 … 3个, 4个 … 4个).
    agreement = sum(_norm(pred.get(name)) == _norm(gold.get(name)) for name in ("metric", "subject", "unit"))
    return 10.0 * text + sentence + 0.1 * agreement


# ---------------------------------------------------------------------------------------------------------------
# scoring


class _Scorer:
    """Accumulates one article's counts and issues."""

    def __init__(self, name: str) -> None:
        self.score = ArticleScore(name=name)

    def miss(self, field_name: str, detail: str) -> None:
        self.score.counts[field_name].fn += 1
        self.score.misses.append((self.score.name, field_name, detail))

    def false_hit(self, field_name: str, detail: str) -> None:
        self.score.counts[field_name].fp += 1
        self.score.false_hits.append((self.score.name, field_name, detail))

    def entities(
        self,
        field_name: str,
        predicted: Sequence[dict[str, Any]],
        gold: Sequence[dict[str, Any]],
        score: Callable[[Any, Any], float | None],
        describe: Callable[[dict[str, Any]], str],
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Match one-to-one, count tp/fp/fn, list the unmatched; return the matched pairs."""
        pairs = _greedy(predicted, gold, score)
        self.score.counts[field_name].tp += len(pairs)
        matched_pred = {i for i, _ in pairs}
        matched_gold = {j for _, j in pairs}
        for j, item in enumerate(gold):
            if j not in matched_gold:
                self.miss(field_name, describe(item))
        for i, item in enumerate(predicted):
            if i not in matched_pred:
                self.false_hit(field_name, describe(item))
        return [(predicted[i], gold[j]) for i, j in pairs]

    def attribute(self, field_name: str, pred: Any, gold: Any, where: str, equal: Callable[[Any, Any], bool]) -> None:
        """Score one attribute of a matched pair (see module docstring for the counting)."""
        counts = self.score.counts[field_name]
        counts.compared += 1
        has_pred, has_gold = _present(pred), _present(gold)
        if not has_pred and not has_gold:
            counts.correct += 1
            return
        if has_pred and has_gold and equal(pred, gold):
            counts.correct += 1
            counts.tp += 1
            return
        detail = f"{where}: predicted {_show(pred)}, gold {_show(gold)}"
        if has_gold:
            self.miss(field_name, detail)
        if has_pred:
            self.false_hit(field_name, detail)


def _equal_text(a: Any, b: Any) -> bool:
    return _norm(a) == _norm(b)


def _equal_number(a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    return _equal_text(a, b) if x is None or y is None else abs(x - y) <= TOLERANCE


def _equal_subject(a: Any, b: Any) -> bool:
    return _contains(_key(a), _key(b))


def _equal_for(name: str) -> Callable[[Any, Any], bool]:
    if name in NUMERIC_FIELDS:
        return _equal_number
    if name == "subject":
        return _equal_subject
    return _equal_text


def _article_fields(article: dict[str, Any] | None) -> dict[str, Any]:
    """Article metadata with `publisher` read as `source`."""
    article = dict(article or {})
    if article.get("source") is None and "publisher" in article:
        article["source"] = article["publisher"]
    return article


def _list(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The dict items of a list field; dataclass items (e.g. honour records) are read as dicts."""
    items: list[dict[str, Any]] = []
    for item in document.get(key) or []:
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            item = dataclasses.asdict(item)
        if isinstance(item, dict):
            items.append(item)
    return items


def _describe_station(item: dict[str, Any]) -> str:
    return f"station {_norm(item.get('name'))}"


def _describe_practice(item: dict[str, Any]) -> str:
    name = _norm(item.get("normalized")) or _norm(item.get("name"))
    return f"practice {name} ({_show(item.get('category'))})"


def _describe_slogan(item: dict[str, Any]) -> str:
    return f"slogan {_norm(item.get('text'))}"


def _describe_statistic(item: dict[str, Any]) -> str:
    return (
        f"statistic {_norm(item.get('text'))} ({_show(item.get('metric'))}={_show(item.get('value'))}) "
        f"in «{_clip(item.get('sentence'))}»"
    )


def _honour_score(pred: dict[str, Any], gold: dict[str, Any]) -> float | None:
    text = _text_score(_key(pred.get("text")), _key(gold.get("text")))
    if text is None:
        return None
    for key in ("batch", "year"):
        p, g = _number(pred.get(key)), _number(gold.get(key))
        if p is not None and g is not None and abs(p - g) > TOLERANCE:
            return None
    return text


def evaluate_article(predicted: dict[str, Any], gold: dict[str, Any], name: str | None = None) -> ArticleScore:
    """Score one article's extractor output against its gold annotation."""
    scorer = _Scorer(name if name is not None else _norm(gold.get("source_file")))
    stations = _StationMap(_list(gold, "stations"))

    pred_article, gold_article = _article_fields(predicted.get("article")), _article_fields(gold.get("article"))
    for key in ARTICLE_FIELDS:
        scorer.attribute(f"article.{key}", pred_article.get(key), gold_article.get(key), "article", _equal_text)

    station_pairs = scorer.entities(
        "stations", _list(predicted, "stations"), _list(gold, "stations"), _station_score, _describe_station
    )
    _count_units(scorer, _list(predicted, "stations"), station_pairs, gold)
    for pred, gold_item in station_pairs:
        stations.learn(pred, gold_item)
    for pred, gold_item in station_pairs:
        where = _describe_station(gold_item)
        for key in STATION_FIELDS:
            scorer.attribute(f"stations.{key}", pred.get(key), gold_item.get(key), where, _equal_text)
        honour_pairs = scorer.entities(
            "stations.honours",
            _list(pred, "honours"),
            _list(gold_item, "honours"),
            _honour_score,
            lambda honour, where=where: f"{where}: honour {_norm(honour.get('text'))}",
        )
        for pred_honour, gold_honour in honour_pairs:
            honour_where = f"{where}: honour {_norm(gold_honour.get('text'))}"
            for key in HONOUR_FIELDS:
                scorer.attribute(
                    f"stations.honours.{key}", pred_honour.get(key), gold_honour.get(key), honour_where, _equal_for(key)
                )

    def same_station(a: Any, b: Any) -> bool:
        return stations.canonical(a) == stations.canonical(b)

    groups: tuple[tuple[str, Callable[..., float | None], Callable[..., str], tuple[str, ...]], ...] = (
        ("practices", _practice_score, _describe_practice, PRACTICE_FIELDS),
        ("slogans", _slogan_score, _describe_slogan, SLOGAN_FIELDS),
        ("statistics", _statistic_score, _describe_statistic, STATISTIC_FIELDS),
    )
    for group, score, describe, keys in groups:
        pairs = scorer.entities(group, _list(predicted, group), _list(gold, group), score, describe)
        for pred, gold_item in pairs:
            where = describe(gold_item)
            for key in keys:
                equal = same_station if key == "station" else _equal_for(key)
                scorer.attribute(f"{group}.{key}", pred.get(key), gold_item.get(key), where, equal)
        if group == "statistics":
            _count_figures(scorer, _list(predicted, group), pairs)
    return scorer.score


def _count_units(
    scorer: _Scorer,
    predicted: list[dict[str, Any]],
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
    gold: dict[str, Any],
) -> None:
    counts = scorer.score.trust["units"]
    matched = {id(pred) for pred, _ in pairs}
    look_alikes = {_key(item.get("text")): item.get("why") for item in _list(gold, "not_stations")}
    for pred in predicted:
        if _norm(pred.get("kind")).endswith(BUREAU_KINDS):
            continue
        if id(pred) in matched:
            counts.tp += 1
            continue
        counts.fp += 1
        why = look_alikes.get(_key(pred.get("name")))
        scorer.score.false_hits.append(
            (scorer.score.name, "trust.units", f"{_describe_station(pred)} is no unit" + (f" ({why})" if why else ""))
        )


def _named(metric: Any) -> bool:
    return _norm(metric) not in UNNAMED_METRICS


def _count_figures(
    scorer: _Scorer, predicted: list[dict[str, Any]], pairs: list[tuple[dict[str, Any], dict[str, Any]]]
) -> None:
    trust = scorer.score.trust
    gold_of = {id(pred): gold_item for pred, gold_item in pairs}
    for pred, gold_item in pairs:
        if _norm(gold_item.get("metric")) != "incidental":
            trust["named_metric"].compared += 1
            trust["named_metric"].correct += _named(pred.get("metric"))
        if "period_start" in gold_item:
            _count_period(scorer, pred, gold_item)
    for pred in predicted:
        if not _named(pred.get("metric")):
            continue
        gold_item = gold_of.get(id(pred))
        if gold_item is not None and _norm(gold_item.get("metric")) != "incidental":
            trust["false_named"].tp += 1
        else:
            trust["false_named"].fp += 1
            why = "an anecdote's count" if gold_item is not None else "no statistic in the gold"
            scorer.score.false_hits.append(
                (scorer.score.name, "trust.false_named", f"{_describe_statistic(pred)}: {why}")
            )


def _count_period(scorer: _Scorer, pred: dict[str, Any], gold_item: dict[str, Any]) -> None:
    predicted = (pred.get("period_start"), pred.get("period_end"))
    wanted = (gold_item.get("period_start"), gold_item.get("period_end"))
    if not _present(gold_item.get("period")) and predicted == (None, None):
        return
    counts = scorer.score.trust["period"]
    counts.compared += 1
    if tuple(_norm(v) for v in predicted) == tuple(_norm(v) for v in wanted):
        counts.correct += 1
        return
    scorer.score.misses.append(
        (
            scorer.score.name,
            "trust.period",
            f"{_describe_statistic(gold_item)} «{_show(gold_item.get('period'))}»: predicted "
            f"{_show(predicted[0])}–{_show(predicted[1])}, gold {_show(wanted[0])}–{_show(wanted[1])}",
        )
    )


def trust_figures(report: Report | ArticleScore) -> dict[str, float]:
    """The issue-18 table: what a researcher needs to cite a figure without checking it."""
    trust = report.trust
    return {
        "stations found (recall)": report.recall("stations"),
        "stations precision": report.precision("stations"),
        "false units per non-bureau unit": 1.0 - trust["units"].precision,
        "figures found (recall)": report.recall("statistics"),
        "named-metric share": trust["named_metric"].accuracy,
        "false named figures": 1.0 - trust["false_named"].precision,
        "periods right": trust["period"].accuracy,
        "title": report.accuracy("article.title"),
        "date": report.accuracy("article.date"),
        "publisher": report.accuracy("article.source"),
        "author": report.accuracy("article.author"),
    }


def evaluate(pairs: Iterable[tuple[str, dict[str, Any], dict[str, Any]]]) -> Report:
    """Score (name, predicted, gold) triples and sum the counts over articles (micro-average)."""
    report = Report()
    for name, predicted, gold in pairs:
        report.add(evaluate_article(predicted, gold, name=name))
    return report


# ---------------------------------------------------------------------------------------------------------------
# gold files and output


def load_gold(directory: Path) -> dict[str, dict[str, Any]]:
    """All `*.json` gold files of a directory, keyed by their `source_file` (e.g. `000_….txt`)."""
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(directory).glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        gold[document.get("source_file") or f"{path.stem}.txt"] = document
    return gold


def gold_as_output(gold: dict[str, Any]) -> dict[str, Any]:
    """A gold annotation in extractor-output shape (publisher → source); used to check the evaluator itself."""
    article = {key: value for key, value in (gold.get("article") or {}).items() if key != "publisher"}
    article["source"] = (gold.get("article") or {}).get("publisher")
    return {
        "article": article,
        **{
            key: json.loads(json.dumps(gold.get(key) or []))
            for key in ("stations", "practices", "slogans", "statistics")
        },
    }


_ENTITY_FIELDS = frozenset({"stations", "stations.honours", "practices", "slogans", "statistics"})


def render_report(report: Report | ArticleScore, console: Console) -> None:
    """Per-field P/R table, then the misses and the false hits."""
    table = Table(title="Extraction vs gold (micro-averaged)")
    for header in ("field", "tp", "fp", "fn", "precision", "recall", "accuracy"):
        table.add_column(header, justify="left" if header == "field" else "right")
    for name, tp, fp, fn, precision, recall in report.rows():
        accuracy = "" if name in _ENTITY_FIELDS else f"{report.accuracy(name):.3f}"
        style = "bold" if name in _ENTITY_FIELDS else None
        table.add_row(name, str(tp), str(fp), str(fn), f"{precision:.3f}", f"{recall:.3f}", accuracy, style=style)
    console.print(table)
    trust = Table(title="Trust figures")
    trust.add_column("figure")
    trust.add_column("value", justify="right")
    for name, value in trust_figures(report).items():
        trust.add_row(name, f"{value:.3f}")
    console.print(trust)
    for title, issues in (("Misses", report.misses), ("False hits", report.false_hits)):
        listing = Table(title=f"{title} ({len(issues)})")
        for header in ("article", "field", "detail"):
            listing.add_column(header, overflow="fold")
        for article, field_name, detail in issues:
            listing.add_row(article, field_name, detail)
        console.print(listing)
