"""What the web chat needs from the runtime: one turn per request.

A protocol rather than the runtime's class, so the web layer can be tested with a plain fake and the
runtime can change without touching it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.engine.model import Input, Message


class Host(Protocol):
    async def handle(self, channel: str, platform_id: str, user_input: Input) -> Sequence[Message]:
        """Run one turn of her conversation and return the bubbles to show."""
        ...

    async def emergency(self, channel: str, platform_id: str, language_hint: str = "") -> Sequence[Message]:
        """The emergency numbers in her language, without the database (shown when a turn failed)."""
        ...

    async def forget(self, channel: str, platform_id: str) -> None:
        """Erase her conversation and everything kept with it."""
        ...
