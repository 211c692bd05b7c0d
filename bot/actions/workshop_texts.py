"""German source texts of the workshop actions and reminders, and the workshop as she reads it.

Each key is looked up under the context `action_workshops/<key>`; placeholders are Python format
fields that translations must keep. Dates and times are written by Babel in her language's own
way (Arabic, Farsi and Tigrinya calendars words included), always in Düren's local time.
"""

from __future__ import annotations

from babel.core import UnknownLocaleError
from babel.dates import format_date, format_time

from bot.content.workshops import BERLIN, Workshop, field_context, title_context
from bot.i18n.catalog import Catalog
from bot.i18n.languages import BY_CODE, SOURCE

ACTION = "action_workshops"

TEXTS: dict[str, str] = {
    "heading": "📅 Die nächsten Workshops im Kreis Düren:",
    "none": "Im Moment ist kein Workshop geplant.",
    "example": "(Beispiel – Termin noch nicht bestätigt)",
    "when": "🗓️ {date}, {start}–{end} Uhr",
    "where": "📍 {place}",
    "languages": "🗣️ Sprachtische mit Dolmetscherinnen: {languages}",
    "topics": "Themen: {topics}",
    "registration": "✍️ {registration}",
    "subscribed": (
        "🔔 Gut! Ich erinnere Sie 7 Tage, 1 Tag und 2 Stunden vorher. Abbestellen geht jederzeit hier."
    ),
    "subscribed_custom": "🔔 Gut! Ich erinnere Sie vor dem Workshop. Abbestellen geht jederzeit hier.",
    "unsubscribed": "🔕 Erledigt. Sie bekommen keine Erinnerungen an diesen Workshop mehr.",
    "all_on": (
        "📣 Gut! Sie bekommen ab jetzt alle Neuigkeiten des Integrationszentrums. "
        "Abbestellen geht jederzeit hier."
    ),
    "all_off": "🔕 Erledigt. Sie bekommen keine Neuigkeiten mehr.",
    "push_only": (
        "Erinnerungen kann ich nur in Telegram schicken. "
        "Hier können Sie den Termin in Ihren Kalender übernehmen."
    ),
    "calendar": "📅 Hier ist der Termin für Ihren Kalender. Tippen Sie auf die Datei, um ihn zu speichern.",
    "reminder": "🔔 Erinnerung an den Workshop:",
    "gone": "Diesen Workshop gibt es nicht mehr. Hier sind die aktuellen:",
}


def context(key: str) -> str:
    return f"{ACTION}/{key}"


def source_texts() -> list[tuple[str, str]]:
    """(context, German text) pairs for the extraction tool."""
    return [(context(key), german) for key, german in TEXTS.items()]


def say(catalog: Catalog, language: str, key: str, **fields: str) -> str:
    return catalog.filled(language, TEXTS[key], context(key), **fields).text


def title(workshop: Workshop, catalog: Catalog, language: str) -> str:
    return catalog.text(language, workshop.title, title_context(workshop.id)).text


def _locale(language: str) -> str:
    return language if language in BY_CODE else SOURCE


def when(workshop: Workshop, catalog: Catalog, language: str) -> str:
    locale = _locale(language)
    start, end = workshop.starts_at.astimezone(BERLIN), workshop.ends_at.astimezone(BERLIN)
    try:
        day = format_date(start.date(), "full", locale=locale)
        times = (
            format_time(start.time(), "short", locale=locale),
            format_time(end.time(), "short", locale=locale),
        )
    except UnknownLocaleError:
        day = format_date(start.date(), "full", locale=SOURCE)
        times = (start.strftime("%H:%M"), end.strftime("%H:%M"))
    return say(catalog, language, "when", date=day, start=times[0], end=times[1])


def language_names(codes: list[str]) -> str:
    """Native names, so each woman finds her own language in the list whatever language she reads."""
    return ", ".join(BY_CODE[code].native_name if code in BY_CODE else code for code in codes)


def describe(workshop: Workshop, catalog: Catalog, language: str, *, registration: bool = True) -> str:
    """The workshop in a few short lines: title, when, where, languages, topics, how to take part."""
    place = workshop.place
    lines = [title(workshop, catalog, language)]
    if workshop.example:
        lines.append(say(catalog, language, "example"))
    lines.append(when(workshop, catalog, language))
    lines.append(say(catalog, language, "where", place=f"{place.name}, {place.line()}"))
    lines.append(say(catalog, language, "languages", languages=language_names(workshop.languages)))
    if workshop.topics:
        topics = ", ".join(
            catalog.text(language, topic, field_context(workshop.id, "topic")).text
            for topic in workshop.topics
        )
        lines.append(say(catalog, language, "topics", topics=topics))
    if registration:
        text = catalog.text(language, workshop.registration, field_context(workshop.id, "registration")).text
        lines.append(say(catalog, language, "registration", registration=text))
    return "\n".join(lines)


def reminder(workshop: Workshop, catalog: Catalog, language: str) -> str:
    """A reminder: the workshop with its place and a map link, so she finds the way."""
    return "\n".join(
        [
            say(catalog, language, "reminder"),
            describe(workshop, catalog, language, registration=False),
            workshop.place.map_link(),
        ]
    )
