"""Many chats at once, each chat in order, and one busy chat never holds up the others.

A conversation is a state machine saved per chat, so two updates of one chat must not overlap, while
different women need not wait for each other. A chat's later updates queue behind the one in hand
without taking a slot of their own: one woman pressing a button twenty times occupies one slot.
"""

from __future__ import annotations

import inspect
import logging
from collections import deque
from collections.abc import Awaitable, Hashable
from typing import Any

logger = logging.getLogger(__name__)


class ChatLines:
    def __init__(self) -> None:
        self._lines: dict[Hashable, deque[Awaitable[Any]]] = {}

    def busy(self) -> int:
        """Chats with an update in hand."""
        return len(self._lines)

    async def run(self, chat: Hashable, coroutine: Awaitable[Any]) -> None:
        """Run `coroutine` after this chat's earlier ones; returns at once when one is in hand (that
        caller's slot runs this one too)."""
        line = self._lines.get(chat)
        if line is not None:
            line.append(coroutine)
            return
        line = self._lines[chat] = deque([coroutine])
        try:
            while line:
                try:
                    await line[0]
                except Exception as error:  # the rest of her line still gets its turn
                    logger.error("update failed: %s", type(error).__name__)
                line.popleft()
        finally:
            del self._lines[chat]
            for waiting in line:  # only left when cancelled at shutdown
                if inspect.iscoroutine(waiting):
                    waiting.close()
