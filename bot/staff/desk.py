"""The staff desk: `/broadcast` and `/broadcasts` for KI staff, as a small state machine.

A channel hands a staff member's input here (`wants` says when) and sends back the messages it
returns; everyone else never reaches it, and their `/broadcast` becomes `/menu` (`rewrite`). The
desk knows no platform: buttons carry `staff:` payloads and free text is the German text or a
translation. A broadcast is written to the database only when staff confirm it, and every
confirmed step is written to the audit log.

Steps: audience (all subscribers, a workshop's subscribers, or by language) -> German text -> per
audience language a draft (machine draft when a drafter is configured) to accept, replace or skip
-> preview per language -> send now or at a time -> confirm.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.content.workshops import ANNOUNCEMENTS, BERLIN, Workshops, topic_of
from bot.engine.model import Button, Input, Message
from bot.i18n.catalog import Catalog
from bot.i18n.languages import BY_CODE, LANGUAGES, SOURCE, direction
from bot.outbox import announce
from bot.outbox.announce import MAX_TEXT, PUSH_CHANNELS, Queueing, final_texts, queue_announcement
from bot.staff.texts import TEXTS, shortened
from bot.store.outbox import AnnouncementView, Audience, summary

PREFIX = "staff:"
COMMANDS = ("/broadcast", "/broadcasts", "/stats")

Statistics = Callable[[], tuple[bytes, str]]
"""The anonymous report statistics for staff: a chart (PNG) and a German summary."""


class Drafter(Protocol):
    """The machine-draft path (`bot/translation/`): a draft translation from German, or None."""

    def draft(self, text: str, target: str) -> str | None: ...


class Announcements(Queueing, Protocol):
    """The store's outbox as the desk uses it (synchronous; run in worker threads): queueing and more."""

    def create(
        self,
        *,
        kind: str,
        text: str,
        audience: Audience,
        created_by: str,
        now: datetime,
        translations: dict[str, str] | None = None,
        send_at: datetime | None = None,
        status: str = "draft",
    ) -> int: ...

    def recent(self, limit: int = 20, kind: str | None = None) -> list[AnnouncementView]: ...

    def counts(self, announcement_id: int) -> dict[str, int]: ...

    def cancel(self, announcement_id: int) -> int: ...

    def audit(
        self, actor: str, action: str, subject: str, details: dict[str, Any], now: datetime
    ) -> None: ...


@dataclass
class _Draft:
    step: str = "audience"
    topics: tuple[str, ...] = (ANNOUNCEMENTS,)
    languages: list[str] = field(default_factory=list)
    text: str = ""
    translations: dict[str, str] = field(default_factory=dict)
    to_translate: list[str] = field(default_factory=list)
    offered: str = ""
    send_at: datetime | None = None
    recipients: dict[str, int] = field(default_factory=dict)

    @property
    def audience(self) -> Audience:
        return Audience(self.topics, tuple(self.languages))


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _say(key: str, **fields: object) -> str:
    return TEXTS[key].format(**fields)


def _message(text: str, *buttons: tuple[str, str]) -> Message:
    return Message(text=text, buttons=tuple(Button(title, PREFIX + payload) for title, payload in buttons))


class Desk:
    def __init__(
        self,
        staff_ids: Collection[int],
        announcements: Announcements,
        workshops: Workshops,
        catalog: Catalog,
        *,
        drafter: Drafter | None = None,
        wake: Callable[[], None] = lambda: None,
        now: Callable[[], datetime] = _utcnow,
        channels: Sequence[str] = PUSH_CHANNELS,
        statistics: Statistics | None = None,
    ) -> None:
        self.staff_ids = frozenset(staff_ids)
        self.announcements = announcements
        self.workshops = workshops
        self.catalog = catalog
        self.drafter = drafter
        self.wake = wake
        self.now = now
        self.channels = tuple(channels)
        self.statistics = statistics
        self._drafts: dict[int, _Draft] = {}

    # -- routing ---------------------------------------------------------------------------------

    def commands(self) -> list[tuple[str, str]]:
        """Staff's own commands and what they do, for the command menu in staff chats only."""
        return [(command.lstrip("/"), TEXTS[f"command{command}"]) for command in COMMANDS]

    def is_staff(self, user_id: int) -> bool:
        return user_id in self.staff_ids

    def wants(self, user_id: int, user_input: Input) -> bool:
        """True when this input belongs to the desk: a staff member's staff command, button or answer."""
        if not self.is_staff(user_id):
            return False
        if user_input.kind == "payload":
            return user_input.payload.startswith(PREFIX)
        if user_input.kind != "text":
            return False
        command = user_input.text.strip().split()[0].lower() if user_input.text.strip() else ""
        if command in COMMANDS:
            return True
        draft = self._drafts.get(user_id)
        return (
            draft is not None and draft.step in ("text", "translate", "time") and not command.startswith("/")
        )

    def rewrite(self, user_id: int, user_input: Input) -> Input:
        """What the host gets instead: for anyone not on staff, `/broadcast` is just `/menu`."""
        if self.is_staff(user_id) or user_input.kind != "text":
            return user_input
        words = user_input.text.strip().split()
        if words and words[0].lower() in COMMANDS:
            return Input.of_text("/menu", user_input.language_hint)
        return user_input

    # -- the conversation ------------------------------------------------------------------------

    async def handle(self, user_id: int, user_input: Input) -> list[Message]:
        if not self.is_staff(user_id):
            return []
        actor = f"telegram:{user_id}"
        if user_input.kind == "text":
            text = user_input.text.strip()
            command = text.split()[0].lower() if text else ""
            if command == "/broadcasts":
                return await self._overview(actor)
            if command == "/stats":
                return await self._statistics()
            if command == "/broadcast":
                self._drafts[user_id] = _Draft()
                return [self._ask_audience()]
            draft = self._drafts.get(user_id)
            if draft is None:
                return [_message(_say("start"))]
            return await self._typed(user_id, draft, text)
        payload = user_input.payload[len(PREFIX) :] if user_input.kind == "payload" else ""
        if payload.startswith("stop:"):
            return await self._cancel(actor, payload.removeprefix("stop:"))
        draft = self._drafts.get(user_id)
        if payload == "cancel" or draft is None:
            self._drafts.pop(user_id, None)
            return [_message(_say("cancelled"))]
        return await self._pressed(user_id, actor, draft, payload)

    async def _statistics(self) -> list[Message]:
        """The last twelve months of anonymous reports, small counts suppressed, for the Arbeitskreis."""
        if self.statistics is None:
            return [_message(_say("no_statistics"))]
        chart, summary_text = await asyncio.to_thread(self.statistics)
        return [Message(summary_text[:MAX_TEXT], image=chart)]

    def _ask_audience(self) -> Message:
        buttons = [(_say("audience_all"), "aud:all")]
        for workshop in self.workshops.upcoming(self.now()):
            buttons.append(
                (_say("audience_workshop", title=shortened(workshop.title)), f"aud:w:{workshop.id}")
            )
        buttons += [(_say("audience_language"), "aud:lang"), (_say("cancel"), "cancel")]
        return _message(_say("ask_audience"), *buttons)

    def _ask_languages(self, draft: _Draft) -> Message:
        buttons = [
            (
                ("✅ " if language.code in draft.languages else "") + language.native_name,
                f"lang:{language.code}",
            )
            for language in LANGUAGES
        ]
        return _message(
            _say("ask_languages"), *buttons, (_say("languages_done"), "lang:done"), (_say("cancel"), "cancel")
        )

    async def _pressed(self, user_id: int, actor: str, draft: _Draft, payload: str) -> list[Message]:
        if draft.step == "audience" and payload.startswith("aud:"):
            choice = payload.removeprefix("aud:")
            if choice == "lang":
                draft.step = "languages"
                return [self._ask_languages(draft)]
            if choice.startswith("w:") and self.workshops.get(choice[2:]) is not None:
                draft.topics = (topic_of(choice[2:]),)
            draft.step = "text"
            return [_message(_say("ask_text", limit=MAX_TEXT), (_say("cancel"), "cancel"))]
        if draft.step == "languages" and payload.startswith("lang:"):
            code = payload.removeprefix("lang:")
            if code == "done" and draft.languages:
                draft.step = "text"
                return [_message(_say("ask_text", limit=MAX_TEXT), (_say("cancel"), "cancel"))]
            if code in BY_CODE:
                if code in draft.languages:
                    draft.languages.remove(code)
                else:
                    draft.languages.append(code)
            return [self._ask_languages(draft)]
        if draft.step == "translate" and payload in ("tr:accept", "tr:skip"):
            if payload == "tr:accept" and draft.offered:
                draft.translations[draft.to_translate[0]] = draft.offered
            draft.to_translate.pop(0)
            return await self._next_translation(draft)
        if draft.step == "preview" and payload in ("send:now", "send:later"):
            if payload == "send:later":
                draft.step = "time"
                return [_message(_say("ask_time"), (_say("cancel"), "cancel"))]
            draft.send_at = None
            draft.step = "confirm"
            return [self._ask_confirm(draft)]
        if draft.step == "confirm" and payload == "confirm":
            self._drafts.pop(user_id, None)
            return await self._commit(actor, draft)
        return [_message(_say("stale"))]

    async def _typed(self, user_id: int, draft: _Draft, text: str) -> list[Message]:
        if draft.step == "text":
            if not text or len(text) > MAX_TEXT or announce.is_placeholder(text):
                return [_message(_say("ask_text", limit=MAX_TEXT), (_say("cancel"), "cancel"))]
            draft.text = text
            draft.recipients = await asyncio.to_thread(
                self.announcements.audience_languages, draft.audience, self.channels
            )
            wanted = draft.languages or sorted(draft.recipients)
            draft.to_translate = [code for code in wanted if code != SOURCE and code in BY_CODE]
            draft.step = "translate"
            return await self._next_translation(draft)
        if draft.step == "translate" and draft.to_translate:
            if len(text) > MAX_TEXT:
                return [_message(_say("too_long", limit=MAX_TEXT))]
            if announce.is_placeholder(text):
                return [_message(_say("placeholder")), *await self._next_translation(draft)]
            draft.translations[draft.to_translate.pop(0)] = text
            return await self._next_translation(draft)
        if draft.step == "time":
            moment = _parse_time(text)
            if moment is None or moment <= self.now():
                return [_message(_say("bad_time"), (_say("cancel"), "cancel"))]
            draft.send_at = moment
            draft.step = "confirm"
            return [self._ask_confirm(draft)]
        return [_message(_say("stale"))]

    async def _next_translation(self, draft: _Draft) -> list[Message]:
        if not draft.to_translate:
            draft.step = "preview"
            return self._preview(draft)
        code = draft.to_translate[0]
        name = f"{BY_CODE[code].native_name} ({BY_CODE[code].english_name})"
        offered = await asyncio.to_thread(self.drafter.draft, draft.text, code) if self.drafter else None
        draft.offered = offered or ""
        if offered:
            return [
                _message(_say("offer_draft", language=name)),
                Message(text=offered, dir=direction(code)),
                _message(
                    _say("draft_choice"),
                    (_say("accept"), "tr:accept"),
                    (_say("skip"), "tr:skip"),
                    (_say("cancel"), "cancel"),
                ),
            ]
        return [
            _message(
                _say("ask_translation", language=name), (_say("skip"), "tr:skip"), (_say("cancel"), "cancel")
            )
        ]

    def _preview(self, draft: _Draft) -> list[Message]:
        languages = sorted(set(draft.recipients) | set(draft.languages) | {SOURCE})
        texts = final_texts(draft.text, draft.translations, languages, self.catalog)
        total = sum(draft.recipients.values())
        messages = [_message(_say("preview", total=total))]
        for code in languages:
            count = draft.recipients.get(code, 0)
            heading = _say(
                "preview_language",
                language=BY_CODE[code].native_name if code in BY_CODE else code,
                count=count,
            )
            messages.append(Message(text=f"{heading}\n\n{texts.get(code, draft.text)}", dir=direction(code)))
        messages.append(
            _message(
                _say("ask_when"),
                (_say("send_now"), "send:now"),
                (_say("send_later"), "send:later"),
                (_say("cancel"), "cancel"),
            )
        )
        return messages

    def _ask_confirm(self, draft: _Draft) -> Message:
        total = sum(draft.recipients.values())
        when = (
            _say("now")
            if draft.send_at is None
            else draft.send_at.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
        )
        return _message(
            _say("confirm", total=total, when=when), (_say("yes_send"), "confirm"), (_say("cancel"), "cancel")
        )

    async def _commit(self, actor: str, draft: _Draft) -> list[Message]:
        now = self.now()
        status = "scheduled" if draft.send_at is not None else "draft"

        def write() -> tuple[int, int]:
            announcement_id = self.announcements.create(
                kind="broadcast",
                text=draft.text,
                audience=draft.audience,
                created_by=actor,
                now=now,
                translations=draft.translations,
                send_at=draft.send_at,
                status=status,
            )
            details: dict[str, Any] = {
                "audience": draft.audience.to_json(),
                "translated": sorted(draft.translations),
                "send_at": draft.send_at.isoformat() if draft.send_at else None,
            }
            self.announcements.audit(actor, "create", f"announcement:{announcement_id}", details, now)
            if draft.send_at is not None:
                self.announcements.audit(actor, "schedule", f"announcement:{announcement_id}", details, now)
                return announcement_id, 0
            rows = queue_announcement(
                self.announcements,
                announcement_id,
                draft.text,
                draft.translations,
                self.catalog,
                now,
                channels=self.channels,
            )
            self.announcements.audit(actor, "send", f"announcement:{announcement_id}", {"rows": rows}, now)
            return announcement_id, rows

        announcement_id, rows = await asyncio.to_thread(write)
        if draft.send_at is not None:
            return [
                _message(
                    _say(
                        "scheduled",
                        id=announcement_id,
                        when=draft.send_at.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M"),
                    )
                )
            ]
        self.wake()
        return [_message(_say("sending", id=announcement_id, rows=rows))]

    async def _overview(self, actor: str) -> list[Message]:
        def read() -> list[tuple[AnnouncementView, dict[str, int]]]:
            self.announcements.audit(actor, "list", "announcements", {}, self.now())
            return [
                (item, summary(self.announcements.counts(item.id)))
                for item in self.announcements.recent(10, "broadcast")
            ]

        items = await asyncio.to_thread(read)
        if not items:
            return [_message(_say("none"))]
        lines = [_say("overview")]
        buttons: list[tuple[str, str]] = []
        for item, counts in items:
            when = (
                (item.send_at or item.queued_at or item.created_at)
                .astimezone(BERLIN)
                .strftime("%d.%m. %H:%M")
            )
            lines.append(
                _say(
                    "overview_line",
                    id=item.id,
                    status=_say(f"status_{item.status}"),
                    when=when,
                    text=shortened(item.text),
                    **counts,
                )
            )
            if item.status == "scheduled" or (item.status == "queued" and counts["waiting"]):
                buttons.append((_say("stop_button", id=item.id), f"stop:{item.id}"))
        return [_message("\n".join(lines), *buttons)]

    async def _cancel(self, actor: str, raw_id: str) -> list[Message]:
        if not raw_id.isdigit():
            return [_message(_say("stale"))]
        announcement_id = int(raw_id)

        def write() -> int:
            withdrawn = self.announcements.cancel(announcement_id)
            self.announcements.audit(
                actor, "cancel", f"announcement:{announcement_id}", {"withdrawn": withdrawn}, self.now()
            )
            return withdrawn

        withdrawn = await asyncio.to_thread(write)
        return [_message(_say("stopped", id=announcement_id, rows=withdrawn))]


def _parse_time(text: str) -> datetime | None:
    """`24.12.2026 18:00` or `2026-12-24 18:00`, in Düren's time."""
    for pattern in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d.%m.%y %H:%M"):
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=BERLIN)
        except ValueError:
            continue
    return None
