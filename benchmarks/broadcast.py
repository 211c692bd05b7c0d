"""Broadcast benchmark: the outbox sender against the fake Bot API enforcing Telegram's limits.

For each limit (default 30 msg/s, Telegram's free limit, and 1,000 msg/s, its paid broadcasts):

- a fresh fake Bot API server in its own process, answering 429 above `limit` per second overall and
  above 1 per second per chat (`tests/fakes/telegram_api.py`);
- `--recipients` subscribers in 12 languages (SQLite by default), one broadcast with a text per language;
- the bot process: python-telegram-bot polling the fake with an echo handler for interactive replies,
  its requests paced by the outbox's shared limiter (`SharedRateLimiter`), and the outbox `Sender`;
- during the broadcast a woman writes about once a second (another chat each time): her reply's
  latency, from her message reaching the server to the answer arriving there.

Reported: achieved rate (over the server's arrival times) against the limit, 429s, whether every
subscriber got exactly one message in her language, reply latency p50/p95/max. Baseline in the same
run: PTB's own `AIORateLimiter` (a plain `send_message` loop, the usual PTB broadcast) on the same
server, for `--baseline-recipients`.

    .venv/bin/python -m benchmarks.broadcast [--recipients 10000] [--limits 30,1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

TOKEN = "123456:TEST-token_for_the_fake"
FIRST_CHAT = 500_000
INTERACTIVE_FIRST = 900_000
LANGUAGES12 = ("de", "en", "ar", "fa", "uk", "ru", "tr", "ku", "ti", "ps", "so", "fr")


# -- the fake server in its own process ------------------------------------------------------------


async def serve_fake(limit: int) -> None:
    """`--serve-fake`: the fake with limits on, plus a report route for the driver."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from tests.fakes.telegram_api import FakeTelegram

    fake = FakeTelegram(
        TOKEN, rate_limits=True, overall_per_second=limit, per_chat_per_second=1, retry_after=1
    )

    async def report(request: Request) -> JSONResponse:
        first = int(request.query_params.get("first", FIRST_CHAT))
        count = int(request.query_params.get("count", 0))
        sends = [call for call in fake.calls if call.method == "sendMessage"]
        bulk = [call for call in sends if first <= int(call.params.get("chat_id", 0)) < first + count]
        delivered = [call for call in bulk if call.status == 200]
        texts = {
            chat: [m.text.lstrip("\u200f") for m in fake.sent(chat)] for chat in range(first, first + count)
        }
        times = sorted(call.at for call in delivered)
        return JSONResponse(
            {
                "sends": len(sends),
                "429": sum(1 for call in fake.calls if call.status == 429),
                "errors": sum(1 for call in fake.calls if call.status not in (200, 429)),
                "bulk_delivered": len(delivered),
                "bulk_first": times[0] if times else 0.0,
                "bulk_last": times[-1] if times else 0.0,
                "texts": {str(chat): value for chat, value in texts.items()},
            }
        )

    fake.app.routes.append(Route("/_bench/report", report, methods=["GET"]))
    await fake.start()
    print(f"READY {fake.port}", flush=True)
    await asyncio.Event().wait()


def start_fake(limit: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.broadcast", "--serve-fake", "--limit", str(limit)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("READY"):
        raise RuntimeError(f"fake server did not start: {line!r}")
    return process, f"http://127.0.0.1:{int(line.split()[1])}"


# -- the bot side ------------------------------------------------------------------------------------


def prepare_database(url: str, recipients: int) -> int:
    """Subscribers in 12 languages and one queued broadcast; returns the broadcast's id."""
    from bot.store import Store
    from bot.store.outbox import Audience, Outbox
    from tests.outbox.conftest import many_subscribers, now

    store = Store(url)
    store.upgrade()
    many_subscribers(store, recipients, FIRST_CHAT)
    outbox = Outbox(store.engine)
    texts = {code: f"[{code}] Fachtag am 3. Juni im Kreishaus Düren" for code in LANGUAGES12}
    announcement_id = outbox.create(
        kind="broadcast",
        text=texts["de"],
        audience=Audience(("announcements",)),
        created_by="benchmark",
        now=now(),
    )
    outbox.queue(announcement_id, texts, ["telegram"], now())
    store.dispose()
    return announcement_id


async def run_bot(url: str, api: str, limit: int, recipients: int) -> dict[str, Any]:
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    from bot.channels.telegram.outbox_sender import SharedRateLimiter, TelegramCourier
    from bot.cli.serve import use_database_threads
    from bot.outbox.limiter import Limiter
    from bot.outbox.sender import Sender, SenderSettings
    from bot.store import Store
    from bot.store.deliveries import Deliveries

    limiter = Limiter(rate=limit)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("Wie kann ich Ihnen helfen?")

    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{api}/bot")
        .rate_limiter(SharedRateLimiter(limiter))
        .concurrent_updates(32)
        .connection_pool_size(16)
        .job_queue(None)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    assert application.updater is not None
    await application.updater.start_polling(timeout=5, poll_interval=0.0)
    await application.start()

    store = Store(url)
    use_database_threads(store)  # as `wegweiser run` does
    concurrency = max(8, min(32, limit // 16))  # more connections cost CPU in httpcore's pool
    settings = SenderSettings(batch=max(50, min(1000, limit)), concurrency=concurrency, idle=0.05)
    courier = await TelegramCourier.open(TOKEN, f"{api}/bot", connections=concurrency)  # its own pool
    sender = Sender(Deliveries(store.engine), {"telegram": courier}, limiter, settings)
    latencies: list[float] = []

    async def interactive(stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(base_url=api, timeout=60) as client:
            chat = INTERACTIVE_FIRST
            while not stop.is_set():
                answer = await client.post(
                    "/_fake/roundtrip", json={"chat_id": chat, "text": "Hallo", "expect": 1, "timeout": 30}
                )
                latencies.append(float(answer.json()["seconds"]))
                chat += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1.0)

    stop = asyncio.Event()
    women = asyncio.create_task(interactive(stop))
    started = time.monotonic()
    handled = await sender.drain()
    elapsed = time.monotonic() - started
    stop.set()
    await women
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    await courier.close()
    store.dispose()
    return {"handled": handled, "elapsed": elapsed, "latencies": latencies, "concurrency": concurrency}


async def run_baseline(api: str, limit: int, count: int) -> dict[str, Any]:
    """PTB's AIORateLimiter and a plain send loop: the usual PTB broadcast, on the same server."""
    from telegram.error import TelegramError
    from telegram.ext import AIORateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    bot = ExtBot(
        TOKEN,
        base_url=f"{api}/bot",
        rate_limiter=AIORateLimiter(overall_max_rate=limit, max_retries=5),
        request=HTTPXRequest(connection_pool_size=128),
    )
    await bot.initialize()
    failed = 0
    started = time.monotonic()

    async def one(chat: int) -> None:
        nonlocal failed
        try:
            await bot.send_message(chat, "[de] baseline")
        except TelegramError:
            failed += 1

    await asyncio.gather(*(one(700_000 + number) for number in range(count)))
    elapsed = time.monotonic() - started
    await bot.shutdown()
    return {"elapsed": elapsed, "failed": failed}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def scenario(limit: int, recipients: int, database_url: str, baseline: int) -> dict[str, Any]:
    fake, api = start_fake(limit)
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = database_url or f"sqlite:///{Path(folder) / 'broadcast.db'}"
            prepare_database(url, recipients)
            bot = await run_bot(url, api, limit, recipients)
            async with httpx.AsyncClient(base_url=api, timeout=120) as client:
                report = (
                    await client.get("/_bench/report", params={"first": FIRST_CHAT, "count": recipients})
                ).json()
            ok_once = 0
            for chat, texts in report["texts"].items():
                language = LANGUAGES12[(int(chat) - FIRST_CHAT) % 12]
                if texts == [f"[{language}] Fachtag am 3. Juni im Kreishaus Düren"]:
                    ok_once += 1
            span = report["bulk_last"] - report["bulk_first"]
            server_rate = (report["bulk_delivered"] - 1) / span if span > 0 else float("nan")
            result: dict[str, Any] = {
                "limit": limit,
                "recipients": recipients,
                "seconds": round(bot["elapsed"], 2),
                "rate_at_server": round(server_rate, 2),
                "share_of_limit": round(server_rate / limit, 4),
                "http_429": report["429"],
                "other_errors": report["errors"],
                "exactly_one_in_her_language": ok_once,
                "replies": len(bot["latencies"]),
                "reply_p50_s": round(percentile(bot["latencies"], 0.5), 3),
                "reply_p95_s": round(percentile(bot["latencies"], 0.95), 3),
                "reply_max_s": round(max(bot["latencies"], default=float("nan")), 3),
                "sender_concurrency": bot["concurrency"],
            }
    finally:
        fake.terminate()
        fake.wait()
    if baseline:
        fake, api = start_fake(limit)
        try:
            base = await run_baseline(api, limit, baseline)
            async with httpx.AsyncClient(base_url=api, timeout=60) as client:
                stats = (
                    await client.get("/_bench/report", params={"first": 700_000, "count": baseline})
                ).json()
            span = stats["bulk_last"] - stats["bulk_first"]
            result["baseline_ptb_aioratelimiter"] = {
                "recipients": baseline,
                "seconds": round(base["elapsed"], 2),
                "rate_at_server": round((stats["bulk_delivered"] - 1) / span, 2) if span > 0 else None,
                "http_429": stats["429"],
                "failed": base["failed"],
                "exactly_one": sum(1 for texts in stats["texts"].values() if len(texts) == 1),
            }
        finally:
            fake.terminate()
            fake.wait()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument(
        "--limits", default="30,1000", help="comma-separated overall limits (messages/second)"
    )
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--baseline-recipients", type=int, default=600)
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=30, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_fake:
        asyncio.run(serve_fake(arguments.limit))
        return
    results = []
    for limit in (int(part) for part in arguments.limits.split(",")):
        result = asyncio.run(
            scenario(limit, arguments.recipients, arguments.database_url, arguments.baseline_recipients)
        )
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    counts = Counter(result["exactly_one_in_her_language"] == result["recipients"] for result in results)
    print(f"all recipients exactly once in their language: {counts[True]}/{len(results)} runs")


if __name__ == "__main__":
    main()
