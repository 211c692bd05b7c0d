"""One limiter per channel: Telegram's and WhatsApp's limits are their own, and a pause asked for by one
platform (429, 130429, a revoked token) holds back only that platform's sends.

Chats are named `<channel>:<platform id>`, so the lane is read from the name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from bot.outbox.limiter import Limiter, Permit


class Lanes(Limiter):
    """A `Limiter` that hands each chat to its channel's limiter (`default` for any other channel)."""

    def __init__(self, lanes: Mapping[str, Limiter], default: Limiter) -> None:
        super().__init__(rate=default.rate, chat_interval=default.chat_interval, window=default.window)
        self.lanes = dict(lanes)
        self.default = default

    def lane(self, chat: str) -> Limiter:
        return self.lanes.get(chat.partition(":")[0], self.default)

    async def acquire(self, chat: str, *, urgent: bool = False) -> Permit:
        return await self.lane(chat).acquire(chat, urgent=urgent)

    def try_acquire(self, chat: str) -> Permit | None:
        return self.lane(chat).try_acquire(chat)

    @asynccontextmanager
    async def slot(self, chat: str, *, urgent: bool = False) -> AsyncIterator[Permit]:
        async with self.lane(chat).slot(chat, urgent=urgent) as permit:
            yield permit

    def pause(self, seconds: float, chat: str = "") -> None:
        if chat:
            self.lane(chat).pause(seconds)
            return
        for limiter in {id(limiter): limiter for limiter in (*self.lanes.values(), self.default)}.values():
            limiter.pause(seconds)

    @property
    def running(self) -> int:
        return sum(limiter.running for limiter in {*self.lanes.values(), self.default})
