"""What the desk says to staff. Staff work in German, so these are not sent for translation."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "command/broadcast": "Neue Ankündigung schreiben",
    "command/broadcasts": "Die letzten Ankündigungen",
    "command/stats": "Statistik der anonymen Meldungen",
    "start": (
        "Mit /broadcast schreiben Sie eine neue Ankündigung, mit /broadcasts sehen Sie die letzten, "
        "mit /stats die Statistik der anonymen Meldungen."
    ),
    "no_statistics": "Die Statistik der Meldungen ist hier nicht eingerichtet.",
    "ask_audience": "📣 Neue Ankündigung. An wen?",
    "audience_all": "Alle Abonnentinnen der Ankündigungen",
    "audience_workshop": "Workshop: {title}",
    "audience_language": "Nach Sprache auswählen",
    "ask_languages": "Welche Sprachen? Tippen Sie auf jede Sprache, dann auf „Fertig“.",
    "languages_done": "Fertig",
    "ask_text": "Bitte schreiben Sie jetzt den deutschen Text (höchstens {limit} Zeichen).",
    "too_long": "Der Text ist zu lang (höchstens {limit} Zeichen).",
    "placeholder": "Das sieht nach einem Platzhalter aus. Bitte den Text schreiben oder überspringen.",
    "offer_draft": "Maschinelle Übersetzung für {language} – bitte prüfen:",
    "draft_choice": "Übernehmen, eine eigene Übersetzung schreiben (einfach senden) oder überspringen?",
    "ask_translation": (
        "Übersetzung für {language}: bitte schreiben Sie sie jetzt, oder überspringen Sie die Sprache "
        "(dann bekommen diese Frauen den deutschen Text mit einem Hinweis)."
    ),
    "accept": "✅ Übernehmen",
    "skip": "⏭️ Überspringen",
    "preview": "👀 Vorschau: so kommt die Nachricht an ({total} Empfängerinnen).",
    "preview_language": "— {language}: {count} Empfängerinnen —",
    "ask_when": "Wann soll sie verschickt werden?",
    "send_now": "📤 Jetzt senden",
    "send_later": "🕒 Später senden",
    "ask_time": "Wann? Bitte schreiben Sie Datum und Uhrzeit, z. B. 24.12.2026 18:00.",
    "bad_time": (
        "Das habe ich nicht verstanden, oder der Zeitpunkt liegt in der Vergangenheit. "
        "Beispiel: 24.12.2026 18:00"
    ),
    "now": "jetzt",
    "confirm": "Ankündigung an {total} Empfängerinnen, Versand: {when}. Wirklich senden?",
    "yes_send": "✅ Ja, senden",
    "cancel": "❌ Abbrechen",
    "cancelled": "Abgebrochen. Es wurde nichts gesendet.",
    "sending": "📤 Ankündigung #{id} wird an {rows} Empfängerinnen gesendet. Stand: /broadcasts",
    "scheduled": "🕒 Ankündigung #{id} wird am {when} gesendet. Stand und Abbrechen: /broadcasts",
    "stale": "Dieser Knopf passt nicht mehr. Neu beginnen mit /broadcast.",
    "none": "Es gibt noch keine Ankündigungen.",
    "overview": "📋 Die letzten Ankündigungen:",
    "overview_line": (
        "#{id} {status} {when} – „{text}“: {sent} gesendet, {waiting} wartend, "
        "{failed} fehlgeschlagen, von {total}"
    ),
    "status_draft": "Entwurf",
    "status_scheduled": "geplant",
    "status_queued": "im Versand",
    "status_cancelled": "abgebrochen",
    "stop_button": "⏹️ #{id} stoppen",
    "stopped": "⏹️ Ankündigung #{id} gestoppt; {rows} Nachrichten werden nicht mehr gesendet.",
}


def shortened(text: str, limit: int = 40) -> str:
    """At most `limit` characters, ending after a whole word, with "…" when something was left out
    ("Workshop für Frauen: Bera" reads like a typo; "Workshop für Frauen …" does not)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 2]
    head, space, _ = cut.rpartition(" ")
    return (head if space and head else cut).rstrip(" ,:;–-") + " …"
