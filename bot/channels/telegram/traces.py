"""Traces on her phone: which messages of this chat can still be deleted, and deleting them.

Telegram lets a bot delete its own messages and, in a private chat, hers, for 48 hours. The ids
are kept for that long and for nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
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


async def record_traces(store: TraceStore, chat_id: int, traces: Sequence[Trace]) -> None:
    """Note the messages of one turn in one trip to the database thread."""
    if traces:
        await asyncio.to_thread(_record, store, str(chat_id), traces)


def _record(store: TraceStore, platform_id: str, traces: Sequence[Trace]) -> None:
    store.record_traces(
        CHANNEL, platform_id, [(trace.message_id, trace.direction, trace.at) for trace in traces]
    )


async def delete_traces(
    bot: Bot,
    store: TraceStore,
    chat_id: int,
    *,
    gate: FloodGate | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> int:
    """Delete the recorded messages of this chat from Telegram and forget their ids; returns how many
    were asked to go. Messages that are gone already or too old are skipped."""
    gate = gate or FloodGate()
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
