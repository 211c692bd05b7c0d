"""How a domain `Message` looks in Telegram: HTML text, inline keyboard, direction marks, venue.

Pure functions from the engine's messages to `Bubble`s (one Bot API send each), so every rule
about Telegram's limits can be tested without a server.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.channels.text import split_text as split
from bot.engine.model import Button, Document, Message, Venue

logger = logging.getLogger(__name__)

MAX_TEXT = 4096  # characters after entity parsing (Bot API sendMessage)
CAPTION_LIMIT = 1024  # a photo's caption (Bot API sendPhoto)
MAX_PAYLOAD_BYTES = 64  # callback_data: 1-64 bytes
MAX_BUTTONS = 100  # undocumented, mirrored by PTB's InlineKeyboardMarkupLimit
SHORT_TITLE = 16  # titles up to this length may share a row

RLM = "\u200f"  # right-to-left mark: sets the direction of a line that starts with Latin or digits
LRI = "\u2066"  # left-to-right isolate: keeps a phone number in reading order inside Arabic text
PDI = "\u2069"  # pop directional isolate: ends the isolate

_TEL_LINK = re.compile(r"tel:\s*(\+?[0-9][0-9 ()/-]*[0-9])")
_PHONE = re.compile(r"\+?[0-9][0-9 ()/-]{4,}[0-9]")
# A piece the message isolated already (a name, an address, a number): left as it is.
_ISOLATED = re.compile(r"([\u2066\u2067\u2068][^\u2069]*\u2069)")


@dataclass(frozen=True)
class TextBubble:
    html: str
    rows: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class VenueBubble:
    venue: Venue


@dataclass(frozen=True)
class DocumentBubble:
    document: Document


@dataclass(frozen=True)
class PhotoBubble:
    """A picture (the report chart for staff), with the text as its caption."""

    image: bytes
    caption: str


Bubble = TextBubble | VenueBubble | DocumentBubble | PhotoBubble


def coalesce(messages: Sequence[Message]) -> list[Message]:
    """Fewer, fuller messages: texts without buttons join the next text of the same direction.

    An answer of a heading, three offers and a question reaches her as one or two bubbles, not six,
    so it arrives at once within Telegram's per-chat pace. Map pins follow the joined text, in order.
    """
    joined: list[Message] = []
    for message in messages:
        previous = joined[-1] if joined else None
        if previous is not None and _open(previous) and _joinable(message) and previous.dir == message.dir:
            joined[-1] = replace(
                message,
                text=f"{previous.text}\n\n{message.text}",
                venue=None,
                venues=(*previous.all_venues, *message.all_venues),
            )
        else:
            joined.append(message)
    return joined


def _open(message: Message) -> bool:
    """A message the next one may be added to: plain text, nothing to press or keep after it."""
    return not (message.buttons or message.document or message.image or message.effect) and bool(message.text)


def _joinable(message: Message) -> bool:
    return not (message.document or message.image or message.effect) and bool(message.text)


def render(message: Message) -> list[Bubble]:
    """Split, mark and escape one message; buttons go under the last part, the venue after it."""
    if message.image:
        caption, *rest = split_text(message.text, CAPTION_LIMIT) or [""]
        rest_bubbles = [TextBubble(html.escape(part, quote=False)) for part in rest]
        return [PhotoBubble(message.image, html.escape(caption, quote=False)), *rest_bubbles]
    rtl = message.dir == "rtl"
    text = readable_numbers(message.text)
    if rtl:
        text = mark_rtl(text)
    parts = split_text(text) or ["…"]  # Telegram refuses an empty text
    rows = keyboard(message.buttons, rtl)
    bubbles: list[Bubble] = [TextBubble(html.escape(part, quote=False)) for part in parts]
    bubbles[-1] = TextBubble(html.escape(parts[-1], quote=False), rows)
    bubbles.extend(VenueBubble(venue) for venue in message.all_venues)
    if message.document is not None:
        bubbles.append(DocumentBubble(message.document))
    return bubbles


def readable_numbers(text: str) -> str:
    """`tel:+49 2421 22-0` becomes `+49 2421 22-0`: Telegram links bare numbers itself."""
    return _TEL_LINK.sub(lambda found: found.group(1), text)


def mark_rtl(text: str) -> str:
    """Start every line with RLM and isolate phone numbers left to right, so they are not reversed."""
    embedded = "".join(
        part if index % 2 else _PHONE.sub(lambda found: LRI + found.group(0) + PDI, part)
        for index, part in enumerate(_ISOLATED.split(text))
    )
    return "\n".join(RLM + line if line else line for line in embedded.split("\n"))


def utf16_length(text: str) -> int:
    """Telegram counts in UTF-16 code units; counting so is never more than the limit allows."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut a long text where it reads best, counting as Telegram does (UTF-16)."""
    return split(text, limit, utf16_length)


def keyboard(buttons: tuple[Button, ...], rtl: bool = False) -> tuple[tuple[Button, ...], ...]:
    """One button per row, two when there are many short ones (a list of languages, yes/no)."""
    shown = [Button(_title(button.title, rtl), safe_payload(button.payload)) for button in buttons]
    if len(shown) > MAX_BUTTONS:
        logger.warning("dropping %d buttons over Telegram's limit", len(shown) - MAX_BUTTONS)
        shown = shown[:MAX_BUTTONS]
    width = 2 if len(shown) > 3 and all(len(button.title) <= SHORT_TITLE for button in shown) else 1
    return tuple(tuple(shown[start : start + width]) for start in range(0, len(shown), width))


def _title(title: str, rtl: bool) -> str:
    title = title.strip() or "…"
    return RLM + title if rtl and not title.startswith(RLM) else title


def safe_payload(payload: str) -> str:
    """Telegram accepts 1-64 bytes; flows use short ASCII ids, anything else is a bug made harmless."""
    if payload.isascii() and 0 < len(payload) <= MAX_PAYLOAD_BYTES:
        return payload
    logger.warning("button payload is not short ASCII; trimmed (length %d)", len(payload.encode()))
    trimmed = payload.encode("ascii", "ignore").decode()[:MAX_PAYLOAD_BYTES]
    return trimmed or "menu"
