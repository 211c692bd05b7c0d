"""50 women report through the host as `wegweiser run` builds it; nothing in the database or the logs
leads back to any of them: no platform id, name, username or exact time next to a report.

Contacts are kept under a keyed pseudonym (her platform id only while she is subscribed), and their
times only to the day, so the scan expects no hit in any table at all.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text

from bot.cli.wiring import build
from bot.config import Settings
from tests.reports.conftest import REPORT_STEPS, Bot, Chat

USERS = 50
LANGUAGES = ("de", "ar", "uk", "fa", "tr")
REPORT_TABLES = {"reports", "report_additions"}


@dataclass(frozen=True)
class Woman:
    platform_id: str
    first_name: str
    username: str


def women() -> list[Woman]:
    return [
        Woman(
            platform_id=str(6_000_000_000 + secrets.randbelow(999_999_999)),
            first_name=f"Amira{secrets.token_hex(4)}",
            username=f"amira_{secrets.token_hex(5)}",
        )
        for _ in range(USERS)
    ]


def minutes(start: datetime, end: datetime) -> list[str]:
    """Every minute of the run in the usual spellings of a timestamp."""
    spellings = []
    moment = start.replace(second=0, microsecond=0) - timedelta(minutes=1)
    while moment <= end + timedelta(minutes=1):
        for local in (moment, moment.astimezone()):
            spellings += [
                local.strftime("%Y-%m-%d %H:%M"),
                local.strftime("%Y-%m-%dT%H:%M"),
                local.strftime("%d.%m.%Y %H:%M"),
            ]
        moment += timedelta(minutes=1)
    return spellings


def rows(engine: Engine) -> list[tuple[str, str, Any]]:
    """(table, column, value) for every value of every table, found by inspection, not by a list."""
    found = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            result = connection.execute(text(f'SELECT * FROM "{table}"'))
            columns = list(result.keys())
            for row in result:
                found += [(table, column, value) for column, value in zip(columns, row, strict=True)]
    return found


def as_text(value: Any) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex() + bytes(value).decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@pytest.fixture
def wired(database_url: str, tmp_path: Path) -> Bot:
    wiring = build(Settings(database_url=database_url, locale_dir=tmp_path / "locale"))
    from bot.store.reports import ReportStore

    return Bot(wiring.host, wiring.store, ReportStore.of(wiring.store))


async def test_fifty_reports_leave_no_trace_of_who_sent_them(
    wired: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    people = women()
    start = datetime.now(UTC)
    for index, woman in enumerate(people):
        chat = Chat(wired, woman.platform_id, channel="telegram")
        await chat.welcome(LANGUAGES[index % len(LANGUAGES)])
        await chat.tap("main_menu/choose=report")
        for payload in REPORT_STEPS:
            await chat.tap(payload)
        await chat.tap("report/confirm=write")
        pid = woman.platform_id
        await chat.text(
            f"Er hat mich abgelehnt. Meine Nummer: +49 {pid[:3]} {pid[3:6]}-{pid[6:]}, "
            f"Telegram @{woman.username}, Mail {woman.username}@example.org"
        )
        await chat.tap("report/confirm=send")
        assert "action_report_submit/thanks" in chat.msgids()
    end = datetime.now(UTC)
    assert wired.reports.mix(today=date.today()) == USERS
    assert wired.reports.count() == USERS

    times = minutes(start, end)
    hits: list[tuple[tuple[str, str], str]] = []
    scanned: set[str] = set()
    for table, column, value in rows(wired.store.engine):
        where = (table, column)
        scanned.add(table)
        if isinstance(value, datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=UTC)
            if start - timedelta(minutes=1) <= moment <= end + timedelta(minutes=1):
                hits.append((where, "an exact time"))
            continue
        if isinstance(value, date):
            continue  # a day is not an exact time
        written = as_text(value)
        for woman in people:
            for needle in (woman.first_name, woman.username):
                if needle in written:
                    hits.append((where, needle))
            if woman.platform_id in written:
                hits.append((where, "a platform id"))
        if any(spelling in written for spelling in times):  # SQLite hands back times as text
            hits.append((where, "an exact time"))
    assert hits == []
    # the scan does see the data: every table that holds her conversation or the reports was read
    assert {"contacts", "sessions", "reports"} <= scanned

    # the contact side holds nothing of any report: no report slot in any conversation
    for table, column, value in rows(wired.store.engine):
        if (table, column) == ("sessions", "state"):
            state = value if isinstance(value, dict) else json.loads(value)
            assert not [name for name in state["slots"] if name.startswith("report")]

    log_text = caplog.text + "\n".join(f"{record.getMessage()} {record.args!r}" for record in caplog.records)
    assert caplog.records, "the run should have logged something at DEBUG"
    for woman in people:
        for needle in (woman.platform_id, woman.first_name, woman.username):
            assert needle not in log_text
    assert [spelling for spelling in times if spelling in log_text] == []


def test_the_report_tables_have_no_column_for_identity_or_time(wired: Bot) -> None:
    with wired.store.engine.connect() as connection:
        inspector = inspect(connection)
        reports = {column["name"] for column in inspector.get_columns("reports")}
        additions = {column["name"] for column in inspector.get_columns("report_additions")}
        foreign = [
            key["referred_table"] for table in REPORT_TABLES for key in inspector.get_foreign_keys(table)
        ]
    assert reports == {
        "id",
        "reported_week",
        "incident_month",
        "incident",
        "language",
        "forms",
        "stage",
        "actor",
        "municipality",
        "grounds",
        "text",
        "code_tag",
        "code_salt",
        "code_hash",
    }
    assert additions == {"id", "report_id", "added_week", "text"}
    assert foreign == ["reports"]
