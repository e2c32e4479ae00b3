"""Read corpus files: bytes in, decoded text out, with the encoding detected rather than assumed.

Chinese reports arrive as UTF-8 (with or without BOM), GB18030/GBK or Big5 regardless of their extension, so
the extension only decides txt vs html; the bytes decide the encoding.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
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
# A file that no strict decoder reads is repaired (its bad bytes become U+FFFD) when the best decoder needs at
# most this many replacements, or one per this many bytes in a long file; beyond that it is rejected as damaged.
MAX_REPLACED = 3
BYTES_PER_REPLACED = 1000
REPLACEMENT = "\ufffd"
REPAIRED_MARK = "+repaired:"  # "utf_8+repaired:1": the encoding string records how many characters were replaced
READ_CHUNK = 1 << 20
REALIGN_WINDOW = 1024  # bytes searched on each side of a decode error for the orphaned half of a cut character


class IngestError(Exception):
    """A file that cannot become an article; the message names the file and the problem."""

    def __init__(
        self, path: str | Path, reason: str, code: str, file_sha256: str | None = None, size: int = 0
    ) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.code = code
        self.file_sha256 = file_sha256  # of the bytes read, when they were read (not for oversize or special files)
        self.size = size


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
    """`content_hash` of a regular file's bytes, read in chunks; None when it cannot be read or is not a regular
    file (opening a named pipe would wait for a writer forever)."""
    try:
        fd = _open_regular(path)
    except (OSError, IngestError):
        return None
    with os.fdopen(fd, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


_KINDS = (
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISDIR, "directory"),
)


def _open_regular(path: str | Path) -> int:
    """A read-only descriptor of `path`, or IngestError("special") when it is not a regular file.

    O_NONBLOCK so that opening a named pipe returns at once instead of waiting for a writer; the check is on the
    opened descriptor (fstat), so a file swapped for a pipe between a check and the open cannot slip through.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        os.set_blocking(fd, True)
        return fd
    os.close(fd)
    kind = next((name for test, name in _KINDS if test(mode)), "special file")
    raise IngestError(path, f"not a regular file ({kind}); skipped", "special")


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """A regular file's bytes, never more than `max_bytes` read: IngestError for a special or oversize file.

    The size is checked on the open descriptor and the read stops one byte past the limit, so a file that grows
    after the check, or a file system that reports no size, still cannot make the reader swallow it whole.
    """
    fd = _open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise IngestError(path, f"oversize: {size} bytes exceeds the {max_bytes}-byte limit", "oversize", size=size)
        chunks, read = [], 0
        while read <= max_bytes:
            chunk = handle.read(min(READ_CHUNK, max_bytes + 1 - read))
            if not chunk:
                break
            chunks.append(chunk)
            read += len(chunk)
    if read > max_bytes:
        raise IngestError(path, f"oversize: more than the {max_bytes}-byte limit", "oversize", size=read)
    return b"".join(chunks)


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
    if best is not None and _decodes(data, best.encoding):
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


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def repair_decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a file no strict decoder reads but one reads with a few bytes replaced by U+FFFD.

    A report with one damaged byte (a cut transfer, a stray \\xff) is still a report. UTF-8 is tried first and
    wins ties: its byte structure is strict enough that a near-miss is really UTF-8, whereas charset-normalizer
    and a lenient GB18030 decode will read damaged UTF-8 as (nonsense) GB18030. None when even the best
    candidate needs more than MAX_REPLACED replacements (or one per BYTES_PER_REPLACED bytes).
    """
    allowed = max(MAX_REPLACED, len(data) // BYTES_PER_REPLACED)
    best: tuple[int, str, str] | None = None
    for encoding in CHINESE_ENCODINGS:
        text = data.decode(encoding, errors="replace")
        if encoding == "gb18030" and text.count(REPLACEMENT) <= allowed:
            text = _realign_double_byte(data, encoding, allowed) or text
        lost = text.count(REPLACEMENT)
        if best is None or lost < best[0]:
            best = (lost, encoding, text)
    if best is None or best[0] > allowed:
        return None
    lost, encoding, text = best
    return text, f"{encoding}{REPAIRED_MARK}{lost}"


@functools.lru_cache(maxsize=8192)
def _is_common_han(ch: str) -> bool:
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def _common_han(text: str) -> int:
    """Characters of GB2312's first level (the 3,755 common ones): misaligned byte pairs rarely land there."""
    return sum(map(_is_common_han, text))


def _realign_double_byte(data: bytes, encoding: str, allowed: int) -> str | None:
    """`data` decoded with each orphaned half of a cut double-byte character replaced by U+FFFD; None if unsure.

    A lost byte shifts every later pair, and GB18030 reads the shifted pairs as other (rare) characters until the
    next ASCII byte, so errors="replace" reports one error where a whole line is garbled. For each error, every
    byte of the non-ASCII run around it (at most REALIGN_WINDOW bytes each side, which bounds the work) is tried
    as the orphan; the reading with the most common characters wins.
    """
    parts: list[str] = []
    pos = 0
    for _ in range(allowed + 1):
        try:
            parts.append(data[pos:].decode(encoding))
            return "".join(parts)
        except UnicodeDecodeError as exc:
            error = pos + exc.start
        start = error
        while start > max(pos, error - REALIGN_WINDOW) and data[start - 1] >= 0x80:
            start -= 1
        stop = error
        while stop < min(len(data), error + REALIGN_WINDOW) and data[stop] >= 0x80:
            stop += 1
        readings = []
        for orphan in range(start, stop):
            try:
                reading = data[start:orphan].decode(encoding) + REPLACEMENT + data[orphan + 1 : stop].decode(encoding)
            except UnicodeDecodeError:
                continue
            readings.append((_common_han(reading), -orphan, reading))
        if not readings:
            return None
        try:
            parts.append(data[pos:start].decode(encoding))
        except UnicodeDecodeError:  # a four-byte sequence (it holds ASCII digits) split at `start`
            return None
        parts.append(max(readings)[2])
        pos = stop
    return None


def replaced_count(encoding: str) -> int:
    """How many characters the reader replaced with U+FFFD, from a RawArticle's encoding string."""
    _, mark, count = encoding.partition(REPAIRED_MARK)
    return int(count) if mark and count.isdigit() else 0


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """(text, encoding) for a file's bytes; IngestError if it is empty, binary or undecodable.

    NUL is refused anywhere in the file, not only near its start: no Chinese report contains one, PostgreSQL
    cannot store it in text, and cutting it out would hide that the file is damaged (a zero-filled block).
    """
    if not data.strip():
        raise IngestError(path, "empty file", "empty")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (at := data.find(b"\x00")) >= 0:
        raise IngestError(path, f"binary file (contains NUL bytes, the first at byte {at})", "binary")
    try:
        encoding = detect_encoding(data)
        text = data.decode(encoding)
    except (ValueError, UnicodeDecodeError) as exc:
        repaired = repair_decode(data)
        if repaired is None:
            raise IngestError(path, f"undecodable: {exc}", "undecodable") from exc
        text, encoding = repaired
    if (at := text.find("\x00")) >= 0:
        raise IngestError(path, f"binary file (contains NUL characters, the first at character {at})", "binary")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_article(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawArticle:
    """One file as a RawArticle; IngestError (with the hash and size of what was read) when it cannot be one."""
    path = Path(path)
    media_type = media_type_of(path)
    data = read_bounded(path, max_bytes)
    try:
        text, encoding = decode_bytes(data, path)
    except IngestError as exc:
        exc.file_sha256, exc.size = content_hash(data), len(data)
        raise
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
        if root.is_file() or (root.exists() and not root.is_dir()):  # a named pipe or device: read rejects it
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
