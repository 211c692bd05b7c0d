"""Wegweiser on WhatsApp (Cloud API through pywa). The only package that imports `pywa_async`."""

from bot.channels.whatsapp.channel import CHANNEL, Inbox, WhatsAppChannel
from bot.channels.whatsapp.client import open_client, quiet_loggers
from bot.channels.whatsapp.settings import WhatsAppSettings
from bot.channels.whatsapp.webhook import MAX_BODY_BYTES, SIGNATURE_HEADER, receive, verify

__all__ = [
    "CHANNEL",
    "MAX_BODY_BYTES",
    "SIGNATURE_HEADER",
    "Inbox",
    "WhatsAppChannel",
    "WhatsAppSettings",
    "open_client",
    "quiet_loggers",
    "receive",
    "verify",
]
