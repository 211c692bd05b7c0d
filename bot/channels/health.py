"""A channel's state for /health, asked of the platform at most once a minute, so that a health check
every few seconds costs the platform nothing. Never shows a token."""

from __future__ import annotations

import asyncio
import time


class ChannelHealth:
    """Caches the answer of `_ask`: `ok`, `unauthorized`, `unreachable` or `error`."""

    def __init__(self, *, every: float = 60.0) -> None:
        self._every = every
        self._state = "unknown"
        self._checked = -float("inf")
        self._lock = asyncio.Lock()

    async def state(self) -> str:
        async with self._lock:
            if time.monotonic() - self._checked >= self._every:
                self._state = await self._ask()
                self._checked = time.monotonic()
            return self._state

    async def _ask(self) -> str:
        raise NotImplementedError
