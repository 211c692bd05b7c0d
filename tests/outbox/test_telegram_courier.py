"""The outbox through the real python-telegram-bot against the fake Bot API over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.channels.telegram.outbox_sender import BULK, SharedRateLimiter, TelegramCourier
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.store import Store
from bot.store.deliveries import Deliveries
from bot.store.outbox import Outbox
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.outbox.conftest import add_subscribers, queued_broadcast

FAST = SenderSettings(batch=50, concurrency=16, backoff=timedelta(0), idle=0.02)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


async def courier_for(fake: FakeTelegram, read_timeout: float = 5.0) -> TelegramCourier:
    request = HTTPXRequest(connection_pool_size=32, read_timeout=read_timeout)
    bot = Bot(TOKEN, base_url=fake.base_url, request=request)
    await bot.initialize()
    return TelegramCourier(bot)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_blocked_flooded_and_failing_chats(fake: FakeTelegram, store: Store) -> None:
    ids = add_subscribers(store, 6)
    outbox = Outbox(store.engine)
    announcement_id = queued_broadcast(outbox)
    fake.block(int(ids[0]))
    fake.fail("sendMessage", 502, times=1)
    fake.flood(1, retry_after=1)
    courier = await courier_for(fake)
    sender = Sender(
        Deliveries(store.engine), {"telegram": courier}, Limiter(rate=1000, chat_interval=0.0), FAST
    )
    try:
        while sum(outbox.counts(announcement_id).get(status, 0) for status in ("sent", "blocked")) < 6:
            await sender.drain()
    finally:
        await courier.close()
    assert outbox.counts(announcement_id) == {"sent": 5, "blocked": 1}
    assert store.load("telegram", ids[0]).stopped  # type: ignore[union-attr]
    for platform_id in ids[1:]:
        assert len(fake.texts(int(platform_id))) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_timeout_after_sending_is_not_sent_again(fake: FakeTelegram, store: Store) -> None:
    ids = add_subscribers(store, 1)
    outbox = Outbox(store.engine)
    announcement_id = queued_broadcast(outbox)
    fake.delay("sendMessage", 1.0)
    courier = await courier_for(fake, read_timeout=0.2)
    try:
        await Sender(Deliveries(store.engine), {"telegram": courier}, Limiter(rate=1000), FAST).drain()
    finally:
        await courier.close()
    assert outbox.counts(announcement_id) == {"unknown": 1}
    assert len(fake.texts(int(ids[0]))) == 1  # it did arrive: at most once, never twice


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_within_the_servers_limits_there_is_no_429(store: Store) -> None:
    async with FakeTelegram(rate_limits=True, overall_per_second=100, per_chat_per_second=1) as fake:
        ids = add_subscribers(store, 250)
        outbox = Outbox(store.engine)
        announcement_id = queued_broadcast(outbox)
        courier = await courier_for(fake)
        try:
            await Sender(Deliveries(store.engine), {"telegram": courier}, Limiter(rate=100), FAST).drain()
        finally:
            await courier.close()
        assert outbox.counts(announcement_id) == {"sent": 250}
        assert [call for call in fake.calls if call.status == 429] == []
        assert all(len(fake.texts(int(platform_id))) == 1 for platform_id in ids)


async def test_replies_and_bulk_share_one_pace_through_ptb() -> None:
    async with FakeTelegram(rate_limits=True, overall_per_second=20, per_chat_per_second=1) as fake:
        limiter = Limiter(rate=20)
        bot = ExtBot(TOKEN, base_url=fake.base_url, rate_limiter=SharedRateLimiter(limiter))
        await bot.initialize()
        try:
            import asyncio

            bulk = [bot.send_message(1000 + n, "bulk", rate_limit_args=BULK) for n in range(15)]
            sends = [limiter.acquire(f"telegram:{1000 + n}") for n in range(15)]
            permits = [await permit for permit in sends]
            await asyncio.gather(*bulk)
            for permit in permits:
                permit.release()
            await asyncio.gather(*(bot.send_message(2000 + n, "reply") for n in range(10)))
            await bot.send_message(2000, "second reply to the same chat")
        finally:
            await bot.shutdown()
        assert [call for call in fake.calls if call.status == 429] == []
        assert fake.texts(2000) == ["reply", "second reply to the same chat"]
