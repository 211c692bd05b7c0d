"""What a log holds at the level production runs: nothing per turn that could date what she did."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.runtime.host import Host
from bot.store import Store
from tests.reports.conftest import REPORT_STEPS, Bot, Chat


async def test_no_info_line_marks_a_turn_or_a_report(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    """A timed line per turn with `replies=7` dated a report to the millisecond."""
    caplog.set_level(logging.INFO)
    chat = Chat(bot, "4711")
    await chat.welcome("de")
    await chat.tap("main_menu/choose=report")
    for payload in (*REPORT_STEPS, "report/confirm=write"):
        await chat.tap(payload)
    await chat.text("Die Wohnung war plötzlich vergeben.")
    caplog.clear()
    await chat.tap("report/confirm=send")
    assert "action_report_submit/thanks" in chat.msgids()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO] == []
    assert isinstance(bot.host, Host)


def test_a_failing_statement_does_not_print_her_key(store: Store) -> None:
    key = store.key("telegram", "123456789")
    with pytest.raises(SQLAlchemyError) as raised, store.engine.connect() as connection:
        connection.execute(text("SELECT no_such_column FROM contacts WHERE key = :key"), {"key": key})
    assert key not in str(raised.value)
