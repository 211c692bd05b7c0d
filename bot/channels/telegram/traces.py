"""Traces on her phone: which messages of this chat can still be deleted, and deleting them.

Telegram lets a bot delete its own messages and, in a private chat, hers, for 48 hours. The ids
are kept for that long and for nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from telegram import Bot
from telegram.error import BadRequest

from bot.channels.telegram.delivery import DEFAULT_POLICY, FloodGate, RetryPolicy, deliver
from bot.channels.telegram.ports import CHANNEL, TraceDirection, TraceStore

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=48)
BATCH = 100  # deleteMessages takes 1-100 ids


@dataclass(frozen=True)
class Trace:
    message_id: int
    direction: TraceDirection
    at: datetime


class TraceBook:
    """Traces are noted at once and written a moment later, every chat's in one transaction.

    Writing them turn by turn cost a database trip per message she sends. Deleting traces first
    writes what is waiting, so nothing noted escapes it; a crash loses only the last moment's ids.
    """

    def __init__(self, store: TraceStore, delay: float = 1.0) -> None:
        self.store = store
        self.delay = delay
        self._waiting: list[tuple[str, int, TraceDirection, datetime]] = []
        self._writing = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None

    def note(self, chat_id: int, traces: Sequence[Trace]) -> None:
        self._waiting.extend((str(chat_id), t.message_id, t.direction, t.at) for t in traces)
        if self._waiting and self._timer is None:
            self._timer = asyncio.create_task(self._write_soon())

    async def _write_soon(self) -> None:
        await asyncio.sleep(self.delay)
        self._timer = None
        with suppress(Exception):  # logged by `write`; the rows wait for the next one
            await self.write()

    async def write(self) -> None:
        """Write what is waiting; one write at a time, so a deletion that follows sees it all."""
        async with self._writing:
            rows, self._waiting = self._waiting, []
            if not rows:
                return
            try:
                await asyncio.to_thread(self.store.record_traces, CHANNEL, rows)
            except Exception as error:  # kept for the next write: they are still on her screen
                logger.warning("traces not written yet: %s", type(error).__name__)
                self._waiting[:0] = rows
                raise

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        await self.write()


async def delete_traces(
    bot: Bot,
    book: TraceBook,
    chat_id: int,
    *,
    gate: FloodGate | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> int:
    """Delete the recorded messages of this chat from Telegram and forget their ids; returns how many
    were asked to go. Messages that are gone already or too old are skipped."""
    gate = gate or FloodGate()
    await book.write()
    store = book.store
    since = datetime.now(UTC) - WINDOW
    ids = sorted(set(await asyncio.to_thread(store.traces, CHANNEL, str(chat_id), since)))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        try:
            await deliver(partial(bot.delete_messages, chat_id, batch), gate, policy)
        except BadRequest:
            await _delete_one_by_one(bot, chat_id, batch, gate, policy)
    await asyncio.to_thread(store.clear_traces, CHANNEL, str(chat_id))
    return len(ids)


async def _delete_one_by_one(
    bot: Bot, chat_id: int, ids: list[int], gate: FloodGate, policy: RetryPolicy
) -> None:
    for message_id in ids:
        try:
            await deliver(partial(bot.delete_message, chat_id, message_id), gate, policy)
        except BadRequest as error:  # "message can't be deleted", "message to delete not found"
            logger.info("a trace could not be deleted: %s", type(error).__name__)
