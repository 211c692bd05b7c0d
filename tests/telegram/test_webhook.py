"""The channel in webhook mode: the fake Bot API POSTs updates to a small Starlette endpoint that
hands the raw request to `process_webhook`, as the web layer does."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.telegram import (
    SECRET_HEADER,
    TelegramApplication,
    process_webhook,
    shut_down,
    start_webhook,
)
from tests.fakes.asgi_server import serve
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import MemoryStore, ScriptedHost, build, reply

SECRET = "s3cret_Token-for-tests"
CHAT = 5151


@dataclass
class Webhook:
    url: str
    application: TelegramApplication


@pytest.fixture
async def webhook(
    fake: FakeTelegram, host: ScriptedHost, memory_store: MemoryStore
) -> AsyncIterator[Webhook]:
    application = build(fake, host, memory_store, webhook=True)

    async def endpoint(request: Request) -> Response:
        status = await process_webhook(
            application, memory_store, await request.body(), request.headers.get(SECRET_HEADER), SECRET
        )
        return Response(status_code=status)

    server = await serve(Starlette(routes=[Route("/telegram", endpoint, methods=["POST"])]))
    url = f"{server.url}/telegram"
    await start_webhook(application, url, SECRET)
    yield Webhook(url, application)
    await shut_down(application)
    await server.stop()


async def test_a_conversation_through_the_webhook(
    fake: FakeTelegram, host: ScriptedHost, webhook: Webhook
) -> None:
    assert fake.webhook is not None and fake.webhook["secret_token"] == SECRET
    replies = await reply(fake, webhook.application, fake.text_update(CHAT, "/start"))
    assert [m.text for m in replies] == ["Willkommen beim Wegweiser.", "Welche Sprache?"]
    chosen = await reply(fake, webhook.application, fake.callback_update(CHAT, "lang:ar"))
    assert chosen[0].text == "Gewählt: lang:ar"
    assert set(fake.webhook_statuses) == {200}


async def test_getupdates_is_refused_while_the_webhook_is_set(fake: FakeTelegram, webhook: Webhook) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake.base_url}{fake.token}/getUpdates")
    assert response.status_code == 409


@pytest.mark.parametrize("header", [None, "", "wrong", SECRET + "x", SECRET.upper()])
async def test_a_wrong_or_missing_secret_is_refused_and_nothing_happens(
    fake: FakeTelegram, host: ScriptedHost, memory_store: MemoryStore, webhook: Webhook, header: str | None
) -> None:
    body = json.dumps({"update_id": 1, **fake.text_update(CHAT, "Hallo")})
    headers = {"Content-Type": "application/json"} | ({SECRET_HEADER: header} if header is not None else {})
    async with httpx.AsyncClient() as client:
        response = await client.post(webhook.url, content=body, headers=headers)
    assert response.status_code == 403
    await reply(
        fake, webhook.application, fake.text_update(CHAT + 1, "danach")
    )  # the bot is alive and has done nothing else
    assert host.inputs == [(str(CHAT + 1), host.inputs[0][1])]
    assert fake.sent(CHAT) == []
    assert 1 not in memory_store.seen_updates


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"message": {}}',
        b'{"update_id": "7"}',
        b'{"update_id": 7, "message": 3}',
    ],
)
async def test_a_body_that_is_not_an_update_is_a_bad_request(
    fake: FakeTelegram, host: ScriptedHost, memory_store: MemoryStore, webhook: Webhook, body: bytes
) -> None:
    status = await process_webhook(webhook.application, memory_store, body, SECRET, SECRET)
    assert status == 400
    assert memory_store.seen_updates == set()


async def test_a_redelivered_update_is_processed_once(
    fake: FakeTelegram, host: ScriptedHost, memory_store: MemoryStore, webhook: Webhook
) -> None:
    body = json.dumps({"update_id": 99, **fake.text_update(CHAT, "einmal")}).encode()
    first = await process_webhook(webhook.application, memory_store, body, SECRET, SECRET)
    second = await process_webhook(webhook.application, memory_store, body, SECRET, SECRET)
    assert (first, second) == (200, 200)
    await fake.wait_for_sent(CHAT, 1)
    await reply(fake, webhook.application, fake.text_update(CHAT + 1, "danach"))
    assert [i.text for chat, i in host.inputs if chat == str(CHAT)] == ["einmal"]
    assert len(fake.sent(CHAT)) == 1


async def test_no_secret_configured_refuses_everything(
    fake: FakeTelegram, memory_store: MemoryStore, webhook: Webhook
) -> None:
    body = json.dumps({"update_id": 5, **fake.text_update(CHAT, "x")}).encode()
    assert await process_webhook(webhook.application, memory_store, body, "", "") == 403


async def test_an_invalid_secret_is_refused_before_registering(
    fake: FakeTelegram, host: ScriptedHost, memory_store: MemoryStore
) -> None:
    application = build(fake, host, memory_store, webhook=True)
    with pytest.raises(ValueError, match="secret"):
        await start_webhook(application, "https://example.org/telegram", "with space")
    assert fake.webhook is None
