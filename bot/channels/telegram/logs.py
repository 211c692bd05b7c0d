"""Logging without traces of her: chat ids only as keyed hashes, no text, no token."""

from __future__ import annotations

import logging

from bot.channels.tags import chat_tag, where

__all__ = ["chat_tag", "quiet_http_loggers", "where"]


def quiet_http_loggers() -> None:
    """httpx logs every request URL at INFO, and the Bot API URL contains the token."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    telegram_logger = logging.getLogger("telegram")
    if telegram_logger.getEffectiveLevel() < logging.INFO:
        telegram_logger.setLevel(logging.INFO)  # at DEBUG PTB logs request parameters (her texts)
