"""The pywa client for the Cloud API, pointed at the configured Graph URL, and quiet in the logs.

pywa builds its Graph URL from a version number; Wegweiser takes the whole base URL from the
configuration (so a fake can stand in for Meta), and sets it on the HTTP client pywa is given.
"""

from __future__ import annotations

import logging

import httpx
from pywa_async.client import WhatsApp

from bot.channels.whatsapp.settings import WhatsAppSettings

# At DEBUG pywa logs request bodies and raw updates: her number and her words.
_QUIET = ("pywa", "pywa_async", "httpx", "httpcore")


def quiet_loggers() -> None:
    for name in _QUIET:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.WARNING:
            logger.setLevel(logging.WARNING)


def open_client(
    settings: WhatsAppSettings, *, connections: int = 32, timeout: float = 10.0
) -> tuple[WhatsApp, httpx.AsyncClient]:
    """A client for sending and for reading webhooks; pywa serves no route of its own (`server=None`).
    The HTTP client is returned too: closing it is the caller's (pywa has no close of its own)."""
    quiet_loggers()
    session = httpx.AsyncClient(
        timeout=timeout,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )
    client = WhatsApp(
        phone_id=settings.phone_number_id,
        token=settings.token,
        session=session,
        server=None,
        verify_token=settings.verify_token,
        app_secret=settings.app_secret,
        validate_updates=True,
        skip_duplicate_updates=False,  # the inbox remembers event ids across restarts
        waba_id=settings.business_account_id or None,
    )
    session.base_url = httpx.URL(settings.api_url.rstrip("/"))
    return client, session
