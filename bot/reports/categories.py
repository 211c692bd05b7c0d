"""The answers a report can hold, with their German labels (the button titles in `flows/report.yml`).

The categories follow the minimal schema in the research notes (ADS survey, Fair mieten – Fair wohnen, advd):
what happened, the stage, who did it, where, when, and the grounds she thinks it was about. The labels are the
German source text of the buttons, so the bot's summary and the staff's statistics use the same words.
"""

from __future__ import annotations

from collections.abc import Mapping

CANCEL = "cancel"
DONE = "done"
UNSAID = "unsaid"
OLDER = "older"

# Catalog contexts of the buttons, so an action can show a label in her language.
FORM_CONTEXT = "report/ask_form"
STAGE_CONTEXT = "report/ask_stage"
ACTOR_CONTEXT = "report/ask_actor"
PLACE_CONTEXT = "report/ask_place"
WHEN_CONTEXT = "report/ask_when"
GROUND_CONTEXT = "report/ask_grounds"

# Each question asks one thing, and nothing is asked twice: what happened (not why), at which step,
# who did it, where, when, and why she thinks it happened (origin, religion, family... only here).
FORMS: Mapping[str, str] = {
    "no_answer": "🚫 Absage, keine Antwort",
    "higher_demands": "💶 Mehr Miete/Kaution",
    "insult_viewing": "🗣️ Beleidigt",
    "harassment_home": "🏠 Belästigt im Wohnhaus",
    "violence": "⚠️ Bedrohung oder Gewalt",
    "other": "➕ Etwas anderes",
}

STAGES: Mapping[str, str] = {
    "contact": "📞 Anzeige oder Anfrage",
    "viewing": "👀 Besichtigung",
    "contract": "✍️ Vertrag",
    "tenancy": "🏠 In meiner Wohnung",
    "termination": "📤 Kündigung",
}

ACTORS: Mapping[str, str] = {
    "private_landlord": "👤 Vermieter/in",
    "company": "🏢 Firma oder Verwaltung",
    "agent": "🤝 Makler",
    "neighbour": "🏘️ Nachbarn",
    "authority": "🏛️ Amt oder Behörde",
    "other": "➕ Jemand anderes",
}

GROUNDS: Mapping[str, str] = {
    "origin": "🌍 Herkunft oder Sprache",
    "skin": "✋ Hautfarbe",
    "religion": "🧕 Religion oder Kopftuch",
    "family": "👨‍👩‍👧 Kinder/Familie",
    "benefits": "📄 Sozialleistungen",
    "other": "➕ Etwas anderes",
    "unknown": "🤷 Weiß ich nicht",
}

# When it happened: months ago (m0 = this month), or earlier / not said (no month stored).
WHEN: Mapping[str, str] = {
    "m0": "📅 Diesen Monat",
    "m1": "📅 Letzten Monat",
    "m2": "📅 Vor 2 Monaten",
    OLDER: "🗓️ Länger her",
    UNSAID: "🤐 Möchte ich nicht sagen",
}

# Answers of the earlier, longer questions (reports sent before 2026-12), counted under today's answer.
RETIRED: Mapping[str, str] = {
    "no_foreigners": "no_answer",  # "Keine Ausländer" is a refusal; her origin is asked as the ground
    "ad": "contact",
    "neighbourhood": "tenancy",
    "manager": "company",
    "platform": "other",
    "language": "origin",
    "gender": "other",
    "residence": "other",
    "m3": OLDER,
    "m4": OLDER,
    "m5": OLDER,
}
# Forms that were grounds in disguise: today they are asked only as the ground.
RETIRED_FORMS: Mapping[str, str] = {"religion": "other", "children": "other", "benefits": "other"}


def current(table: Mapping[str, str], value: str) -> str:
    """An answer as today's questions know it: a retired answer counts under the one that replaced it."""
    if value in table:
        return value
    retired = {**RETIRED, **RETIRED_FORMS} if table is FORMS else RETIRED
    replaced = retired.get(value, value)
    return replaced if replaced in table else value


UNSAID_PLACE = "🤐 Möchte ich nicht sagen"


# Staff-facing names of the same answers, without emoji, for tables, charts and exports.
def plain(label: str) -> str:
    """`"🏢 Wohnungsgesellschaft"` -> `"Wohnungsgesellschaft"`: the words without the leading symbol."""
    head, _, rest = label.partition(" ")
    return rest if rest and not any(char.isalnum() for char in head) else label
