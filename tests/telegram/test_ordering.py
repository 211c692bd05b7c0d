"""Update order per chat: one chat in order, others beside it, and a busy chat takes one slot only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from telegram import Chat, Message, Update

from bot.channels.telegram.ordering import ChatOrderedProcessor


def update_in(chat_id: int, number: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(number, message=Message(number, date=datetime.now(UTC), chat=chat))


class Recorder:
    def __init__(self) -> None:
        self.started: list[tuple[int, int]] = []
        self.release: dict[tuple[int, int], asyncio.Event] = {}

    async def handle(self, chat_id: int, number: int) -> None:
        self.started.append((chat_id, number))
        await self.release.setdefault((chat_id, number), asyncio.Event()).wait()

    def let_go(self, chat_id: int, number: int) -> None:
        self.release.setdefault((chat_id, number), asyncio.Event()).set()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_flooding_chat_takes_one_slot_and_keeps_its_order() -> None:
    processor = ChatOrderedProcessor(2)
    recorder = Recorder()
    tasks: list[asyncio.Task[Any]] = []
    for number in range(1, 11):  # she presses ten times
        coroutine = recorder.handle(1, number)
        tasks.append(asyncio.create_task(processor.process_update(update_in(1, number), coroutine)))
    await settle()
    other = asyncio.create_task(processor.process_update(update_in(2, 99), recorder.handle(2, 99)))
    await settle()

    assert recorder.started == [(1, 1), (2, 99)], "the other woman did not wait for the ten"
    recorder.let_go(2, 99)
    await other
    for number in range(1, 11):
        recorder.let_go(1, number)
    await asyncio.gather(*tasks)
    assert [n for chat, n in recorder.started if chat == 1] == list(range(1, 11))
    assert processor.current_concurrent_updates == 0


async def test_a_failing_update_does_not_stop_the_rest_of_her_line() -> None:
    processor = ChatOrderedProcessor(4)
    done: list[int] = []

    async def step(number: int) -> None:
        await asyncio.sleep(0)
        if number == 2:
            raise RuntimeError("broken")
        done.append(number)

    await asyncio.gather(*(processor.process_update(update_in(5, n), step(n)) for n in range(1, 5)))
    assert done == [1, 3, 4]
