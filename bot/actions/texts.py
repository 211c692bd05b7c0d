"""German source texts of the actions, collected in one place for the catalog extraction.

Each key is looked up under the context `action_find_offers/<key>`; placeholders are Python format
fields (`{topic}`), which translations must keep. Symbols (☎, 📍) stay outside these texts, so a
translation can never break a phone link.
"""

from __future__ import annotations

ACTION = "action_find_offers"

TEXTS: dict[str, str] = {
    "heading_place": "Beratung zum Thema „{topic}“ für {place}:",
    "heading_anywhere": "Beratung zum Thema „{topic}“ im Kreis Düren:",
    "heading_nearby": "Beratung zum Thema „{topic}“ in Ihrer Nähe:",
    "heading_general": "Beratungsstellen im Kreis Düren:",
    "heading_more": "Weitere Angebote (Seite {page} von {pages}):",
    "no_exact_match": (
        "Zum Thema „{topic}“ kennen wir leider noch keine eigene Beratungsstelle. "
        "Diese Stellen helfen Ihnen bei vielen Fragen und wissen, wer zuständig ist:"
    ),
    "languages": "Sprachen: {languages}",
    "interpreters": "auch in weiteren Sprachen",
    "free": "kostenlos",
    "anonymous": "anonym",
    "women_only": "nur für Frauen",
    "neighbour_region": "Nachbarregion: {region}",
    "hotlines_heading": "Telefonische Hilfe in ganz Deutschland:",
    "checked_on": "geprüft am {day}",
}


def context(key: str) -> str:
    """The catalog context of `TEXTS[key]`."""
    return f"{ACTION}/{key}"


def source_texts() -> list[tuple[str, str]]:
    """(context, German text) pairs for the extraction tool."""
    return [(context(key), german) for key, german in TEXTS.items()]
