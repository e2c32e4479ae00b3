"""Read corpus files: bytes in, decoded text out, with the encoding detected rather than assumed.

Chinese reports arrive as UTF-8 (with or without BOM), GB18030/GBK or Big5 regardless of their extension, so
the extension only decides txt vs html; the bytes decide the encoding.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

# The encodings Chinese news text realistically comes in; detection is restricted to them so a short GBK
# file is never taken for Shift-JIS or Latin-1.
CHINESE_ENCODINGS = ("utf_8", "gb18030", "big5hkscs", "big5")
DEFAULT_MAX_BYTES = 5_000_000


class IngestError(Exception):
    """A file that cannot become an article; the message names the file and the problem."""

    def __init__(self, path: str | Path, reason: str, code: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.code = code


class BuildError(Exception):
    """A build or ingest that cannot run or did not finish: no files to read, or a Dagster run that failed.

    Defined here rather than in pipelines.defs.build so that `fqa`'s error handling does not import Dagster.
    """


@dataclass(frozen=True)
class RawArticle:
    """One decoded corpus file."""

    path: str
    file_sha256: str
    size: int
    encoding: str
    media_type: str  # "text" or "html"
    text: str


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: str | Path) -> str | None:
    """`content_hash` of a file's bytes, read in chunks; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def media_type_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise IngestError(path, f"unsupported file type {suffix or '(none)'}; expected .txt, .html or .htm", "type")


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk / len(text)


def detect_encoding(data: bytes) -> str:
    """Name of the encoding `data` is in, or raise ValueError when it is none of the Chinese ones."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf_8_sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf_16"
    try:
        data.decode("utf_8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf_8"
    best = charset_normalizer.from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS[1:])).best()
    if best is not None:
        return best.encoding
    # charset-normalizer gives up on some short or slightly damaged files; fall back to the strict decoder
    # whose output looks most like Chinese text.
    candidates: list[tuple[float, str]] = []
    for encoding in CHINESE_ENCODINGS[1:]:
        try:
            candidates.append((_cjk_share(data.decode(encoding)), encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise ValueError("not decodable as UTF-8, GB18030 or Big5")
    return max(candidates)[1]


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """(text, encoding) for a file's bytes; IngestError if it is empty, binary or undecodable."""
    if not data.strip():
        raise IngestError(path, "empty file", "empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(path, "binary file (contains NUL bytes)", "binary")
    try:
        encoding = detect_encoding(data)
        text = data.decode(encoding)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"undecodable: {exc}", "undecodable") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_article(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawArticle:
    path = Path(path)
    media_type = media_type_of(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(path, f"oversize: {size} bytes exceeds the {max_bytes}-byte limit", "oversize")
    data = path.read_bytes()
    text, encoding = decode_bytes(data, path)
    return RawArticle(str(path), content_hash(data), len(data), encoding, media_type, text)


def discover_files(roots: Iterable[str | Path], exclude: str | Path | None = None) -> Iterator[Path]:
    """Every supported file under the given files or folders, in a stable order, hidden files skipped.

    `exclude` is a folder left out of the walk (the quarantine, which may sit inside the corpus). os.walk with
    the folder pruned, rather than Path.rglob and a check per file, because a rescan of 10,000 files has to
    fit in a sensor tick (see benchmarks/ingest_bench.py).
    """
    excluded = os.path.realpath(exclude) if exclude is not None else None
    for root in roots:
        root = Path(root)
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            raise IngestError(root, "no such file or folder", "missing")
        found = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = [
                d
                for d in dirs
                if not d.startswith(".") and (excluded is None or os.path.realpath(os.path.join(folder, d)) != excluded)
            ]
            found += [
                os.path.join(folder, name)
                for name in files
                if not name.startswith(".") and os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES
            ]
        for path in sorted(found, key=lambda p: p.split(os.sep)):
            yield Path(path)
