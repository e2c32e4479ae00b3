from pathlib import Path

import pytest

from pipelines.text.read import IngestError, decode_bytes, detect_encoding, discover_files, read_article
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
