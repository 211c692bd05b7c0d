"""KI staff in Telegram: `/broadcast` and `/stats` reach the staff desk; anyone else gets the menu."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli.delivery import report_statistics
from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.staff.desk import Desk
from bot.store.outbox import Outbox
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import polling, press, reply

STAFF = 424242
WOMAN = 515151


@pytest.fixture
async def staffed(tmp_path: Path) -> AsyncIterator[tuple[FakeTelegram, Any, Wiring]]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'w.db'}", staff_ids=[STAFF], demo=True, _env_file=None
    )  # type: ignore[call-arg]
    wiring = build(settings)
    desk = Desk(
        settings.staff_ids,
        Outbox(wiring.store.engine),
        wiring.workshops,
        wiring.catalog,
        statistics=lambda: report_statistics(wiring),
    )
    async with FakeTelegram() as fake, polling(fake, wiring, desk=desk) as application:
        yield fake, application, wiring
    wiring.store.dispose()


async def test_staff_broadcast_opens_the_desk(staffed: tuple[FakeTelegram, Any, Wiring]) -> None:
    fake, application, _ = staffed
    answer = await reply(fake, application, fake.text_update(STAFF, "/broadcast"))
    assert "Ankündigung" in answer[0].text
    assert all(data.startswith("staff:") for _, data in answer[0].buttons)


async def test_anyone_else_typing_broadcast_gets_the_menu(staffed: tuple[FakeTelegram, Any, Wiring]) -> None:
    fake, application, wiring = staffed
    await reply(fake, application, fake.text_update(WOMAN, "/start"))
    for payload in ("welcome/choose_language=de", "welcome/privacy=yes"):
        await press(fake, application, WOMAN, payload)
    answer = await reply(fake, application, fake.text_update(WOMAN, "/broadcast"))
    assert "main_menu/choose=counselling" in [data for _, data in answer[-1].buttons]
    assert not any(data.startswith("staff:") for m in answer for _, data in m.buttons)
    outbox = Outbox(wiring.store.engine)
    assert outbox.recent() == [] and outbox.audit_log() == [], "nothing was created or logged"


async def test_staff_stats_is_a_chart_with_a_german_summary(
    staffed: tuple[FakeTelegram, Any, Wiring],
) -> None:
    fake, application, _ = staffed
    answer = await reply(fake, application, fake.text_update(STAFF, "/stats"))
    (photo,) = [m for m in answer if m.kind == "photo"]
    assert photo.document is not None and bytes(photo.document["content"]).startswith(b"\x89PNG")
    assert "Meldungen" in photo.text


async def test_staff_chats_alone_show_the_staff_commands(staffed: tuple[FakeTelegram, Any, Wiring]) -> None:
    fake, _, _ = staffed
    staff_menu = [command["command"] for command in fake.chat_commands[STAFF]]
    assert staff_menu[-3:] == ["broadcast", "broadcasts", "stats"]
    assert staff_menu[:2] == ["start", "menu"], "staff keep the women's commands too"
    assert list(fake.chat_commands) == [STAFF]
    everyone = [command["command"] for commands in fake.commands.values() for command in commands]
    assert "broadcast" not in everyone and "stats" not in everyone
