"""What the Telegram channel needs from the rest of the bot, as protocols.

The channel depends on these shapes, not on the runtime's or the store's classes, so it can be
tested against plain fakes and never imports the database layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, Protocol

from bot.channels.ports import Host
from bot.engine.model import Input, Message

CHANNEL = "telegram"

__all__ = ["CHANNEL", "Host", "StaffDesk", "TraceDirection", "TraceStore"]

TraceDirection = Literal["in", "out"]


class TraceStore(Protocol):
    """The store's methods the channel calls (synchronous; called through `asyncio.to_thread`)."""

    def record_traces(
        self, channel: str, traces: Sequence[tuple[str, int, TraceDirection, datetime]], /
    ) -> None: ...

    def traces(self, channel: str, platform_id: str, since: datetime, /) -> list[int]: ...

    def clear_traces(self, channel: str, platform_id: str, /) -> None: ...

    def mark_update(self, update_id: int, seen_on: date, /) -> bool: ...

    def update_seen(self, update_id: int, /) -> bool: ...


class StaffDesk(Protocol):
    """KI staff's broadcast desk (`bot/staff`): it answers staff commands; others never reach it."""

    @property
    def staff_ids(self) -> frozenset[int]: ...

    def commands(self) -> list[tuple[str, str]]: ...

    def wants(self, user_id: int, user_input: Input, /) -> bool: ...

    def rewrite(self, user_id: int, user_input: Input, /) -> Input: ...

    async def handle(self, user_id: int, user_input: Input, /) -> list[Message]: ...
