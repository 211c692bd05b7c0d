"""German source texts that only the WhatsApp channel shows.

The gettext context of a key is `whatsapp/<key>`; `i18n extract` collects them like Telegram's.
"""

from __future__ import annotations

CONTEXT_PREFIX = "whatsapp/"

TEXTS: dict[str, str] = {
    "choose": "Auswählen",
    "more": "➡️ Weitere",
    "more_description": "Weitere Möglichkeiten zeigen",
    "share_location": "📍 Oder teilen Sie Ihren Standort, dann zeige ich die nächsten Angebote.",
    "traces": (
        "🧹 WhatsApp lässt Wegweiser keine Nachrichten von Ihrem Telefon löschen. So löschen Sie diesen "
        "Chat selbst: Öffnen Sie den Chat, tippen Sie auf ⋮ (oder auf den Namen oben), dann auf "
        "„Chat leeren“ oder „Chat löschen“.\n\n"
        "Wegweiser hat auf seiner Seite gelöscht, wo Sie im Gespräch waren. Ihre Sprache bleibt "
        "gespeichert; mit /delete löschen Sie alles."
    ),
}


def context(key: str) -> str:
    return CONTEXT_PREFIX + key
