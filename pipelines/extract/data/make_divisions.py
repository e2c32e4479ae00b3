"""Generate `divisions.tsv` from the gazetteer that ships inside the `jionlp` wheel (Apache-2.0).

Not run at build or test time. Run it by hand in a throwaway environment (see DIVISIONS.md)::

    python3 -m venv /tmp/jio && /tmp/jio/bin/pip install --no-deps jionlp==1.5.31
    /tmp/jio/bin/python pipelines/extract/data/make_divisions.py > pipelines/extract/data/divisions.tsv

The package is located with `importlib.util.find_spec`, so it is never imported (its import prints a banner
and pulls in heavy dependencies). Input: `jionlp/dictionary/china_location.zip` (province / city / county with
adcode and short name, then townships and villages) and `jionlp/dictionary/china_location_change.txt` (renames
and mergers since 2002). Output: one row per province, prefecture-level city and county-level unit, with the
county's township-level names (镇 / 乡 / 街道 stems, other kinds in full); villages are dropped.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

PSEUDO_CITY = "省直辖行政区划"
PSEUDO_COUNTY = "市直辖行政区划"
# statistical units that are not administrative divisions (经济开发区, 高新区 …: adcodes xxxx7x)
_ZONE_CODE = re.compile(r"^\d{4}7\d$")
_OTHER_TOWN_SUFFIXES = ("苏木",)
COMMON_MIN_FREQ = 100
PLACE_TAGS = {"ns", "nr", "nrt", "nrfg", "nt"}


def _package_dir() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or spec.origin is None:
        sys.exit("jionlp is not installed in this interpreter")
    return Path(spec.origin).parent


def _common_words() -> tuple[str, dict[str, tuple[int, str]]]:
    """jieba's dictionary (word -> frequency, tag), to flag place names that are also everyday words."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        sys.exit("jieba is not installed in this interpreter")
    words = {}
    for line in (Path(spec.origin).parent / "dict.txt").read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return importlib.metadata.version("jieba"), words


def _is_common(word: str, words: dict[str, tuple[int, str]]) -> bool:
    """An everyday word (公安, 平安, 联合): frequent in jieba's dictionary and not tagged as a place or name."""
    freq, tag = words.get(word, (0, ""))
    return freq >= COMMON_MIN_FREQ and tag not in PLACE_TAGS


def _clean_short(alias: str) -> str:
    return "|".join(a for a in alias.split("/") if a)


def main() -> None:
    pkg = _package_dir()
    version = importlib.metadata.version("jionlp")
    with zipfile.ZipFile(pkg / "dictionary" / "china_location.zip") as zf:
        text = zf.read("china_location.txt").decode("utf-8")

    rows: dict[str, dict] = {}  # adcode -> row
    order: list[str] = []
    prov = city = None  # adcodes of the current parents (None: pseudo or skipped)
    town_owner: str | None = None

    def add(code: str, level: str, name: str, short: str, parent: str) -> None:
        rows[code] = {
            "level": level,
            "name": name,
            "short": short,
            "parent": parent,
            "former": [],
            "zhen": [],
            "xiang": [],
            "jiedao": [],
            "other": [],
        }
        order.append(code)

    for raw in io.StringIO(text):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth == 0:
            name, code, alias = parts
            prov, city = code, None
            add(code, "province", name, _clean_short(alias), "")
            town_owner = None
        elif depth == 1:
            name, code, alias = parts
            if name == PSEUDO_CITY or code == prov:  # 省直辖 / 香港 / 澳门
                city = None
            else:
                city = code
                add(code, "city", name, _clean_short(alias), prov)
            town_owner = None
        elif depth == 2:
            if len(parts) != 3:  # Taiwan's districts carry no adcode
                town_owner = None
                continue
            name, code, alias = parts
            if name == PSEUDO_COUNTY:  # 东莞 / 中山 / 儋州 / 嘉峪关: townships directly under the city
                town_owner = city
                continue
            if _ZONE_CODE.match(code) or code in rows:
                town_owner = None
                continue
            town_owner = code
            add(code, "county", name, _clean_short(alias), city or prov)
        elif depth == 3 and town_owner:
            name = parts[0]
            row = rows[town_owner]
            if name.endswith("街道") and len(name) > 2:
                row["jiedao"].append(name[:-2])
            elif name.endswith("镇") and len(name) > 1:
                row["zhen"].append(name[:-1])
            elif name.endswith("乡") and len(name) > 1:
                row["xiang"].append(name[:-1])
            elif name.endswith(_OTHER_TOWN_SUFFIXES):
                row["other"].append(name)

    _apply_changes(rows, order, (pkg / "dictionary" / "china_location_change.txt").read_text("utf-8"))

    jieba_version, words = _common_words()
    out = sys.stdout
    out.write(f"# divisions.tsv: Chinese administrative divisions, made by make_divisions.py from jionlp {version}\n")
    out.write("# (https://github.com/dongrixinyu/JioNLP, Apache License 2.0): jionlp/dictionary/china_location.zip\n")
    out.write("# and china_location_change.txt. Townships are stems without their 镇/乡/街道 suffix. The last column\n")
    out.write(f"# lists this row's short names and stems that are everyday words in jieba {jieba_version}'s dict.txt\n")
    out.write(f"# (MIT; frequency >= {COMMON_MIN_FREQ}, tag not ns/nr/nt), e.g. 公安 (公安县), 平安 (平安区).\n")
    out.write("# columns: adcode level name short(|) parent_adcode former_names(|) 镇 乡 街道 other common(|)\n")
    for code in order:
        r = rows[code]
        towns = [" ".join(dict.fromkeys(r[k])) for k in ("zhen", "xiang", "jiedao", "other")]
        names = [r["name"], *r["short"].split("|"), *r["zhen"], *r["xiang"], *r["jiedao"]]
        common = "|".join(w for w in dict.fromkeys(names) if len(w) <= 3 and _is_common(w, words))
        fields = [code, r["level"], r["name"], r["short"], r["parent"], "|".join(r["former"]), *towns, common]
        out.write("\t".join(fields))
        out.write("\n")


def _apply_changes(rows: dict[str, dict], order: list[str], log: str) -> None:
    """Rename stale counties/cities to their current name and keep former names as aliases."""
    by_name: dict[tuple[str, str], str] = {}

    def key(code: str) -> tuple[str, str]:
        r = rows[code]
        return r["parent"], r["name"]

    for code in order:
        by_name[key(code)] = code
    prov_code = {r["name"]: c for c, r in rows.items() if r["level"] == "province"}
    for line in log.splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        old_f, new_f = old.split("\t")[2:], new.split("\t")
        if len(old_f) == 6 and len(new_f) == 3:  # county level
            p = prov_code.get(old_f[0])
            old_city = by_name.get((p, old_f[2]))
            new_city = by_name.get((p, new_f[1]))
            old_code = by_name.get((old_city, old_f[4])) if old_city else None
            new_code = by_name.get((new_city, new_f[2])) if new_city else None
            old_name, old_short, new_name = old_f[4], old_f[5], new_f[2]
        elif len(old_f) == 4 and len(new_f) == 2:  # city level
            p = prov_code.get(old_f[0])
            old_code, new_code = by_name.get((p, old_f[2])), by_name.get((p, new_f[1]))
            old_name, old_short, new_name = old_f[2], old_f[3], new_f[1]
        else:
            continue
        if old_name == new_name:
            continue
        if new_code is None and old_code is not None:  # stale row: rename it
            r = rows[old_code]
            r["name"] = new_name
            new_code = old_code
        if new_code is None:
            continue
        r = rows[new_code]
        if old_code is not None and old_code != new_code and old_code in rows:  # merged: fold the old row in
            gone = rows.pop(old_code)
            order.remove(old_code)
            for k in ("zhen", "xiang", "jiedao", "other", "former"):
                r[k].extend(gone[k])
        for alias in (old_name, old_short):
            if alias and alias != r["name"] and alias not in r["short"].split("|") and alias not in r["former"]:
                r["former"].append(alias)


if __name__ == "__main__":
    main()
