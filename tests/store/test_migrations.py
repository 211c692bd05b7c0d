"""The schema comes from the migrations, on both databases, and the models agree with it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from bot.store import Store
from bot.store.migrations import config
from bot.store.schema import metadata

TABLES = set(metadata.tables)
HEAD = ScriptDirectory.from_config(config()).get_current_head()


def test_the_schema_has_the_tables_every_feature_needs() -> None:
    assert {
        "contacts",
        "sessions",
        "subscriptions",
        "message_traces",
        "source_counts",
        "processed_updates",
    } <= TABLES
    assert {"reports"} <= TABLES


def test_upgrade_from_empty_creates_every_table_at_head(database_url: str) -> None:
    store = Store(database_url)
    assert store.ping()
    store.upgrade()
    store.upgrade()  # idempotent: a restart runs it again
    with store.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) == TABLES | {"alembic_version"}
        assert MigrationContext.configure(connection).get_current_revision() == HEAD
    store.dispose()


def test_models_match_the_migrations(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_downgrade_to_nothing_and_back(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(config(connection=connection), "head")
        command.downgrade(config(connection=connection), "base")
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        command.upgrade(config(connection=connection), "head")
        assert set(inspect(connection).get_table_names()) >= TABLES
    engine.dispose()


def test_a_sqlite_file_in_a_missing_folder_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "nested"
    store = Store(f"sqlite:///{folder / 'wegweiser.db'}")
    store.upgrade()
    assert (folder / "wegweiser.db").exists()
    store.dispose()


def test_ping_is_false_when_the_server_is_unreachable() -> None:
    store = Store("postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2")
    assert store.ping() is False
    store.dispose()
