"""`action_find_offers`: offers that fit her topic and place, three at a time, in her language.

Slots read: `topic`, `language`, `municipality` (an id, "anywhere", or "nearby" with `location` = [lat, lon])
and `offers_page`. Slots set: `offers_page` (the next page, 0 after the last) and `offers_more`.
The national hotlines for her topic close the list (the emergency ones already on the first page),
so the answer never ends in a dead end.
"""

from __future__ import annotations

import math
from typing import Any

from babel import Locale, UnknownLocaleError
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.texts import TEXTS, context
from bot.actions.tracker import language_of
from bot.content.model import Content, Hotline, Offer
from bot.content.search import ANYWHERE, NEARBY, Point, find_offers, hotlines_for, matches_topic
from bot.content.translatable import hotline_context, offer_context, topic_context
from bot.i18n.catalog import Catalog
from bot.i18n.languages import BY_CODE

PAGE_SIZE = 3
SEPARATOR = " · "


class ActionFindOffers(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    def __init__(self, content: Content, catalog: Catalog) -> None:
        self.content = content
        self.catalog = catalog

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

        dispatcher.utter_message(text=self._heading(language, topic, municipality, exact, page, pages))
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
            heading = self._say(language, "hotlines_heading")
            dispatcher.utter_message(text=f"{heading}\n\n{self.hotline_text(hotlines, language)}")
        return [SlotSet("offers_page", page + 1 if more else 0), SlotSet("offers_more", more)]

    def _say(self, language: str, key: str, **fields: str) -> str:
        return self.catalog.filled(language, TEXTS[key], context(key), **fields).text

    def _local(self, language: str, german: str, text_context: str) -> str:
        return self.catalog.text(language, german, text_context).text

    def _heading(
        self, language: str, topic_id: str, municipality: str, exact: bool, page: int, pages: int
    ) -> str:
        if page > 0:
            return self._say(language, "heading_more", page=str(page + 1), pages=str(pages))
        topic = self.content.topic(topic_id)
        if topic is None:
            return self._say(language, "heading_general")
        title = self._local(language, topic.title, topic_context(topic.id))
        if not exact:
            return f"{topic.emoji} {self._say(language, 'no_exact_match', topic=title)}"
        place = self.content.municipality(municipality)
        if place is not None:
            heading = self._say(language, "heading_place", topic=title, place=place.name)
        elif municipality == NEARBY:
            heading = self._say(language, "heading_nearby", topic=title)
        else:
            heading = self._say(language, "heading_anywhere", topic=title)
        return f"{topic.emoji} {heading}"

    def utter_offer(self, dispatcher: CollectingDispatcher, offer: Offer, language: str) -> None:
        """One message for one offer, with a map pin when it has an address (also used for emergencies)."""
        lines = [offer.name, self._local(language, offer.description, offer_context(offer.id, "description"))]
        spoken = [_language_name(code, language) for code in offer.languages]
        if offer.interpreters:
            spoken.append(self._say(language, "interpreters"))
        if spoken:
            lines.append("🗣 " + self._say(language, "languages", languages=SEPARATOR.join(spoken)))
        marks = [
            self._say(language, key) for key in ("free", "anonymous", "women_only") if getattr(offer, key)
        ]
        if marks:
            lines.append("✓ " + SEPARATOR.join(marks))
        if offer.region:
            lines.append("🧭 " + self._say(language, "neighbour_region", region=offer.region))
        if offer.address:
            lines.append(f"📍 {offer.address.line()}")
        if offer.opening_hours:
            hours = self._local(language, offer.opening_hours, offer_context(offer.id, "opening_hours"))
            lines.append(f"🕒 {hours}")
        if offer.phone:
            lines.append(f"☎ {offer.phone}")
        if offer.email:
            lines.append(f"✉ {offer.email}")
        if offer.web:
            lines.append(f"🌐 {offer.web}")
        venue = self._venue(offer)
        if venue is None:
            dispatcher.utter_message(text="\n".join(lines))
        else:
            dispatcher.utter_message(text="\n".join(lines), json_message={"venue": venue})

    def _venue(self, offer: Offer) -> dict[str, Any] | None:
        """A map pin at the office: its own coordinates, else the centre of its town."""
        address = offer.address
        if address is None:
            return None
        if address.latitude is not None and address.longitude is not None:
            point = (address.latitude, address.longitude)
        elif (town := self.content.municipality(address.municipality)) is not None:
            point = town.point
        else:
            return None
        return {"latitude": point[0], "longitude": point[1], "title": offer.name, "address": address.line()}

    def hotline_text(self, hotlines: list[Hotline], language: str) -> str:
        """The hotlines as blocks of number, name, description, hours and languages (also for emergencies)."""
        blocks = []
        for hotline in hotlines:
            numbers = " / ".join(f"☎ {number}" for number in (hotline.number, *hotline.other_numbers))
            name = self._local(language, hotline.name, hotline_context(hotline.id, "name"))
            details = [self._local(language, hotline.hours, hotline_context(hotline.id, "hours"))]
            details += [self._say(language, key) for key in ("free", "anonymous") if getattr(hotline, key)]
            lines = [
                f"{numbers} – {name}",
                self._local(language, hotline.description, hotline_context(hotline.id, "description")),
                SEPARATOR.join(details),
            ]
            if hotline.languages_note:
                lines.append(
                    "🗣 "
                    + self._local(
                        language, hotline.languages_note, hotline_context(hotline.id, "languages_note")
                    )
                )
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def _language_name(code: str, audience: str) -> str:
    """Our languages by their own name (she recognises her script); others in her language, else English."""
    if code in BY_CODE:
        return BY_CODE[code].native_name
    for locale in (audience, "en"):
        try:
            name = Locale.parse(locale).languages.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            return str(name)
    return code


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
