"""The channel in polling mode, against the fake Bot API and a scripted host."""

from __future__ import annotations

import logging

import pytest
from telegram.ext import AIORateLimiter

from bot.channels.telegram import (
    TelegramApplication,
    build_application,
    channel_of,
    run_polling,
    shut_down,
)
from bot.engine.model import DELETE_TRACES, Button, Input, Message
from bot.i18n.catalog import Catalog
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import MemoryStore, ScriptedHost, build, reply

CHAT = 4242


async def test_text_goes_to_the_host_and_the_answer_comes_back(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    replies = await reply(
        fake, polling_bot, fake.text_update(CHAT, "Hallo <Welt> & du", language_code="fa-IR")
    )
    assert [m.text for m in replies] == ["Sie schrieben: Hallo <Welt> & du"]
    assert host.inputs == [(str(CHAT), Input.of_text("Hallo <Welt> & du", "fa-IR"))]
    assert fake.calls_to("sendMessage")[0].params["parse_mode"] == "HTML"


async def test_start_with_a_deep_link_and_a_button(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    replies = await reply(fake, polling_bot, fake.text_update(CHAT, "/start ar-counselling-ik12"))
    assert host.inputs[0][1] == Input(kind="start", text="ar-counselling-ik12", language_hint="de")
    assert replies[-1].buttons == [("Deutsch", "lang:de"), ("العربية", "lang:ar")]
    chosen = await reply(fake, polling_bot, fake.callback_update(CHAT, "lang:ar"))
    assert chosen[0].text == "Gewählt: lang:ar"
    assert list(fake.answered) == [q for q, chat in fake.queries.items() if chat == CHAT]


async def test_an_invalid_deep_link_payload_is_a_plain_start(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    await reply(fake, polling_bot, fake.text_update(CHAT, "/start a+b"))
    assert host.inputs[0][1].kind == "start"
    assert host.inputs[0][1].text == ""


async def test_commands_arrive_as_text_without_the_bot_name(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    await reply(fake, polling_bot, fake.text_update(CHAT, "/menu@wegweiser_test_bot"))
    assert host.inputs[0][1] == Input.of_text("/menu", "de")


async def test_a_location_is_answered_with_a_venue_after_the_text(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    replies = await reply(fake, polling_bot, fake.location_update(CHAT, 50.80, 6.48))
    assert host.inputs[0][1] == Input(kind="location", latitude=50.80, longitude=6.48, language_hint="de")
    assert [m.kind for m in replies] == ["text", "venue"]
    assert replies[1].venue is not None and replies[1].venue["title"] == "Beratungsstelle"


async def test_every_kind_of_non_text_message_gets_a_kind_answer(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    kinds = ["sticker", "photo", "voice", "video", "video_note", "animation", "document", "audio", "contact"]
    kinds += ["poll", "dice"]
    for number, kind in enumerate(kinds):
        replies = await reply(fake, polling_bot, fake.media_update(CHAT + number, kind))
        assert replies[0].text == f"Das kann ich nicht lesen ({kind}). Bitte schreiben Sie."
    assert [i.text for _, i in host.inputs] == kinds


async def test_an_edited_message_is_answered_but_a_moving_live_location_is_not(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    first = await reply(fake, polling_bot, fake.text_update(CHAT, "Halo"))
    her_message = fake.history(CHAT)[0].message_id
    assert first
    edited = await reply(fake, polling_bot, fake.edited_update(CHAT, her_message, "Hallo"))
    assert edited[0].text == "Das kann ich nicht lesen (edited). Bitte schreiben Sie."


async def test_a_group_gets_one_pointer_to_the_private_chat_and_then_silence(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    group = -100123
    replies = await reply(fake, polling_bot, fake.text_update(group, "/start", chat_type="supergroup"))
    assert (
        replies[0].text
        == "Ich antworte nur im privaten Chat. Schreiben Sie mir hier: https://t.me/wegweiser_test_bot"
    )
    fake.push_text(group, "/menu", chat_type="supergroup")
    fake.push_text(group, "noch etwas", chat_type="supergroup")
    await reply(fake, polling_bot, fake.text_update(CHAT, "privat"))  # processed after the group messages
    assert len(fake.sent(group)) == 1
    assert host.inputs == [(str(CHAT), Input.of_text("privat", "de"))]


async def test_a_channel_post_gets_one_pointer(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    channel = -100777
    replies = await reply(fake, polling_bot, fake.text_update(channel, "Neuigkeiten", chat_type="channel"))
    assert "https://t.me/wegweiser_test_bot" in replies[0].text
    assert host.inputs == []


async def test_blocking_the_bot_stops_the_contact(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    fake.push(fake.member_update(CHAT, "kicked"))
    await reply(fake, polling_bot, fake.text_update(CHAT + 1, "danach"))
    assert host.stopped == [str(CHAT)]


async def test_a_send_refused_with_403_stops_the_contact_and_the_rest_of_the_reply(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    fake.block(CHAT)
    fake.push_text(CHAT, "/start")
    await fake.wait_for(lambda: host.stopped == [str(CHAT)])
    sends = [call for call in fake.calls_to("sendMessage") if call.params["chat_id"] == str(CHAT)]
    assert [call.status for call in sends] == [403]  # the second message of the reply was not tried


async def test_a_429_storm_is_waited_out_and_every_message_arrives(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    fake.flood(times=6, retry_after=1)
    for chat in range(10):
        fake.push_text(CHAT + chat, "/start")
    for chat in range(10):
        await fake.wait_for_sent(CHAT + chat, 2, timeout=15)
    statuses = [call.status for call in fake.calls_to("sendMessage")]
    assert statuses.count(429) == 6
    assert statuses.count(200) == 20


async def test_rate_limits_are_kept_without_losing_messages(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    fake.rate_limits = True
    fake.per_chat_per_second = 1
    fake.per_chat_burst = 1  # no burst allowed: the second message of the reply is refused once
    replies = await reply(fake, polling_bot, fake.text_update(CHAT, "/start"), timeout=15)
    assert [m.text for m in replies] == ["Willkommen beim Wegweiser.", "Welche Sprache?"]
    assert any(call.status == 429 for call in fake.calls_to("sendMessage"))


async def test_server_errors_and_timeouts_are_retried(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    fake.fail("sendMessage", 502, times=2)
    replies = await reply(fake, polling_bot, fake.text_update(CHAT, "eins"))
    assert [m.text for m in replies] == ["Sie schrieben: eins"]
    fake.delay("sendMessage", 3.0)  # longer than the bot's read timeout: it retries, as it must
    replies = await reply(fake, polling_bot, fake.text_update(CHAT, "zwei"), timeout=15)
    assert set(m.text for m in replies) == {"Sie schrieben: zwei"}


async def test_a_refused_message_does_not_crash_the_bot(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    fake.fail("sendMessage", 400, description="Bad Request: chat not found")
    fake.push_text(CHAT, "eins")
    await fake.wait_for_calls("sendMessage", 1)
    replies = await reply(fake, polling_bot, fake.text_update(CHAT, "zwei"))
    assert [m.text for m in replies] == ["Sie schrieben: zwei"]


async def test_traces_are_recorded_both_ways(
    fake: FakeTelegram, memory_store: MemoryStore, polling_bot: TelegramApplication
) -> None:
    await reply(fake, polling_bot, fake.text_update(CHAT, "/start"))
    assert memory_store.trace_rows == [], "written a moment later, for all chats at once"
    await channel_of(polling_bot).traces.write()
    directions = [(row[2], row[3]) for row in memory_store.trace_rows]
    assert directions == [(1, "in"), (2, "out"), (3, "out")]


WIPED = [Message("🧹 Gelöscht.", effect=DELETE_TRACES), Message("Menü?", buttons=(Button("Menü", "menu"),))]


async def test_delete_traces_empties_her_chat_before_the_answer(
    fake: FakeTelegram, host: ScriptedHost, memory_store: MemoryStore, polling_bot: TelegramApplication
) -> None:
    host.answers["/spuren"] = WIPED
    await reply(fake, polling_bot, fake.text_update(CHAT, "/start"))
    await reply(fake, polling_bot, fake.text_update(CHAT, "Hallo"))
    assert len(fake.history(CHAT)) == 5
    await reply(fake, polling_bot, fake.text_update(CHAT, "/spuren"))
    assert [message.text for message in fake.history(CHAT)] == ["🧹 Gelöscht.", "Menü?"]
    await channel_of(polling_bot).traces.write()
    assert [row[3] for row in memory_store.trace_rows] == ["out", "out"], "only what is on her screen now"


async def test_delete_traces_skips_what_telegram_no_longer_allows(
    fake: FakeTelegram, host: ScriptedHost, polling_bot: TelegramApplication
) -> None:
    host.answers["/deletetraces"] = WIPED
    await reply(fake, polling_bot, fake.text_update(CHAT, "alt"))
    fake.age_message(CHAT, 1, 49 * 3600)
    await reply(fake, polling_bot, fake.text_update(CHAT, "/deletetraces", language_code="ar"))
    assert fake.history(CHAT)[0].message_id == 1
    assert [m.text for m in fake.history(CHAT)][1:] == ["🧹 Gelöscht.", "Menü?"]


async def test_the_profile_is_published_in_german_by_default(
    fake: FakeTelegram, polling_bot: TelegramApplication
) -> None:
    assert list(fake.commands) == [""]
    assert [c["command"] for c in fake.commands[""]] == [
        "start",
        "menu",
        "notfall",
        "sprache",
        "hilfe",
        "spuren",
        "delete",
    ]
    assert fake.descriptions[""].startswith("Der Wegweiser")
    assert fake.short_descriptions[""]


class FailingHost(ScriptedHost):
    async def handle(self, channel: str, platform_id: str, user_input: Input, /) -> list[Message]:
        if "Geheimweg" in user_input.text:
            raise ValueError(f"could not handle {user_input.text!r} from {platform_id}")
        return list(await super().handle(channel, platform_id, user_input))


async def test_a_failing_turn_is_logged_without_her_text_chat_id_or_token(
    fake: FakeTelegram, memory_store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    application = build(fake, FailingHost(), memory_store)
    await run_polling(application, poll_timeout=1)
    try:
        fake.push_text(CHAT, "Meine Adresse ist Geheimweg 7")
        replies = await reply(fake, application, fake.text_update(CHAT, "noch da?"))
    finally:
        await shut_down(application)
    assert [m.text for m in replies][-1] == "Sie schrieben: noch da?"
    assert fake.texts(CHAT)[0] == "Notruf 110", "the failed turn got the emergency numbers"
    assert "update failed: ValueError" in caplog.text
    for secret in ("Geheimweg", "noch da", str(CHAT), fake.token, "Testperson"):
        assert secret not in caplog.text


async def test_a_rate_limiter_can_pace_every_send(fake: FakeTelegram, memory_store: MemoryStore) -> None:
    application = build_application(
        fake.token,
        fake.base_url,
        ScriptedHost(),
        memory_store,
        Catalog(),
        webhook=False,
        rate_limiter=AIORateLimiter(overall_max_rate=5, overall_time_period=1),
    )
    await run_polling(application, poll_timeout=1)
    try:
        replies = await reply(fake, application, fake.text_update(CHAT, "/start"))
    finally:
        await shut_down(application)
    assert [m.text for m in replies] == ["Willkommen beim Wegweiser.", "Welche Sprache?"]
