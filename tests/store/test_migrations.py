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


def test_reports_written_before_the_pool_are_kept_and_rewritten_in_random_order(database_url: str) -> None:
    """Revision 0005 rebuilds the report tables: every report and addition survives, in one new batch."""
    from sqlalchemy import text

    from bot.store import migrations

    engine = create_engine(database_url)
    with engine.begin() as connection:
        migrations.upgrade(connection, "0003")
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(20)]
    for report_id in ids:  # one transaction each, as the code before the pool wrote them
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO reports (id, reported_week, incident, language, forms, stage, actor,"
                    " municipality, grounds, text, code_tag, code_salt, code_hash) VALUES (:id, '2026-W40',"
                    " 'unsaid', 'de', '[\"religion\"]', 'viewing', 'unsaid', 'dueren', '[]', 'Text', 'abcd',"
                    " :salt, :hash)"
                ),
                {"id": report_id, "salt": b"s" * 16, "hash": b"h" * 64},
            )
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO report_additions (id, report_id, added_week, text)"
                " VALUES ('a', :r, '2026-W41', 'x')"
            ),
            {"r": ids[3]},
        )
    store = Store(database_url)
    store.upgrade()
    from bot.store.reports import ReportStore

    reports = ReportStore.of(store).reports()
    assert sorted(report.id for report in reports) == ids
    assert {report.id: report.additions for report in reports}[ids[3]] == ("x",)
    assert all(report.forms == ("religion",) for report in reports)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            xmins = set(connection.execute(text("SELECT xmin::text FROM reports")).scalars())
        assert len(xmins) == 1  # written together: no report's xmin says when it came
    store.dispose()
    engine.dispose()
