"""The actions of the report flow (`flows/report.yml`): selections, scrubbing, summary, submit, add.

They never log, and never put a chat id, a receipt code or a report id into a slot: the sender id is used
only in memory, under a keyed hash with a daily key (`DailyLimiter`), to stop floods from one chat.
Slots read and set are all `report_*`, erased by the engine when the sensitive flow ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.cards import Cards
from bot.actions.report_texts import MARK_CONTEXT, TEXTS
from bot.actions.tracker import language_of
from bot.content.model import Content
from bot.content.search import find_offers, hotlines_for, matches_topic
from bot.i18n.catalog import Catalog
from bot.i18n.compose import Composition
from bot.reports import categories, receipt
from bot.reports.limits import DailyLimiter, GuardedLimiter
from bot.reports.model import Report
from bot.reports.periods import iso_week, months_ago
from bot.reports.scrub import scrub, shown_in
from bot.store.reports import ReportStore

TOPIC = "discrimination"
MAX_OFFERS = 3
REPORTS_PER_DAY = 3
WRONG_CODES_PER_DAY = 5
# For everybody together: the Kreis expects a few reports a month; more than this in one day is a flood.
REPORTS_PER_DAY_OVERALL = 50
WRONG_CODES_PER_DAY_OVERALL = 200

Events = list[dict[str, Any]]


class _Voice:
    """Speaking in her language, with the text's catalog context as msgid (tests and review rely on it)."""

    def __init__(self, catalog: Catalog, action: str) -> None:
        self.catalog = catalog
        self.action = action

    def say(self, dispatcher: CollectingDispatcher, language: str, key: str, **fields: str) -> None:
        context = f"{self.action}/{key}"
        localized = self.catalog.filled(language, TEXTS[context], context, **fields)
        dispatcher.utter_message(
            text=localized.text, json_message={"msgid": context, "status": localized.status}
        )


def _text(tracker: Tracker, slot: str) -> str:
    value = tracker.get_slot(slot)
    return value.strip() if isinstance(value, str) else ""


def _written(tracker: Tracker) -> str:
    """Her own words, if she chose to write some (the cancel button of that step is not her text)."""
    text = _text(tracker, "report_text")
    return "" if text == categories.CANCEL else text


def _values(tracker: Tracker, slot: str, allowed: Mapping[str, str]) -> list[str]:
    """The answer of a one-tap question as the report's list of answers (empty when not one of ours)."""
    value = _text(tracker, slot)
    return [value] if value in allowed else []


class ActionReportBegin(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    """Before the first question: a chat that has sent its reports for today is told so, kindly."""

    def __init__(self, catalog: Catalog, limiter: DailyLimiter) -> None:
        self.voice = _Voice(catalog, self.name())
        self.limiter = limiter

    def name(self) -> str:
        return "action_report_begin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        blocked = not self.limiter.allows(tracker.sender_id)
        if blocked:
            self.voice.say(dispatcher, language_of(tracker), "limit")
        return [SlotSet("report_blocked", blocked)]


class ActionReportScrub(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    """Take what could name anyone out of her text (a report's or an addition's) in the turn she wrote
    it, before the session is saved, and tell her."""

    def __init__(self, catalog: Catalog) -> None:
        self.voice = _Voice(catalog, self.name())

    def name(self) -> str:
        return "action_report_scrub"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        events, changed = [], False
        for slot in ("report_text", "report_addition"):
            written = _text(tracker, slot)
            if written and written != "cancel":
                scrubbed = scrub(written)
                changed = changed or scrubbed.changed
                events.append(SlotSet(slot, scrubbed.text))
        if changed:
            self.voice.say(dispatcher, language_of(tracker), "removed")
        return events


class ActionReportSummary(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    """Everything she answered, in her words and language, before she confirms."""

    def __init__(self, catalog: Catalog, content: Content) -> None:
        self.voice = _Voice(catalog, self.name())
        self.catalog = catalog
        self.content = content

    def name(self) -> str:
        return "action_report_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        parts = Composition(self.catalog, language_of(tracker))

        def line(key: str, value: str) -> str:
            context = f"{self.name()}/{key}"
            return parts.filled(TEXTS[context], context, value=value)

        def label(slot: str, table: Mapping[str, str], context: str) -> str:
            value = _text(tracker, slot)
            return parts.text(table[value], context) if value in table else ""

        place = self.content.municipality(_text(tracker, "report_municipality"))
        text = _written(tracker)
        heading = f"{self.name()}/heading"
        no_text = f"{self.name()}/no_text"
        lines = [
            parts.text(TEXTS[heading], heading),
            line("forms", label("report_form", categories.FORMS, categories.FORM_CONTEXT)),
            line("stage", label("report_stage", categories.STAGES, categories.STAGE_CONTEXT)),
            line("actor", label("report_actor", categories.ACTORS, categories.ACTOR_CONTEXT)),
            line(
                "place",
                place.name if place else parts.text(categories.UNSAID_PLACE, categories.PLACE_CONTEXT),
            ),
            line("when", label("report_when", categories.WHEN, categories.WHEN_CONTEXT)),
            line("grounds", label("report_ground", categories.GROUNDS, categories.GROUND_CONTEXT)),
            line("text", shown_in(text, lambda mark: parts.text(mark, MARK_CONTEXT)))
            if text
            else parts.text(TEXTS[no_text], no_text),
        ]
        dispatcher.utter_message(text="\n".join(lines), json_message=parts.meta())
        return []


class ActionReportSubmit(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    """Store the report without identity, show the receipt code once, the AGG deadline and counselling."""

    def __init__(
        self,
        catalog: Catalog,
        content: Content,
        reports: ReportStore,
        limiter: DailyLimiter,
        *,
        pepper: bytes,
        today: Callable[[], date],
    ) -> None:
        self.voice = _Voice(catalog, self.name())
        self.catalog = catalog
        self.content = content
        self.cards = Cards(content)
        self.reports = reports
        self.limiter = limiter
        self.pepper = pepper
        self.today = today

    def name(self) -> str:
        return "action_report_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        language = language_of(tracker)
        if not self.limiter.take(tracker.sender_id):
            self.voice.say(dispatcher, language, "limit")
            return []
        report = self._report(tracker, language)
        code = receipt.new_code()
        # Durable (in the sealed pool) before she reads "thank you"; mixed into the reports later.
        self.reports.add(report, receipt.seal(code, self.pepper), day=self.today())
        # Two messages, not seven: the thanks with her code, then her rights with where to get help.
        parts = Composition(self.catalog, language)
        thanks = [self._say(parts, "thanks"), "", self._say(parts, "code"), parts.name(receipt.display(code))]
        dispatcher.utter_message(text="\n".join(thanks), json_message=parts.meta())
        parts = Composition(self.catalog, language)
        help_lines = [self._say(parts, "deadline")]
        counselling = self._counselling(parts, report.municipality)
        if counselling:
            help_lines += ["", self._say(parts, "counselling"), "", counselling]
        dispatcher.utter_message(text="\n".join(help_lines), json_message=parts.meta())
        return []

    def _say(self, parts: Composition, key: str) -> str:
        context = f"{self.name()}/{key}"
        return parts.text(TEXTS[context], context)

    def _report(self, tracker: Tracker, language: str) -> Report:
        today = self.today()
        when = _text(tracker, "report_when")
        month = months_ago(today, int(when[1:])) if when in categories.WHEN and when.startswith("m") else None
        place = _text(tracker, "report_municipality")
        text = scrub(_written(tracker)).text
        stage, actor = _text(tracker, "report_stage"), _text(tracker, "report_actor")
        return Report(
            id=str(uuid.uuid4()),
            reported_week=iso_week(today),
            incident_month=month,
            incident="month" if month else (when if when in categories.WHEN else categories.UNSAID),
            language=language,
            forms=tuple(_values(tracker, "report_form", categories.FORMS)),
            stage=stage if stage in categories.STAGES else categories.UNSAID,
            actor=actor if actor in categories.ACTORS else categories.UNSAID,
            municipality=place if self.content.municipality(place) else categories.UNSAID,
            grounds=tuple(_values(tracker, "report_ground", categories.GROUNDS)),
            text=text or None,
        )

    def _counselling(self, parts: Composition, place: str) -> str:
        """Offers and hotlines for discrimination from the directory; never stored with the report."""
        municipality = place if self.content.municipality(place) else None
        offers = [
            offer
            for offer in find_offers(self.content, TOPIC, municipality, parts.language, None)
            if matches_topic(offer, TOPIC)
        ][:MAX_OFFERS]
        blocks = [self.cards.offer(offer, parts, brief=True) for offer in offers]
        hotlines = hotlines_for(self.content, TOPIC)
        if hotlines:
            blocks.append(self.cards.hotlines(hotlines, parts, email=True))
        return "\n\n".join(blocks)


class ActionReportAdd(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    """Add her text to the report her receipt code opens; a wrong code gets a kind answer (a few a day)."""

    def __init__(
        self,
        catalog: Catalog,
        reports: ReportStore,
        limiter: DailyLimiter,
        *,
        pepper: bytes,
        today: Callable[[], date],
    ) -> None:
        self.voice = _Voice(catalog, self.name())
        self.reports = reports
        self.limiter = limiter
        self.pepper = pepper
        self.today = today

    def name(self) -> str:
        return "action_report_add"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        language = language_of(tracker)
        sender = tracker.sender_id
        forget_code = SlotSet("report_code", None)
        if not self.limiter.allows(sender):
            self.voice.say(dispatcher, language, "blocked")
            return [forget_code, SlotSet("report_code_result", "blocked")]
        report_id = self._find(_text(tracker, "report_code"))
        if report_id is None:
            self.limiter.take(sender)
            result = "wrong" if self.limiter.allows(sender) else "blocked"
            self.voice.say(dispatcher, language, result)
            return [forget_code, SlotSet("report_code_result", result)]
        scrubbed = scrub(_text(tracker, "report_addition"))
        if not self.reports.append(report_id, scrubbed.text, iso_week(self.today()), day=self.today()):
            self.voice.say(dispatcher, language, "gone")
            return [forget_code, SlotSet("report_code_result", "gone")]
        if scrubbed.changed:
            self.voice.say(dispatcher, language, "removed")
        self.voice.say(dispatcher, language, "added")
        return [forget_code, SlotSet("report_code_result", "added")]

    def _find(self, typed: str) -> str | None:
        code = receipt.normalize(typed)
        if code is None:
            return None
        for report_id, sealed in self.reports.candidates(receipt.tag(code, self.pepper)):
            if receipt.matches(code, sealed, self.pepper):
                return report_id
        return None


def report_actions(
    content: Content,
    catalog: Catalog,
    reports: ReportStore,
    *,
    pepper: bytes = b"",
    today: Callable[[], date] = date.today,
    reports_per_day: int = REPORTS_PER_DAY,
    wrong_codes_per_day: int = WRONG_CODES_PER_DAY,
    reports_per_day_overall: int = REPORTS_PER_DAY_OVERALL,
    wrong_codes_per_day_overall: int = WRONG_CODES_PER_DAY_OVERALL,
) -> Sequence[Action]:
    """All report actions, sharing one in-memory limiter for reports and one for wrong codes, each per
    sender and for all senders together."""
    submitted = GuardedLimiter(reports_per_day, reports_per_day_overall, today=today)
    wrong_codes = GuardedLimiter(wrong_codes_per_day, wrong_codes_per_day_overall, today=today)
    return [
        ActionReportBegin(catalog, submitted),
        ActionReportScrub(catalog),
        ActionReportSummary(catalog, content),
        ActionReportSubmit(catalog, content, reports, submitted, pepper=pepper, today=today),
        ActionReportAdd(catalog, reports, wrong_codes, pepper=pepper, today=today),
    ]
