"""A woman's path through Wegweiser on WhatsApp: fake Graph API -> signed webhook -> inbox -> pywa ->
channel -> real host and engine -> SQLite -> Cloud API sends, in German, Arabic and Ukrainian."""

from __future__ import annotations

import re

import pytest

from bot.channels.whatsapp.render import RLM
from tests.fakes.graph_api import Sent
from tests.whatsapp.conftest import WhatsAppStack

ARABIC = re.compile("[\\u0600-\\u06ff]")
# Calling codes: Germany, Syria, Ukraine.
NUMBERS = {"de": "4915112345678", "ar": "963944123456", "uk": "380501234567"}


def ids(messages: list[Sent]) -> list[str]:
    return [choice for message in messages for choice, _ in message.choices]


async def welcome(stack: WhatsAppStack, language: str) -> str:
    wa_id = NUMBERS[language]
    first = await stack.say(wa_id, "Hallo")
    assert first, "no answer to her first message"
    await stack.press(wa_id, f"welcome/choose_language={language}")
    await stack.press(wa_id, "welcome/privacy=yes")
    return wa_id


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
async def test_first_contact_to_counselling_offers(stack: WhatsAppStack, language: str) -> None:
    wa_id = NUMBERS[language]
    first = await stack.say(wa_id, "Hallo")
    choices = ids(first)
    assert f"welcome/choose_language={language}" in choices
    if language != "de":  # her calling code puts her language first; she still chooses
        assert choices[0] == f"welcome/choose_language={language}"
    await stack.press(wa_id, f"welcome/choose_language={language}")
    await stack.press(wa_id, "welcome/privacy=yes")
    topics = await stack.press(wa_id, "main_menu/choose=counselling")
    topic_ids = ids(topics)
    assert any(choice.startswith("wa.more:") for choice in topic_ids)  # 13 topics: a list with "more"
    assert "emergency" in topic_ids and "menu" in topic_ids
    places = await choose(stack, wa_id, topics, "find_counselling/ask_topic=health")
    assert any(m.interactive_type == "location_request_message" for m in places)
    offers = await choose(stack, wa_id, places, "find_counselling/ask_place=anywhere")
    assert len(offers) >= 2
    assert "find_counselling/after_offers=other_topic" in ids(offers)
    conversation = stack.wiring.store.load("whatsapp", wa_id)
    assert conversation is not None and conversation.language == language
    for message in stack.fake.messages_to(wa_id):
        if ARABIC.search(message.text):
            assert message.text.startswith(RLM), message.text[:40]
    assert all(call.status == 200 for call in stack.fake.calls)


async def choose(stack: WhatsAppStack, wa_id: str, shown: list[Sent], choice: str) -> list[Sent]:
    """Tap `choice`, turning the pages of a long list until it shows."""
    for _ in range(5):
        if choice in ids(shown):
            return await stack.press(wa_id, choice)
        shown = await stack.press(wa_id, next(c for c in ids(shown) if c.startswith("wa.more:")))
    raise AssertionError(f"{choice} never shown")


async def test_a_shared_location_answers_with_venues(stack: WhatsAppStack) -> None:
    wa_id = await welcome(stack, "de")
    topics = await stack.press(wa_id, "main_menu/choose=counselling")
    await choose(stack, wa_id, topics, "find_counselling/ask_topic=violence")
    before = stack.fake.sent_count(wa_id)
    await stack.fake.location(wa_id, 50.8003, 6.4826)  # Düren, Kaiserplatz
    await stack.settle()
    answers = stack.fake.messages_to(wa_id)[before:]
    venues = [message for message in answers if message.type == "location"]
    assert venues
    for venue in venues:  # a venue follows the text of its offer
        assert answers[answers.index(venue) - 1].type in ("text", "interactive")


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
async def test_a_typed_emergency_gets_the_numbers_at_once(stack: WhatsAppStack, language: str) -> None:
    wa_id = await welcome(stack, language)
    words = {"de": "Notfall", "ar": "طوارئ", "uk": "поліція"}
    answers = await stack.say(wa_id, words[language])
    assert any("110" in message.text for message in answers)


@pytest.mark.parametrize("kind", ["sticker", "image", "audio", "reaction", "video", "document", "hologram"])
async def test_what_she_cannot_send_gets_a_kind_answer_in_her_language(
    stack: WhatsAppStack, kind: str
) -> None:
    wa_id = await welcome(stack, "ar")
    answers = await stack.send(wa_id, kind)
    assert answers, f"no answer to a {kind}"
    assert ARABIC.search(answers[0].text)


async def test_delete_traces_says_honestly_what_whatsapp_allows(stack: WhatsAppStack) -> None:
    wa_id = await welcome(stack, "de")
    await stack.say(wa_id, "/spuren")
    answers = await stack.press(wa_id, "delete_traces/confirm=yes")
    text = " ".join(message.text for message in answers)
    assert "Chat leeren" in text and "WhatsApp" in text


async def test_delete_my_data_erases_her(stack: WhatsAppStack) -> None:
    wa_id = await welcome(stack, "uk")
    assert stack.wiring.store.load("whatsapp", wa_id) is not None
    await stack.say(wa_id, "/delete")
    choices = ids(stack.fake.messages_to(wa_id)[-2:])
    confirm = next(choice for choice in choices if choice.endswith("=yes"))
    await stack.press(wa_id, confirm)
    assert stack.wiring.store.load("whatsapp", wa_id) is None
