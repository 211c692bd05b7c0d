"""A database outage (a private PostgreSQL stopped and started again): the emergency numbers are
still served in her language on the web and on Telegram, and what could not be taken is taken after."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.channels.telegram import channel_of
from bot.channels.telegram.outbox_sender import TelegramCourier
from bot.cli.wiring import Wiring
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.store.deliveries import Deliveries
from bot.store.outbox import Outbox
from bot.web.app import create_app
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.cluster import Cluster
from tests.faults.conftest import eventually
from tests.faults.figures import note
from tests.outbox.conftest import many_subscribers, queued_broadcast
from tests.telegram.conftest import polling, reply

RECIPIENTS = 600

# From content/hotlines.yml and the shelter in content/offers/: 110, 112, Hilfetelefon Gewalt gegen
# Frauen, Schwangere in Not, Frauenhaus Düren.
NUMBERS = ("110", "112", "116 016", "0800 40 40 020", "02421 17355")


@pytest.fixture
async def web(outage_wiring: Wiring) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(outage_wiring.host, outage_wiring.store.ping)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wegweiser.test") as client:
        yield client


def all_text(reply: httpx.Response) -> str:
    return "\n".join(message["text"] for message in reply.json()["messages"])


async def test_web_chat_serves_the_numbers_in_her_language_while_the_database_is_down(
    cluster: Cluster, web: httpx.AsyncClient
) -> None:
    steps = ({"start": True}, {"payload": "welcome/choose_language=ar"}, {"payload": "welcome/privacy=yes"})
    for body in steps:
        assert (await web.post("/api/chat", json={"session": "fatima-0001", **body})).status_code == 200
    cluster.stop()
    try:
        reply = await web.post("/api/chat", json={"session": "fatima-0001", "text": "/notfall"})
        assert reply.status_code == 503
        assert all(number in all_text(reply) for number in NUMBERS), all_text(reply)
        assert reply.json()["language"] == "ar" and reply.json()["dir"] == "rtl"
        # she asked something else: the failure still names the numbers
        topics = {"session": "fatima-0001", "payload": "main_menu/choose=topics"}
        other = await web.post("/api/chat", json=topics)
        assert other.status_code == 503 and "116 016" in all_text(other)
        # a woman the bot has never seen: her browser's language
        stranger = await web.post(
            "/api/chat", json={"session": "olena-00001", "text": "допомога", "language_hint": "uk-UA"}
        )
        assert stranger.status_code == 503 and "110" in all_text(stranger)
        assert "uk" in {message["language"] for message in stranger.json()["messages"]}
        assert (await web.get("/health")).status_code == 503
    finally:
        cluster.start()
    after = await web.post("/api/chat", json={"session": "fatima-0001", "text": "/notfall"})
    assert after.status_code == 200 and "116 016" in all_text(after)
    note(
        "web chat, PostgreSQL stopped: 3/3 failed turns answered 503 with 110, 112, 116 016, "
        "0800 40 40 020 and the shelter, in ar/uk"
    )


async def test_telegram_answers_during_the_outage_and_takes_the_turns_afterwards(
    cluster: Cluster, outage_wiring: Wiring
) -> None:
    async with FakeTelegram() as fake, polling(fake, outage_wiring) as application:
        await reply(fake, application, fake.text_update(501, "/start", language_code="ar"))
        before = fake.sent_count(501)
        cluster.stop()
        try:
            fake.push_text(501, "/notfall", language_code="ar")
            fake.push_text(502, "/start", language_code="fa")
            fake.push_callback(501, "welcome/choose_language=ar", language_code="ar")
            waiting = channel_of(application).waiting
            await fake.wait_for(lambda: len(waiting) == 3, timeout=30)
            during = "\n".join(message.text for message in fake.sent(501)[before:])
            assert all(number in during for number in NUMBERS), during
            assert "🆘" in during and "هل" in during, "in Arabic"
            assert "110" in "\n".join(fake.texts(502))
        finally:
            cluster.start()
        # once the database answers, the three waiting turns are taken, each chat in order
        await fake.wait_for(lambda: len(waiting) == 0 and waiting.replayed == 3, timeout=60)
        assert outage_wiring.store.load("telegram", "502") is not None
        stored = outage_wiring.store.load("telegram", "501")
        assert stored is not None and stored.language == "ar"
        note(
            "Telegram, PostgreSQL stopped: 2/2 chats got the numbers at once; "
            "3/3 waiting turns taken after restart, in order"
        )
        # 502's /start was taken: she now sees the welcome in Farsi
        assert any("Wegweiser" in text for text in fake.texts(502)[1:])


async def test_a_broadcast_resumes_by_itself_after_the_database_returns(
    cluster: Cluster, outage_wiring: Wiring
) -> None:
    """The sender once died at its first database error: 589 of 3,000 sent, for good."""
    store = outage_wiring.store
    chats = many_subscribers(store, RECIPIENTS)
    outbox = Outbox(store.engine)
    announcement = queued_broadcast(outbox)
    settings = SenderSettings(
        batch=50, concurrency=8, idle=0.05, lease=timedelta(seconds=2), longest_pause=0.5
    )
    async with FakeTelegram() as fake:
        courier = await TelegramCourier.open(fake.token, fake.base_url, connections=8)
        sender = Sender(Deliveries(store.engine), {"telegram": courier}, Limiter(rate=150), settings)
        running = asyncio.create_task(sender.run())
        try:
            await fake.wait_for(lambda: len(fake.calls_to("sendMessage")) >= RECIPIENTS // 5, timeout=60)
            cluster.stop()
            stopped_at = len(fake.calls_to("sendMessage"))
            await asyncio.sleep(3)
            assert len(fake.calls_to("sendMessage")) < RECIPIENTS, "the outage came mid-broadcast"
            cluster.start()
            await fake.wait_for(lambda: len(fake.calls_to("sendMessage")) >= RECIPIENTS, timeout=120)
            await eventually(
                lambda: outbox.counts(announcement).get("sent") == RECIPIENTS, 30, "all recorded as sent"
            )
        finally:
            sender.stop()
            await running
            await courier.close()
        assert stopped_at < RECIPIENTS
        assert [len(fake.texts(chat)) for chat in chats] == [1] * RECIPIENTS, "each exactly one message"
        note(
            f"broadcast to {RECIPIENTS}, PostgreSQL stopped for 3 s after {stopped_at} sends: "
            f"{RECIPIENTS}/{RECIPIENTS} got exactly one message, no restart, all rows recorded sent"
        )
