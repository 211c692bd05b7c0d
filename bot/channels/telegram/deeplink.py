"""Links and QR codes for flyers: `t.me/<bot>?start=ar-counselling-ik12`.

The payload chooses her language, the entry flow and an anonymous source tag (which flyer or
place); Telegram allows `A-Z a-z 0-9 _ -` and at most 64 characters. `-` separates the parts.
"""

from __future__ import annotations

import re
from pathlib import Path

import segno
from telegram import Bot

from bot.i18n.languages import BY_CODE

MAX_PAYLOAD = 64
_PART = re.compile(r"^[A-Za-z0-9_]{1,32}$")
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


def deep_link(username: str, language: str = "", flow: str = "", source: str = "") -> str:
    """The t.me link that starts the bot with the given choices; ValueError if Telegram would refuse it."""
    name = username.removeprefix("@").removeprefix("https://t.me/")
    if not _USERNAME.match(name):
        raise ValueError(f"not a Telegram bot username: {username!r}")
    if language and language not in BY_CODE:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(BY_CODE)}")
    for label, part in (("flow", flow), ("source", source)):
        if part and not _PART.match(part):
            raise ValueError(f"{label} {part!r} may use only A-Z, a-z, 0-9 and _ (at most 32)")
    payload = "-".join(part for part in (language, flow, source) if part)
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"deep-link payload is {len(payload)} characters; Telegram allows {MAX_PAYLOAD}")
    return f"https://t.me/{name}?start={payload}" if payload else f"https://t.me/{name}"


def write_qr(link: str, out: Path) -> None:
    """A QR code of the link as PNG or SVG (by the file's suffix), big enough to print on a flyer."""
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"QR codes are written as .png or .svg, not {suffix or 'no suffix'!r}")
    code = segno.make(link, error="m")
    code.save(str(out), scale=10 if suffix == ".png" else 4, border=4)


async def fetch_username(token: str, base_url: str) -> str:
    """The bot's username as Telegram knows it (getMe), for when the configuration does not say."""
    async with Bot(token, base_url=base_url) as bot:
        return bot.username
