"""Many chats at once, each chat in order, and one busy chat never holds up the others.

PTB either handles updates one by one or all concurrently. A conversation is a state machine saved
per chat, so two updates of one chat must not overlap, while different women need not wait for each
other. A chat's later updates queue behind the one in hand without taking a slot of their own: one
woman pressing a button twenty times occupies one slot, not all of them.
"""

from __future__ import annotations

import inspect
import logging
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._lines: dict[int, deque[Awaitable[Any]]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        line = self._lines.get(chat.id)
        if line is not None:  # this chat's earlier update is in hand: its slot takes this one too
            line.append(coroutine)
            return
        line = self._lines[chat.id] = deque([coroutine])
        try:
            while line:
                try:
                    await line[0]
                except Exception as error:  # the rest of her line still gets its turn
                    logger.error("update failed: %s", type(error).__name__)
                line.popleft()
        finally:
            del self._lines[chat.id]
            for waiting in line:  # only left when cancelled at shutdown
                if inspect.iscoroutine(waiting):
                    waiting.close()

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""
