"""The page's own words (buttons, hints, error notices), in German for the catalogs.

The page asks `GET /api/labels?language=ar` and puts them in: a woman who reads no German still
knows what the 📍 and ↻ buttons do and why a message did not go through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

TEXTS: dict[str, str] = {
    "language": "Sprache",
    "new_conversation": "Neues Gespräch",
    "conversation": "Gespräch",
    "share_location": "Meinen Standort teilen",
    "message": "Nachricht",
    "send": "Senden",
    "too_long": "Die Nachricht ist zu lang.",
    "failed": "Das hat nicht geklappt. Bitte noch einmal.",
    "offline": "Keine Verbindung. Bitte noch einmal. Notruf: 110 · Hilfetelefon Gewalt gegen Frauen: 116 016",
    "no_location": "Ihr Standort ist hier nicht verfügbar.",
}

Translate = Callable[[str, str, str], str]
"""(language, German text, context) -> text in that language."""


def context(key: str) -> str:
    return f"web/{key}"


def source_texts() -> list[tuple[str, str]]:
    """(context, German text) pairs for the extraction tool."""
    return [(context(key), german) for key, german in TEXTS.items()]


def labels_in(language: str, translate: Translate | None) -> Mapping[str, str]:
    if translate is None:
        return dict(TEXTS)
    return {key: translate(language, german, context(key)) for key, german in TEXTS.items()}
