"""Turns that could not be taken while the database was down, kept and taken once it answers.

Channel-neutral: a channel parks what arrived (per chat, in arrival order) and says how to take it
again. While a chat has turns waiting, its new ones queue behind them, so her messages are still
handled in the order she sent them. The line lives in this process's memory only: a process that
stops during an outage loses what waited (the log says how many).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from bot.engine.model import Unavailable

log = logging.getLogger(__name__)

Item = TypeVar("Item")


class WaitingLine(Generic[Item]):
    def __init__(
        self,
        available: Callable[[], Awaitable[bool]],
        replay: Callable[[Item], Awaitable[None]],
        *,
        first_wait: float = 1.0,
        longest_wait: float = 30.0,
        limit: int = 100_000,
    ) -> None:
        self._available = available
        self._replay = replay
        self._first_wait = first_wait
        self._longest_wait = longest_wait
        self._limit = limit
        self._lines: dict[Hashable, deque[Item]] = {}
        self._task: asyncio.Task[None] | None = None
        self.replayed = 0

    def __len__(self) -> int:
        return sum(len(line) for line in self._lines.values())

    def holds(self, chat: Hashable) -> bool:
        return chat in self._lines

    def add(self, chat: Hashable, item: Item) -> bool:
        """Keep `item` behind the chat's earlier ones; False when the line is full (it is dropped)."""
        if len(self) >= self._limit:
            log.error("waiting line full: a turn is dropped")
            return False
        self._lines.setdefault(chat, deque()).append(item)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="waiting-line")
        return True

    async def _run(self) -> None:
        wait = self._first_wait
        while self._lines:
            await asyncio.sleep(wait)
            if not await self._available():
                wait = min(wait * 2, self._longest_wait)
                continue
            wait = self._first_wait if await self._take_all() else min(wait * 2, self._longest_wait)
        log.info("waiting line empty: %d turn(s) taken after the database came back", self.replayed)

    async def _take_all(self) -> bool:
        """Take every waiting turn, chat by chat in order; False if the database went away again."""
        for chat in list(self._lines):
            line = self._lines[chat]
            while line:
                try:
                    await self._replay(line[0])
                except Unavailable:
                    return False
                except Exception as error:  # her turn failed for another reason: it is not retried
                    log.error("a waiting turn failed: %s", type(error).__name__)
                line.popleft()
                self.replayed += 1
            del self._lines[chat]
        return True

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._lines:
            log.warning("stopping with %d turn(s) still waiting for the database", len(self))
