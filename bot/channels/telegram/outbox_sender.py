"""The outbox's way into Telegram, and the one pace for everything the bot sends there.

`TelegramCourier` delivers one outbox text and maps PTB's errors onto the outbox's: 403 -> Blocked,
429 -> RetryLater(retry_after), 5xx and connection failures -> Transient, 400 -> Rejected, and a
timeout after the request may have left -> Uncertain (Telegram has no idempotency key).

`SharedRateLimiter` plugs the outbox's `Limiter` into the Application's bot (PTB's rate-limiter
port), so interactive replies take the next free slot ahead of bulk sends, and a 429 on either side
pauses both. Bulk sends come marked (`rate_limit_args=BULK`): the outbox already holds their permit.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot import metrics
from bot.channels.telegram.render import TextBubble, render
from bot.engine.model import Message
from bot.i18n.languages import direction
from bot.outbox.courier import Blocked, DeliveryError, Rejected, RetryLater, Transient, Uncertain
from bot.outbox.limiter import Limiter

BULK: dict[str, Any] = {"bulk": True}
CHAT_METHODS = frozenset(
    {
        "sendMessage",
        "sendVenue",
        "sendLocation",
        "sendDocument",
        "sendPhoto",
        "sendAudio",
        "sendVoice",
        "sendVideo",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
    }
)
logger = logging.getLogger(__name__)
TOKEN_REFUSED_PAUSE = 60  # seconds all sends wait when Telegram refuses the token

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def delivery_error(error: TelegramError) -> DeliveryError:
    """What a failed Bot API call means for the outbox row (the reason never quotes her text)."""
    if isinstance(error, InvalidToken):  # revoked or mistyped: every send would fail, so all wait
        return RetryLater(TOKEN_REFUSED_PAUSE, "token refused")
    if isinstance(error, Forbidden):
        return Blocked("blocked by the user")
    if isinstance(error, RetryAfter):
        return RetryLater(_retry_seconds(error), "429 flood control")
    if isinstance(error, BadRequest):
        return Rejected(f"400 {error.message[:120]}")
    cause = error.__cause__
    if isinstance(cause, _NOT_SENT) or "Pool timeout" in error.message:
        return Transient(f"not sent: {type(cause).__name__ if cause else 'pool timeout'}")
    if isinstance(error, TimedOut) or isinstance(cause, httpx.TransportError):
        return Uncertain(f"may have arrived: {type(cause).__name__ if cause else 'timed out'}")
    if isinstance(error, NetworkError):  # a 5xx answer: Telegram says it did not take the message
        return Transient(f"server error: {error.message[:120]}")
    return Rejected(f"{type(error).__name__}")


class TelegramCourier:
    """Delivers outbox texts as plain HTML-escaped messages, right-to-left marked where needed."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._marked = isinstance(bot, ExtBot) and bot.rate_limiter is not None

    @staticmethod
    async def open(
        token: str, base_url: str, connections: int = 32, timeout: float = 10.0
    ) -> TelegramCourier:
        """A courier with its own connection pool, so bulk sends never take a connection a reply needs."""
        request = HTTPXRequest(
            connection_pool_size=connections,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=timeout,
            pool_timeout=timeout,
        )
        bot = Bot(token, base_url=base_url, request=request)
        try:
            await bot.initialize()
        except (TelegramError, OSError) as error:  # sends work without it; they wait out a refused token
            logger.warning("outbox courier: Telegram not reached at start (%s)", type(error).__name__)
        return TelegramCourier(bot)

    async def close(self) -> None:
        await self.bot.shutdown()

    async def deliver(
        self, platform_id: str, text: str, language: str, *, row: int = 0, announcement: int = 0
    ) -> None:
        bubbles = [
            bubble
            for bubble in render(Message(text=text, dir=direction(language)))
            if isinstance(bubble, TextBubble)
        ]
        extra: dict[str, Any] = {"rate_limit_args": BULK} if self._marked else {}
        try:
            for bubble in bubbles:
                await self.bot.send_message(int(platform_id), bubble.html, parse_mode=ParseMode.HTML, **extra)
        except TelegramError as error:
            raise delivery_error(error) from error


class SharedRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """PTB's rate-limiter port over the outbox's `Limiter`: replies are urgent, bulk is paced already."""

    def __init__(self, limiter: Limiter) -> None:
        self.limiter = limiter

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = data.get("chat_id")
        if endpoint not in CHAT_METHODS or chat is None or (rate_limit_args or {}).get("bulk"):
            return await self._call(callback, args, kwargs)
        async with self.limiter.slot(f"telegram:{chat}", urgent=True):
            return await self._call(callback, args, kwargs)

    async def _call(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            metrics.RATE_LIMITED.labels("telegram").inc()
            self.limiter.pause(_retry_seconds(error))
            raise
