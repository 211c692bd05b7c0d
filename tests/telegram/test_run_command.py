"""`wegweiser run` with a token: the real process serves the web chat and the Telegram bot together,
by long polling, or by webhook on the same port with the secret checked."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from tests.fakes.telegram_api import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def running_bot(tmp_path: Path, fake: FakeTelegram, **extra: str) -> AsyncIterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "WEGWEISER_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
        "WEGWEISER_PORT": str(port),
        "WEGWEISER_TELEGRAM_TOKEN": TOKEN,
        "WEGWEISER_TELEGRAM_API_URL": fake.base_url,
        **{f"WEGWEISER_{key.upper()}": value for key, value in extra.items()},
    }
    log = (tmp_path / "bot.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None, (tmp_path / "bot.log").read_text()
                await asyncio.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(15)
        log.close()


def token_free(path: Path) -> Iterator[str]:
    yield from (
        line for line in path.read_text().splitlines() if TOKEN in line or TOKEN.split(":")[1] in line
    )


async def test_polling_bot_answers_beside_the_web_chat(tmp_path: Path) -> None:
    async with FakeTelegram(TOKEN) as fake, running_bot(tmp_path, fake) as port:
        fake.push_text(4242, "/start")
        sent = await fake.wait_for_sent(4242, 1, timeout=20)
        assert "Wegweiser" in sent[0].text
        await fake.wait_for_calls("setMyCommands", 1, timeout=10)
        async with httpx.AsyncClient() as client:
            reply = await client.post(
                f"http://127.0.0.1:{port}/api/chat", json={"session": "web-session-1", "start": True}
            )
        assert reply.json()["messages"][0]["msgid"] == "welcome/choose_language"
    assert list(token_free(tmp_path / "bot.log")) == [], "the token never reaches the log"


async def test_webhook_mode_checks_the_secret_on_the_same_port(tmp_path: Path) -> None:
    secret = "s3cret_for-the-test"
    async with FakeTelegram(TOKEN) as fake:
        webhook = f"https://bot.example.org/telegram/{secret[:4]}"
        async with running_bot(tmp_path, fake, webhook_url=webhook, webhook_secret=secret) as port:
            calls = await fake.wait_for_calls("setWebhook", 1, timeout=20)
            assert calls[0].params["secret_token"] == secret
            update = {"update_id": 900_000_001, **fake.text_update(5151, "/start")}
            url = f"http://127.0.0.1:{port}/telegram/{secret[:4]}"
            async with httpx.AsyncClient() as client:
                wrong = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
                )
                assert wrong.status_code == 403
                assert fake.sent(5151) == []
                right = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
                )
                again = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
                )
            assert (right.status_code, again.status_code) == (200, 200)
            await fake.wait_for_sent(5151, 1, timeout=20)
            await asyncio.sleep(0.5)
            assert len(fake.sent(5151)) == 1, "a redelivered update is processed once"
