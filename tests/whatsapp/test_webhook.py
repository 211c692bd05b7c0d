"""The `/whatsapp` webhook as Meta and as an attacker would call it: handshake, signatures, size,
malformed bodies, redelivery, and a process that dies after answering 200."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from bot.store.messenger import MessengerStore
from tests.fakes.graph_api import VERIFY_TOKEN, FakeGraph
from tests.whatsapp.conftest import WhatsAppStack, running, settings_for

WA_ID = "4915112345678"


async def test_the_handshake_answers_the_challenge_only_with_the_verify_token(stack: WhatsAppStack) -> None:
    async with httpx.AsyncClient() as client:
        good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
        answer = await client.get(stack.url, params=good)
        assert (answer.status_code, answer.text) == (200, "1158201444")
        wrong = await client.get(stack.url, params={**good, "hub.verify_token": "guess"})
        assert wrong.status_code == 403 and "1158201444" not in wrong.text


async def test_unsigned_or_wrongly_signed_posts_are_refused_and_nothing_is_processed(
    stack: WhatsAppStack,
) -> None:
    fake = stack.fake
    event = fake.message_event(WA_ID, "text", {"text": {"body": "Hallo"}})
    assert (await fake.post(event, signature=None)).status_code == 401
    assert (await fake.post(event, signature="sha256=" + "0" * 64)).status_code == 403
    body = json.dumps(event).encode()
    other_secret = fake.sign(body, secret="someone-else")
    assert (await fake.post(body, signature=other_secret)).status_code == 403
    tampered = body.replace(b"Hallo", b"Hallx")
    assert (await fake.post(tampered, signature=fake.sign(body))).status_code == 403
    await stack.settle()
    assert fake.sent_count(WA_ID) == 0
    assert stack.wiring.store.load("whatsapp", WA_ID) is None


async def test_malformed_json_is_400_and_unknown_shapes_are_200_without_effect(stack: WhatsAppStack) -> None:
    fake = stack.fake
    assert (await fake.post(b"{not json")).status_code == 400
    assert (await fake.post(b"[1, 2]")).status_code == 400
    assert (await fake.post({"object": "page", "entry": "x"})).status_code == 200
    assert (
        await fake.post({"entry": [{"changes": [{"field": "messages", "value": {"messages": [{}]}}]}]})
    ).status_code == 200
    await stack.settle()
    assert fake.total_sent() == 0


async def test_a_ten_megabyte_body_is_refused_before_it_is_read(stack: WhatsAppStack) -> None:
    body = b'{"x":"' + b"a" * (10 * 1024 * 1024) + b'"}'
    answer = await stack.fake.post(body)
    assert answer.status_code == 413

    async def chunks():  # no content-length: streamed, cut off at the cap
        for _ in range(10):
            yield b"a" * (1024 * 1024)

    async with httpx.AsyncClient() as client:
        streamed = await client.post(
            stack.url, content=chunks(), headers={"X-Hub-Signature-256": "sha256=00"}
        )
    assert streamed.status_code == 413


async def test_a_redelivered_message_is_answered_once(stack: WhatsAppStack) -> None:
    fake = stack.fake
    await fake.deliver(WA_ID, "text", {"text": {"body": "Hallo"}}, message_id="wamid.same")
    await stack.settle()
    answered = fake.sent_count(WA_ID)
    assert answered > 0
    for _ in range(3):
        await fake.deliver(WA_ID, "text", {"text": {"body": "Hallo"}}, message_id="wamid.same")
    await stack.settle()
    assert fake.sent_count(WA_ID) == answered


async def test_an_event_accepted_before_a_crash_is_handled_after_the_restart(
    fake: FakeGraph, tmp_path: Path
) -> None:
    settings = settings_for(fake, f"sqlite:///{tmp_path / 'wegweiser.db'}")
    async with running(fake, settings) as first:
        await first.whatsapp.channel.stop()  # the process "dies" after answering 200
        await fake.text(WA_ID, "Hallo")
        assert MessengerStore(first.wiring.store).pending("whatsapp", 10)
        assert fake.sent_count(WA_ID) == 0
    async with running(fake, settings) as second:
        await second.settle()
        assert fake.sent_count(WA_ID) > 0
        assert not MessengerStore(second.wiring.store).pending("whatsapp", 10)
