"""Telegram's state for /health: can the bot reach the Bot API with its token (getMe)?"""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError

from bot.channels.health import ChannelHealth


class TelegramHealth(ChannelHealth):
    def __init__(self, bot: Bot, *, every: float = 60.0, timeout: float = 5.0) -> None:
        super().__init__(every=every)
        self._bot = bot
        self._timeout = timeout

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
