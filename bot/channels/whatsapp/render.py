"""How a domain `Message` looks on WhatsApp, within Meta's limits.

Pure functions from the engine's messages to `Part`s (one Cloud API send each), so every rule about
Meta's limits is tested without a server: up to three short choices as reply buttons, up to ten as a
list, longer menus as lists of pages with a "more" row (menu and emergency on every page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.channels.text import split_text
from bot.engine.model import Button, Document, Message, Venue

MAX_TEXT = 4096  # text message body
MAX_BUTTONS_BODY = 1024  # body of a reply-button message
MAX_LIST_BODY = 4096  # body of a list message
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10  # rows of a list, all sections together
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_LIST_LABEL = 20
MAX_ID = 200  # a row id (a button id may have 256)
MORE = "wa.more:"  # a "more" row's id: `wa.more:<page>`

RLM = "\u200f"  # right-to-left mark: WhatsApp takes a line's direction from its first strong letter
LRI = "\u2066"  # left-to-right isolate: a phone number keeps its order inside Arabic text
PDI = "\u2069"  # pop directional isolate

_TEL_LINK = re.compile(r"tel:\s*(\+?[0-9][0-9 ()/-]*[0-9])")
_PHONE = re.compile(r"\+?[0-9][0-9 ()/-]{4,}[0-9]")


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class TextPart:
    body: str


@dataclass(frozen=True)
class ButtonsPart:
    body: str
    buttons: tuple[Row, ...]


@dataclass(frozen=True)
class ListPart:
    body: str
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class LocationRequestPart:
    body: str


@dataclass(frozen=True)
class LocationPart:
    venue: Venue


@dataclass(frozen=True)
class DocumentPart:
    document: Document


Part = TextPart | ButtonsPart | ListPart | LocationRequestPart | LocationPart | DocumentPart


@dataclass(frozen=True)
class Labels:
    """The channel's own words in her language (list button, "more" row, location request)."""

    choose: str = "Auswählen"
    more: str = "➡️ Weitere"
    more_description: str = ""
    share_location: str = ""


def render(
    message: Message, labels: Labels = Labels(), *, page: int = 0, location: bool = False
) -> list[Part]:
    """The parts of one message; the choices go with its last text, a venue or file after it.

    `location`: the question also takes a shared location, so a location request comes first.
    """
    rtl = message.dir == "rtl"
    text = readable_numbers(message.text)
    if rtl:
        text = mark_rtl(text)
    buttons = tuple(Button(_plain(b.title, rtl), b.payload) for b in message.buttons)
    parts: list[Part] = []
    if location and labels.share_location:
        request = mark_rtl(labels.share_location) if rtl else labels.share_location
        parts.append(LocationRequestPart(request[:MAX_BUTTONS_BODY]))
    if not buttons:
        parts.extend(TextPart(chunk) for chunk in split_text(text, MAX_TEXT) or ["…"])
    else:
        parts.extend(choices(text, buttons, labels, page, rtl))
    if message.venue is not None:
        parts.append(LocationPart(message.venue))
    if message.document is not None:
        parts.append(DocumentPart(message.document))
    return parts


def choices(text: str, buttons: tuple[Button, ...], labels: Labels, page: int, rtl: bool) -> list[Part]:
    """The text with its buttons: reply buttons when they fit, else a list (a page of a long menu)."""
    fits_buttons = len(buttons) <= MAX_BUTTONS and all(len(b.title) <= MAX_BUTTON_TITLE for b in buttons)
    limit = MAX_BUTTONS_BODY if fits_buttons else MAX_LIST_BODY
    chunks = split_text(text, limit) or ["…"]
    parts: list[Part] = [TextPart(chunk) for chunk in chunks[:-1]]
    body = chunks[-1]
    if fits_buttons:
        rows = _unique(tuple(Row(_id(b.payload), b.title) for b in buttons))
        parts.append(ButtonsPart(body, rows))
        return parts
    parts.append(ListPart(body, _cut(labels.choose, MAX_LIST_LABEL), menu_page(buttons, labels, page, rtl)))
    return parts


def page_count(buttons: tuple[Button, ...]) -> int:
    fixed, options = _split_fixed(buttons)
    if len(buttons) <= MAX_ROWS:
        return 1
    size = MAX_ROWS - len(fixed) - 1
    return -(-len(options) // size)


def menu_page(buttons: tuple[Button, ...], labels: Labels, page: int, rtl: bool = False) -> tuple[Row, ...]:
    """Up to ten rows: all choices when they fit, else one page of them, a "more" row (which wraps
    around to the first page) and the menu and emergency rows, which stay on every page."""
    if len(buttons) <= MAX_ROWS:
        return _unique(tuple(_row(b) for b in buttons))
    fixed, options = _split_fixed(buttons)
    size = MAX_ROWS - len(fixed) - 1
    pages = page_count(buttons)
    page = page % pages
    shown = options[page * size : (page + 1) * size]
    more_title = (RLM + labels.more) if rtl else labels.more
    more = Row(
        f"{MORE}{(page + 1) % pages}",
        _cut(f"{more_title} ({(page + 1) % pages + 1}/{pages})", MAX_ROW_TITLE),
        _cut(labels.more_description, MAX_ROW_DESCRIPTION),
    )
    return _unique((*(_row(b) for b in shown), more, *(_row(b) for b in fixed)))


def _split_fixed(buttons: tuple[Button, ...]) -> tuple[list[Button], list[Button]]:
    """Global commands (menu, emergency) have a payload without `=`: they stay on every page."""
    fixed = [b for b in buttons if "=" not in b.payload and ":" not in b.payload]
    options = [b for b in buttons if b not in fixed]
    return fixed, options


def _row(button: Button) -> Row:
    if len(button.title) <= MAX_ROW_TITLE:
        return Row(_id(button.payload), button.title)
    return Row(
        _id(button.payload), _cut(button.title, MAX_ROW_TITLE), _cut(button.title, MAX_ROW_DESCRIPTION)
    )


def _unique(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """Meta refuses a message whose buttons or rows repeat an id or a button title."""
    seen_ids: set[str] = set()
    seen_titles: set[str] = set()
    kept = []
    for row in rows:
        if row.id in seen_ids:
            continue
        title = row.title
        number = 2
        while title in seen_titles:  # the number must survive the cut, or a long title never gets unique
            suffix = f" {number}"
            title = _cut(row.title, MAX_ROW_TITLE - len(suffix)) + suffix
            number += 1
        seen_ids.add(row.id)
        seen_titles.add(title)
        kept.append(Row(row.id, title, row.description))
    return tuple(kept)


def _id(payload: str) -> str:
    return payload[:MAX_ID] or "menu"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(title: str, rtl: bool) -> str:
    title = title.strip() or "…"
    return RLM + title if rtl and not title.startswith(RLM) else title


def readable_numbers(text: str) -> str:
    """`tel:+49 2421 22-0` becomes `+49 2421 22-0`: WhatsApp makes bare numbers tappable itself."""
    return _TEL_LINK.sub(lambda found: found.group(1), text)


def mark_rtl(text: str) -> str:
    """Every line starts with RLM and phone numbers are isolated left to right, so WhatsApp lays the
    text out right to left and never reverses a number."""
    isolated = _PHONE.sub(lambda found: LRI + found.group(0) + PDI, text)
    return "\n".join(RLM + line if line else line for line in isolated.split("\n"))
