"""Logging that keeps her private: no message text, no names, no chat ids, never the bot token."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b")


class RedactTokens(logging.Filter):
    """Last line of defence: a bot token that slipped into a log record is replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg = _TOKEN.sub("<token>", message)
            record.args = ()
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactTokens())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and Bot API URLs contain the token; PTB logs bodies at DEBUG.
    # rasa_sdk logs each action it runs at DEBUG: beside a turn line that would date a report.
    for name in ("httpx", "httpcore", "telegram", "apscheduler", "uvicorn.access", "sanic", "rasa_sdk"):
        logging.getLogger(name).setLevel(logging.WARNING)
