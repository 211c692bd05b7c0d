"""WhatsApp updates (as pywa parses them) as domain inputs: what she sent, nothing platform-specific.

Her language is never guessed from her number here: the engine starts in German, and her calling
code only orders the language list (see `countries.py`).
"""

from __future__ import annotations

from pywa.types.others import MessageType
from pywa_async.types.message import Message as WhatsAppMessage

from bot.engine.model import Input

# What she can send besides text and a location; each gets the engine's kind answer.
_KINDS: dict[str, str] = {
    MessageType.IMAGE: "photo",
    MessageType.VIDEO: "video",
    MessageType.STICKER: "sticker",
    MessageType.DOCUMENT: "document",
    MessageType.CONTACTS: "contact",
    MessageType.REACTION: "reaction",
    MessageType.ORDER: "order",
    MessageType.UNKNOWN: "unknown",
    MessageType.UNSUPPORTED: "unsupported",
}


def message_input(message: WhatsAppMessage) -> Input | None:
    """The domain input for a message, or None when there is nothing to answer (a removed reaction)."""
    kind = message.type
    if kind == MessageType.TEXT and message.text is not None:
        return Input.of_text(message.text.strip())
    if kind == MessageType.LOCATION and message.location is not None:
        return Input(
            kind="location", latitude=message.location.latitude, longitude=message.location.longitude
        )
    if kind == MessageType.REQUEST_WELCOME:
        return Input(kind="start")
    if kind == MessageType.AUDIO:
        voice = message.audio is not None and message.audio.voice
        return Input(kind="unsupported", text="voice" if voice else "audio")
    if kind == MessageType.REACTION and (message.reaction is None or not message.reaction.emoji):
        return None
    return Input(kind="unsupported", text=_KINDS.get(str(kind), "unknown"))


def raw_kind(event: dict[str, object]) -> str:
    """The `type` of a message pywa could not read (a type newer than the library)."""
    value = event.get("type")
    return value if isinstance(value, str) else "unknown"
