"""Upgrading a deployment: from every earlier revision, with a working bot's data in the database, to the
newest schema, on SQLite and PostgreSQL; afterwards the bot's own code reads everything back.

Each table is filled as soon as the revision under test has it, so a later migration that drops, rewrites
or fails on existing rows shows here. A new migration is covered automatically (it joins REVISIONS); give
its new tables rows in `_rows`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, create_engine, insert, inspect

from bot.store import Store
from bot.store.migrations import config
from bot.store.reports import ReportStore

SCRIPTS = ScriptDirectory.from_config(config())
HEAD = SCRIPTS.get_current_head()
REVISIONS = [
    script.revision for script in reversed(list(SCRIPTS.walk_revisions())) if script.revision != HEAD
]
SECRET = b"upgrade-test-secret"
DAY = datetime(2026, 11, 25, tzinfo=UTC)
REPORT_ID = "5f0c5a52-8f7e-4d0e-9a34-2f7c1f4b9a10"


def _rows() -> dict[str, list[dict[str, Any]]]:
    """What a running bot had written: a subscribed woman mid-conversation, a flyer count, a report."""
    key = Store("sqlite://", secret=SECRET).key("telegram", "4711")
    return {
        "contacts": [
            {
                "id": 1,
                "key": key,
                "channel": "telegram",
                "platform_id": "4711",
                "language": "ar",
                "consent": True,
                "stopped": False,
                "created_at": DAY,
                "last_seen_at": DAY,
            }
        ],
        "sessions": [{"contact_id": 1, "state": {"flow": "counselling", "step": "topic"}, "updated_at": DAY}],
        "subscriptions": [{"contact_id": 1, "topic": "announcements", "created_at": DAY}],
        "source_counts": [{"source": "ik12", "month": "2026-11", "count": 3}],
        "processed_updates": [{"update_id": 991, "seen_on": DAY.date()}],
        "reports": [
            {
                "id": REPORT_ID,
                "reported_week": "2026-W48",
                "incident_month": "2026-10",
                "incident": "month",
                "language": "ar",
                "forms": ["no_answer"],
                "stage": "viewing",
                "actor": "private_landlord",
                "municipality": "dueren",
                "grounds": ["origin"],
                "text": "Der Vermieter hat nicht geantwortet.",
                "code_tag": "abcd1234",
                "code_salt": b"s" * 16,
                "code_hash": b"h" * 32,
            }
        ],
        "report_additions": [
            {
                "id": "0b7e9d1e-0000-4000-8000-000000000001",
                "report_id": REPORT_ID,
                "added_week": "2026-W49",
                "text": "Noch etwas.",
            }
        ],
    }


@pytest.mark.parametrize("revision", REVISIONS)
def test_upgrade_from_an_earlier_revision_keeps_the_data(database_url: str, revision: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(config(connection=connection), revision)
        present = set(inspect(connection).get_table_names())
        filled = []
        for table, rows in _rows().items():
            if table not in present:
                continue
            # The table as that revision made it (reflected), not as the models describe it today.
            then = Table(table, MetaData(), autoload_with=connection)
            connection.execute(insert(then), [{k: v for k, v in row.items() if k in then.c} for row in rows])
            filled.append(table)
    assert "contacts" in filled, "every revision has contacts"
    engine.dispose()

    store = Store(database_url, secret=SECRET)
    store.upgrade()  # what `wegweiser db upgrade` does
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == HEAD
    conversation = store.load("telegram", "4711")
    assert conversation is not None
    assert (conversation.language, conversation.consent, conversation.state) == (
        "ar",
        True,
        {"flow": "counselling", "step": "topic"},
    )
    assert [recipient.platform_id for recipient in store.subscribers("announcements")] == ["4711"]
    assert store.source_counts() == {("ik12", "2026-11"): 3}
    assert store.mark_update(991, DAY.date()) is False  # still known as processed
    if "reports" in filled:
        [report] = ReportStore.of(store).reports()
        assert (report.id, report.text, report.forms, report.additions) == (
            REPORT_ID,
            "Der Vermieter hat nicht geantwortet.",
            ("no_answer",),
            ("Noch etwas.",),
        )
    store.dispose()


def test_every_revision_but_the_newest_is_tested() -> None:
    chain = [script.revision for script in SCRIPTS.walk_revisions()]
    assert set(REVISIONS) | {HEAD} == set(chain) and len(REVISIONS) == len(chain) - 1 >= 2
