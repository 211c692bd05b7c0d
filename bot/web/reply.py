"""The JSON the page receives for one turn: the bubbles, and the language and direction of the last one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.engine.model import Message, Venue


def render_reply(messages: Sequence[Message]) -> dict[str, Any]:
    bubbles = [render_message(message) for message in messages]
    last = bubbles[-1] if bubbles else {"dir": "ltr", "language": ""}
    return {"messages": bubbles, "dir": last["dir"], "language": last["language"]}


def render_message(message: Message) -> dict[str, Any]:
    return {
        "text": message.text,
        "buttons": [{"title": button.title, "payload": button.payload} for button in message.buttons],
        "dir": message.dir,
        "language": message.language,
        "msgid": message.msgid,
        "status": message.status,
        "venue": _venue(message.venue),
        "effect": message.effect,
        "document": _document(message),
    }


def _venue(venue: Venue | None) -> dict[str, Any] | None:
    if venue is None:
        return None
    return {
        "latitude": venue.latitude,
        "longitude": venue.longitude,
        "title": venue.title,
        "address": venue.address,
    }


def _document(message: Message) -> dict[str, str] | None:
    document = message.document
    if document is None:
        return None
    return {"filename": document.filename, "mime_type": document.mime_type, "content": document.content}
