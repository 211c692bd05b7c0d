"""German source texts of the report actions, in one place for the catalog extraction.

Keys are the catalog contexts (`action_<name>/<key>`); placeholders are Python format fields that
translations must keep. The answer labels themselves are the flow's button titles (`report/ask_*`).
"""

from __future__ import annotations

from bot.reports.scrub import MARKS

_REMOVED = (
    "🔒 Ich habe Namen, Adressen, Telefonnummern, E-Mail-Adressen oder Profil-Links aus Ihrem Text entfernt, "
    "damit niemand erkannt werden kann. An ihrer Stelle steht ein Hinweis in eckigen Klammern."
)
# The scrubber's marks (`bot.reports.scrub.MARKS`) as her summary shows them, each under this context.
MARK_CONTEXT = "action_report_summary/removed_mark"
_LIMIT = (
    "Sie haben heute schon mehrere Meldungen gesendet – danke! Wenn Sie noch etwas melden möchten, "
    "schreiben Sie bitte morgen wieder."
)

TEXTS: dict[str, str] = {
    "action_report_begin/limit": _LIMIT,
    "action_report_scrub/removed": _REMOVED,
    "action_report_summary/heading": "📋 Ihre Meldung:",
    "action_report_summary/forms": "Was passiert ist: {value}",
    "action_report_summary/stage": "Schritt: {value}",
    "action_report_summary/actor": "Wer: {value}",
    "action_report_summary/place": "Ort: {value}",
    "action_report_summary/when": "Wann: {value}",
    "action_report_summary/grounds": "Grund: {value}",
    "action_report_summary/text": "Ihr Text: {value}",
    "action_report_summary/no_text": "Kein eigener Text.",
    "action_report_submit/thanks": (
        "✅ Danke! Ihre Meldung ist anonym gespeichert. Sie hilft, Diskriminierung auf dem Wohnungsmarkt "
        "im Kreis Düren sichtbar zu machen."
    ),
    "action_report_submit/code": (
        "🔑 Das ist Ihr Code. Damit können Sie später etwas zu Ihrer Meldung ergänzen. Ich zeige ihn nur "
        "jetzt, ein einziges Mal. Schreiben Sie ihn auf oder speichern Sie ihn wie eine Telefonnummer:"
    ),
    "action_report_submit/deadline": (
        "⚖️ Wichtig: Wenn Sie sich rechtlich wehren möchten, müssen Sie Ihre Ansprüche nach dem "
        "Allgemeinen Gleichbehandlungsgesetz (AGG) innerhalb von 2 Monaten geltend machen. "
        "Eine Beratungsstelle hilft Ihnen kostenlos dabei."
    ),
    "action_report_submit/counselling": "🤝 Beratung bei Diskriminierung:",
    "action_report_submit/limit": _LIMIT,
    "action_report_add/added": "✅ Danke! Ich habe Ihre Ergänzung zu Ihrer Meldung hinzugefügt.",
    "action_report_add/removed": _REMOVED,
    "action_report_add/wrong": (
        "🔑 Diesen Code finde ich leider nicht. Das passiert leicht. Bitte prüfen Sie die 16 Ziffern und "
        "schreiben Sie den Code noch einmal – oder tippen Sie auf „❌ Abbrechen“."
    ),
    "action_report_add/blocked": (
        "Das hat heute leider zu oft nicht geklappt. Bitte versuchen Sie es morgen noch einmal. "
        "Ihre Meldung bleibt gespeichert."
    ),
    "action_report_add/gone": (
        "Diese Meldung gibt es nicht mehr: Meldungen werden nach einer festen Zeit gelöscht. "
        "Sie können gern eine neue Meldung senden."
    ),
}


def source_texts() -> list[tuple[str, str]]:
    """(context, German text) pairs for the extraction tool."""
    return [*TEXTS.items(), *((MARK_CONTEXT, mark) for mark in MARKS)]
