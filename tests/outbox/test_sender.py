"""The sender on SQLite and PostgreSQL: each row once, in her language, and every outcome kept."""

from __future__ import annotations

from datetime import timedelta

from bot.outbox.courier import Blocked, Rejected, RetryLater, Transient, Uncertain
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.store import Store
from bot.store.deliveries import Deliveries
from bot.store.outbox import Outbox
from tests.outbox.conftest import LANGUAGES12, Recorder, add_subscribers, queued_broadcast

FAST = SenderSettings(batch=20, concurrency=8, backoff=timedelta(0), idle=0.02, lease=timedelta(seconds=30))


def sender(outbox: Outbox, courier: Recorder, settings: SenderSettings = FAST) -> Sender:
    return Sender(
        Deliveries(outbox.engine), {"telegram": courier}, Limiter(rate=1000, chat_interval=0.0), settings
    )


async def test_everyone_gets_one_message_in_her_language(store: Store, outbox: Outbox) -> None:
    ids = add_subscribers(store, 60)
    announcement_id = queued_broadcast(outbox)
    courier = Recorder()
    assert await sender(outbox, courier).drain() == 60
    assert sorted(item[0] for item in courier.delivered) == sorted(ids)
    for number, (platform_id, text, language) in enumerate(
        sorted(courier.delivered, key=lambda i: int(i[0]))
    ):
        assert platform_id == ids[number]
        assert language == LANGUAGES12[number % 12] and text == f"[{language}] Nachricht"
    assert outbox.counts(announcement_id) == {"sent": 60}
    assert await sender(outbox, courier).drain() == 0  # nothing twice


async def test_blocked_stops_the_contact(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 3)
    announcement_id = queued_broadcast(outbox)
    courier = Recorder(failures={"100001": [Blocked("blocked by the user")]})
    await sender(outbox, courier).drain()
    assert outbox.counts(announcement_id) == {"sent": 2, "blocked": 1}
    assert store.load("telegram", "100001").stopped  # type: ignore[union-attr]


async def test_flood_control_waits_and_then_sends_once(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 3)
    announcement_id = queued_broadcast(outbox)
    courier = Recorder(failures={"100000": [RetryLater(0.05), RetryLater(0.05)]})
    running = sender(outbox, courier)
    while outbox.counts(announcement_id).get("sent", 0) < 3:
        await running.drain()
    assert courier.count("100000") == 1
    assert outbox.counts(announcement_id) == {"sent": 3}


async def test_transient_errors_retry_then_fail_with_the_reason(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 2)
    announcement_id = queued_broadcast(outbox)
    courier = Recorder(
        failures={
            "100000": [Transient("server error: 502"), Transient("server error: 502")],
            "100001": [Transient("not sent: ConnectError")] * 4,
        }
    )
    running = sender(outbox, courier)
    for _ in range(5):
        await running.drain()
    assert courier.count("100000") == 1 and courier.count("100001") == 0
    assert outbox.counts(announcement_id) == {"sent": 1, "failed": 1}
    assert outbox.reasons(announcement_id) == {"not sent: ConnectError": 1}
    assert Deliveries(outbox.engine).claim("x", 5, running.now(), timedelta(seconds=1)) == []


async def test_refused_and_uncertain_messages_are_not_repeated(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 3)
    announcement_id = queued_broadcast(outbox)
    courier = Recorder(
        failures={"100000": [Rejected("400 chat not found")], "100001": [Uncertain("ReadTimeout")]}
    )
    running = sender(outbox, courier)
    await running.drain()
    await running.drain()
    assert outbox.counts(announcement_id) == {"sent": 1, "failed": 1, "unknown": 1}
