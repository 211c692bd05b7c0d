"""`action_find_offers`: offers that fit her topic and place, three at a time, in her language.

Slots read: `topic`, `language`, `municipality` (an id, "anywhere", or "nearby" with `location` = [lat, lon])
and `offers_page`. Slots set: `offers_page` (the next page, 0 after the last) and `offers_more`.
The national hotlines for her topic close the list (the emergency ones already on the first page),
so the answer never ends in a dead end.
"""

from __future__ import annotations

import math
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.cards import Cards
from bot.actions.texts import TEXTS, context
from bot.actions.tracker import language_of
from bot.content.model import Content, Offer
from bot.content.search import ANYWHERE, NEARBY, Point, find_offers, hotlines_for, matches_topic
from bot.content.translatable import offer_context, topic_context
from bot.i18n.catalog import Catalog
from bot.i18n.compose import Composition

PAGE_SIZE = 3


class ActionFindOffers(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    def __init__(self, content: Content, catalog: Catalog) -> None:
        self.content = content
        self.catalog = catalog
        self.cards = Cards(content)

    def name(self) -> str:
        return "action_find_offers"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        topic = _text_slot(tracker, "topic")
        municipality = _text_slot(tracker, "municipality") or ANYWHERE
        near = _point(tracker.get_slot("location")) if municipality == NEARBY else None
        if municipality == NEARBY and near is None:
            municipality = ANYWHERE
        place = None if municipality in (ANYWHERE, NEARBY) else municipality

        offers = find_offers(self.content, topic, place, language, near)
        exact = any(matches_topic(offer, topic) for offer in offers)
        pages = max(1, math.ceil(len(offers) / PAGE_SIZE))
        page = min(max(_int_slot(tracker, "offers_page"), 0), pages - 1)

        heading = self.composition(language)
        dispatcher.utter_message(
            text=self._heading(heading, topic, municipality, exact, page, pages), json_message=heading.meta()
        )
        for offer in offers[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
            self.utter_offer(dispatcher, offer, language)
        more = page < pages - 1
        # Emergency numbers for her topic (116 016) never wait behind "more"; the others close the list.
        hotlines = [
            hotline
            for hotline in hotlines_for(self.content, topic)
            if (hotline.emergency and page == 0) or (not hotline.emergency and not more)
        ]
        if hotlines:
            parts = self.composition(language)
            title = parts.text(TEXTS["hotlines_heading"], context("hotlines_heading"))
            text = f"{title}\n\n{self.cards.hotlines(hotlines, parts)}"
            dispatcher.utter_message(text=text, json_message=parts.meta())
        return [SlotSet("offers_page", page + 1 if more else 0), SlotSet("offers_more", more)]

    def composition(self, language: str) -> Composition:
        return Composition(self.catalog, language)

    def _heading(
        self, parts: Composition, topic_id: str, municipality: str, exact: bool, page: int, pages: int
    ) -> str:
        def say(key: str, **fields: str) -> str:
            parts.msgid = context(key)  # the heading names the bubble, not the topic inside it
            return parts.filled(TEXTS[key], context(key), **fields)

        if page > 0:
            return say("heading_more", page=str(page + 1), pages=str(pages))
        topic = self.content.topic(topic_id)
        if topic is None:
            return say("heading_general")
        title = parts.text(topic.title, topic_context(topic.id))
        if not exact:
            return f"{topic.emoji} {say('no_exact_match', topic=title)}"
        place = self.content.municipality(municipality)
        if place is not None:
            heading = say("heading_place", topic=title, place=place.name)
        elif municipality == NEARBY:
            heading = say("heading_nearby", topic=title)
        else:
            heading = say("heading_anywhere", topic=title)
        return f"{topic.emoji} {heading}"

    def utter_offer(self, dispatcher: CollectingDispatcher, offer: Offer, language: str) -> None:
        """One message for one offer, with a map pin when it has an address (also used for emergencies)."""
        parts = Composition(self.catalog, language, msgid=offer_context(offer.id, "description"))
        text = self.cards.offer(offer, parts)
        venue = self.cards.venue(offer)
        extra = {"venue": venue} if venue is not None else {}
        dispatcher.utter_message(text=text, json_message=parts.meta(**extra))


def _text_slot(tracker: Tracker, name: str) -> str:
    value = tracker.get_slot(name)
    return value.strip() if isinstance(value, str) else ""


def _int_slot(tracker: Tracker, name: str) -> int:
    value = tracker.get_slot(name)
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _point(value: object) -> Point | None:
    """`[lat, lon]` (or `{"latitude": .., "longitude": ..}`) from the `location` slot."""
    if isinstance(value, dict):
        value = [value.get("latitude"), value.get("longitude")]
    if isinstance(value, list | tuple) and len(value) == 2:
        try:
            return (float(value[0]), float(value[1]))
        except (TypeError, ValueError):
            return None
    return None
