"""German source texts that only the Telegram channel shows.

One module-level mapping so the extraction tool can collect them for translation; the gettext
context of a key is `telegram/<key>`. Everything a woman reads inside a conversation comes from the
engine; these are the bot's profile (command list, descriptions) and the answer in group chats.
"""

from __future__ import annotations

CONTEXT_PREFIX = "telegram/"

TEXTS: dict[str, str] = {
    "command/start": "Neu beginnen",
    "command/menu": "Hauptmenü",
    "command/sprache": "Sprache wählen",
    "command/notfall": "Sofort Hilfe im Notfall",
    "command/hilfe": "So funktioniert der Wegweiser",
    "command/delete": "Meine Daten löschen",
    "command/spuren": "Diesen Chat von meinem Handy löschen",
    "description": (
        "Der Wegweiser des Kommunalen Integrationszentrums Kreis Düren hilft Frauen und Mädchen, "
        "kostenlose Beratung in ihrer Sprache zu finden. Er informiert über Workshops im Kreishaus "
        "und nimmt anonyme Meldungen über Diskriminierung bei der Wohnungssuche an. "
        "Drücken Sie auf Start."
    ),
    "short_description": "Kostenlose Beratung für Frauen im Kreis Düren, in Ihrer Sprache.",
    "group": "Ich antworte nur im privaten Chat. Schreiben Sie mir hier: {link}",
}

# The commands in the bot's menu, in the order Telegram shows them. Names stay the same in every
# language (Telegram allows only a-z, 0-9 and _); their descriptions are translated.
COMMANDS: tuple[str, ...] = ("start", "menu", "notfall", "sprache", "hilfe", "spuren", "delete")


def context(key: str) -> str:
    return CONTEXT_PREFIX + key
