"""End to end on SQLite and PostgreSQL: a NUL byte past the first 4 KB of one file does not poison its batch,
and a file with one stray byte in otherwise valid UTF-8 is loaded with the repair recorded."""

from pathlib import Path

import dagster as dg
from sqlalchemy import func, select

from pipelines.defs.ingest_files import ingest
from tests.conftest import seed_text
from warehouse.db import get_engine
from warehouse.quarantine_log import quarantined
from warehouse.schema import Article


def test_a_nul_past_4kb_is_held_with_its_reason_and_the_good_files_load_once(db_url: str, tmp_path: Path):
    drop, quarantine = tmp_path / "incoming", tmp_path / "quarantine"
    drop.mkdir()
    (drop / "good_000.txt").write_text(seed_text("000"), encoding="utf-8")
    (drop / "good_002.txt").write_bytes(seed_text("002").encode("gb18030"))
    damaged = seed_text("001").encode()
    middle = damaged.index("。".encode(), len(damaged) // 2)
    (drop / "stray_byte_001.txt").write_bytes(damaged[:middle] + b"\xff" + damaged[middle:])  # repaired, not rejected
    text = seed_text("003")
    padding = "\n" * max(0, 4200 - len(text[:2000].encode()))
    data = (text[:2000] + padding + "\x00" + text[2000:]).encode()
    assert data.index(b"\x00") > 4096
    (drop / "zero_filled.txt").write_bytes(data)

    with dg.instance_for_test() as instance:
        report = ingest([drop], db_url, instance=instance, quarantine_dir=quarantine)
        kinds = {Path(p).name: o.kind for p, o in report.outcomes.items()}
        assert kinds == {
            "good_000.txt": "new", "good_002.txt": "new", "stray_byte_001.txt": "new", "zero_filled.txt": "rejected"
        }
        engine = get_engine(db_url)
        [held] = quarantined(engine)
        assert Path(held["path"]).name == "zero_filled.txt" and "NUL" in held["reason"]
        assert not (drop / "zero_filled.txt").exists() and Path(held["moved_to"]).is_file()

        # The file comes back (someone copies it in again): the re-run does not fail and loads nothing twice.
        (drop / "zero_filled.txt").write_bytes(data)
        again = ingest([drop], db_url, instance=instance, quarantine_dir=quarantine)
    assert {Path(p).name: o.kind for p, o in again.outcomes.items()}["good_000.txt"] == "unchanged"
    assert {Path(p).name: o.kind for p, o in again.outcomes.items()}["zero_filled.txt"] == "rejected"
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Article)) == 3
        encodings = dict(conn.execute(select(Article.source_file, Article.encoding)).all())
    assert encodings[str(drop / "stray_byte_001.txt")] == "utf_8+repaired:1"  # the repair is on record
