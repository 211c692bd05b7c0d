"""The webhook's work, free of any web framework: the web layer passes the raw request.

Meta signs each POST with the app secret (`X-Hub-Signature-256`, HMAC-SHA256 of the raw body);
pywa checks it before anything is read. Each message and each status becomes one inbox row, written
before the 200, so an event is handled once even when Meta redelivers it or the process dies after
answering. Handling happens afterwards, in `WhatsAppChannel`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pywa_async import utils
from pywa_async.client import WhatsApp

from bot.channels.whatsapp.channel import CHANNEL, Inbox

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = utils.HUB_SIG
MAX_BODY_BYTES = 1024 * 1024  # Meta batches at most a few events per call; 1 MB is ample


async def verify(client: WhatsApp, params: Mapping[str, str]) -> tuple[str, int]:
    """Meta's handshake: the challenge back when the verify token matches, else 403."""
    if params.get("hub.mode") not in (None, "subscribe"):
        return "Forbidden", 403
    challenge, status = await client.webhook_challenge_handler(
        params.get(utils.HUB_VT), params.get(utils.HUB_CH)
    )
    return (challenge or "", status) if status == 200 and challenge else ("Forbidden", 403)


async def receive(
    client: WhatsApp,
    inbox: Inbox,
    body: bytes,
    signature: str | None,
    outage: Callable[[list[str]], None] | None = None,
) -> int:
    """Check, split and keep the events of one POST; returns the HTTP status to answer with.

    401 without a signature, 403 with a wrong one (nothing is read), 400 for a body that is not JSON,
    503 when the inbox cannot be written (Meta sends the events again later; `outage` gets the
    senders, who are told the emergency numbers at once), 200 otherwise, also for events seen before.
    """
    refused = await client.webhook_update_validator(body, signature)
    if refused is not None:
        return 401 if refused[1] == 401 else 403
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return 400
    if not isinstance(data, dict):
        return 400
    events = split_events(data)
    if events:
        try:
            await _writer(inbox).accept(events)
        except Exception as error:  # the error's text may hold SQL parameters: her words
            logger.error("whatsapp inbox not written: %s", type(error).__name__)
            if outage is not None:
                outage(sorted({_sender(event) for _, event in events} - {""}))
            return 503
    return 200


def _sender(event: dict[str, Any]) -> str:
    value = event["entry"][0]["changes"][0]["value"]
    messages = value.get("messages") or [{}]
    sender = messages[0].get("from", "")
    return sender if isinstance(sender, str) else ""


class GroupWriter:
    """Events of webhook calls that arrive together are written in one transaction: each call still
    answers only after its own events are safe, and a burst costs one database trip, not one each."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self._waiting: list[tuple[list[tuple[str, dict[str, Any]]], asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    async def accept(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((events, future))
        if self._task is None:
            self._task = asyncio.create_task(self._write())
        await future

    async def _write(self) -> None:
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                everything = [event for events, _ in group for event in events]
                try:
                    await asyncio.to_thread(self.inbox.accept, CHANNEL, everything, datetime.now(UTC).date())
                except Exception as error:
                    for _, future in group:
                        future.set_exception(error)
                    continue
                for _, future in group:
                    future.set_result(None)
        finally:
            self._task = None


_WRITERS: dict[int, GroupWriter] = {}


def _writer(inbox: Inbox) -> GroupWriter:
    writer = _WRITERS.get(id(inbox))
    if writer is None or writer.inbox is not inbox:
        writer = _WRITERS[id(inbox)] = GroupWriter(inbox)
    return writer


def split_events(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(event id, an update holding just that event) for each message and status in a POST.

    A message's id is Meta's `wamid`; a status is keyed by message id and status, so "delivered"
    and "read" of one message are two events.
    """
    events: list[tuple[str, dict[str, Any]]] = []
    for entry in _list(data.get("entry")):
        for change in _list(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            common = {k: v for k, v in value.items() if k not in ("messages", "statuses", "contacts")}
            contacts = [c for c in _list(value.get("contacts"))]
            for message in _list(value.get("messages")):
                if not isinstance(message.get("id"), str):
                    continue
                own = [c for c in contacts if c.get("wa_id") == message.get("from")] or contacts[:1]
                own = [_with_user_id(contact) for contact in own] or [_contact_of(message)]
                single = {**common, "messages": [message], "contacts": own}
                events.append((message["id"], _envelope(data, entry, single)))
            for status in _list(value.get("statuses")):
                if not isinstance(status.get("id"), str):
                    continue
                single = {**common, "statuses": [status]}
                events.append((f"{status['id']}:{status.get('status')}", _envelope(data, entry, single)))
    return events


def _with_user_id(contact: dict[str, Any]) -> dict[str, Any]:
    """pywa 4.5 reads the business-scoped user id (`user_id`) Meta added in 2026; a webhook in the
    older shape has none, and Wegweiser never uses it."""
    return contact if "user_id" in contact else {**contact, "user_id": ""}


def _contact_of(message: dict[str, Any]) -> dict[str, Any]:
    return {"wa_id": str(message.get("from", "")), "user_id": "", "profile": {}}


def _envelope(data: dict[str, Any], entry: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": data.get("object", "whatsapp_business_account"),
        "entry": [{"id": entry.get("id", ""), "changes": [{"field": "messages", "value": value}]}],
    }


def _list(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
