"""A sender in its own process, for the kill -9 test: `python -m tests.outbox.sender_process DB API`.

It drains the outbox through the real python-telegram-bot and exits when no row is open.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta

from bot.channels.telegram.outbox_sender import TelegramCourier
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.store import Store
from bot.store.deliveries import Deliveries
from tests.fakes.telegram_api import TOKEN


async def main(database_url: str, api_url: str, lease: float, resend: bool) -> None:
    store = Store(database_url)
    outbox = Deliveries(store.engine)
    courier = await TelegramCourier.open(TOKEN, api_url)
    settings = SenderSettings(
        batch=100, concurrency=16, lease=timedelta(seconds=lease), idle=0.05, resend_uncertain=resend
    )
    sender = Sender(outbox, {"telegram": courier}, Limiter(rate=1000, chat_interval=0.0), settings)
    running = asyncio.create_task(sender.run())
    print("STARTED", flush=True)
    try:
        while await asyncio.to_thread(outbox.open_rows):
            await asyncio.sleep(0.1)
    finally:
        sender.stop()
        await running
        await courier.close()
        store.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("api_url")
    parser.add_argument("--lease", type=float, default=1.0)
    parser.add_argument("--resend", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.api_url, arguments.lease, arguments.resend))
