"""Telegram updates as domain inputs: what she sent, without anything platform-specific."""

from __future__ import annotations

import re

from telegram import Message as TelegramMessage
from telegram import Update

from bot.engine.model import Input

# Deep-link payloads: Telegram allows A-Z, a-z, 0-9, _ and -, up to 64 characters.
DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# Message contents the engine answers kindly, in the order they are checked (an animation also
# carries a document, a venue also a location).
UNSUPPORTED_KINDS: tuple[str, ...] = (
    "sticker",
    "photo",
    "voice",
    "video_note",
    "video",
    "animation",
    "document",
    "audio",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "invoice",
    "paid_media",
)


def language_hint(update: Update) -> str:
    user = update.effective_user
    return (user.language_code or "") if user else ""


def start_payload(text: str) -> str:
    """The payload of `/start <payload>` (or `/start@bot payload`); "" if there is none or it is invalid."""
    parts = text.split(maxsplit=1)
    if len(parts) < 2:
        return ""
    payload = parts[1].strip()
    return payload if DEEP_LINK.match(payload) else ""


def command_text(text: str) -> str:
    """`/menu@wegweiser_bot` becomes `/menu`: the engine knows commands, not bot names."""
    head, _, rest = text.partition(" ")
    if head.startswith("/") and "@" in head:
        head = head.split("@", 1)[0]
    return f"{head} {rest}".strip() if rest else head


def unsupported_kind(message: TelegramMessage) -> str:
    """The name of what she sent, or "" for a service message (nothing to answer)."""
    for kind in UNSUPPORTED_KINDS:
        if getattr(message, kind, None):
            return kind
    return ""


def to_input(update: Update) -> Input | None:
    """The domain input for an update in a private chat, or None when there is nothing to answer."""
    hint = language_hint(update)
    query = update.callback_query
    if query is not None:
        return Input.of_payload(query.data or "", hint)
    if update.edited_message is not None:
        if update.edited_message.location is not None:
            return None  # a live location moving: answering each step would flood her
        return Input(kind="unsupported", text="edited", language_hint=hint)
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        if message.text.startswith("/start") and command_text(message.text.split(" ", 1)[0]) == "/start":
            return Input(kind="start", text=start_payload(message.text), language_hint=hint)
        return Input.of_text(command_text(message.text), hint)
    if message.location is not None:
        return Input(
            kind="location",
            latitude=message.location.latitude,
            longitude=message.location.longitude,
            language_hint=hint,
        )
    kind = unsupported_kind(message)
    return Input(kind="unsupported", text=kind, language_hint=hint) if kind else None
