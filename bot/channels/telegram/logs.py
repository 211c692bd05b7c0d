"""Logging without traces of her: chat ids only as keyed hashes, no text, no token."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import traceback

# A key per process: the same chat gives the same tag within one run (to follow a problem), and a
# tag cannot be turned back into a chat id by trying all numbers.
_KEY = secrets.token_bytes(16)


def chat_tag(chat_id: int | str) -> str:
    return hmac.new(_KEY, str(chat_id).encode(), hashlib.sha256).hexdigest()[:12]


def where(error: BaseException) -> str:
    """Where an error happened (files, lines, functions), without its message, which may quote her."""
    frames = traceback.extract_tb(error.__traceback__)[-4:]
    return " <- ".join(
        f"{frame.name}@{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" for frame in reversed(frames)
    )


def quiet_http_loggers() -> None:
    """httpx logs every request URL at INFO, and the Bot API URL contains the token."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    telegram_logger = logging.getLogger("telegram")
    if telegram_logger.getEffectiveLevel() < logging.INFO:
        telegram_logger.setLevel(logging.INFO)  # at DEBUG PTB logs request parameters (her texts)
