"""What the Cloud API's answers mean for a send: retry, wait, give up, or stop everything.

Codes from Meta's Cloud API error-code list: 130429 throughput exceeded (back off), 131056 pair rate
(this woman later), 131026 undeliverable (no retry), 131047 her 24-hour window is closed (a template
is needed), 190 and HTTP 401 the token is invalid or revoked (stop sending, tell staff).
"""

from __future__ import annotations

import httpx
from pywa_async.errors import WhatsAppError

from bot.outbox.courier import Deferred, DeliveryError, Rejected, RetryLater, Transient, Uncertain

THROUGHPUT = 130429
PAIR_RATE = 131056
UNDELIVERABLE = 131026
WINDOW_CLOSED = 131047
TOKEN_INVALID = 190
THROUGHPUT_PAUSE = 2.0  # seconds every send waits after 130429 (Meta gives no retry-after)
PAIR_PAUSE = 60.0  # seconds before this woman is tried again after 131056


class TokenRevoked(DeliveryError):
    """The access token no longer works (190, HTTP 401): nothing can be sent until staff renew it."""


class WindowClosed(DeliveryError):
    """She has not written for 24 hours: only an approved template may reach her."""


def delivery_error(error: Exception) -> DeliveryError:
    """The outbox's reading of a failed call; the reason never quotes her text or the token."""
    if isinstance(error, WhatsAppError):
        code = error.code
        if code == TOKEN_INVALID or error.status_code == 401:
            return TokenRevoked(f"{code} access token invalid or revoked")
        if code == THROUGHPUT:
            return RetryLater(THROUGHPUT_PAUSE, f"{code} throughput exceeded")
        if code == PAIR_RATE:
            return Deferred(PAIR_PAUSE, f"{code} too many messages to this woman")
        if code == WINDOW_CLOSED:
            return WindowClosed(f"{code} 24-hour window closed")
        if code == UNDELIVERABLE:
            return Rejected(f"{code} undeliverable")
        if (error.status_code or 0) >= 500 or getattr(error, "is_transient", False):
            return Transient(f"{code} server error")
        return Rejected(f"{code} {type(error).__name__}")
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return Transient(f"not sent: {type(error).__name__}")
    if isinstance(error, httpx.TransportError):
        return Uncertain(f"may have arrived: {type(error).__name__}")
    return Rejected(type(error).__name__)
