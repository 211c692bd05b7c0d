"""The real app as `wegweiser run` builds it (web app, WhatsApp channel, host, SQLite) against the
fake Graph API, over real HTTP in both directions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.whatsapp import WhatsAppRunning, start_whatsapp
from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.store.messenger import MessengerStore
from bot.web.app import create_app
from tests.fakes.asgi_server import RunningServer, serve
from tests.fakes.graph_api import APP_SECRET, PHONE_ID, VERIFY_TOKEN, WABA_ID, FakeGraph, Sent


def settings_for(fake: FakeGraph, database_url: str, **extra: object) -> Settings:
    return Settings(
        database_url=database_url,
        whatsapp_token=fake.token,
        whatsapp_phone_number_id=PHONE_ID,
        whatsapp_business_account_id=WABA_ID,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_url=fake.api_url,
        **extra,  # type: ignore[arg-type]
    )


@dataclass
class WhatsAppStack:
    fake: FakeGraph
    wiring: Wiring
    whatsapp: WhatsAppRunning
    server: RunningServer

    @property
    def url(self) -> str:
        return f"{self.server.url}/whatsapp"

    async def settle(self, timeout: float = 15.0) -> None:
        """Wait until every accepted event is handled and its answers are sent."""
        inbox = MessengerStore(self.wiring.store)
        quiet = 0
        for _ in range(int(timeout / 0.02)):
            pending = await asyncio.to_thread(inbox.pending, "whatsapp", 1)
            busy = not await self.whatsapp.channel.idle()
            quiet = quiet + 1 if not pending and not busy else 0
            if quiet >= 3:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the WhatsApp inbox did not settle")

    async def say(self, wa_id: str, text: str) -> list[Sent]:
        before = self.fake.sent_count(wa_id)
        await self.fake.text(wa_id, text)
        await self.settle()
        return self.fake.messages_to(wa_id)[before:]

    async def press(self, wa_id: str, choice: str) -> list[Sent]:
        before = self.fake.sent_count(wa_id)
        await self.fake.press(wa_id, choice)
        await self.settle()
        return self.fake.messages_to(wa_id)[before:]

    async def send(self, wa_id: str, kind: str) -> list[Sent]:
        before = self.fake.sent_count(wa_id)
        await self.fake.send_media(wa_id, kind)
        await self.settle()
        return self.fake.messages_to(wa_id)[before:]


@asynccontextmanager
async def running(fake: FakeGraph, settings: Settings) -> AsyncIterator[WhatsAppStack]:
    """The bot's web app with its `/whatsapp` route on a free port, the channel started."""
    wiring = build(settings)
    whatsapp = start_whatsapp(wiring)
    app = create_app(wiring.host, wiring.store.ping, routes=[whatsapp.route])
    server = await serve(app)
    fake.webhook_url = f"{server.url}/whatsapp"
    await whatsapp.channel.start()
    try:
        yield WhatsAppStack(fake, wiring, whatsapp, server)
    finally:
        await server.stop()
        await whatsapp.stop()
        wiring.store.dispose()


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as server:
        yield server


@pytest.fixture
async def stack(fake: FakeGraph, tmp_path: Path) -> AsyncIterator[WhatsAppStack]:
    async with running(fake, settings_for(fake, f"sqlite:///{tmp_path / 'wegweiser.db'}")) as result:
        yield result
