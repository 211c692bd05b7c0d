"""Channel limits on text length, written into each catalog entry so translators see them.

Translations grow (often by a fifth or more), and a button title that fits in German may be cut off
or refused on WhatsApp. Each entry's extracted comment carries a line such as
`Limits: max 20 characters (WhatsApp reply button)`; `i18n check` and the review sheet read it back
from the PO file, so the limit travels with the text through Poedit, Weblate and spreadsheets.
Sources: research/telegram-whatsapp.md (Telegram Bot API, WhatsApp Cloud API).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PREFIX = "Limits: "
_LIMIT = re.compile(r"max (\d+) characters \(([^)]*)\)")


@dataclass(frozen=True)
class Limit:
    chars: int
    where: str

    def __str__(self) -> str:
        return f"max {self.chars} characters ({self.where})"


TELEGRAM_MESSAGE = Limit(4096, "Telegram and WhatsApp message")
WHATSAPP_BODY = Limit(1024, "WhatsApp message with buttons")
WHATSAPP_BUTTON = Limit(20, "WhatsApp reply button")
WHATSAPP_ROW = Limit(24, "WhatsApp list row")
TELEGRAM_COMMAND = Limit(256, "Telegram command description")
TELEGRAM_DESCRIPTION = Limit(512, "Telegram bot description")
TELEGRAM_SHORT_DESCRIPTION = Limit(120, "Telegram bot short description")

MAX_REPLY_BUTTONS = 3  # WhatsApp: more than three choices become a list


def button_limit(buttons: int, prefix: str = "") -> Limit:
    """The WhatsApp limit for one title among `buttons` choices; `prefix` (an emoji) is added by the bot."""
    base = WHATSAPP_BUTTON if buttons <= MAX_REPLY_BUTTONS else WHATSAPP_ROW
    if not prefix:
        return base
    return Limit(base.chars - len(prefix) - 1, f"{base.where}, after the emoji {prefix}")


def length(text: str) -> int:
    """Length as WhatsApp counts it (characters); an emoji with a variation selector counts as two."""
    return len(text)


def limits_line(limits: Iterable[Limit]) -> str:
    return PREFIX + "; ".join(str(limit) for limit in limits)


def parse_limits(comments: Iterable[str]) -> list[Limit]:
    """The limits written by `limits_line` in an entry's extracted comments."""
    return [
        Limit(int(match[1]), match[2])
        for comment in comments
        if comment.startswith(PREFIX)
        for match in _LIMIT.finditer(comment)
    ]


def broken(text: str, limits: Iterable[Limit]) -> list[Limit]:
    """The limits `text` is longer than."""
    return [limit for limit in limits if length(text) > limit.chars]
