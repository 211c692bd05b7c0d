"""Broadcasts and reminders on WhatsApp through the real sender, courier and pywa, against the fake
Graph API: the 24-hour window, templates, Meta's error codes, receipts, and both channels at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from bot.channels.telegram.outbox_sender import TelegramCourier
from bot.channels.whatsapp.client import open_client
from bot.channels.whatsapp.courier import WhatsAppCourier
from bot.channels.whatsapp.templates import load_templates
from bot.cli.whatsapp import push_templates, whatsapp_settings
from bot.config import PROJECT_ROOT, Settings
from bot.i18n.catalog import Catalog
from bot.outbox.lanes import Lanes
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.store import Store
from bot.store.deliveries import Deliveries
from bot.store.messenger import MessengerStore
from bot.store.models import Contact, ReplyWindow, Subscription
from bot.store.outbox import Audience, Outbox
from bot.store.outbox_models import OutboxRow
from tests.fakes.graph_api import FakeGraph
from tests.fakes.telegram_api import FakeTelegram
from tests.whatsapp.conftest import settings_for

LANGUAGES = ("de", "ar", "uk", "ku", "fa", "ru")


@dataclass
class Bulk:
    fake: FakeGraph
    settings: Settings
    store: Store
    outbox: Outbox
    messenger: MessengerStore

    def subscribers(
        self,
        count: int,
        *,
        channel: str = "whatsapp",
        first: int = 4915100000000,
        window: bool = False,
        languages: tuple[str, ...] = LANGUAGES,
    ) -> list[str]:
        at = datetime.now(UTC)
        with self.store.engine.begin() as connection:
            start = connection.execute(select(Contact.id).order_by(Contact.id.desc())).scalar() or 0
            rows = [
                {
                    "id": start + n + 1,
                    "key": self.store.key(channel, str(first + n)),
                    "channel": channel,
                    "platform_id": str(first + n),
                    "language": languages[n % len(languages)],
                    "consent": True,
                    "stopped": False,
                    "created_at": at,
                    "last_seen_at": at,
                }
                for n in range(count)
            ]
            connection.execute(insert(Contact), rows)
            connection.execute(
                insert(Subscription),
                [{"contact_id": row["id"], "topic": "announcements", "created_at": at} for row in rows],
            )
            if window:
                connection.execute(
                    insert(ReplyWindow), [{"contact_id": row["id"], "opened_at": at} for row in rows]
                )
        if window and channel == "whatsapp":
            for row in rows:
                self.fake.last_inbound[str(row["platform_id"])] = self.fake.now()
        return [str(row["platform_id"]) for row in rows]

    def broadcast(self, kind: str = "broadcast", channels: tuple[str, ...] = ("whatsapp",)) -> int:
        now = datetime.now(UTC)
        announcement = self.outbox.create(
            kind=kind,
            text="Workshop morgen",
            audience=Audience(("announcements",)),
            created_by="test",
            now=now,
        )
        texts = {
            code: f"[{code}] Workshop morgen um 10 Uhr im Kreishaus"
            for code in ("de", "en", *LANGUAGES, "ti", "ps", "so", "tr", "fr")
        }
        self.outbox.queue(announcement, texts, list(channels), now)
        return announcement

    def statuses(self, announcement: int) -> dict[str, int]:
        return self.outbox.counts(announcement)


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraph]:
    async with FakeGraph(auto_approve=True, rate=100_000) as server:  # Meta's 80/s: see benchmarks
        yield server


@pytest.fixture
def bulk(fake: FakeGraph, tmp_path: Path) -> Iterator[Bulk]:
    settings = settings_for(fake, f"sqlite:///{tmp_path / 'wegweiser.db'}")
    store = Store(settings.database_url)
    store.upgrade()
    yield Bulk(fake, settings, store, Outbox(store.engine), MessengerStore(store))
    store.dispose()


def due_now(bulk: Bulk) -> None:
    with bulk.store.engine.begin() as connection:
        connection.execute(OutboxRow.__table__.update().values(next_attempt_at=datetime.now(UTC)))


async def drain(bulk: Bulk, couriers: dict[str, object] | None = None, rate: float = 500.0) -> Sender:
    client, session = open_client(whatsapp_settings(bulk.settings))
    courier = WhatsAppCourier(client, bulk.messenger, load_templates(PROJECT_ROOT / "content"), Catalog())
    lanes = Lanes(
        {"whatsapp": Limiter(rate=rate, chat_interval=0.0)}, default=Limiter(rate=rate, chat_interval=0.0)
    )
    sender = Sender(
        Deliveries(bulk.store.engine),
        {"whatsapp": courier, **(couriers or {})},  # type: ignore[dict-item]
        lanes,
        SenderSettings(concurrency=32, backoff=timedelta(milliseconds=1)),
    )
    try:
        await sender.drain()
    finally:
        await session.aclose()
    return sender


async def test_templates_are_pushed_and_their_status_recorded(bulk: Bulk) -> None:
    results = await push_templates(bulk.settings)
    names = {(name, language) for name, language, _ in results}
    assert ("wegweiser_reminder", "de") in names and ("wegweiser_invitation", "de") in names
    assert all(language in ("de", "en", "ar", "fa", "uk", "ru", "tr", "fr") for _, language in names)
    assert bulk.messenger.templates()[("wegweiser_reminder", "de")] == "APPROVED"
    assert not await push_templates(bulk.settings)  # nothing twice


async def test_inside_her_window_a_free_message_outside_the_template(bulk: Bulk) -> None:
    await push_templates(bulk.settings)
    inside = bulk.subscribers(2, window=True, languages=("de",))
    outside = bulk.subscribers(2, first=4915200000000, languages=("de",))
    announcement = bulk.broadcast(kind="reminder")
    await drain(bulk)
    for wa_id in inside:
        (message,) = bulk.fake.messages_to(wa_id)
        assert message.type == "text" and "Workshop morgen" in message.text
    assert bulk.outbox.reasons(announcement) == {}, [c for c in bulk.fake.calls if c.status != 200]
    for wa_id in outside:
        (message,) = bulk.fake.messages_to(wa_id)
        assert message.type == "template" and message.payload["template"]["name"] == "wegweiser_reminder"
        assert "Workshop morgen" in message.text
    assert bulk.statuses(announcement) == {"sent": 4}


async def test_a_language_without_template_gets_an_invitation_then_the_message_when_she_replies(
    bulk: Bulk,
) -> None:
    await push_templates(bulk.settings)
    (kurdish,) = bulk.subscribers(1, languages=("ku",))
    announcement = bulk.broadcast()
    await drain(bulk)
    (invitation,) = bulk.fake.messages_to(kurdish)
    assert invitation.payload["template"]["name"] == "wegweiser_invitation"
    assert invitation.payload["template"]["language"]["code"] == "de"
    assert bulk.outbox.reasons(announcement)  # staff see it waits for her reply
    bulk.fake.last_inbound[kurdish] = bulk.fake.now()
    bulk.messenger.note_windows("whatsapp", [(kurdish, datetime.now(UTC))])
    await drain(bulk)
    follow_up = bulk.fake.messages_to(kurdish)[-1]
    assert follow_up.type == "text" and follow_up.text.startswith("[ku]")
    assert bulk.statuses(announcement) == {"sent": 1}


async def test_without_an_approved_template_nothing_is_sent_and_staff_see_why(bulk: Bulk) -> None:
    (arabic,) = bulk.subscribers(1, languages=("ar",))  # no template pushed at all
    announcement = bulk.broadcast()
    await drain(bulk)
    assert bulk.fake.messages_to(arabic) == []
    (reason,) = bulk.outbox.reasons(announcement)
    assert "no approved WhatsApp template" in reason and " ar" in reason


async def test_meta_error_codes(bulk: Bulk) -> None:
    await push_templates(bulk.settings)
    paced, gone, busy = bulk.subscribers(3, window=True, languages=("de",))
    bulk.fake.pair_limited[paced] = 1  # 131056 once: she is tried again later
    bulk.fake.undeliverable.add(gone)  # 131026: failed, never retried
    bulk.fake.throughput_errors = 1  # 130429 once: everybody backs off, nothing lost
    bulk.fake.server_errors = 1  # 500 once: retried
    announcement = bulk.broadcast()
    for _ in range(5):
        await drain(bulk)
        due_now(bulk)  # the test does not wait out Meta's pauses
    counts = bulk.statuses(announcement)
    assert counts == {"sent": 2, "failed": 1}
    assert bulk.fake.sent_count(paced) == 1 and bulk.fake.sent_count(busy) == 1
    assert "131026" in " ".join(bulk.outbox.reasons(announcement))
    assert sum(1 for call in bulk.fake.calls if call.code == 131026) == 1


async def test_a_token_revoked_mid_broadcast_stops_sending_and_loses_nothing(bulk: Bulk) -> None:
    await push_templates(bulk.settings)
    women = bulk.subscribers(300, window=True, languages=("de", "ar", "uk"))
    announcement = bulk.broadcast()
    sent_before = 0

    async def revoke_soon() -> None:
        nonlocal sent_before
        while bulk.fake.total_sent() < 100:
            await asyncio.sleep(0.001)
        bulk.fake.revoked = True
        sent_before = bulk.fake.total_sent()

    task = asyncio.create_task(revoke_soon())
    await drain(bulk)
    await task
    counts = bulk.statuses(announcement)
    assert counts.get("failed", 0) == 0
    assert counts["sent"] == bulk.fake.total_sent() and counts.get("pending", 0) == 300 - counts["sent"]
    reasons = " ".join(bulk.outbox.reasons(announcement)) + " ".join(
        str(error) for error in bulk.store.engine.connect().execute(select(OutboxRow.error)).scalars()
    )
    assert "190" in reasons and bulk.fake.token not in reasons  # staff see why; the token is never written
    bulk.fake.revoked = False  # staff renew the token and restart; the rest goes out, nobody twice
    due_now(bulk)
    await drain(bulk)
    assert bulk.statuses(announcement) == {"sent": 300}
    assert all(bulk.fake.sent_count(wa_id) == 1 for wa_id in women)


async def test_a_broadcast_reaches_2000_subscribers_once_each_on_her_channel_in_her_language(
    bulk: Bulk,
) -> None:
    await push_templates(bulk.settings)
    on_whatsapp = bulk.subscribers(1000, window=True, languages=("de", "ar", "uk"))
    on_telegram = bulk.subscribers(1000, channel="telegram", first=700000, languages=("de", "ar", "uk"))
    announcement = bulk.broadcast(channels=("whatsapp", "telegram"))
    async with FakeTelegram() as telegram:
        courier = await TelegramCourier.open(telegram.token, telegram.base_url)
        try:
            await drain(bulk, {"telegram": courier}, rate=1000.0)
        finally:
            await courier.close()
        languages = {wa_id: ("de", "ar", "uk")[n % 3] for n, wa_id in enumerate(on_whatsapp)}
        for wa_id in on_whatsapp:
            (message,) = bulk.fake.messages_to(wa_id)
            assert f"[{languages[wa_id]}]" in message.text
        for n, chat in enumerate(on_telegram):
            (message,) = telegram.sent(int(chat))
            assert f"[{('de', 'ar', 'uk')[n % 3]}]" in message.text
    assert bulk.statuses(announcement) == {"sent": 2000}
