"""WhatsApp: signed webhooks answered per second, Wegweiser beside a minimal pywa echo bot, and a broadcast
at the configured rate with women writing during it.

Everything runs against the fake Graph API (`tests/fakes/graph_api.py`) over real HTTP, in one process:

- webhooks: `--clients` senders POST signed text messages (each a new woman and message id) to
  Wegweiser's `/whatsapp` (as `wegweiser run` builds it, SQLite) and to a minimal pywa echo bot (pywa's
  custom-server hooks in a Starlette route, echoing each text); rounds alternate, medians are printed;
- broadcast: `--subscribers` women inside their 24-hour window, the outbox at `--rate` per second
  against a fake that answers 130429 above that rate; meanwhile `--writers` women write, and the time
  from their message to the bot's first answer is measured (p50/p95).

    .venv/bin/python -m benchmarks.whatsapp [--rounds 3] [--messages 600] [--subscribers 10000] [--rate 80]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pywa_async.client import WhatsApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.asgi_server import serve
from tests.fakes.graph_api import APP_SECRET, PHONE_ID, VERIFY_TOKEN, FakeGraph
from tests.whatsapp.conftest import running, settings_for


def echo_bot(fake: FakeGraph) -> Starlette:
    """The baseline: pywa's own webhook handling, echoing every text, nothing stored."""
    session = httpx.AsyncClient(timeout=30)
    client = WhatsApp(
        phone_id=PHONE_ID,
        token=fake.token,
        session=session,
        server=None,
        verify_token=VERIFY_TOKEN,
        app_secret=APP_SECRET,
    )
    session.base_url = httpx.URL(fake.api_url)

    async def echo(_: Any, message: Any) -> None:
        await message.reply_text(message.text or "?")

    from pywa_async import handlers

    client.add_handlers(handlers.MessageHandler(echo))

    async def webhook(request: Request) -> Response:
        body = await request.body()
        refused = await client.webhook_update_validator(body, request.headers.get("X-Hub-Signature-256"))
        if refused is not None:
            return Response(status_code=refused[1])
        _, status = await client.webhook_update_handler(body)
        return Response(status_code=status)

    return Starlette(routes=[Route("/whatsapp", webhook, methods=["POST"])])


async def post_many(fake: FakeGraph, url: str, messages: int, clients: int, first: int) -> float:
    """Signed webhooks answered per second (all answered 200)."""
    http = httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=clients))
    bodies = []
    for n in range(messages):
        wa_id = str(4915000000000 + first + n)
        fake.last_inbound[wa_id] = fake.now()
        event = fake.message_event(wa_id, "text", {"text": {"body": "Hallo"}}, f"wamid.bench{first + n}")
        body = json.dumps(event).encode()
        bodies.append((body, fake.sign(body)))
    queue: asyncio.Queue[tuple[bytes, str]] = asyncio.Queue()
    for item in bodies:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            body, signature = queue.get_nowait()
            answer = await http.post(url, content=body, headers={"X-Hub-Signature-256": signature})
            assert answer.status_code == 200, answer.status_code

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    await http.aclose()
    return messages / elapsed


async def webhooks(rounds: int, messages: int, clients: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        await _webhooks(folder, rounds, messages, clients)


async def _webhooks(folder: str, rounds: int, messages: int, clients: int) -> None:
    async with FakeGraph(rate=1e9, statuses=False) as fake:
        settings = settings_for(fake, f"sqlite:///{Path(folder) / 'bench.db'}")
        echo = await serve(echo_bot(fake))
        async with running(fake, settings) as stack:
            ours: list[float] = []
            theirs: list[float] = []
            for number in range(rounds):
                base = number * 2 * messages
                theirs.append(await post_many(fake, f"{echo.url}/whatsapp", messages, clients, base))
                ours.append(await post_many(fake, stack.url, messages, clients, base + messages))
                await stack.settle(timeout=300)
        await echo.stop()
    mine, echo_rate = statistics.median(ours), statistics.median(theirs)
    print(f"signed webhooks answered per second, median of {rounds} alternating rounds ({clients} senders):")
    print(f"  pywa echo bot   {echo_rate:8.0f}/s   rounds {[round(r) for r in theirs]}")
    print(f"  Wegweiser       {mine:8.0f}/s   rounds {[round(r) for r in ours]}")
    print(f"  ratio           {mine / echo_rate:8.2f}")


async def broadcast(subscribers: int, rate: float, writers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        await _broadcast(folder, subscribers, rate, writers)


async def _broadcast(folder: str, subscribers: int, rate: float, writers: int) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from bot.outbox.lanes import Lanes
    from bot.outbox.limiter import Limiter
    from bot.store.models import Contact, ReplyWindow, Subscription
    from bot.store.outbox import Audience, Outbox
    from tests.whatsapp.test_reminders import send_outbox

    async with FakeGraph(rate=rate, statuses=False) as fake:
        settings = settings_for(fake, f"sqlite:///{Path(folder) / 'bench.db'}", whatsapp_rate=rate)
        async with running(fake, settings) as stack:
            store = stack.wiring.store
            at = datetime.now(UTC)
            rows = [
                {
                    "id": n + 1,
                    "key": store.key("whatsapp", str(4917000000000 + n)),
                    "channel": "whatsapp",
                    "platform_id": str(4917000000000 + n),
                    "language": ("de", "ar", "uk")[n % 3],
                    "consent": True,
                    "stopped": False,
                    "created_at": at,
                    "last_seen_at": at,
                }
                for n in range(subscribers)
            ]
            with store.engine.begin() as connection:
                connection.execute(insert(Contact), rows)
                connection.execute(
                    insert(Subscription),
                    [{"contact_id": r["id"], "topic": "announcements", "created_at": at} for r in rows],
                )
                connection.execute(
                    insert(ReplyWindow), [{"contact_id": r["id"], "opened_at": at} for r in rows]
                )
            for row in rows:
                fake.last_inbound[str(row["platform_id"])] = fake.now()
            outbox = Outbox(store.engine)
            announcement = outbox.create(
                kind="broadcast", text="x", audience=Audience(("announcements",)), created_by="bench", now=at
            )
            outbox.queue(
                announcement, {code: f"[{code}] Neuigkeiten" for code in ("de", "ar", "uk")}, ["whatsapp"], at
            )
            pace = Lanes({"whatsapp": Limiter(rate=rate, chat_interval=0.0)}, default=Limiter(rate=30.0))
            stack.whatsapp.channel.pace = pace
            latencies: list[float] = []

            async def woman(n: int) -> None:
                wa_id = str(4916000000000 + n)
                await asyncio.sleep(2 + n * 0.5)
                before = fake.sent_count(wa_id)
                started = time.perf_counter()
                await fake.text(wa_id, "Hallo")
                while fake.sent_count(wa_id) == before:
                    await asyncio.sleep(0.005)
                latencies.append(time.perf_counter() - started)

            started = time.perf_counter()
            women = asyncio.gather(*(woman(n) for n in range(writers)))
            await send_outbox(stack, pace)
            elapsed = time.perf_counter() - started
            await women
    sent = outbox.counts(announcement).get("sent", 0)
    print(
        f"broadcast to {subscribers} women at a configured {rate:.0f}/s: {sent} sent in {elapsed:.1f} s "
        f"= {sent / elapsed:.1f}/s ({100 * sent / elapsed / rate:.0f} % of the rate), "
        f"130429 answers: {fake.errors(130429)}"
    )
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"replies to {writers} women writing during it: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=80.0)
    parser.add_argument("--writers", type=int, default=40)
    parser.add_argument("--skip-broadcast", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(webhooks(arguments.rounds, arguments.messages, arguments.clients))
    if not arguments.skip_broadcast:
        asyncio.run(broadcast(arguments.subscribers, arguments.rate, arguments.writers))


if __name__ == "__main__":
    main()
