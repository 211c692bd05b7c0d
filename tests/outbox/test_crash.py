"""Kill -9 during a broadcast to 2,000 women, then restart: nobody twice, nobody lost but the calls
that were under way (at most once), on SQLite and PostgreSQL; and two senders sharing PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta

import pytest

from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.store import Store
from bot.store.deliveries import Deliveries
from bot.store.outbox import Outbox
from tests.fakes.telegram_api import FakeTelegram
from tests.outbox.conftest import LANGUAGES12, Recorder, many_subscribers, queued_broadcast

RECIPIENTS = 2000


async def start_sender(database_url: str, fake: FakeTelegram) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.outbox.sender_process",
        database_url,
        fake.base_url,
        "--lease",
        "1",
        stdout=asyncio.subprocess.PIPE,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), 30)).startswith(b"STARTED")
    return process


async def test_kill_9_mid_broadcast_then_restart(database_url: str, store: Store) -> None:
    chats = many_subscribers(store, RECIPIENTS)
    outbox = Outbox(store.engine)
    announcement_id = queued_broadcast(outbox)
    async with FakeTelegram() as fake:
        first = await start_sender(database_url, fake)
        await fake.wait_for(lambda: len(fake.calls) >= 600, timeout=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        delivered_before_restart = len(fake.calls_to("sendMessage"))
        assert delivered_before_restart < RECIPIENTS, "the sender finished before it could be killed"

        second = await start_sender(database_url, fake)
        assert await asyncio.wait_for(second.wait(), 120) == 0

        counts = outbox.counts(announcement_id)
        unknown = counts.get("unknown", 0)
        assert counts.get("sent", 0) + unknown == RECIPIENTS
        # unknown: the calls under way (at most `concurrency`, 16) and successes not yet written back
        assert unknown <= 16 + 100
        received = {chat: len(fake.texts(chat)) for chat in chats}
        assert max(received.values()) == 1  # nobody twice
        lost = sum(1 for count in received.values() if count == 0)
        assert lost <= min(unknown, 16)  # nobody lost but the calls under way
        for number, chat in enumerate(chats[:24]):
            texts = [text.lstrip("\u200f") for text in fake.texts(chat)]  # right-to-left mark
            assert texts in ([], [f"[{LANGUAGES12[number % 12]}] Nachricht"])


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite runs one sender
async def test_two_senders_share_postgresql(database_url: str, store: Store) -> None:
    chats = many_subscribers(store, 600)
    announcement_id = queued_broadcast(Outbox(store.engine))
    courier = Recorder()
    stores = [Store(database_url), Store(database_url)]
    settings = SenderSettings(batch=25, concurrency=8, idle=0.01, lease=timedelta(seconds=30))
    senders = [
        Sender(Deliveries(s.engine), {"telegram": courier}, Limiter(rate=5000, chat_interval=0.0), settings)
        for s in stores
    ]
    try:
        handled = await asyncio.gather(*(sender.drain() for sender in senders))
    finally:
        for each in stores:
            each.dispose()
    assert sum(handled) == 600 and all(handled)  # both took part
    assert sorted(int(item[0]) for item in courier.delivered) == chats  # each exactly once
    assert Outbox(store.engine).counts(announcement_id) == {"sent": 600}
