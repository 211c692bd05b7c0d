"""The domain vocabulary every part speaks: what comes in, what goes out, what is remembered.

Channels turn platform updates into an `Input` and render `Message`s; the engine turns a
`Session` and an `Input` into a `Turn`. Nothing here knows a platform or a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.i18n.languages import Direction
from bot.i18n.status import TextStatus

InputKind = Literal["text", "payload", "location", "start", "unsupported"]
DELETE_TRACES = "delete_traces"

MAX_TEXT_CHARS = 4096  # what Telegram (and WhatsApp) allow in one message; the web chat keeps to it too
# Lone surrogates cannot be encoded as UTF-8, NUL is refused by PostgreSQL's text and jsonb, other C0
# controls only break things: one such message once failed a whole batch of other women's turns.
_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """What she typed, safe to analyse and to store: encodable as UTF-8, without control characters
    (a lone surrogate becomes U+FFFD), at most `MAX_TEXT_CHARS` characters."""
    return _UNSAFE.sub(_replacement, text[:MAX_TEXT_CHARS])


def _replacement(found: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= found.group() <= "\udfff" else ""


class Unavailable(RuntimeError):
    """The database does not answer: her turn was not taken and can be tried again once it does."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Venue:
    """A place to show on a map (an offer's address)."""

    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Document:
    """A small file for her to keep (a workshop's calendar entry)."""

    filename: str
    mime_type: str
    content: str


@dataclass(frozen=True)
class Message:
    """One bubble for her: text in her language, buttons, direction, and where the text came from.

    `language` and `dir` are those of the text itself: a German fallback is `de`/`ltr` even in an
    Arabic conversation, so it is laid out right. `effect` asks the channel to do something only it
    can (`delete_traces`: wipe this conversation from her screen, then show this message).
    """

    text: str
    buttons: tuple[Button, ...] = ()
    dir: Direction = "ltr"
    msgid: str = ""
    status: TextStatus = "source"
    venue: Venue | None = None
    language: str = ""
    effect: str = ""
    document: Document | None = None
    image: bytes = b""
    venues: tuple[Venue, ...] = ()  # more pins, when a channel joined several messages into one

    @property
    def all_venues(self) -> tuple[Venue, ...]:
        return (*self.venues, *((self.venue,) if self.venue is not None else ()))


@dataclass(frozen=True)
class Input:
    """What she sent, already stripped of everything platform-specific.

    `kind` is "start" for a first contact or `/start` (with `text` holding a deep-link payload),
    "unsupported" for stickers, photos, voice notes and the like (`text` names the kind).
    `language_hint` is the platform's language code (Telegram's `language_code`), never stored.
    """

    kind: InputKind
    text: str = ""
    payload: str = ""
    latitude: float | None = None
    longitude: float | None = None
    language_hint: str = ""

    @staticmethod
    def of_text(text: str, language_hint: str = "") -> Input:
        """Every channel's typed text enters here, so every channel gets it cleaned (`clean_text`)."""
        return Input(kind="text", text=clean_text(text), language_hint=language_hint)

    @staticmethod
    def of_payload(payload: str, language_hint: str = "") -> Input:
        return Input(kind="payload", payload=payload, language_hint=language_hint)


@dataclass
class Session:
    """A conversation's state: JSON-serialisable, saved by the runtime, owned by the engine."""

    language: str = ""
    flow: str = ""
    step: str = ""
    slots: dict[str, Any] = field(default_factory=dict)
    stack: list[dict[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "flow": self.flow,
            "step": self.step,
            "slots": dict(self.slots),
            "stack": [dict(frame) for frame in self.stack],
            "notices": list(self.notices),
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Session:
        return Session(
            language=str(data.get("language", "")),
            flow=str(data.get("flow", "")),
            step=str(data.get("step", "")),
            slots=dict(data.get("slots", {})),
            stack=[dict(frame) for frame in data.get("stack", [])],
            notices=list(data.get("notices", [])),
        )


@dataclass(frozen=True)
class Turn:
    """What the engine decided: messages to send, the new session, and at most one action to run.

    When `action` is set the runtime runs it and calls `Engine.resume` with the action's events.
    `forget` asks the runtime to erase everything it holds about this contact.
    `erase_flow_state` asks it to drop the conversation state of a sensitive flow (reports).
    """

    messages: tuple[Message, ...]
    session: Session
    action: str = ""
    forget: bool = False
    events: tuple[dict[str, Any], ...] = ()
