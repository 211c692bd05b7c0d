"""`action_show_emergency`: the numbers to call now, and the women's shelter nearby.

Reached from every step (a command, a button or a keyword in any language). The texts of the
hotlines and the shelter come from the content, so staff keep them current in one place.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.offers import ActionFindOffers
from bot.actions.tracker import language_of
from bot.content import Content, emergency_hotlines, shelters
from bot.i18n.catalog import Catalog

ACTION = "action_show_emergency"

TEXTS: dict[str, str] = {
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
        self.offers = ActionFindOffers(content, catalog)

    def name(self) -> str:
        return ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        hotlines = emergency_hotlines(self.content)
        if hotlines:
            text = self.offers.hotline_text(hotlines, language)
            heading = self.catalog.text(language, TEXTS["numbers"], context("numbers")).text
            dispatcher.utter_message(text=f"{heading}\n\n{text}")
        places = shelters(self.content)
        if places:
            dispatcher.utter_message(
                text=self.catalog.text(language, TEXTS["shelter"], context("shelter")).text
            )
            for shelter in places:
                self.offers.utter_offer(dispatcher, shelter, language)
        return []
