"""Reports end to end through the channels a woman uses: the web chat's HTTP API and Telegram
(the real PTB application against the fake Bot API), in German, Arabic and Ukrainian."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.reports.scrub import PHONE_MARK
from bot.store.reports import ReportStore
from bot.web.app import create_app
from tests.fakes.telegram_api import FakeTelegram
from tests.reports.conftest import REPORT_STEPS
from tests.telegram.conftest import polling, press, reply

MARK_IN = {"de": PHONE_MARK, "ar": "[تم حذف رقم الهاتف]", "uk": "[номер телефону видалено]"}
WORDS = "Der Vermieter sagte am Telefon, er vermiete nicht an Ausländer. Ruf mich an: 0176 1234 5678"


@pytest.fixture
def wiring(tmp_path: Path) -> Wiring:
    return build(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", _env_file=None))  # type: ignore[call-arg]


def reports_of(wiring: Wiring) -> list[Any]:
    reports = ReportStore.of(wiring.store)
    reports.mix(today=date.today(), force=True)
    return list(reports.reports())


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
async def test_a_report_through_the_web_chat(wiring: Wiring, language: str) -> None:
    app = create_app(wiring.host, wiring.store.ping)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://chat") as client:

        async def say(**body: Any) -> list[dict[str, Any]]:
            response = await client.post("/api/chat", json={"session": f"web-report-{language}", **body})
            assert response.status_code == 200, response.text
            messages: list[dict[str, Any]] = response.json()["messages"]
            return messages

        await say(start=True)
        await say(payload=f"welcome/choose_language={language}")
        await say(payload="welcome/privacy=yes")
        await say(payload="main_menu/choose=report")
        for payload in REPORT_STEPS:
            offered = [
                button["payload"] for message in await say(payload=payload) for button in message["buttons"]
            ]
            assert offered, f"after {payload} she always has buttons"
        await say(payload="report/confirm=write")
        summary = await say(text=WORDS)
        assert any(message["msgid"].startswith("action_report_summary") for message in summary)
        [shown] = [m["text"] for m in summary if m["msgid"] == "action_report_summary/heading"]
        # she sees, in her language, what was taken out before she sends
        assert MARK_IN[language] in shown and (language == "de" or PHONE_MARK not in shown)
        done = await say(payload="report/confirm=send")
    assert any(message["msgid"] == "action_report_submit/thanks" for message in done)
    (report,) = reports_of(wiring)
    assert report.language == language
    assert PHONE_MARK in (report.text or "")  # staff read the German mark
    assert "0176" not in (report.text or "")
    assert "Ausländer" in (report.text or "")


@pytest.fixture
async def telegram(wiring: Wiring) -> AsyncIterator[tuple[FakeTelegram, Any]]:
    async with FakeTelegram() as fake, polling(fake, wiring) as application:
        yield fake, application


@pytest.mark.parametrize(("chat", "language"), [(7001, "de"), (7002, "ar"), (7003, "uk")])
async def test_a_report_through_telegram(
    wiring: Wiring, telegram: tuple[FakeTelegram, Any], chat: int, language: str
) -> None:
    fake, application = telegram

    await reply(fake, application, fake.text_update(chat, "/start", language_code=language))
    for payload in (f"welcome/choose_language={language}", "welcome/privacy=yes", "main_menu/choose=report"):
        await press(fake, application, chat, payload, language)
    for payload in (*REPORT_STEPS, "report/confirm=write"):
        await press(fake, application, chat, payload, language)
    await reply(fake, application, fake.text_update(chat, WORDS, language_code=language))
    await press(fake, application, chat, "report/confirm=send", language)
    (report,) = reports_of(wiring)
    assert report.language == language
    assert str(chat) not in repr(report)
    code_messages = [m.text for m in fake.sent(chat) if sum(ch.isdigit() for ch in m.text) >= 16]
    assert code_messages, "the receipt code was shown to her"
