"""The shared pace: never more than allowed in a window, one chat at a time, replies first."""

from __future__ import annotations

import asyncio

import pytest

from bot.outbox.limiter import Limiter


async def test_no_window_holds_more_sends_than_the_rate_allows() -> None:
    limiter = Limiter(rate=50, window=0.1, chat_interval=0.0)  # 5 per 0.1 s
    loop = asyncio.get_running_loop()
    spans: list[tuple[float, float]] = []

    async def send(chat: int) -> None:
        async with limiter.slot(f"c{chat}"):
            started = loop.time()
            await asyncio.sleep(0.001)
            spans.append((started, loop.time()))

    await asyncio.gather(*(send(chat) for chat in range(30)))
    starts = sorted(start for start, _ in spans)
    ends = sorted(end for _, end in spans)
    # the rule: the (n+5)th send starts only a window after the nth one finished
    assert all(starts[n + 5] >= ends[n] + 0.1 - 1e-6 for n in range(len(starts) - 5))


async def test_one_chat_waits_for_its_interval() -> None:
    limiter = Limiter(rate=1000, chat_interval=0.05)
    loop = asyncio.get_running_loop()
    spans: list[tuple[float, float]] = []

    async def send() -> None:
        async with limiter.slot("same"):
            spans.append((loop.time(), loop.time()))

    await asyncio.gather(*(send() for _ in range(4)))
    assert all(spans[n + 1][0] >= spans[n][1] + 0.05 - 1e-6 for n in range(3))


async def test_a_reply_overtakes_waiting_bulk_sends() -> None:
    limiter = Limiter(rate=20, window=0.1, chat_interval=0.0)  # 2 per 0.1 s
    order: list[str] = []

    async def send(name: str, urgent: bool) -> None:
        async with limiter.slot(name, urgent=urgent):
            order.append(name)

    bulk = [asyncio.create_task(send(f"bulk{n}", False)) for n in range(8)]
    await asyncio.sleep(0.01)  # the first bulk sends have the slots, the rest wait
    reply = asyncio.create_task(send("reply", True))
    await asyncio.gather(*bulk, reply)
    assert order.index("reply") <= 3  # next free slot after the two running ones, before the queue


async def test_a_pause_holds_everyone() -> None:
    limiter = Limiter(rate=1000)
    loop = asyncio.get_running_loop()
    limiter.pause(0.05)
    before = loop.time()
    async with limiter.slot("x", urgent=True):
        started = loop.time()
    assert started - before >= 0.05 - 1e-3


async def test_a_reply_bursts_while_bulk_keeps_one_per_second() -> None:
    now = [100.0]
    limiter = Limiter(rate=1000, chat_interval=1.0, chat_burst=3, clock=lambda: now[0])
    for _ in range(3):  # the three bubbles of one answer start at once, on a clock that does not move
        (await asyncio.wait_for(limiter.acquire("her", urgent=True), 0.5)).release()
    with pytest.raises(TimeoutError):  # a fourth would go over the burst Telegram allows
        await asyncio.wait_for(limiter.acquire("her", urgent=True), 0.05)
    assert limiter.try_acquire("her") is None  # bulk waits its second after her last message
    permit = limiter.try_acquire("someone else")
    assert permit is not None
    permit.release()
    now[0] += 1.0  # one second later the bucket has one send again
    (await asyncio.wait_for(limiter.acquire("her", urgent=True), 0.5)).release()
    assert limiter.try_acquire("her") is None  # that send used it: bulk to her waits again
