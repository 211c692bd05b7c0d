"""Many chats at once, each chat in order, and one busy chat never holds up the others.

PTB either handles updates one by one or all concurrently. A conversation is a state machine saved
per chat, so two updates of one chat must not overlap, while different women need not wait for each
other. A chat's later updates queue behind the one in hand without taking a slot of their own: one
woman pressing a button twenty times occupies one slot, not all of them.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.lines import ChatLines


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._lines = ChatLines()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        await self._lines.run(chat.id, coroutine)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""
