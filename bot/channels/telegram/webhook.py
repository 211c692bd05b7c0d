"""The webhook endpoint's work, free of any web framework: the web layer passes the raw request.

Telegram proves itself only by the secret header; it has no timestamp, so a replayed or redelivered
update is recognised by its `update_id` and processed once.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from datetime import UTC, datetime

from telegram import Update

from bot.channels.telegram.application import TelegramApplication
from bot.channels.telegram.ports import TraceStore

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


MAX_UPDATE_ID = 2**63 - 1  # what the database keeps; Telegram's ids are far smaller
_IN_HAND = "wegweiser.updates_in_hand"
_TASKS = "wegweiser.webhook_tasks"


def secret_matches(secret_header: str | None, expected_secret: str) -> bool:
    """Checked before the body is read: a caller without the secret costs nothing."""
    if not expected_secret or secret_header is None:
        return False
    return hmac.compare_digest(secret_header.encode(), expected_secret.encode())


async def process_webhook(
    application: TelegramApplication,
    store: TraceStore,
    body: bytes,
    secret_header: str | None,
    expected_secret: str,
) -> int:
    """Handle one update and return the HTTP status to answer with, once it is handled.

    403 for a missing or wrong secret, 400 for a body that is not an update, 200 otherwise, also for
    an update seen before (Telegram would send it again on anything else). The update is marked as
    processed only after its handling: a process that dies meanwhile never answers, and Telegram
    delivers the update again.
    """
    if not secret_matches(secret_header, expected_secret):
        return 403
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return 400
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool) or not 0 <= update_id <= MAX_UPDATE_ID:
        return 400
    try:
        update = Update.de_json(data, application.bot)
    except Exception as error:  # PTB raises whatever the malformed field provokes
        logger.info("webhook body is not an update: %s", type(error).__name__)
        return 400
    in_hand: set[int] = application.bot_data.setdefault(_IN_HAND, set())
    if update_id in in_hand:
        return 200
    try:
        if await asyncio.to_thread(store.update_seen, update_id):
            return 200
    except Exception as error:  # the database is down: take it, she gets the emergency numbers
        logger.warning("update not checked for a repeat: %s", type(error).__name__)
    in_hand.add(update_id)
    try:
        await _handled(application, update)
        await asyncio.to_thread(store.mark_update, update_id, datetime.now(UTC).date())
    except Exception as error:  # handled, or waiting in memory for the database
        logger.warning("update not marked as processed: %s", type(error).__name__)
    finally:
        in_hand.discard(update_id)
    return 200


async def _handled(application: TelegramApplication, update: Update) -> None:
    """Hand the update to the application's processor (each chat in order) and wait until it ran."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def handle() -> None:
        try:
            await application.process_update(update)
        finally:
            if not done.done():
                done.set_result(None)

    # The processor may add it to the line of her chat's update in hand and return at once: wait
    # for the update itself, not for the task (which may go on with her later updates).
    task = asyncio.create_task(application.update_processor.process_update(update, handle()))
    tasks: set[asyncio.Task[None]] = application.bot_data.setdefault(_TASKS, set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    await done
