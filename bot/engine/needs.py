"""Her need, heard from what she typed, and where each need takes her.

The understanding layer names an intent (`topic_health`, `delete_data`, ...); this table says what the
conversation does with it. A `need:<intent>` button (from "Did you mean …?") does the same as typing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.understanding.hearing import DANGER, OTHER, SMALL_TALK, TOPIC, VIOLENCE, Hearing

NEED_PAYLOAD = "need:"
COUNSELLING_FLOW = "find_counselling"
TOPIC_STEP = "ask_topic"
SURE = 0.5  # the model's probability from which a need is followed without asking
CLEAR, AHEAD = 0.3, 2.0  # or from which it is followed when it is twice as likely as the next
ASK_FROM = 0.04  # needs at least this likely are offered under "Did you mean …?"
OFFERED = 3


@dataclass(frozen=True)
class Need:
    """Go to a flow (leaving the current one) or run a global command by its id."""

    flow: str = ""
    command: str = ""
    title: str = ""  # the button under "Did you mean …?" (German source, translated in the catalog)
    context: str = ""


NEEDS: dict[str, Need] = {
    "counselling": Need(flow=COUNSELLING_FLOW, title="🤝 Beratung finden", context="main_menu/choose"),
    "report_discrimination": Need(
        flow="report", title="🏠 Diskriminierung melden", context="main_menu/choose"
    ),
    "workshops": Need(flow="workshops", title="📅 Workshops", context="main_menu/choose"),
    "delete_data": Need(command="delete", title="🗑️ Meine Daten löschen", context="main_menu/choose"),
    "delete_traces": Need(command="traces", title="🧹 Chat löschen", context="main_menu/choose"),
    "change_language": Need(command="language", title="🌐 Sprache ändern", context="main_menu/choose"),
    "menu": Need(command="menu"),
}


def is_alarm(intent: str) -> bool:
    return intent in (DANGER, VIOLENCE)


def topic_of(intent: str) -> str:
    """`topic_health` -> `health`; violence at home is the violence topic."""
    if intent == VIOLENCE:
        return "violence"
    return intent[len(TOPIC) :] if intent.startswith(TOPIC) else ""


def sure_need(hearing: Hearing) -> str:
    """The intent to follow without asking, or "" when she must be asked."""
    if hearing.intent == OTHER:
        return ""
    second = hearing.ranking[1][1] if len(hearing.ranking) > 1 else 0.0
    if hearing.confidence >= SURE or (hearing.confidence >= CLEAR and hearing.confidence >= AHEAD * second):
        return hearing.intent
    return ""


def likely_needs(hearing: Hearing) -> list[str]:
    """Up to three needs to offer under "Did you mean …?" (not small talk, not "other", not danger)."""
    offered = [
        intent
        for intent, probability in hearing.ranking
        if probability >= ASK_FROM
        and intent not in (OTHER, *SMALL_TALK, DANGER)
        and (intent in NEEDS or topic_of(intent))
    ]
    return offered[:OFFERED]
