"""Telegram throughput and latency: Wegweiser's whole stack against a minimal PTB echo bot.

Both bots poll the same fake Bot API server (its own process, `tests/fakes/telegram_api.py`), in the
same run, each in a fresh process of its own so that its resident memory is its own:

- latency: a few women at once, each sending `/menu` and waiting for the whole answer before the
  next message (p50/p99 from her message reaching the server to the answer's last message there);
- throughput: many chats sending at once, updates per second until every answer is sent;
- memory: the bot process's resident set size (RSS) after the run, and its peak.

Wegweiser's path: fake API -> PTB -> channel -> host -> engine -> SQLite -> sendMessage
(or PostgreSQL with `--postgres`: a fresh database on that server for each run, dropped afterwards).

    .venv/bin/python -m benchmarks.telegram_throughput [--chats 100] [--per-chat 20] [--postgres [URL]]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.databases import DEFAULT_SERVER, drop_database, fresh_database

TOKEN = "123456:TEST-token_for_the_fake"


def memory_kib() -> dict[str, int]:
    values: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def cpu_seconds() -> float:
    """CPU time of this process (all threads): steadier than wall time on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the two bots ------------------------------------------------------------------------------


async def start_echo(base_url: str, concurrency: int, database_url: str) -> Callable[[], Awaitable[None]]:
    """The baseline: python-telegram-bot's echo example, with the same concurrency as Wegweiser."""
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(base_url)
        .job_queue(None)
        .concurrent_updates(concurrency)
        .connection_pool_size(max(8, concurrency))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    assert application.updater is not None
    await application.updater.start_polling(timeout=1)
    await application.start()

    async def stop() -> None:
        assert application.updater is not None
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    return stop


async def start_wegweiser(
    base_url: str, concurrency: int, database_url: str
) -> Callable[[], Awaitable[None]]:
    from bot.channels.telegram import build_application, run_polling, shut_down
    from bot.cli.serve import use_database_threads
    from bot.cli.wiring import build
    from bot.config import Settings

    if not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='wegweiser-bench-')}/wegweiser.db"
    wiring = build(Settings(database_url=database_url, telegram_token=TOKEN))
    use_database_threads(wiring.store)
    application = build_application(
        TOKEN,
        base_url,
        wiring.host,
        wiring.store,
        wiring.catalog,
        webhook=False,
        concurrent_updates=concurrency,
    )
    await run_polling(application, poll_timeout=1)

    async def stop() -> None:
        await shut_down(application)
        wiring.store.dispose()

    return stop


# -- driving the fake server -------------------------------------------------------------------


async def roundtrip(client: httpx.AsyncClient, chat_id: int, **order: Any) -> dict[str, Any]:
    response = await client.post("/_fake/roundtrip", json={"chat_id": chat_id, **order}, timeout=60)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


async def first_contact(client: httpx.AsyncClient, chat_id: int, bot: str) -> None:
    """Bring a chat to the main menu (Wegweiser: start, language, privacy notice)."""
    if bot == "echo":
        return
    await roundtrip(client, chat_id, text="/start", settle=0.05)
    await roundtrip(client, chat_id, callback="welcome/choose_language=de", settle=0.05)
    await roundtrip(client, chat_id, callback="welcome/privacy=yes", settle=0.05)


async def measure(
    bot: str,
    port: int,
    chats: int,
    per_chat: int,
    users: int,
    roundtrips: int,
    concurrency: int,
    database_url: str = "",
) -> dict[str, Any]:
    base_url = f"http://127.0.0.1:{port}/bot"
    start = start_echo if bot == "echo" else start_wegweiser
    first_chat = 1_000 if bot == "echo" else 500_000
    memory_before = memory_kib()
    stop = await start(base_url, concurrency, database_url)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        chat_ids = [first_chat + number for number in range(max(chats, users))]
        await first_contact(client, chat_ids[0], bot)  # alone: the store creates its keys on first use
        for batch in range(1, len(chat_ids), 20):
            await asyncio.gather(*(first_contact(client, chat, bot) for chat in chat_ids[batch : batch + 20]))
        per_update = (await roundtrip(client, chat_ids[0], text="/menu", settle=0.3))["messages"]

        async def woman(chat_id: int) -> list[float]:
            return [
                (await roundtrip(client, chat_id, text="/menu", expect=per_update))["seconds"]
                for _ in range(roundtrips)
            ]

        latencies = sorted(
            x for xs in await asyncio.gather(*(woman(c) for c in chat_ids[:users])) for x in xs
        )
        messages = [[chat, "/menu"] for _ in range(per_chat) for chat in chat_ids[:chats]]
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        response = await client.post(
            "/_fake/burst", json={"messages": messages, "expect": len(messages) * per_update}, timeout=600
        )
        response.raise_for_status()
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        stats = (await client.get("/_fake/stats")).json()
    await stop()
    memory_after = memory_kib()
    return {
        "bot": bot,
        "updates": len(messages),
        "messages_per_update": per_update,
        "updates_per_second": len(messages) / elapsed,
        "cpu_ms_per_update": 1000 * cpu / len(messages),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "roundtrips": len(latencies),
        "rss_mib": memory_after["VmRSS"] / 1024,
        "peak_rss_mib": memory_after["VmHWM"] / 1024,
        "rss_before_mib": memory_before["VmRSS"] / 1024,
        "server_errors": stats["errors"],
    }


# -- orchestration -----------------------------------------------------------------------------


def start_fake() -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.telegram_api", "--token", TOKEN],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("READY "):
        process.kill()
        raise RuntimeError(f"the fake Bot API did not start: {line!r}")
    return process, int(line.split()[1])


def run_child(bot: str, port: int, arguments: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.telegram_throughput", "--child", bot, "--port", str(port)]
    for name in ("chats", "per_chat", "users", "roundtrips", "concurrency"):
        command += [f"--{name.replace('_', '-')}", str(getattr(arguments, name))]
    database = fresh_database(arguments.postgres) if arguments.postgres and bot == "wegweiser" else ""
    try:
        output = subprocess.run(
            [*command, "--database", database],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    finally:
        if database:
            drop_database(arguments.postgres, database)
    if output.returncode != 0:
        raise RuntimeError(f"the {bot} run failed:\n{output.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the rounds."""
    summary = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, float):
            summary[key] = statistics.median(run[key] for run in runs)
    return summary


def print_table(results: list[dict[str, Any]], rounds: int, database: str) -> None:
    header = (
        f"{'bot':<11}{'updates':>9}{'msgs/upd':>10}{'upd/s':>8}{'CPU ms/upd':>12}{'p50 ms':>8}{'p99 ms':>8}"
    )
    header += f"{'RSS MiB':>9}{'peak MiB':>10}"
    print(f"Medians of {rounds} rounds (bots alternating, each in a fresh process), Wegweiser on {database}:")
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['bot']:<11}{r['updates']:>9}{r['messages_per_update']:>10}{r['updates_per_second']:>8.0f}"
            f"{r['cpu_ms_per_update']:>12.2f}{r['p50_ms']:>8.1f}{r['p99_ms']:>8.1f}{r['rss_mib']:>9.1f}"
            f"{r['peak_rss_mib']:>10.1f}"
        )
    echo, wegweiser = results
    ratio = wegweiser["updates_per_second"] / echo["updates_per_second"]
    cpu_ratio = echo["cpu_ms_per_update"] / wegweiser["cpu_ms_per_update"]
    print(f"\nWegweiser reaches {ratio:.0%} of the echo bot's throughput (target: at least 50%);")
    print(f"by CPU time per update, which a busy machine disturbs less: {cpu_ratio:.0%}.")
    print(
        f"Latency from {wegweiser['roundtrips']} round trips per bot and round; server errors: "
        f"echo {echo['server_errors']}, Wegweiser {wegweiser['server_errors']}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chats", type=int, default=100, help="chats sending at once in the burst")
    parser.add_argument("--per-chat", type=int, default=20, help="messages per chat in the burst")
    parser.add_argument("--users", type=int, default=10, help="women at once in the latency test")
    parser.add_argument("--roundtrips", type=int, default=30, help="messages per woman in the latency test")
    parser.add_argument("--child", choices=["echo", "wegweiser"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=8, help="updates each bot handles at once")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating runs of both bots; medians are shown"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=DEFAULT_SERVER,
        default="",
        help=f"run Wegweiser on PostgreSQL: a fresh database on this server (default {DEFAULT_SERVER})",
    )
    parser.add_argument("--database", default="", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        result = asyncio.run(
            measure(
                arguments.child,
                arguments.port,
                arguments.chats,
                arguments.per_chat,
                arguments.users,
                arguments.roundtrips,
                arguments.concurrency,
                arguments.database,
            )
        )
        print(json.dumps(result))
        return
    fake, port = start_fake()
    try:
        runs: dict[str, list[dict[str, Any]]] = {"echo": [], "wegweiser": []}
        for _ in range(arguments.rounds):
            for bot in runs:
                runs[bot].append(run_child(bot, port, arguments))
        results = [summarize(runs["echo"]), summarize(runs["wegweiser"])]
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    print_table(results, arguments.rounds, "PostgreSQL" if arguments.postgres else "SQLite")
    if arguments.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
