"""`wegweiser run` when the Bot API refuses the token or cannot be reached: the web chat runs on, the
Telegram channel tries again with growing pauses, and no output ever shows the token."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.faults.conftest import eventually
from tests.faults.figures import note
from tests.telegram.test_run_command import free_port, running_bot, token_free

REVOKED = "654321:REVOKED-token_nobody-may-see"


async def web_chat_answers(port: int) -> bool:
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            f"http://127.0.0.1:{port}/api/chat", json={"session": "web-fault-1", "start": True}
        )
    return reply.status_code == 200 and bool(reply.json()["messages"])


def leaks(path: Path, token: str) -> list[str]:
    secret = token.split(":")[1]
    return [line for line in path.read_text().splitlines() if secret in line]


async def test_a_revoked_token_leaves_the_web_chat_running_and_is_never_printed(tmp_path: Path) -> None:
    async with FakeTelegram(TOKEN) as fake, running_bot(tmp_path, fake, telegram_token=REVOKED) as port:
        log = tmp_path / "bot.log"
        await eventually(lambda: "token refused" in log.read_text(), 20, "the refusal is logged")
        assert await web_chat_answers(port)
        await asyncio.sleep(3.5)  # a few more tries
        assert await web_chat_answers(port), "the process still runs"
    assert log.read_text().count("trying again") >= 2
    assert leaks(tmp_path / "bot.log", REVOKED) == []
    note(
        "revoked token: web chat answered throughout, Telegram retried with back-off, "
        "token in output: 0 lines"
    )


async def test_a_token_refused_at_first_works_once_accepted(tmp_path: Path) -> None:
    async with FakeTelegram(TOKEN) as fake:
        fake.fail("getMe", 401, times=2, description="Unauthorized")
        async with running_bot(tmp_path, fake) as port:
            assert await web_chat_answers(port)
            fake.push_text(4711, "/start")
            await fake.wait_for_sent(4711, 1, timeout=30)
    assert list(token_free(tmp_path / "bot.log")) == []


async def test_an_unreachable_bot_api_is_tried_again_until_it_answers(tmp_path: Path) -> None:
    api_port = free_port()
    fake = FakeTelegram(TOKEN)
    async with running_bot(tmp_path, fake, telegram_api_url=f"http://127.0.0.1:{api_port}/bot") as port:
        await asyncio.sleep(2)
        assert await web_chat_answers(port), "the web chat runs while Telegram is away"
        await fake.start(api_port)
        try:
            fake.push_text(4712, "/start")
            await fake.wait_for_sent(4712, 1, timeout=40)
        finally:
            await fake.stop()
    assert "trying again" in (tmp_path / "bot.log").read_text()
    note("Bot API unreachable at start: web chat answered, Telegram answered once the API came up")
    assert list(token_free(tmp_path / "bot.log")) == []
