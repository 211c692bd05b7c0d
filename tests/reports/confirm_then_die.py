"""Run as a process: one woman confirms a report, the process prints her receipt code and kills itself.

Used by `test_durable.py`: `kill -9` right after the confirmation must not lose the report.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from bot.cli.wiring import build
from bot.config import Settings
from bot.engine.model import Input
from tests.reports.conftest import REPORT_STEPS, receipt_code


async def main(database_url: str) -> None:
    wiring = build(Settings(database_url=database_url))
    host = wiring.host

    async def send(user_input: Input) -> list[str]:
        messages = await host.handle("web", "killed-session-1", user_input)
        return [message.msgid for message in messages] + [message.text for message in messages]

    await send(Input(kind="start"))
    for payload in (
        "welcome/choose_language=ar",
        "welcome/privacy=yes",
        "main_menu/choose=report",
        *REPORT_STEPS,
        "report/confirm=write",
    ):
        await send(Input.of_payload(payload))
    await send(Input.of_text("Der Makler wollte keine Familie mit Kopftuch."))
    messages = await host.handle("web", "killed-session-1", Input.of_payload("report/confirm=send"))
    [code] = [
        receipt_code(message.text) for message in messages if message.msgid == "action_report_submit/thanks"
    ]
    assert any(message.msgid == "action_report_submit/thanks" for message in messages)
    sys.stdout.write(f"CONFIRMED {code}\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
