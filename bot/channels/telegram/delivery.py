"""Sending through Telegram's limits and hiccups: wait on 429, retry transient errors, stop on 403.

Interactive replies are few per turn, so they are sent at once; only when Telegram answers 429 does
every send of this process wait `retry_after` (a shared gate, so a storm is not answered by a burst
of retries). Timeouts and 5xx are retried with backoff a few times: a read timeout may mean the
message did arrive (Telegram has no idempotency key), and a repeated answer is kinder than a lost one.
Bulk sends (broadcasts) go through the outbox, which paces itself.
"""

from __future__ import annotations

import asyncio
import random
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    flood_retries: int = 5
    transient_retries: int = 3
    backoff: float = 0.5  # seconds before the first retry, doubled after each


DEFAULT_POLICY = RetryPolicy()


class FloodGate:
    """The moment until which Telegram asked this bot to send nothing."""

    def __init__(self) -> None:
        self._until = 0.0

    def close_for(self, seconds: float) -> None:
        now = asyncio.get_running_loop().time()
        self._until = max(self._until, now + seconds)

    async def wait(self) -> None:
        delay = self._until - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def deliver(call: Callable[[], Awaitable[T]], gate: FloodGate, policy: RetryPolicy) -> T:
    """Run one Bot API call; `Forbidden` (blocked) and `BadRequest` are the caller's to handle."""
    floods = transient = 0
    while True:
        await gate.wait()
        try:
            return await call()
        except RetryAfter as error:
            floods += 1
            if floods > policy.flood_retries:
                raise
            gate.close_for(retry_seconds(error))
        except BadRequest:
            raise
        except NetworkError:  # 5xx, connection errors and timeouts (TimedOut is a NetworkError)
            transient += 1
            if transient > policy.transient_retries:
                raise
            pause = policy.backoff * 2 ** (transient - 1)
            await asyncio.sleep(pause + random.uniform(0, pause / 4))
