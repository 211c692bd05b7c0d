"""The workshop actions: list what is coming, subscribe and unsubscribe, calendar file, venue.

Slots read: `language`, `channel`, `workshop` (an id), `workshop_choice` (remind, stop, all, all_off).
Slots set: `workshop_open_<id>` (which workshops may be chosen now), `workshops_any`, `workshop`
(when exactly one is coming), `can_remind` (the channel can write to her first), `workshop_subscribed`,
`announcements_on`. Subscriptions are the store's topics `workshop:<id>` and `announcements`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol, cast

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import workshop_texts as texts
from bot.actions.tracker import contact_of, language_of
from bot.content.workshops import (
    ANNOUNCEMENTS,
    DEFAULT_REMINDERS,
    Workshop,
    Workshops,
    calendar_file,
    topic_of,
)
from bot.engine.conditions import parse_condition
from bot.engine.flows import Choice
from bot.i18n.catalog import Catalog
from bot.outbox.announce import PUSH_CHANNELS

ACTION_NAMES = (
    "action_list_workshops",
    "action_workshop_status",
    "action_workshop_subscription",
    "action_workshop_calendar",
    "action_workshop_venue",
)
MENU = "workshops"


class Subscriptions(Protocol):
    """The store's subscription methods (synchronous, quick)."""

    def subscribe(self, channel: str, platform_id: str, topic: str) -> bool: ...

    def unsubscribe(self, channel: str, platform_id: str, topic: str) -> bool: ...

    def subscriptions(self, channel: str, platform_id: str) -> list[str]: ...


def open_slot(workshop_id: str) -> str:
    return f"workshop_open_{workshop_id}"


def workshop_choices(workshops: Workshops) -> list[Choice]:
    """The `workshops` menu for the engine: one button per workshop, shown while it is coming up."""
    return [
        Choice(
            value=workshop.id,
            title=workshop.title,
            condition=parse_condition(f"slots.{open_slot(workshop.id)}"),
            context=f"workshop/{workshop.id}/title",
            emoji="📅",
        )
        for workshop in sorted(workshops.workshops, key=lambda w: w.starts_at)
    ]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class _Workshops:
    """What every workshop action holds and shares (mixed into each rasa_sdk Action)."""

    def __init__(
        self,
        workshops: Workshops,
        catalog: Catalog,
        store: Subscriptions,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.workshops = workshops
        self.catalog = catalog
        self.store = store
        self.now = now

    def chosen(self, tracker: Tracker) -> Workshop | None:
        return self.workshops.get(str(tracker.get_slot("workshop") or ""))

    def status(self, tracker: Tracker, workshop: Workshop | None) -> list[dict[str, Any]]:
        channel, platform_id = contact_of(tracker)
        topics = set(self.store.subscriptions(channel, platform_id)) if platform_id else set()
        return [
            SlotSet("can_remind", channel in PUSH_CHANNELS),
            SlotSet("announcements_on", ANNOUNCEMENTS in topics),
            SlotSet("workshop_subscribed", workshop is not None and topic_of(workshop.id) in topics),
        ]


class ActionListWorkshops(_Workshops, Action):  # type: ignore[misc]  # rasa_sdk is untyped
    def name(self) -> str:
        return "action_list_workshops"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        upcoming = self.workshops.upcoming(self.now())
        open_ids = {workshop.id for workshop in upcoming}
        events = [SlotSet(open_slot(w.id), w.id in open_ids) for w in self.workshops.workshops]
        if not upcoming:
            dispatcher.utter_message(text=texts.say(self.catalog, language, "none"))
        else:
            dispatcher.utter_message(text=texts.say(self.catalog, language, "heading"))
            for workshop in upcoming:
                dispatcher.utter_message(text=texts.describe(workshop, self.catalog, language))
        single = upcoming[0] if len(upcoming) == 1 else None
        events += [
            SlotSet("workshops_any", bool(upcoming)),
            SlotSet("workshop", single.id if single else None),
        ]
        return events + self.status(tracker, single)


class ActionWorkshopStatus(_Workshops, Action):  # type: ignore[misc]  # rasa_sdk is untyped
    def name(self) -> str:
        return "action_workshop_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return self.status(tracker, self.chosen(tracker))


class ActionWorkshopSubscription(_Workshops, Action):  # type: ignore[misc]  # rasa_sdk is untyped
    def name(self) -> str:
        return "action_workshop_subscription"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        channel, platform_id = contact_of(tracker)
        choice = str(tracker.get_slot("workshop_choice") or "")
        workshop = self.chosen(tracker)
        if channel not in PUSH_CHANNELS or not platform_id:
            dispatcher.utter_message(text=texts.say(self.catalog, language, "push_only"))
            return self.status(tracker, workshop)
        if choice == "remind" and workshop is not None:
            self.store.subscribe(channel, platform_id, topic_of(workshop.id))
            default = tuple(self.workshops.offsets(workshop)) == DEFAULT_REMINDERS
            dispatcher.utter_message(
                text=texts.say(self.catalog, language, "subscribed" if default else "subscribed_custom")
            )
        elif choice == "stop" and workshop is not None:
            self.store.unsubscribe(channel, platform_id, topic_of(workshop.id))
            dispatcher.utter_message(text=texts.say(self.catalog, language, "unsubscribed"))
        elif choice == "all":
            self.store.subscribe(channel, platform_id, ANNOUNCEMENTS)
            dispatcher.utter_message(text=texts.say(self.catalog, language, "all_on"))
        elif choice == "all_off":
            self.store.unsubscribe(channel, platform_id, ANNOUNCEMENTS)
            dispatcher.utter_message(text=texts.say(self.catalog, language, "all_off"))
        return self.status(tracker, workshop)


class ActionWorkshopCalendar(_Workshops, Action):  # type: ignore[misc]  # rasa_sdk is untyped
    """The `.ics` file rides on the message as `custom.document`; each channel shows it its way
    (Telegram: a document; web chat: a download link)."""

    def name(self) -> str:
        return "action_workshop_calendar"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        workshop = self.chosen(tracker)
        if workshop is None:
            dispatcher.utter_message(text=texts.say(self.catalog, language, "gone"))
            return []
        title = texts.title(workshop, self.catalog, language)
        description = texts.describe(workshop, self.catalog, language)
        content = calendar_file(workshop, title, description, self.now())
        dispatcher.utter_message(
            text=texts.say(self.catalog, language, "calendar"),
            json_message={
                "msgid": texts.context("calendar"),
                "document": {
                    "filename": f"{workshop.id}.ics",
                    "mime_type": "text/calendar",
                    "content": content,
                },
            },
        )
        return []


class ActionWorkshopVenue(_Workshops, Action):  # type: ignore[misc]  # rasa_sdk is untyped
    def name(self) -> str:
        return "action_workshop_venue"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        workshop = self.chosen(tracker)
        if workshop is None:
            dispatcher.utter_message(text=texts.say(self.catalog, language, "gone"))
            return []
        place = workshop.place
        dispatcher.utter_message(
            text=texts.say(self.catalog, language, "where", place=f"{place.name}, {place.line()}"),
            json_message={
                "msgid": texts.context("where"),
                "venue": {
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "title": place.name,
                    "address": place.line(),
                },
            },
        )
        return []


def build_workshop_actions(
    workshops: Workshops, catalog: Catalog, store: Subscriptions, now: Callable[[], datetime] = _utcnow
) -> list[Action]:
    """Every workshop action, for the registry (`bot/cli/wiring.py`)."""
    kinds: tuple[type[_Workshops], ...] = (
        ActionListWorkshops,
        ActionWorkshopStatus,
        ActionWorkshopSubscription,
        ActionWorkshopCalendar,
        ActionWorkshopVenue,
    )
    return [cast(Action, kind(workshops, catalog, store, now)) for kind in kinds]
