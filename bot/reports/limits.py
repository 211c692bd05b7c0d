"""Abuse control without identity: counts per sender under a keyed hash whose key lives one day, in memory.

The key is random, never stored and replaced at midnight, so yesterday's counts cannot be linked to anyone
and nothing on disk can be joined against a chat id. A restart forgets the counts too; that is accepted.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date


class DailyLimiter:
    """At most `limit` uses per sender per day."""

    def __init__(self, limit: int, *, today: Callable[[], date] = date.today) -> None:
        self.limit = limit
        self._today = today
        self._day: date | None = None
        self._key = b""
        self._counts: dict[bytes, int] = {}

    def _slot(self, sender: str) -> bytes:
        day = self._today()
        if day != self._day:
            self._day = day
            self._key = secrets.token_bytes(32)
            self._counts = {}
        return hashlib.blake2b(sender.encode(), key=self._key, digest_size=16).digest()

    def allows(self, sender: str) -> bool:
        """True while the sender has uses left today (does not use one)."""
        return self._counts.get(self._slot(sender), 0) < self.limit

    def take(self, sender: str) -> bool:
        """Use one; False (and nothing counted) when the sender has none left today."""
        slot = self._slot(sender)
        used = self._counts.get(slot, 0)
        if used >= self.limit:
            return False
        self._counts[slot] = used + 1
        return True


class GuardedLimiter(DailyLimiter):
    """At most `limit` uses per sender and `overall` uses for all senders together per day: a flood
    from ever new sender ids (new web sessions, new chats) cannot fill the statistics or try codes."""

    def __init__(self, limit: int, overall: int, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(limit, today=today)
        self.overall = DailyLimiter(overall, today=today)

    def allows(self, sender: str) -> bool:
        return super().allows(sender) and self.overall.allows("")

    def take(self, sender: str) -> bool:
        if not self.allows(sender):
            return False
        return super().take(sender) and self.overall.take("")
