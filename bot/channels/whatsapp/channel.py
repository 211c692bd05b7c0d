"""The WhatsApp channel: her messages in, the host's answers out, and what only WhatsApp has.

Webhook events are handled from the inbox (see `webhook.py`), each chat in order, many chats at
once. pywa reads each event and calls the handlers registered here. What WhatsApp cannot do is said
honestly: it cannot delete messages from her phone, so "delete traces" explains how she does it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
from collections import OrderedDict
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, Protocol

from pywa_async import handlers
from pywa_async.client import WhatsApp
from pywa_async.types.callback import CallbackButton, CallbackSelection
from pywa_async.types.message import Message as WhatsAppMessage

from bot.channels.lines import ChatLines
from bot.channels.ports import Host
from bot.channels.tags import chat_tag, where
from bot.channels.whatsapp.countries import first_languages
from bot.channels.whatsapp.errors import TokenRevoked, delivery_error
from bot.channels.whatsapp.inputs import message_input, raw_kind
from bot.channels.whatsapp.render import MORE, Labels, Part, render
from bot.channels.whatsapp.send import send_part
from bot.channels.whatsapp.texts import TEXTS, context
from bot.engine.model import DELETE_TRACES, Input, Message, Unavailable
from bot.i18n.catalog import Catalog
from bot.i18n.languages import direction
from bot.outbox.courier import RetryLater, Transient

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
LANGUAGE_STEP = "/choose_language="
_MENUS = 4096  # long menus remembered for their "more" row (the newest per chat)
_FETCH = 200

# What pywa's handlers report back to the event they were called for: pywa logs a handler's exception
# with its traceback (which may quote her words), so handlers raise nothing and leave it here instead.
_answered: contextvars.ContextVar[bool] = contextvars.ContextVar("answered", default=False)
_failure: contextvars.ContextVar[BaseException | None] = contextvars.ContextVar("failure", default=None)


class Inbox(Protocol):
    """The store's messenger methods the channel calls (synchronous; run in worker threads)."""

    def accept(self, channel: str, events: Sequence[tuple[str, dict[str, Any]]], seen_on: date, /) -> int: ...

    def pending(self, channel: str, limit: int, /) -> list[tuple[int, dict[str, Any]]]: ...

    def done(self, event_ids: Sequence[int], /) -> None: ...

    def note_windows(self, channel: str, writers: Sequence[tuple[str, datetime]], /) -> None: ...

    def record_receipts(self, receipts: Sequence[tuple[int, str, str]], /) -> None: ...


class Pace(Protocol):
    """The outbox's limiter, so replies take the next free slot of the number's throughput."""

    def slot(self, chat: str, *, urgent: bool = False) -> Any: ...

    def pause(self, seconds: float, chat: str = "", /) -> None: ...


@dataclass
class WhatsAppChannel:
    client: WhatsApp
    host: Host
    inbox: Inbox
    catalog: Catalog
    location_steps: frozenset[str] = frozenset()
    pace: Pace | None = None
    retries: int = 3
    backoff: float = 0.5
    lines: ChatLines = field(default_factory=ChatLines)
    _menus: OrderedDict[str, Message] = field(default_factory=OrderedDict)
    _in_hand: set[int] = field(default_factory=set)
    _finished: list[int] = field(default_factory=list)
    _writers: list[tuple[str, datetime]] = field(default_factory=list)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _loop: asyncio.Task[None] | None = None
    _running: bool = False
    _helped: set[str] = field(default_factory=set)  # chats told the emergency numbers during an outage
    retry_unavailable: float = 15.0  # seconds before an event whose turn met a database outage is retried

    def __post_init__(self) -> None:
        self.client.add_handlers(
            handlers.MessageHandler(self._on_message),
            handlers.CallbackButtonHandler(self._on_choice),
            handlers.CallbackSelectionHandler(self._on_choice),
        )

    # -- the inbox ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Handle what waits in the inbox (left by a previous run) and whatever comes next."""
        self._running = True
        self._loop = asyncio.create_task(self._drain_forever(), name="whatsapp-inbox")

    async def stop(self) -> None:
        self._running = False
        self._wake.set()
        if self._loop is not None:
            await self._loop
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._flush()

    def wake(self) -> None:
        self._wake.set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` beside the inbox; `stop` waits for it."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> bool:
        """Nothing in hand (for tests and benchmarks)."""
        return not self._in_hand and not self._tasks and not self._finished

    async def _drain_forever(self) -> None:
        while self._running:
            self._wake.clear()
            try:
                rows = await asyncio.to_thread(self.inbox.pending, CHANNEL, _FETCH)
            except Exception as error:  # the database is away: try again shortly
                logger.warning("inbox not readable: %s", type(error).__name__)
                rows = []
            for row_id, body in rows:
                if row_id in self._in_hand:
                    continue
                self._in_hand.add(row_id)
                task = asyncio.create_task(self.lines.run(_chat_of(body), self._handle_event(row_id, body)))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            if len(rows) == _FETCH:
                await asyncio.sleep(0.05)
                continue
            await self._flush()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)

    async def _handle_event(self, row_id: int, body: dict[str, Any]) -> None:
        try:
            value = body["entry"][0]["changes"][0]["value"]
            if "statuses" in value:
                await asyncio.to_thread(self.inbox.record_receipts, _receipts(value["statuses"]))
            else:
                answered, failure = _answered.set(False), _failure.set(None)
                try:
                    await self.client.webhook_update_handler(json.dumps(body).encode())
                    failed = _failure.get()
                    if failed is not None:
                        raise failed
                    if not _answered.get():
                        await self._unread(value)
                finally:
                    _answered.reset(answered)
                    _failure.reset(failure)
        except Unavailable:
            # Kept in the inbox (and in hand for a while): taken again once the database answers.
            asyncio.get_running_loop().call_later(self.retry_unavailable, self._in_hand.discard, row_id)
            return
        except Exception as error:
            logger.error("whatsapp event failed: %s at %s", type(error).__name__, where(error))
        self._finished.append(row_id)  # stays in hand until the inbox knows it is done
        if len(self._finished) >= 64:
            await self._flush()

    async def _flush(self) -> None:
        """Write the hours women wrote and which events are done; kept for the next try on failure."""
        finished, self._finished = self._finished, []
        writers, self._writers = self._writers, []
        try:
            if writers:
                await asyncio.to_thread(self.inbox.note_windows, CHANNEL, writers)
            if finished:
                await asyncio.to_thread(self.inbox.done, finished)
        except Exception as error:
            logger.warning("inbox not updated yet: %s", type(error).__name__)
            self._finished.extend(finished)
            return
        self._in_hand.difference_update(finished)

    async def _unread(self, value: dict[str, Any]) -> None:
        """A message pywa could not read (a type newer than the library): still a kind answer."""
        for event in value.get("messages", []):
            sender = event.get("from")
            if isinstance(sender, str) and sender:
                await self.turn(sender, Input(kind="unsupported", text=raw_kind(event)))

    # -- pywa's handlers ------------------------------------------------------------------------

    async def _on_message(self, _: Any, message: WhatsAppMessage) -> None:
        _answered.set(True)
        wa_id = message.from_user.wa_id
        user_input = message_input(message)
        if wa_id and user_input is not None:  # no wa_id: a username-only sender we cannot answer by number
            await self._guarded(wa_id, user_input)

    async def _on_choice(self, _: Any, choice: CallbackButton[Any] | CallbackSelection[Any]) -> None:
        _answered.set(True)
        if choice.from_user.wa_id:
            await self._guarded(choice.from_user.wa_id, Input.of_payload(str(choice.data)))

    async def _guarded(self, wa_id: str, user_input: Input) -> None:
        try:
            await self.turn(wa_id, user_input)
        except Exception as error:
            _failure.set(error)

    # -- a turn ---------------------------------------------------------------------------------

    async def turn(self, wa_id: str, user_input: Input) -> None:
        self._writers.append((wa_id, datetime.now(UTC)))
        if user_input.kind == "payload" and user_input.payload.startswith(MORE):
            remembered = self._menus.get(wa_id)
            if remembered is not None:
                page = (
                    int(user_input.payload[len(MORE) :] or 0)
                    if user_input.payload[len(MORE) :].isdigit()
                    else 0
                )
                await self.send(wa_id, [remembered], page=page)
                return
            user_input = Input.of_payload("menu")
        try:
            replies = list(await self.host.handle(CHANNEL, wa_id, user_input))
        except Exception as error:
            await self.help_now(wa_id)  # whatever failed, she gets the emergency numbers
            raise error
        self._helped.discard(wa_id)
        if any(reply.effect == DELETE_TRACES for reply in replies):
            await self.host.erase_conversation(CHANNEL, wa_id)
            replies = [
                self._honest_traces(reply) if reply.effect == DELETE_TRACES else reply for reply in replies
            ]
        await self.send(wa_id, replies)

    async def help_now(self, wa_id: str) -> None:
        """The emergency numbers without the database, once per outage and chat."""
        if wa_id in self._helped:
            return
        self._helped.add(wa_id)
        try:
            await self.send(wa_id, await self.host.emergency(CHANNEL, wa_id, ""))
        except Exception as error:
            logger.error("emergency numbers not sent: %s (chat %s)", type(error).__name__, chat_tag(wa_id))

    def _honest_traces(self, reply: Message) -> Message:
        language = reply.language or "de"
        text = self.catalog.text(language, TEXTS["traces"], context("traces"))
        return replace(reply, text=text.text, dir=direction(language if text.status != "missing" else "de"))

    async def send(self, wa_id: str, messages: Sequence[Message], *, page: int = 0) -> None:
        """Send the host's messages in order; a refused part is logged and the rest still goes."""
        for message in messages:
            message = self._ordered(wa_id, message)
            if len(message.buttons) > 10:
                self._remember_menu(wa_id, message)
            location = message.msgid in self.location_steps
            for part in render(message, self._labels(message.language or "de"), page=page, location=location):
                try:
                    await self._send_part(wa_id, part)
                except TokenRevoked:
                    logger.error("WhatsApp access token invalid or revoked: replies cannot be sent")
                    return
                except Exception as error:
                    logger.error(
                        "a WhatsApp message was refused: %s (chat %s)",
                        delivery_error(error).reason,
                        chat_tag(wa_id),
                    )

    async def _send_part(self, wa_id: str, part: Part) -> None:
        attempt = 0
        while True:
            try:
                if self.pace is None:
                    await send_part(self.client, wa_id, part)
                else:
                    async with self.pace.slot(f"{CHANNEL}:{wa_id}", urgent=True):
                        await send_part(self.client, wa_id, part)
                return
            except Exception as error:
                meaning = delivery_error(error)
                attempt += 1
                if isinstance(meaning, TokenRevoked) or attempt > self.retries:
                    raise meaning from error
                if isinstance(meaning, RetryLater):
                    if self.pace is not None:
                        self.pace.pause(min(meaning.seconds, 2.0), f"{CHANNEL}:{wa_id}")
                    await asyncio.sleep(min(meaning.seconds, 2.0))
                elif isinstance(meaning, Transient):
                    await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
                else:
                    raise meaning from error

    def _ordered(self, wa_id: str, message: Message) -> Message:
        """The language list with the languages her calling code suggests first."""
        if not any(LANGUAGE_STEP in button.payload for button in message.buttons):
            return message
        first = first_languages(wa_id)
        if not first:
            return message

        def rank(position_button: tuple[int, Any]) -> tuple[int, int]:
            position, button = position_button
            code = button.payload.rsplit("=", 1)[-1]
            return (first.index(code), position) if code in first else (len(first), position)

        ordered = tuple(button for _, button in sorted(enumerate(message.buttons), key=rank))
        return replace(message, buttons=ordered)

    def _remember_menu(self, wa_id: str, message: Message) -> None:
        self._menus[wa_id] = message
        self._menus.move_to_end(wa_id)
        while len(self._menus) > _MENUS:
            self._menus.popitem(last=False)

    def forget_chat(self, wa_id: str) -> None:
        self._menus.pop(wa_id, None)

    def _labels(self, language: str) -> Labels:
        def text(key: str) -> str:
            return self.catalog.text(language, TEXTS[key], context(key)).text

        return Labels(
            choose=text("choose"),
            more=text("more"),
            more_description=text("more_description"),
            share_location=text("share_location"),
        )


def _chat_of(body: dict[str, Any]) -> str:
    try:
        value = body["entry"][0]["changes"][0]["value"]
        if value.get("messages"):
            return str(value["messages"][0].get("from", ""))
        return str(value["statuses"][0].get("recipient_id", ""))
    except (KeyError, IndexError, TypeError, AttributeError):
        return ""


def _receipts(statuses: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """(outbox row, status, error) for statuses of outbox sends (their tracker names the row)."""
    found = []
    for status in statuses:
        tracker = str(status.get("biz_opaque_callback_data", ""))
        if not tracker.startswith("outbox:") or not tracker[7:].isdigit():
            continue
        errors = status.get("errors") or [{}]
        error = errors[0] if isinstance(errors[0], dict) else {}
        reason = f"{error.get('code', '')} {error.get('title', '')}".strip()
        found.append((int(tracker[7:]), str(status.get("status", "")), reason))
    return found
