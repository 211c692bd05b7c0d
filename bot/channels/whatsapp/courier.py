"""The outbox's way into WhatsApp: a free message inside her 24-hour window, an approved template outside.

Outside the window (or when Meta answers 131047) the announcement goes as the template for its kind
in her language. Where Meta has no template in her language, a short approved invitation in a language
she likely reads asks her to reply; her reply opens the window and the announcement follows as a free
message in her own language (the row waits, marked `invited`). With no approved template at all,
nothing is sent and the row says why, for staff. A revoked token stops every WhatsApp send until
staff renew it; the token itself is never written anywhere.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol, TypeVar

from pywa.types.templates import BodyText, TemplateLanguage
from pywa_async.client import WhatsApp

from bot.channels.whatsapp.errors import TokenRevoked, WindowClosed, delivery_error
from bot.channels.whatsapp.render import TextPart, render
from bot.channels.whatsapp.send import send_part
from bot.channels.whatsapp.templates import APPROVED, MessageTemplate, TemplateBook
from bot.engine.model import Message
from bot.i18n.catalog import Catalog
from bot.i18n.languages import direction
from bot.outbox.courier import Deferred, DeliveryError, Rejected

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
INVITED = "invited"  # the reason's first word on a row waiting for her reply
WINDOW = timedelta(hours=23)  # the hour she wrote is kept, not the minute: one hour of margin
TOKEN_PAUSE = 300.0  # seconds between checks whether staff renewed a revoked token
MAX_TEMPLATE_BODY = 1024
_SPACES = re.compile(r"\s+")

T = TypeVar("T")


class CourierStore(Protocol):
    """What the courier reads (synchronous; run in worker threads)."""

    def window_opened(self, channel: str, platform_id: str, /) -> datetime | None: ...

    def templates(self) -> dict[tuple[str, str], str]: ...

    def announcement_kind(self, announcement_id: int, /) -> str: ...


class Invited(DeliveryError):
    """No template in her language: an invitation went out; the message waits for her reply."""


class WhatsAppCourier:
    def __init__(
        self,
        client: WhatsApp,
        store: CourierStore,
        book: TemplateBook,
        catalog: Catalog,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.store = store
        self.book = book
        self.catalog = catalog
        self.now = now
        self.revoked = False
        self._kinds: dict[int, str] = {}
        self._approved: dict[tuple[str, str], str] = {}
        self._approved_at = -1e9

    async def close(self) -> None:
        """The HTTP client belongs to whoever opened it."""

    async def deliver(
        self, platform_id: str, text: str, language: str, *, row: int = 0, announcement: int = 0
    ) -> None:
        if self.revoked:
            raise Deferred(TOKEN_PAUSE, "190 WhatsApp access token invalid or revoked: staff must renew it")
        tracker = f"outbox:{row}" if row else None
        opened = await asyncio.to_thread(self.store.window_opened, CHANNEL, platform_id)
        if opened is not None and self.now() - opened < WINDOW:
            try:
                for part in render(Message(text, dir=direction(language), language=language)):
                    if isinstance(part, TextPart):
                        await self._call(partial(send_part, self.client, platform_id, part, tracker))
                return
            except WindowClosed:
                pass  # our hour was older than Meta's clock: the template it is
        await self._template(platform_id, text, language, announcement, tracker)

    async def _template(
        self, platform_id: str, text: str, language: str, announcement: int, tracker: str | None
    ) -> None:
        kind = await self._kind(announcement)
        template = self.book.for_kind(kind)
        approved = await self._statuses()
        if template is not None and approved.get((template.name, language)) == APPROVED:
            await self._send_template(platform_id, template, language, text, tracker)
            return
        invitation = self.book.for_kind("invitation")
        other = self.book.invitation_languages.get(language, "")
        if invitation is not None and other and approved.get((invitation.name, other)) == APPROVED:
            await self._send_template(platform_id, invitation, other, "", tracker)
            raise Invited(
                f"{INVITED} in {other} ({language} has no WhatsApp template): sent when she replies"
            )
        name = template.name if template else f"<none for {kind}>"
        raise Rejected(f"no approved WhatsApp template {name} in {language}: outside her 24 hours, not sent")

    async def _send_template(
        self, platform_id: str, template: MessageTemplate, language: str, text: str, tracker: str | None
    ) -> None:
        # pywa declares `params` without `self` or @staticmethod; it is called on the class.
        params = [BodyText.params(parameter(template, text))]  # type: ignore[arg-type]
        params = params if "{{1}}" in template.body else []
        await self._call(
            lambda: self.client.send_template(
                platform_id,
                name=template.name,
                language=TemplateLanguage(language),
                params=params,
                tracker=tracker,
            )
        )

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except Exception as error:
            meaning = delivery_error(error)
            if isinstance(meaning, TokenRevoked):
                if not self.revoked:
                    logger.error(
                        "WhatsApp access token invalid or revoked: sending stopped until it is renewed"
                    )
                self.revoked = True
                raise Deferred(TOKEN_PAUSE, meaning.reason) from error
            raise meaning from error

    async def _kind(self, announcement: int) -> str:
        if announcement not in self._kinds:
            self._kinds[announcement] = await asyncio.to_thread(self.store.announcement_kind, announcement)
        return self._kinds[announcement]

    async def _statuses(self) -> dict[tuple[str, str], str]:
        """Meta's template statuses as last recorded (`templates status`), read once a minute."""
        if time.monotonic() - self._approved_at > 60:
            self._approved = await asyncio.to_thread(self.store.templates)
            self._approved_at = time.monotonic()
        return self._approved


def parameter(template: MessageTemplate, text: str) -> str:
    """The announcement as a template parameter: Meta allows no line breaks or runs of spaces in one,
    and the whole body within 1024 characters."""
    flat = _SPACES.sub(" ", text.replace("\u200f", "")).strip() or "…"
    room = MAX_TEMPLATE_BODY - (len(template.body) - len("{{1}}"))
    return flat if len(flat) <= room else flat[: max(1, room - 1)].rstrip() + "…"
