"""The Telegram webhook at its edge: the secret before the body, a capped body, absurd ids refused,
and an update marked as processed only after it was handled."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import date

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.telegram import SECRET_HEADER, process_webhook, secret_matches, shut_down, start_webhook
from bot.web.webhook import MAX_WEBHOOK_BYTES, webhook_route
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.figures import note
from tests.telegram.conftest import MemoryStore, ScriptedHost, build, fake

__all__ = ["fake"]  # the fake Bot API fixture

SECRET = "edge_Secret-42"
CHUNK = b"x" * 65_536


@dataclass
class Body:
    """A request body that counts how much of it the server pulled."""

    chunks: int
    pulled: int = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.pulled += 1
            yield CHUNK


@dataclass
class OrderedStore(MemoryStore):
    """Notes, when an update is marked, whether the host had already handled it."""

    host: ScriptedHost = field(default_factory=ScriptedHost)
    handled_when_marked: list[bool] = field(default_factory=list)

    def mark_update(self, update_id: int, seen_on: date, /) -> bool:
        self.handled_when_marked.append(bool(self.host.inputs))
        return super().mark_update(update_id, seen_on)


@pytest.fixture
async def edge(fake: FakeTelegram) -> AsyncIterator[tuple[httpx.AsyncClient, OrderedStore]]:
    store = OrderedStore()
    application = build(fake, store.host, store, webhook=True)
    await start_webhook(application, "https://bot.example.org/telegram", SECRET)

    async def receive(body: bytes, headers: Mapping[str, str]) -> int:
        return await process_webhook(application, store, body, headers.get(SECRET_HEADER), SECRET)

    def accept(headers: Mapping[str, str]) -> bool:
        return secret_matches(headers.get(SECRET_HEADER), SECRET)

    app = Starlette(routes=[webhook_route("/telegram", receive, accept)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        yield client, store
    await shut_down(application)


async def test_a_wrong_secret_is_refused_before_the_body_is_read(
    edge: tuple[httpx.AsyncClient, OrderedStore],
) -> None:
    client, _ = edge
    body = Body(chunks=6_400)  # 400 MB if it were read
    reply = await client.post("/telegram", content=body, headers={SECRET_HEADER: "wrong"})
    assert reply.status_code == 403
    assert body.pulled <= 1


async def test_a_body_over_the_cap_is_read_no_further(edge: tuple[httpx.AsyncClient, OrderedStore]) -> None:
    client, store = edge
    body = Body(chunks=6_400)
    reply = await client.post("/telegram", content=body, headers={SECRET_HEADER: SECRET})
    assert reply.status_code == 413
    assert body.pulled <= MAX_WEBHOOK_BYTES // len(CHUNK) + 2
    note(f"webhook, 400 MB body: wrong secret read {0} KB, right secret read {body.pulled * 64} KB then 413")
    assert store.host.inputs == []


@pytest.mark.parametrize("update_id", [2**70, -1, 2**63, 1.5, "7", True])
async def test_an_impossible_update_id_is_a_clear_400(
    edge: tuple[httpx.AsyncClient, OrderedStore], fake: FakeTelegram, update_id: object
) -> None:
    client, store = edge
    update = {**fake.text_update(777, "Hallo"), "update_id": update_id}
    reply = await client.post("/telegram", json=update, headers={SECRET_HEADER: SECRET})
    assert reply.status_code == 400
    assert store.host.inputs == []


async def test_an_update_is_marked_processed_only_after_it_was_handled(
    edge: tuple[httpx.AsyncClient, OrderedStore], fake: FakeTelegram
) -> None:
    client, store = edge
    update = {**fake.text_update(778, "Hallo"), "update_id": 4_000_001}
    first = await client.post("/telegram", json=update, headers={SECRET_HEADER: SECRET})
    assert first.status_code == 200
    assert [text for _, text in ((p, i.text) for p, i in store.host.inputs)] == ["Hallo"], (
        "handled when answered"
    )
    assert store.handled_when_marked == [True]
    again = await client.post("/telegram", json=update, headers={SECRET_HEADER: SECRET})
    assert again.status_code == 200
    assert len(store.host.inputs) == 1, "a redelivered update is processed once"
