"""The body of `POST /api/chat`, checked and turned into a domain `Input`.

Error messages name the field and the rule, never the value: the value may be what she wrote.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from bot.engine.model import MAX_TEXT_CHARS, Input

SESSION_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_PAYLOAD_BYTES = 64
MAX_LANGUAGE_HINT = 35  # the longest BCP 47 tag anyone sends in practice
CHANNEL = "web"


class InvalidRequest(ValueError):
    """A request the API refuses with 400; the message is shown to the client as is."""

    status = 400


class TextTooLong(InvalidRequest):
    """413: the page then tells her, in her language, that the message is too long."""

    status = 413


@dataclass(frozen=True)
class ChatRequest:
    session: str
    user_input: Input


def parse_chat_request(body: bytes) -> ChatRequest:
    data = _object(body)
    return ChatRequest(_session(data), _user_input(data))


def parse_session(body: bytes) -> str:
    """The body of `DELETE /api/session`: just the session to forget."""
    return _session(_object(body))


def _object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise InvalidRequest("The body must be valid JSON (UTF-8).") from None
    if not isinstance(data, dict):
        raise InvalidRequest("The body must be a JSON object.")
    return data


def _session(data: dict[str, Any]) -> str:
    session = data.get("session")
    if not isinstance(session, str) or not SESSION_PATTERN.fullmatch(session):
        raise InvalidRequest('"session" must be 8 to 64 characters from A-Z, a-z, 0-9, "_" and "-".')
    return session


def _user_input(data: dict[str, Any]) -> Input:
    hint = _language_hint(data.get("language_hint"))
    given = [key for key in ("text", "payload", "location") if data.get(key) is not None]
    start = data.get("start", False)
    if not isinstance(start, bool):
        raise InvalidRequest('"start" must be true or false.')
    if start:
        given.append("start")
    if not given:
        raise InvalidRequest('Send one of "text", "payload", "location" or "start": true.')
    if len(given) > 1:
        raise InvalidRequest('Send only one of "text", "payload", "location" or "start" per request.')
    kind = given[0]
    if kind == "start":
        return Input(kind="start", language_hint=hint)
    if kind == "payload":
        return Input.of_payload(_payload(data["payload"]), hint)
    if kind == "location":
        return _location(data["location"], hint)
    return _text(data["text"], hint)


def _text(text: object, hint: str) -> Input:
    if not isinstance(text, str):
        raise InvalidRequest('"text" must be a string.')
    if not text.strip():
        raise InvalidRequest('"text" must not be empty.')
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLong(f'"text" must be at most {MAX_TEXT_CHARS} characters.')
    command, _, argument = text.strip().partition(" ")
    if command == "/start":
        # Like Telegram's deep links: `/start <payload>` starts the conversation with a payload.
        return Input(kind="start", text=argument.strip(), language_hint=hint)
    return Input.of_text(text, hint)


def _payload(payload: object) -> str:
    if not isinstance(payload, str) or not payload:
        raise InvalidRequest('"payload" must be a non-empty string.')
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise InvalidRequest(f'"payload" must be at most {MAX_PAYLOAD_BYTES} bytes.')
    return payload


def _location(location: object, hint: str) -> Input:
    if not isinstance(location, dict):
        raise InvalidRequest('"location" must be an object with "latitude" and "longitude".')
    latitude = _coordinate(location.get("latitude"), "latitude", 90.0)
    longitude = _coordinate(location.get("longitude"), "longitude", 180.0)
    return Input(kind="location", latitude=latitude, longitude=longitude, language_hint=hint)


def _coordinate(value: object, name: str, bound: float) -> float:
    # bool is an int subclass; `true` is not a coordinate.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(f'"location.{name}" must be a number.')
    number = float(value)
    if not math.isfinite(number) or abs(number) > bound:
        raise InvalidRequest(f'"location.{name}" must be between -{bound:g} and {bound:g}.')
    return number


def _language_hint(hint: object) -> str:
    if hint is None:
        return ""
    if not isinstance(hint, str) or len(hint) > MAX_LANGUAGE_HINT:
        raise InvalidRequest(
            f'"language_hint" must be a language tag of at most {MAX_LANGUAGE_HINT} characters.'
        )
    return hint
