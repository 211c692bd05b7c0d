"""What the sender needs from a channel: deliver one text to one chat, or say why not.

A channel adapter (`bot/channels/telegram/outbox_sender.py`) maps its platform's errors onto these
few, so the outbox never imports a platform library. The split follows what is safe to repeat:
the Bot API has no idempotency key, so only errors that prove nothing was delivered are retried.
"""

from __future__ import annotations

from typing import Protocol


class Courier(Protocol):
    async def deliver(
        self, platform_id: str, text: str, language: str, *, row: int = 0, announcement: int = 0
    ) -> None:
        """Send `text` (written in `language`, for its direction) to one chat; raise a DeliveryError.
        `row` and `announcement` name the outbox row (a messenger may echo it in delivery receipts)."""
        ...


class DeliveryError(Exception):
    """A delivery that did not succeed; `reason` is kept on the outbox row (no message text in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Blocked(DeliveryError):
    """She blocked the bot (403): stop the contact, send her nothing more."""


class RetryLater(DeliveryError):
    """The platform asks to wait (429 `retry_after`): every bulk send pauses, the row waits."""

    def __init__(self, seconds: float, reason: str = "flood control") -> None:
        super().__init__(reason)
        self.seconds = seconds


class Deferred(DeliveryError):
    """Not now for this woman only (a per-recipient limit, a channel waiting for staff): the row waits
    `seconds`, nobody else is held back, and no attempt is counted."""

    def __init__(self, seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.seconds = seconds


class Transient(DeliveryError):
    """Nothing was delivered and it may work later (connection refused, 5xx): retry with backoff."""


class Rejected(DeliveryError):
    """The platform refused this message for good (400: chat not found, text too long)."""


class Uncertain(DeliveryError):
    """The call may or may not have arrived (a read timeout): treated like a crash during the call."""
