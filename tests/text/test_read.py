import contextlib
import os
import threading
from pathlib import Path

import pytest

from pipelines.text.read import (
    IngestError,
    decode_bytes,
    detect_encoding,
    discover_files,
    file_hash,
    read_article,
    read_bounded,
    replaced_count,
)
from tests.conftest import SEEDS, seed_text


@pytest.mark.parametrize("prefix", sorted(SEEDS))
@pytest.mark.parametrize("encoding", ["utf_8", "utf_8_sig", "gb18030"])
def test_every_seed_decodes_from_each_encoding(tmp_path: Path, prefix: str, encoding: str):
    text = seed_text(prefix)
    path = tmp_path / "copy.txt"
    path.write_bytes(text.encode(encoding))
    raw = read_article(path)
    assert raw.text == text
    assert raw.encoding == encoding


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_big5_copy_of_a_traditional_seed(tmp_path: Path, prefix: str):
    # Big5 cannot hold the pinyin tone letters or every character, so encode what it can.
    text = seed_text(prefix).encode("big5", errors="ignore").decode("big5")
    path = tmp_path / "big5.htm"
    path.write_bytes(text.encode("big5"))
    raw = read_article(path)
    assert raw.encoding.startswith("big5")
    assert raw.text == text
    assert raw.media_type == "html"


def test_encoding_is_detected_not_taken_from_the_extension(tmp_path: Path):
    path = tmp_path / "looks-like-utf8.txt"
    path.write_bytes("派出所调解矛盾纠纷七百余起，成功率超过百分之九十八。".encode("gbk"))
    assert read_article(path).encoding == "gb18030"


def test_crlf_is_normalised():
    text, _ = decode_bytes("第一段\r\n第二段\r第三段".encode())
    assert text == "第一段\n第二段\n第三段"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"  \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_bad_files_raise_a_clear_error_naming_the_file(tmp_path: Path, data: bytes, code: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        read_article(path)
    assert info.value.code == code
    assert str(path) in str(info.value)


def test_oversize_and_unsupported_files_are_refused(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text("派出所" * 100, encoding="utf-8")
    with pytest.raises(IngestError, match="oversize"):
        read_article(big, max_bytes=100)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(IngestError, match="unsupported file type"):
        read_article(pdf)


def test_undecodable_bytes(tmp_path: Path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([0x81, 0x30, 0xFF, 0xFF, 0xFE, 0x80]) * 20)
    with pytest.raises(IngestError) as info:
        read_article(path)
    assert info.value.code == "undecodable"
    with pytest.raises(ValueError):
        detect_encoding(bytes([0xFF, 0xFF]) * 10)


def test_discovery_skips_hidden_and_unsupported_files(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.HTML").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("x")
    (tmp_path / "notes.md").write_text("x")
    assert [p.name for p in discover_files([tmp_path])] == ["a.txt", "b.HTML"]
    with pytest.raises(IngestError, match="no such file"):
        list(discover_files([tmp_path / "missing"]))


# A Chinese report well past the 4 KB the reader used to inspect for NUL bytes.
LONG_REPORT = "枫桥派出所今年共调解矛盾纠纷一百二十起，调解成功率百分之九十八。社区民警每周走访辖区群众。\n" * 60


@pytest.mark.parametrize("encoding", ["utf_8", "gb18030", "utf_16"])
def test_a_nul_anywhere_rejects_the_file_with_a_reason_naming_it(tmp_path: Path, encoding: str):
    text = LONG_REPORT[:3000] + "\x00" + LONG_REPORT[3000:]
    data = text.encode(encoding)
    assert len(LONG_REPORT[:3000].encode(encoding)) > 4096  # the NUL is past the first 4 KB
    path = tmp_path / "zero-filled.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        read_article(path)
    assert info.value.code == "binary"
    assert "NUL" in info.value.reason and str(path) in str(info.value)
    assert info.value.size == len(data)  # what was read is recorded, so the rejection needs no second read


def test_one_stray_byte_in_utf8_is_repaired_not_rejected(tmp_path: Path):
    data = LONG_REPORT.encode()
    cut = data.index("调解".encode())
    path = tmp_path / "stray.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    raw = read_article(path)
    # UTF-8, not the GB18030 nonsense a lenient detector makes of damaged UTF-8
    assert raw.encoding == "utf_8+repaired:1"
    assert replaced_count(raw.encoding) == 1
    assert raw.text == LONG_REPORT[: LONG_REPORT.index("调解")] + "\ufffd" + LONG_REPORT[LONG_REPORT.index("调解") :]


def test_a_cut_gb18030_character_is_repaired_not_rejected(tmp_path: Path):
    text = "派出所调解矛盾纠纷七百余起，成功率超过百分之九十八。" * 8
    data = text.encode("gb18030")
    cut = data.index("纠".encode("gb18030"))
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut] + data[cut + 1 :])  # the first byte of 纠 is lost
    raw = read_article(path)
    assert raw.encoding == "gb18030+repaired:1"
    cut_at = text.index("纠")
    # realigned: only the orphaned half of 纠 is lost, the characters after it decode as written
    assert raw.text == text[:cut_at] + "\ufffd" + text[cut_at + 1 :]


def test_more_damage_than_a_few_bytes_is_still_rejected(tmp_path: Path):
    data = bytearray(("派出所调解矛盾纠纷七百余起。" * 10).encode())
    for at in range(5, len(data), 40):  # a stray byte every 40 bytes: far beyond 3 (or 1 per 1,000 bytes)
        data[at] = 0xFF
    path = tmp_path / "shredded.txt"
    path.write_bytes(bytes(data))
    with pytest.raises(IngestError) as info:
        read_article(path)
    assert info.value.code == "undecodable"
    assert replaced_count("utf_8") == 0


def _release(fifo: Path) -> None:
    """Let a reader blocked on `fifo` go (opening the write end succeeds only while a reader waits)."""
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException | object] = []
    reader = threading.Thread(target=lambda: outcome.append(_capture(read_article, fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():
        _release(fifo)
        pytest.fail("reading a named pipe blocked")
    assert isinstance(outcome[0], IngestError)
    assert outcome[0].code == "special" and "named pipe" in outcome[0].reason
    assert file_hash(fifo) is None  # hashing (for a known path) must not block either


def _capture(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - handed to the test thread to assert on
        return exc


def test_reads_are_bounded_by_the_limit(tmp_path: Path):
    path = tmp_path / "report.txt"
    path.write_bytes(LONG_REPORT.encode())
    assert read_bounded(path, len(LONG_REPORT.encode())) == LONG_REPORT.encode()
    with pytest.raises(IngestError) as info:
        read_bounded(path, 1000)
    assert info.value.code == "oversize" and info.value.file_sha256 is None
    with pytest.raises(IngestError) as info:
        read_bounded("/dev/zero", 1000)  # endless: refused as a device, never read
    assert info.value.code == "special"
