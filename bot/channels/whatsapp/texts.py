"""German source texts that only the WhatsApp channel shows.

The gettext context of a key is `whatsapp/<key>`; `i18n extract` collects them like Telegram's.
"""

from __future__ import annotations

from bot.channels.whatsapp.templates import load_templates
from bot.config import PROJECT_ROOT

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


def source_texts() -> list[tuple[str, str]]:
    """(context, German) for the extraction: these texts, and the template bodies of
    `content/whatsapp_templates.yml` (context `whatsapp/template/<name>`)."""
    book = load_templates(PROJECT_ROOT / "content")
    return [(context(key), german) for key, german in TEXTS.items()] + [
        (template.context, template.body) for template in book.templates
    ]
