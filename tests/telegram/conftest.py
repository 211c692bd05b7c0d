"""The real PTB Application against the fake Bot API, with a plain fake host and an in-memory store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest

from bot.channels.telegram import (
    Host,
    TelegramApplication,
    TraceStore,
    build_application,
    run_polling,
    shut_down,
)
from bot.channels.telegram.delivery import RetryPolicy
from bot.engine.model import Button, Input, Message, Venue
from bot.i18n.catalog import Catalog
from tests.fakes.telegram_api import ChatMessage, FakeTelegram, chat_of

FAST_RETRIES = RetryPolicy(flood_retries=5, transient_retries=3, backoff=0.05)


@dataclass
class ScriptedHost:
    """Answers like a tiny engine would, and remembers what it was asked."""

    inputs: list[tuple[str, Input]] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    answers: dict[str, list[Message]] = field(default_factory=dict)

    async def handle(self, channel: str, platform_id: str, user_input: Input, /) -> Sequence[Message]:
        assert channel == "telegram"
        self.inputs.append((platform_id, user_input))
        if user_input.text in self.answers:
            return self.answers[user_input.text]
        if user_input.kind == "start":
            return [
                # a button of its own keeps it a bubble of its own (texts without buttons are joined)
                Message("Willkommen beim Wegweiser.", (Button("🆘 Notfall", "emergency"),), msgid="welcome"),
                Message(
                    "Welche Sprache?",
                    buttons=(Button("Deutsch", "lang:de"), Button("العربية", "lang:ar")),
                ),
            ]
        if user_input.kind == "location":
            place = Venue(50.8, 6.48, "Beratungsstelle", "Bismarckstraße 1, 52351 Düren")
            return [Message("Ganz in Ihrer Nähe:", venue=place)]
        if user_input.kind == "unsupported":
            return [Message(f"Das kann ich nicht lesen ({user_input.text}). Bitte schreiben Sie.")]
        if user_input.kind == "payload":
            return [Message(f"Gewählt: {user_input.payload}", buttons=(Button("Menü", "menu"),))]
        return [Message(f"Sie schrieben: {user_input.text}")]

    async def stop_contact(self, channel: str, platform_id: str, /) -> None:
        self.stopped.append(platform_id)

    async def emergency(self, channel: str, platform_id: str, language_hint: str, /) -> Sequence[Message]:
        return [Message("Notruf 110")]

    async def available(self) -> bool:
        return True

    async def erase_conversation(self, channel: str, platform_id: str, /) -> None:
        self.erased.append(platform_id)


@dataclass
class MemoryStore:
    """The store's trace and update-id methods, kept in dictionaries."""

    trace_rows: list[tuple[str, str, int, str, datetime]] = field(default_factory=list)
    seen_updates: set[int] = field(default_factory=set)

    def record_traces(self, channel: str, traces: Sequence[tuple[str, int, str, datetime]], /) -> None:
        self.trace_rows.extend((channel, *trace) for trace in traces)

    def traces(self, channel: str, platform_id: str, since: datetime, /) -> list[int]:
        return [row[2] for row in self.trace_rows if row[:2] == (channel, platform_id) and row[4] >= since]

    def clear_traces(self, channel: str, platform_id: str, /) -> None:
        self.trace_rows = [row for row in self.trace_rows if row[:2] != (channel, platform_id)]

    def update_seen(self, update_id: int, /) -> bool:
        return update_id in self.seen_updates

    def mark_update(self, update_id: int, seen_on: date, /) -> bool:
        if update_id in self.seen_updates:
            return False
        self.seen_updates.add(update_id)
        return True


async def reply(
    fake: FakeTelegram, application: TelegramApplication, update: dict[str, Any], timeout: float = 15.0
) -> list[ChatMessage]:
    """Push an update and return all the bot sent to that chat in answer: waits until the bot has
    received the update (by getUpdates or its webhook) and has no update left in hand."""
    chat_id = chat_of(update)
    before = fake.sent_count(chat_id)
    update_id = fake.push(update)["update_id"]
    idle_polls = 0
    for _ in range(int(timeout / 0.01)):
        received = fake.confirmed_offset > update_id or update_id in fake.webhook_delivered
        busy = application.update_processor.current_concurrent_updates or not application.update_queue.empty()
        idle_polls = idle_polls + 1 if received and not busy else 0
        if idle_polls >= 3:
            return fake.sent(chat_id)[before:]
        await asyncio.sleep(0.01)
    raise AssertionError(f"update {update_id} not answered within {timeout} s")


async def press(
    fake: FakeTelegram,
    application: TelegramApplication,
    chat_id: int,
    payload: str,
    language_code: str = "de",
) -> list[ChatMessage]:
    """Press a button of the newest message that shows it; fails if no message shows it."""
    shown = [m for m in fake.sent(chat_id) if payload in (data for _, data in m.buttons)]
    assert shown, f"no button {payload!r} in {[m.buttons for m in fake.sent(chat_id)][-3:]}"
    update = fake.callback_update(
        chat_id, payload, message_id=shown[-1].message_id, language_code=language_code
    )
    return await reply(fake, application, update)


@asynccontextmanager
async def polling(fake: FakeTelegram, wiring: Any, **options: Any) -> AsyncIterator[TelegramApplication]:
    """The real bot as `wegweiser run` wires it, polling the fake, with quick retries for tests."""
    application = build_application(
        fake.token,
        fake.base_url,
        wiring.host,
        wiring.store,
        wiring.catalog,
        webhook=False,
        read_timeout=2.0,
        policy=FAST_RETRIES,
        **options,
    )
    await run_polling(application, poll_timeout=1)
    try:
        yield application
    finally:
        await shut_down(application)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def host() -> ScriptedHost:
    return ScriptedHost()


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()


def build(fake: FakeTelegram, host: Host, store: TraceStore, *, webhook: bool = False) -> TelegramApplication:
    return build_application(
        fake.token,
        fake.base_url,
        host,
        store,
        Catalog(),
        webhook=webhook,
        read_timeout=2.0,
        policy=FAST_RETRIES,
    )


@pytest.fixture
async def polling_bot(
    fake: FakeTelegram, host: ScriptedHost, memory_store: MemoryStore
) -> AsyncIterator[TelegramApplication]:
    application = build(fake, host, memory_store)
    await run_polling(application, poll_timeout=1)
    yield application
    await shut_down(application)
