"""The python-telegram-bot `Application` for Wegweiser, and starting and stopping it.

No PTB persistence, no ConversationHandler, no JobQueue: the conversation lives in the engine's
session, saved by the runtime, and the project has one scheduler. The start functions return once
the bot runs, so the caller can serve the web chat in the same event loop.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    BaseRateLimiter,
    ChatMemberHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.delivery import DEFAULT_POLICY, RetryPolicy
from bot.channels.telegram.logs import quiet_http_loggers
from bot.channels.telegram.ordering import ChatOrderedProcessor
from bot.channels.telegram.ports import Host, StaffDesk, TraceStore
from bot.channels.telegram.profile import publish_profile, publish_staff_commands
from bot.i18n.catalog import Catalog

logger = logging.getLogger(__name__)

TelegramApplication = Application[Any, Any, Any, Any, Any, Any]

ALLOWED_UPDATES = ["message", "edited_message", "channel_post", "callback_query", "my_chat_member"]
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CHANNEL_KEY = "wegweiser.channel"


def build_application(
    token: str,
    base_url: str,
    host: Host,
    store: TraceStore,
    catalog: Catalog,
    *,
    webhook: bool,
    concurrent_updates: int = 32,
    read_timeout: float = 10.0,
    policy: RetryPolicy = DEFAULT_POLICY,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    desk: StaffDesk | None = None,
) -> TelegramApplication:
    """The bot, wired to the host; `base_url` is the Bot API URL the token is appended to.

    `rate_limiter` (PTB's port) lets the outbox share one pace with interactive replies."""
    quiet_http_loggers()
    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .job_queue(None)
        .concurrent_updates(ChatOrderedProcessor(concurrent_updates))
        .connection_pool_size(max(8, concurrent_updates))
        .read_timeout(read_timeout)
        .write_timeout(read_timeout)
        .connect_timeout(read_timeout)
        .pool_timeout(read_timeout)
    )
    if webhook:
        builder = builder.updater(None)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application: TelegramApplication = builder.build()
    channel = TelegramChannel(host, store, catalog, policy, desk=desk)
    private = filters.ChatType.PRIVATE
    application.add_handler(ChatMemberHandler(channel.on_member, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(~private, channel.on_group))
    application.add_handler(TypeHandler(Update, channel.on_private))
    application.add_error_handler(channel.on_error)
    application.bot_data[_CHANNEL_KEY] = channel
    return application


def channel_of(application: TelegramApplication) -> TelegramChannel:
    channel = application.bot_data[_CHANNEL_KEY]
    assert isinstance(channel, TelegramChannel)
    return channel


async def _prepare(application: TelegramApplication) -> None:
    await application.initialize()
    channel = channel_of(application)
    try:
        await publish_profile(application.bot, channel.catalog, channel.gate, channel.policy)
        if channel.desk is not None:
            await publish_staff_commands(
                application.bot,
                channel.catalog,
                channel.desk.staff_ids,
                channel.desk.commands(),
                channel.gate,
                channel.policy,
            )
    except TelegramError as error:  # the bot works without its profile; try again at the next start
        logger.warning("bot profile not published: %s", type(error).__name__)


async def run_polling(application: TelegramApplication, *, poll_timeout: int = 10) -> None:
    """Start long polling and return; `shut_down` stops it."""
    if application.updater is None:
        raise ValueError("this application was built for a webhook")
    await _prepare(application)
    await application.bot.delete_webhook()  # getUpdates is refused while a webhook is set
    await application.updater.start_polling(timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES)
    await application.start()
    logger.info("Telegram bot @%s polling", application.bot.username)


async def start_webhook(application: TelegramApplication, url: str, secret: str) -> None:
    """Register the webhook with its secret and start processing; the web layer feeds
    `process_webhook` with what arrives at `url`."""
    if not _SECRET.match(secret):
        raise ValueError("the webhook secret needs 1-256 characters from A-Z, a-z, 0-9, _ and -")
    await _prepare(application)
    await application.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    await application.start()
    logger.info("Telegram bot @%s listening on its webhook", application.bot.username)


async def keep_starting(
    application: TelegramApplication,
    webhook_url: str = "",
    secret: str = "",
    *,
    first_wait: float = 1.0,
    longest_wait: float = 300.0,
) -> None:
    """Start the bot, and when the Bot API refuses the token or cannot be reached, try again with
    growing pauses: the rest of Wegweiser (the web chat) runs on meanwhile. Logs only the kind of
    failure: PTB's messages may quote the token."""
    wait = first_wait
    while True:
        try:
            if webhook_url:
                await start_webhook(application, webhook_url, secret)
            else:
                await run_polling(application)
            return
        except (TelegramError, OSError) as error:
            logger.warning(
                "Telegram bot not started (%s); trying again in %.0f s",
                "token refused" if isinstance(error, InvalidToken) else type(error).__name__,
                wait,
            )
        await asyncio.sleep(wait)
        wait = min(wait * 2, longest_wait)


async def shut_down(application: TelegramApplication) -> None:
    """Stop polling (if any), finish the updates in hand, close the connections."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await channel_of(application).waiting.close()
    await channel_of(application).traces.close()
    await application.shutdown()
