"""Telegram's state for /health: can the bot reach the Bot API with its token? Asked at most once a
minute (getMe), so a health check every few seconds costs Telegram nothing; never shows the token."""

from __future__ import annotations

import asyncio
import time

from telegram import Bot
from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError


class TelegramHealth:
    def __init__(self, bot: Bot, *, every: float = 60.0, timeout: float = 5.0) -> None:
        self._bot = bot
        self._every = every
        self._timeout = timeout
        self._state = "unknown"
        self._checked = -float("inf")
        self._lock = asyncio.Lock()

    async def state(self) -> str:
        """`ok`, `unauthorized` (token refused), `unreachable` (network, Telegram down) or `error`."""
        async with self._lock:
            if time.monotonic() - self._checked >= self._every:
                self._state = await self._ask()
                self._checked = time.monotonic()
            return self._state

    async def _ask(self) -> str:
        try:
            await asyncio.wait_for(self._bot.get_me(), self._timeout)
        except (InvalidToken, Forbidden):
            return "unauthorized"
        except (NetworkError, TimeoutError):
            return "unreachable"
        except TelegramError:
            return "error"
        return "ok"
