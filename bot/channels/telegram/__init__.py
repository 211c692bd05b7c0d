"""Wegweiser on Telegram (python-telegram-bot 22). The only package that imports `telegram`."""

from bot.channels.telegram.application import (
    TelegramApplication,
    build_application,
    channel_of,
    keep_starting,
    run_polling,
    shut_down,
    start_webhook,
)
from bot.channels.telegram.deeplink import deep_link, fetch_username, write_qr
from bot.channels.telegram.health import TelegramHealth
from bot.channels.telegram.ports import Host, TraceStore
from bot.channels.telegram.traces import delete_traces
from bot.channels.telegram.webhook import SECRET_HEADER, process_webhook, secret_matches

__all__ = [
    "SECRET_HEADER",
    "Host",
    "TelegramApplication",
    "TelegramHealth",
    "TraceStore",
    "build_application",
    "channel_of",
    "deep_link",
    "delete_traces",
    "fetch_username",
    "keep_starting",
    "process_webhook",
    "run_polling",
    "secret_matches",
    "shut_down",
    "start_webhook",
    "write_qr",
]
