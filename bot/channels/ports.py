"""What every messenger channel needs from the rest of the bot, as protocols.

Channels depend on these shapes, not on the runtime's classes, so they can be tested against plain
fakes and never import the database layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.engine.model import Input, Message


class Host(Protocol):
    """The runtime: one turn of her conversation per input."""

    async def handle(self, channel: str, platform_id: str, user_input: Input, /) -> Sequence[Message]:
        """Her turn; raises `Unavailable` when the database does not answer."""
        ...

    async def emergency(self, channel: str, platform_id: str, language_hint: str, /) -> Sequence[Message]:
        """The emergency numbers in her language, without the database."""
        ...

    async def available(self) -> bool: ...

    async def stop_contact(self, channel: str, platform_id: str, /) -> None: ...

    async def erase_conversation(self, channel: str, platform_id: str, /) -> None: ...
