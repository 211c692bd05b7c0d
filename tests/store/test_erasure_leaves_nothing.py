"""What she erased is gone from the files too: SQLite's -wal file after /delete, PostgreSQL's pages after
the scheduled VACUUM (read with pageinspect, as someone holding the server would)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.store import Store
from bot.store.database import Erasures

WORDS = "Zebrastreifen-4711-Geheimnis"


def test_delete_leaves_no_copy_in_the_sqlite_files(tmp_path: Path) -> None:
    database = tmp_path / "w.db"
    store = Store(f"sqlite:///{database}")
    store.upgrade()
    for turn in range(30):  # many saves of her conversation, each a new copy in the write-ahead log
        store.save(
            "web", "her-session", language="de", consent=True, state={"slots": {"t": f"{WORDS}{turn}"}}
        )
    assert WORDS.encode() in database.read_bytes() + Path(f"{database}-wal").read_bytes()
    assert store.forget("web", "her-session")
    wal = Path(f"{database}-wal")
    leftovers = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert WORDS.encode() not in leftovers
    store.dispose()


def test_the_scheduled_vacuum_removes_erased_rows_from_postgresql_pages(database_url: str) -> None:
    store = Store(database_url)
    store.upgrade()
    for turn in range(5):
        store.save(
            "web", "her-session", language="de", consent=True, state={"slots": {"t": f"{WORDS}{turn}"}}
        )
    store.save("web", "another", language="ar", consent=True, state={"slots": {}})
    assert store.forget("web", "her-session")
    Erasures(store.engine).vacuum_erased()
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public"))
            pages = connection.execute(
                text("SELECT pg_relation_size('sessions') / current_setting('block_size')::int")
            ).scalar_one()
            data = b"".join(
                bytes(row)
                for page in range(pages)
                for row in connection.execute(
                    text(
                        "SELECT t_data FROM public.heap_page_items(public.get_raw_page('sessions', :page))"
                        " WHERE t_data IS NOT NULL"
                    ),
                    {"page": page},
                ).scalars()
            )
            connection.commit()
        assert WORDS.encode() not in data
        assert store.load("web", "another") is not None
    store.dispose()
