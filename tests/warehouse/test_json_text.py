"""JSON columns hold Chinese as UTF-8, on both databases, and an older warehouse's escapes are rewritten once."""

from sqlalchemy import Text, cast, create_engine, select, text

from warehouse.db import get_engine
from warehouse.json_text import UPGRADE_NAME, rewrite_escaped_json
from warehouse.schema import Station, WarehouseUpgrade


def _raw_aliases(engine, name: str) -> str:
    with engine.connect() as conn:
        return conn.scalar(select(cast(Station.aliases, Text)).where(Station.name == name))


def test_chinese_in_json_columns_is_stored_as_utf8(db_url: str) -> None:
    engine = get_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            Station.__table__.insert().values(
                key="马站", name="马站派出所", kind="派出所", aliases=["该所", "沂水县公安局马站派出所"], honours=[]
            )
        )
    assert _raw_aliases(engine, "马站派出所") == '["该所","沂水县公安局马站派出所"]'
    with engine.connect() as conn:
        assert conn.scalar(select(Station.aliases)) == ["该所", "沂水县公安局马站派出所"]


def test_an_older_warehouses_escaped_json_is_rewritten_once_and_reads_the_same(db_url: str) -> None:
    engine = get_engine(db_url)  # a warehouse as the current code makes it
    older = create_engine(db_url)  # what older code stored: the standard library's default, \\uXXXX escapes
    with older.begin() as conn:
        for i in range(3):
            conn.execute(
                Station.__table__.insert().values(
                    key=f"s{i}", name=f"老站{i}", kind="派出所", aliases=[f"该所{i}", 'a "quoted"\nline'], honours=[]
                )
            )
        conn.execute(WarehouseUpgrade.__table__.delete().where(WarehouseUpgrade.name == UPGRADE_NAME))
    older.dispose()
    assert "\\u8be5" in _raw_aliases(engine, "老站0")

    assert rewrite_escaped_json(engine) == 3
    for i in range(3):
        assert _raw_aliases(engine, f"老站{i}") == f'["该所{i}","a \\"quoted\\"\\nline"]'
    with engine.connect() as conn:
        assert conn.scalar(select(Station.aliases).where(Station.name == "老站1")) == ["该所1", 'a "quoted"\nline']
        assert conn.scalar(text("select count(*) from warehouse_upgrade where name = :n"), {"n": UPGRADE_NAME}) == 1
    assert rewrite_escaped_json(engine) == 0  # done: not looked for again
