"""Poison inputs: text that cannot be stored, or is huge, is answered kindly and never costs another
woman her turn."""

from __future__ import annotations

import asyncio

import httpx

from bot.cli.wiring import Wiring
from bot.engine.model import MAX_TEXT_CHARS, Input, clean_text
from bot.i18n.detect import MAX_ANALYSED_CHARS, suggest_language
from tests.faults.conftest import say, texts, welcome
from tests.faults.figures import note

POISON = (
    "\ud800",
    "Hallo \udfff Welt",
    "\x00",
    "Miete\x00 zu hoch \x1b[31m",
    "\ud83d\ude00 broken pair \ud83d",
)


async def at_report_addition(client: httpx.AsyncClient, session: str) -> None:
    await welcome(client, session)
    await say(client, session, payload="main_menu/choose=report")
    reply = await say(client, session, payload="report/intro=add")
    assert reply.json()["messages"][-1]["msgid"] == "report/ask_addition"


async def test_poison_text_at_the_report_step_fails_nobody_else(
    web: httpx.AsyncClient, database_url: str
) -> None:
    poisoned = [f"poison-{index:04d}" for index in range(len(POISON))]
    others = [f"other-{index:05d}" for index in range(30)]
    for session in poisoned + others[:10]:
        await at_report_addition(web, session)

    replies = await asyncio.gather(
        *(say(web, session, text=text) for session, text in zip(poisoned, POISON, strict=True)),
        *(say(web, session, text="/notfall") for session in others),
    )
    poison_replies, emergency_replies = replies[: len(POISON)], replies[len(POISON) :]
    assert [reply.status_code for reply in emergency_replies] == [200] * len(others)
    assert all("110" in texts(reply) and "116 016" in texts(reply) for reply in emergency_replies)
    # her own turn is answered too: the flow goes on to the code question (a lone NUL is no text:
    # asked again)
    assert [reply.status_code for reply in poison_replies] == [200] * len(POISON)
    expected = ["report/ask_addition" if text == "\x00" else "report/ask_code" for text in POISON]
    assert [reply.json()["messages"][-1]["msgid"] for reply in poison_replies] == expected
    note(
        f"{database_url.split(':')[0].split('+')[0]}: poison texts at the report step: {len(POISON)} "
        f"beside {len(others)} /notfall at once: "
        f"{len(others)}/{len(others)} answered with the numbers, "
        f"{len(POISON)}/{len(POISON)} poisoned turns answered"
    )


async def test_a_turn_that_breaks_the_shared_transaction_fails_alone(wiring: Wiring) -> None:
    """The last line of defence: an input no edge cleaned (a channel yet to come) still fails alone."""
    host = wiring.host
    poisoned = [f"raw-{index}" for index in range(len(POISON))]
    others = [f"calm-{index}" for index in range(20)]
    for session in poisoned:
        for user_input in (
            Input(kind="start"),
            Input.of_payload("welcome/choose_language=de"),
            Input.of_payload("welcome/privacy=yes"),
            Input.of_payload("main_menu/choose=report"),
            Input.of_payload("report/intro=add"),
        ):
            await host.handle("web", session, user_input)
    results = await asyncio.gather(
        *(host.handle("web", s, Input(kind="text", text=t)) for s, t in zip(poisoned, POISON, strict=True)),
        *(host.handle("web", session, Input.of_payload("emergency")) for session in others),
        return_exceptions=True,
    )
    answered = results[len(POISON) :]
    assert not [result for result in answered if isinstance(result, BaseException)]
    assert all(any("112" in message.text for message in result) for result in answered)  # type: ignore[union-attr]
    for session in others:
        assert wiring.store.load("web", session) is not None, "every other woman's turn was saved"


async def test_text_over_the_limit_is_refused_with_413(web: httpx.AsyncClient) -> None:
    await welcome(web, "longtext-1")
    reply = await say(web, "longtext-1", text="ا" * (MAX_TEXT_CHARS + 1))
    assert reply.status_code == 413
    assert str(MAX_TEXT_CHARS) in reply.json()["error"]
    after = await say(web, "longtext-1", payload="menu")
    assert "main_menu/choose" in [message["msgid"] for message in after.json()["messages"]]


def test_the_edge_makes_text_storable_and_short() -> None:
    assert clean_text("a\ud800b\x00c\nd\te") == "a\ufffdbc\nd\te"
    assert len(clean_text("x" * 100_000)) == MAX_TEXT_CHARS
    for text in POISON:
        clean_text(text).encode("utf-8")  # raises for a lone surrogate
    assert Input.of_text("\ud800").text == "\ufffd"


def test_language_detection_reads_only_the_start_of_a_long_text() -> None:
    """60 KB of Arabic once took about a second inside the database thread: only the start is read."""
    german = "Ich suche eine Beratung für Frauen in Düren, bitte helfen Sie mir schnell. " * 6
    assert len(german) >= MAX_ANALYSED_CHARS
    assert suggest_language(german + "أبحث عن استشارة للنساء " * 3000) == "de"
