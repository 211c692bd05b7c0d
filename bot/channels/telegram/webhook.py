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


async def process_webhook(
    application: TelegramApplication,
    store: TraceStore,
    body: bytes,
    secret_header: str | None,
    expected_secret: str,
) -> int:
    """Queue one update for processing and return the HTTP status to answer with.

    403 for a missing or wrong secret (nothing is read), 400 for a body that is not an update,
    200 otherwise, also for an update seen before (Telegram would send it again on anything else).
    """
    if not expected_secret or secret_header is None:
        return 403
    if not hmac.compare_digest(secret_header.encode(), expected_secret.encode()):
        return 403
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return 400
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return 400
    try:
        update = Update.de_json(data, application.bot)
    except Exception as error:  # PTB raises whatever the malformed field provokes
        logger.info("webhook body is not an update: %s", type(error).__name__)
        return 400
    today = datetime.now(UTC).date()
    try:
        fresh = await asyncio.to_thread(store.mark_update, update_id, today)
    except Exception as error:  # the database is down: take it anyway, she gets the emergency numbers
        logger.warning("update not checked for a repeat: %s", type(error).__name__)
        fresh = True
    if not fresh:
        return 200
    await application.update_queue.put(update)
    return 200
