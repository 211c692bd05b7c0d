"""The whole stack: fake Bot API -> PTB -> channel -> real host and engine -> SQLite -> sendMessage.

Built the way `wegweiser run` builds the bot (`bot.cli.wiring.build`). The conversation is walked by
pressing the buttons the bot shows, so these tests read like a woman's path through the bot.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramApplication, channel_of
from bot.channels.telegram.render import LRI, RLM
from bot.cli.wiring import Wiring, build
from bot.config import Settings
from tests.fakes.telegram_api import ChatMessage, FakeTelegram
from tests.telegram.conftest import polling, press, reply

CHAT = 8080
ARABIC = re.compile("[\u0600-\u06ff]")


@dataclass
class Stack:
    fake: FakeTelegram
    wiring: Wiring
    application: TelegramApplication

    async def press(self, chat_id: int, payload: str, language_code: str = "de") -> list[ChatMessage]:
        return await press(self.fake, self.application, chat_id, payload, language_code)


@pytest.fixture
async def stack(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[Stack]:
    wiring = build(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'wegweiser.db'}",
            telegram_token=fake.token,
            link_sources=["ik12"],
        )
    )
    async with polling(fake, wiring) as application:
        yield Stack(fake, wiring, application)
    wiring.store.dispose()


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """For effects outside the fake server (the database), which cannot wake a waiter."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


def stopped(stack: Stack, chat_id: int) -> bool:
    conversation = stack.wiring.store.load("telegram", str(chat_id))
    return conversation is not None and conversation.stopped


def payloads(messages: list[ChatMessage]) -> list[str]:
    return [data for message in messages for _, data in message.buttons]


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
async def test_a_whole_conversation_to_counselling_offers(stack: Stack, language: str) -> None:
    fake = stack.fake
    first = await reply(fake, stack.application, fake.text_update(CHAT, "/start", language_code=language))
    assert f"welcome/choose_language={language}" in payloads(first)
    await stack.press(CHAT, f"welcome/choose_language={language}", language)
    await stack.press(CHAT, "welcome/privacy=yes", language)
    topics = await stack.press(CHAT, "main_menu/choose=counselling", language)
    assert "find_counselling/ask_topic=health" in payloads(topics)
    await stack.press(CHAT, "find_counselling/ask_topic=health", language)
    offers = await stack.press(CHAT, "find_counselling/ask_place=anywhere", language)
    assert offers[0].kind == "text" and "☎" in offers[0].text  # heading, offers and question in few bubbles
    assert "find_counselling/after_offers=other_topic" in payloads(offers)
    assert stack.wiring.store.load("telegram", str(CHAT)).language == language  # type: ignore[union-attr]
    texts = [m.text for m in fake.sent(CHAT) if m.kind == "text"]
    for text in texts:  # Arabic text is marked right to left
        assert text.startswith(RLM) or not ARABIC.search(text), text
    assert all(len(data.encode()) <= 64 for data in payloads(fake.sent(CHAT)))
    assert all(call.status == 200 for call in fake.calls if call.method != "getUpdates")


async def test_a_deep_link_chooses_language_and_flow_and_counts_its_source(stack: Stack) -> None:
    fake = stack.fake
    replies = await reply(
        fake, stack.application, fake.text_update(CHAT, "/start ar-counselling-ik12", language_code="de")
    )
    assert stack.wiring.store.load("telegram", str(CHAT)).language == "ar"  # type: ignore[union-attr]
    assert replies
    month = datetime.now(UTC).strftime("%Y-%m")
    assert stack.wiring.store.source_counts() == {("ik12", month): 1}
    # Her second scan of the flyer is not a new woman; a made-up source creates no row.
    for chat, payload in ((CHAT, "ar-counselling-ik12"), (CHAT + 1, "made_up_tag")):
        await reply(fake, stack.application, fake.text_update(chat, f"/start {payload}", language_code="de"))
    assert stack.wiring.store.source_counts() == {("ik12", month): 1}


async def test_a_shared_location_answers_with_nearby_offers(stack: Stack) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start", language_code="de"))
    await stack.press(CHAT, "welcome/choose_language=de")
    await stack.press(CHAT, "welcome/privacy=yes")
    await stack.press(CHAT, "main_menu/choose=counselling")
    await stack.press(CHAT, "find_counselling/ask_topic=violence")
    offers = await reply(
        fake, stack.application, fake.location_update(CHAT, 50.8003, 6.4826)
    )  # Düren, Kaiserplatz
    assert "find_counselling/after_offers=other_topic" in payloads(offers)
    venues = [m for m in offers if m.kind == "venue"]
    assert venues
    for venue in venues:  # a venue always follows the text that names its offer
        before = " ".join(m.text for m in offers[: offers.index(venue)] if m.kind == "text")
        assert venue.venue is not None and venue.venue["title"] in before
    # Her position is kept only rounded to about a kilometre, and only while this search lasts.

    def kept() -> object:
        conversation = stack.wiring.store.load("telegram", str(CHAT))
        assert conversation is not None
        return (conversation.state or {}).get("slots", {}).get("location")

    assert kept() == [50.8, 6.48]
    await reply(fake, stack.application, fake.text_update(CHAT, "/menu"))
    assert kept() is None


async def test_delete_traces_erases_where_she_was_in_the_conversation(stack: Stack) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start", language_code="de"))
    await stack.press(CHAT, "welcome/choose_language=ar", "ar")
    await stack.press(CHAT, "welcome/privacy=yes", "ar")
    await stack.press(CHAT, "main_menu/choose=counselling", "ar")
    await stack.press(CHAT, "find_counselling/ask_topic=violence", "ar")
    await reply(fake, stack.application, fake.location_update(CHAT, 50.80031, 6.48262))
    await reply(fake, stack.application, fake.text_update(CHAT, "/spuren"))
    await stack.press(CHAT, "delete_traces/confirm=yes", "ar")
    conversation = stack.wiring.store.load("telegram", str(CHAT))
    assert conversation is not None and conversation.state is not None
    # nothing of the search is left (topic, place, her location): only her language and consent
    assert conversation.state["slots"] == {"language": "ar", "consent": "yes"}
    assert conversation.state["stack"] == []
    assert conversation.language == "ar" and conversation.consent  # she is not asked again


@pytest.mark.parametrize(
    "kind",
    ["sticker", "photo", "voice", "video", "video_note", "animation", "document", "audio", "contact", "poll"],
)
async def test_every_non_text_message_gets_a_kind_answer(stack: Stack, kind: str) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start", language_code="de"))
    replies = await reply(fake, stack.application, fake.media_update(CHAT, kind))
    assert replies, f"no answer to a {kind}"
    assert "lesen" in replies[0].text


async def test_an_edited_message_gets_an_answer(stack: Stack) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start", language_code="de"))
    her_first = fake.history(CHAT)[0].message_id
    assert await reply(fake, stack.application, fake.edited_update(CHAT, her_first, "/start"))


async def test_a_group_message_gets_one_pointer_and_no_conversation(stack: Stack) -> None:
    fake = stack.fake
    group = -100555
    pointer = await reply(fake, stack.application, fake.text_update(group, "/start", chat_type="supergroup"))
    fake.push_text(group, "/menu", chat_type="supergroup")
    await reply(fake, stack.application, fake.text_update(CHAT, "/start"))
    assert len(pointer) == 1 and "t.me/wegweiser_test_bot" in pointer[0].text
    assert len(fake.sent(group)) == 1
    assert stack.wiring.store.load("telegram", str(group)) is None


async def test_a_blocked_user_is_stopped(stack: Stack) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start"))
    fake.block(CHAT)
    fake.push(fake.member_update(CHAT, "kicked"))
    await eventually(lambda: stopped(stack, CHAT))


async def test_a_send_refused_as_blocked_stops_the_contact(stack: Stack) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start"))
    fake.block(CHAT)
    fake.push_text(CHAT, "/menu")
    await eventually(lambda: stopped(stack, CHAT))
    refused = [
        c for c in fake.calls_to("sendMessage") if c.params["chat_id"] == str(CHAT) and c.status == 403
    ]
    assert len(refused) == 1


async def test_a_429_storm_delivers_every_answer(stack: Stack) -> None:
    fake = stack.fake
    chats = [CHAT + number for number in range(8)]
    for chat in chats:
        await reply(fake, stack.application, fake.text_update(chat, "/start"))
    expected = {chat: len(fake.sent(chat)) for chat in chats}
    fake.flood(times=10, retry_after=1)
    for chat in chats:
        fake.push_text(chat, "/start")
    for chat in chats:
        await fake.wait_for_sent(chat, 2 * expected[chat], timeout=20)
    assert [c.status for c in fake.calls_to("sendMessage")].count(429) == 10


async def test_delete_traces_removes_the_conversation_from_her_chat(stack: Stack) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start"))
    await stack.press(CHAT, "welcome/choose_language=de")
    await stack.press(CHAT, "welcome/privacy=yes")
    await reply(fake, stack.application, fake.text_update(CHAT, "/notfall"))
    assert len(fake.history(CHAT)) >= 5
    await reply(fake, stack.application, fake.text_update(CHAT, "/spuren"))
    wiped = await stack.press(CHAT, "delete_traces/confirm=yes")
    assert [m.text for m in fake.history(CHAT)] == [m.text for m in wiped], "only the answer is left"
    assert wiped[0].text == "🧹 Das Gespräch ist gelöscht."
    assert "main_menu/choose=counselling" in [data for _, data in wiped[-1].buttons]
    session = stack.wiring.store.load("telegram", str(CHAT))
    assert session is not None and session.state is not None
    assert "confirm_traces" not in session.state["slots"]
    await channel_of(stack.application).traces.write()
    left = stack.wiring.store.traces("telegram", str(CHAT), datetime(2000, 1, 1, tzinfo=UTC))
    assert left == [m.message_id for m in wiped]


async def test_phone_numbers_stay_in_reading_order_in_arabic(stack: Stack) -> None:
    fake = stack.fake
    await reply(fake, stack.application, fake.text_update(CHAT, "/start", language_code="ar"))
    await stack.press(CHAT, "welcome/choose_language=ar", "ar")
    await stack.press(CHAT, "welcome/privacy=yes", "ar")
    emergency = await reply(fake, stack.application, fake.text_update(CHAT, "/notfall", language_code="ar"))
    numbered = [m.text for m in emergency if any(ch.isdigit() for ch in m.text)]
    assert numbered and all(LRI in text for text in numbered)
