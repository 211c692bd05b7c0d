"""The calendar file reaches her phone: a download in the web chat, a document in Telegram."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from bot.cli.wiring import build
from bot.config import Settings
from bot.web.app import create_app
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import polling, press, reply

WALK = ("welcome/choose_language=ar", "welcome/privacy=yes", "main_menu/choose=workshops")


async def test_calendar_file_is_a_download_in_the_web_chat(tmp_path: Path) -> None:
    wiring = build(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", demo=True, _env_file=None))  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=create_app(wiring.host, wiring.store.ping))
    async with httpx.AsyncClient(transport=transport, base_url="http://chat") as client:

        async def say(**body: Any) -> list[dict[str, Any]]:
            response = await client.post("/api/chat", json={"session": "calendar-web", **body})
            messages: list[dict[str, Any]] = response.json()["messages"]
            return messages

        shown = await say(start=True)
        for payload in WALK:
            shown = await say(payload=payload)
        offered = [button["payload"] for message in shown for button in message["buttons"]]
        if "workshops/what=calendar" not in offered:  # more than one workshop: pick the first
            pick = next(payload for payload in offered if payload.startswith("workshops/pick="))
            shown = await say(payload=pick)
        answer = await say(payload="workshops/what=calendar")
    (document,) = [message["document"] for message in answer if message["document"]]
    assert document["mime_type"] == "text/calendar" and document["filename"].endswith(".ics")
    assert document["content"].startswith("BEGIN:VCALENDAR")
    wiring.store.dispose()


async def test_calendar_file_is_a_document_in_telegram(tmp_path: Path) -> None:
    wiring = build(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", demo=True, _env_file=None))  # type: ignore[call-arg]
    chat = 9001
    async with FakeTelegram() as fake, polling(fake, wiring) as application:
        await reply(fake, application, fake.text_update(chat, "/start"))
        for payload in WALK:
            await press(fake, application, chat, payload)
        offered = [data for message in fake.sent(chat) for _, data in message.buttons]
        if "workshops/what=calendar" not in offered:
            await press(
                fake, application, chat, next(data for data in offered if data.startswith("workshops/pick="))
            )
        await press(fake, application, chat, "workshops/what=calendar")
        documents = [m.document for m in fake.sent(chat) if m.kind == "document"]
    assert documents and documents[0] is not None
    assert documents[0]["filename"].endswith(".ics")
    assert "BEGIN:VCALENDAR" in documents[0]["content"]
    wiring.store.dispose()


async def test_an_example_workshop_is_never_shown_or_scheduled_without_the_demo_setting(
    tmp_path: Path,
) -> None:
    shipped = build(Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", _env_file=None))  # type: ignore[call-arg]
    demo = build(Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", demo=True, _env_file=None))  # type: ignore[call-arg]
    assert any(workshop.example for workshop in demo.workshops.workshops)
    assert not any(workshop.example for workshop in shipped.workshops.workshops)
    transport = httpx.ASGITransport(app=create_app(shipped.host, shipped.store.ping))
    async with httpx.AsyncClient(transport=transport, base_url="http://chat") as client:
        shown: list[dict[str, Any]] = []
        for body in ({"start": True}, *({"payload": payload} for payload in WALK)):
            shown = (await client.post("/api/chat", json={"session": "no-example", **body})).json()[
                "messages"
            ]
    text = "\n".join(message["text"] for message in shown)
    offered = [button["payload"] for message in shown for button in message["buttons"]]
    assert "Beispiel" not in text and not any(p.startswith("workshops/pick=") for p in offered)
    assert "workshops/what=calendar" not in offered
    shipped.store.dispose()
    demo.store.dispose()
