"""`action_show_emergency`: the three numbers to call now, in one short message she can read at a glance
(Telegram joins it with the flow's line before it);
`action_show_emergency_details`: on her request, every emergency number explained and the women's shelter.

Reached from every step (a command, a button or a keyword in any language). The texts of the
hotlines and the shelter come from the content, so staff keep them current in one place.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.cards import Cards
from bot.actions.tracker import language_of
from bot.content import Content, emergency_hotlines, shelters
from bot.content.model import Hotline
from bot.i18n.catalog import Catalog
from bot.i18n.compose import Composition

ACTION = "action_show_emergency"
DETAILS = "action_show_emergency_details"
MORE_PAYLOAD = "emergency_more"  # the command in flows/commands.yml that shows the details
LEAD_NUMBERS = 3  # police, ambulance, the helpline against violence: the first emergency hotlines in the file

TEXTS: dict[str, str] = {
    "more": "ℹ️ Mehr Nummern und Frauenhaus",
    "numbers": "Notrufnummern (kostenlos, rund um die Uhr):",
    "shelter": "Frauenhaus – ein sicherer Ort für Sie und Ihre Kinder:",
}


def context(key: str) -> str:
    return f"{ACTION}/{key}"


def source_texts() -> list[tuple[str, str]]:
    """(context, German text) pairs for the extraction tool."""
    return [(context(key), german) for key, german in TEXTS.items()]


class ActionShowEmergency(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    def __init__(self, content: Content, catalog: Catalog) -> None:
        self.content = content
        self.catalog = catalog
        self.cards = Cards(content)

    def name(self) -> str:
        return ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        parts = Composition(self.catalog, language_of(tracker), msgid=context("lead"))
        lines = [self.cards.hotline_line(hotline, parts) for hotline in self.lead_hotlines()]
        more = parts.text(TEXTS["more"], context("more"))
        dispatcher.utter_message(
            text="\n".join(lines),
            buttons=[{"title": more, "payload": MORE_PAYLOAD}],
            json_message=parts.meta(),
        )
        return []

    def lead_hotlines(self) -> list[Hotline]:
        return emergency_hotlines(self.content)[:LEAD_NUMBERS]


class ActionShowEmergencyDetails(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    def __init__(self, content: Content, catalog: Catalog) -> None:
        self.content = content
        self.catalog = catalog
        self.cards = Cards(content)

    def name(self) -> str:
        return DETAILS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        hotlines = emergency_hotlines(self.content)
        if hotlines:
            parts = Composition(self.catalog, language)
            heading = parts.text(TEXTS["numbers"], context("numbers"))
            text = f"{heading}\n\n{self.cards.hotlines(hotlines, parts)}"
            dispatcher.utter_message(text=text, json_message=parts.meta())
        for shelter in shelters(self.content):
            parts = Composition(self.catalog, language)
            heading = parts.text(TEXTS["shelter"], context("shelter"))
            text = f"{heading}\n\n{self.cards.offer(shelter, parts)}"
            venue = self.cards.venue(shelter)
            dispatcher.utter_message(
                text=text, json_message=parts.meta(**({"venue": venue} if venue else {}))
            )
        return []
