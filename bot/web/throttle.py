"""How often one address may talk to the web chat: a token bucket per client address, in memory.

Behind a reverse proxy every request comes from the proxy: then the client is the address the proxy
names in `X-Forwarded-For`, read only when the request really comes from a configured trusted proxy
(otherwise anybody could name any address). Addresses are kept only as keyed hashes, only in memory,
and forgotten when their bucket is full again.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

_KEY = secrets.token_bytes(32)
_MAX_ADDRESSES = 100_000


def client_address(peer: str, headers: Mapping[str, str], trusted_proxies: Collection[str]) -> str:
    """The address a request comes from: the peer, or behind trusted proxies the last address in
    `X-Forwarded-For` that is not one of them."""
    if peer not in trusted_proxies:
        return peer
    forwarded = [part.strip() for part in headers.get("x-forwarded-for", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted_proxies:
            return address
    return peer


@dataclass
class Throttle:
    """`per_minute` requests per address on average, up to `burst` at once."""

    per_minute: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[bytes, tuple[float, float]] = field(default_factory=dict)

    def allows(self, address: str) -> bool:
        """Take one request from the address's bucket; False when it is empty."""
        if self.per_minute <= 0:
            return True
        key = hashlib.blake2b(address.encode(), key=_KEY, digest_size=16).digest()
        now = self.clock()
        tokens, since = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * self.per_minute / 60)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        if len(self._buckets) > _MAX_ADDRESSES:
            self._forget_full(now)
        return True

    def retry_after(self) -> int:
        """Seconds until one more request is allowed for an empty bucket."""
        return max(1, round(60 / self.per_minute)) if self.per_minute > 0 else 0

    def _forget_full(self, now: float) -> None:
        refill = self.per_minute / 60
        self._buckets = {
            key: (tokens, since)
            for key, (tokens, since) in self._buckets.items()
            if tokens + (now - since) * refill < self.burst
        }
