"""Reminders and receipts through the whole app: she asks for a reminder in the chat, stays silent for
more than a day, and the reminder reaches her as an approved template in her language; Meta's status
webhooks then say it was delivered and read."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.channels.whatsapp.client import open_client
from bot.channels.whatsapp.courier import WhatsAppCourier
from bot.channels.whatsapp.templates import load_templates
from bot.cli.whatsapp import push_templates, whatsapp_settings
from bot.outbox.announce import queue_announcement
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender
from bot.store.deliveries import Deliveries
from bot.store.messenger import MessengerStore
from bot.store.models import ReplyWindow
from bot.store.outbox import Audience, Outbox
from tests.whatsapp.conftest import WhatsAppStack
from tests.whatsapp.test_end_to_end import ids, welcome


async def send_outbox(stack: WhatsAppStack, limiter: Limiter | None = None) -> None:
    """The outbox sender as `wegweiser run` builds it for WhatsApp, once through everything due."""
    settings = stack.wiring.settings
    client, session = open_client(whatsapp_settings(settings))
    messenger = MessengerStore(stack.wiring.store)
    courier = WhatsAppCourier(client, messenger, load_templates(settings.content_dir), stack.wiring.catalog)
    sender = Sender(
        Deliveries(stack.wiring.store.engine), {"whatsapp": courier}, Limiter(rate=80, chat_interval=0)
    )
    try:
        await sender.drain()
    finally:
        await session.aclose()


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
async def test_a_workshop_reminder_outside_her_window_comes_as_a_template_in_her_language(
    stack: WhatsAppStack, language: str
) -> None:
    stack.fake.auto_approve = True
    await push_templates(stack.wiring.settings)
    wa_id = await welcome(stack, language)
    shown = await stack.say(wa_id, "/workshops")
    if "workshops/nothing_planned=all" in ids(shown):  # no workshop in the calendar now: news only
        await stack.press(wa_id, "workshops/nothing_planned=all")
    else:
        picks = [choice for choice in ids(shown) if choice.startswith("workshops/pick=")]
        if picks:
            await stack.press(wa_id, picks[0])
        calendar = await stack.press(wa_id, "workshops/what=calendar")
        assert any(message.type == "document" for message in calendar)  # the calendar file as a document
        await stack.say(wa_id, "/workshops")
        if picks:
            await stack.press(wa_id, picks[0])
        await stack.press(wa_id, "workshops/what=all")  # all news: the subscription she opts in to
    store = stack.wiring.store
    assert store.subscriptions("whatsapp", wa_id)
    # More than 24 hours pass without a word from her.
    stack.fake.clock_offset = 25 * 3600
    with store.engine.begin() as connection:
        connection.execute(update(ReplyWindow).values(opened_at=datetime.now(UTC) - timedelta(hours=25)))
    outbox = Outbox(store.engine)
    now = datetime.now(UTC)
    announcement = outbox.create(
        kind="reminder",
        text="Workshop morgen",
        audience=Audience(("announcements",)),
        created_by="test",
        now=now,
    )
    german = "🔔 Erinnerung: Workshop „Gesund im Alltag“ morgen um 10 Uhr im Kreishaus Düren."
    queue_announcement(outbox, announcement, german, {}, stack.wiring.catalog, now, channels=["whatsapp"])
    before = stack.fake.sent_count(wa_id)
    await send_outbox(stack)
    (reminder,) = stack.fake.messages_to(wa_id)[before:]
    assert reminder.type == "template"
    assert reminder.payload["template"]["name"] == "wegweiser_reminder"
    assert reminder.payload["template"]["language"]["code"] == language
    assert "Gesund im Alltag" in reminder.text
    # Meta's statuses arrive by webhook: the row shows delivered, then read.
    for _ in range(200):
        counts = outbox.counts_by_channel(announcement).get("whatsapp", {})
        if counts.get("read"):
            break
        await asyncio.sleep(0.05)
    assert counts == {"sent": 1, "read": 1}
