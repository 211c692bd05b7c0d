"""One pace for every message the bot sends: an overall rate, a rate per chat, and replies first.

The rule is counted on the safe side: a send may start only when fewer than `rate x window` sends
are under way or finished less than `window` ago, and a chat's next send starts `chat_interval` after
its previous one *finished*. Since a request reaches the platform between its start and its end,
no `window` at the platform can see more than the allowed number, whatever the network does.

Interactive replies (`urgent=True`) take the next free slot before any bulk send; bulk sends fill
what is left. A 429 pauses everyone for `retry_after`, and no longer.

The per-chat pace of one message per `chat_interval` is an average. Her answer to a button comes as
a short burst, which Telegram allows ("we may allow short bursts", Bots FAQ): each chat has a bucket
of `chat_burst` sends that refills by one every `chat_interval`, and a reply starts at once while the
bucket has one. Bulk sends take from the same bucket and also keep `chat_interval` after the chat's
last send, so an announcement never bursts.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from itertools import count

_PRUNE_EVERY = 4096


@dataclass(eq=False)
class Permit:
    """The right to make one send; `release` it when the call has returned (or failed)."""

    limiter: Limiter
    chat: str
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.limiter._finish(self.chat)


@dataclass(eq=False)
class _Waiter:
    chat: str
    urgent: bool
    seq: int


@dataclass
class Limiter:
    rate: float = 30.0
    chat_interval: float = 1.0
    window: float = 1.0
    chat_burst: int = 5
    clock: Callable[[], float] = field(default=lambda: asyncio.get_running_loop().time())

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.window <= 0:
            raise ValueError("rate and window must be positive")
        self.capacity = max(1, int(self.rate * self.window))
        self._running = 0
        self._finished: deque[float] = deque()
        self._chat_running: set[str] = set()
        self._chat_finished: dict[str, float] = {}
        self._chat_tokens: dict[str, tuple[float, float]] = {}  # chat -> (tokens left, when counted)
        self._paused_until = 0.0
        self._waiters: list[_Waiter] = []
        self._seq = count()
        self._changed = asyncio.Event()
        self._since_prune = 0
        self.replies_held = 0  # replies that could not start at once (what a woman would wait for)

    # -- public --------------------------------------------------------------------------------

    async def acquire(self, chat: str, *, urgent: bool = False) -> Permit:
        waiter = _Waiter(chat, urgent, next(self._seq))
        self._waiters.append(waiter)
        if urgent:
            self._notify()
        held = False
        try:
            while True:
                now = self.clock()
                delay = self._delay(waiter, now)
                if delay is not None and delay <= 0:
                    self._start(chat)
                    return Permit(self, chat)
                if urgent and not held:
                    held = True
                    self.replies_held += 1
                changed = self._changed
                with suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), delay)
        finally:
            self._waiters.remove(waiter)
            if urgent:
                self._notify()  # bulk sends held back for this reply may go on

    def try_acquire(self, chat: str) -> Permit | None:
        """A bulk permit if one is free right now, else None (without waiting)."""
        probe = _Waiter(chat, False, -1)
        delay = self._delay(probe, self.clock())
        if delay is None or delay > 0:
            return None
        self._start(chat)
        return Permit(self, chat)

    @asynccontextmanager
    async def slot(self, chat: str, *, urgent: bool = False) -> AsyncIterator[Permit]:
        permit = await self.acquire(chat, urgent=urgent)
        try:
            yield permit
        finally:
            permit.release()

    def pause(self, seconds: float, chat: str = "") -> None:
        """The platform said 429: nobody sends for `seconds` (`chat` says whose send it was)."""
        self._paused_until = max(self._paused_until, self.clock() + max(0.0, seconds))
        self._notify()

    @property
    def running(self) -> int:
        return self._running

    # -- the rule ------------------------------------------------------------------------------

    def _delay(self, waiter: _Waiter, now: float) -> float | None:
        """0 or less: it may start now; a number: check again after so long; None: wait for a change."""
        waits: list[float] = [self._paused_until - now]
        while self._finished and self._finished[0] + self.window <= now:
            self._finished.popleft()
        if self._running + len(self._finished) >= self.capacity:
            if self._running >= self.capacity or not self._finished:
                return None
            waits.append(self._finished[0] + self.window - now)
        chat_wait = self._chat_wait(waiter.chat, now, urgent=waiter.urgent)
        if chat_wait is None:
            return None
        waits.append(chat_wait)
        if not waiter.urgent and any(
            other.urgent and self._chat_wait(other.chat, now, urgent=True) == 0.0 for other in self._waiters
        ):
            return None  # a reply is waiting for this slot
        return max(waits) if max(waits) > 0 else 0.0

    def _chat_wait(self, chat: str, now: float, *, urgent: bool = False) -> float | None:
        if chat in self._chat_running:
            return None
        tokens = self._tokens(chat, now)
        burst_wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) * self.chat_interval
        finished = self._chat_finished.get(chat)
        if urgent or finished is None:
            return burst_wait
        return max(burst_wait, finished + self.chat_interval - now)

    def _tokens(self, chat: str, now: float) -> float:
        left, at = self._chat_tokens.get(chat, (float(self.chat_burst), now))
        if self.chat_interval <= 0:
            return float(self.chat_burst)
        return min(float(self.chat_burst), left + (now - at) / self.chat_interval)

    def _start(self, chat: str) -> None:
        self._running += 1
        self._chat_running.add(chat)

    def _finish(self, chat: str) -> None:
        now = self.clock()
        self._running -= 1
        self._finished.append(now)
        self._chat_running.discard(chat)
        self._chat_finished[chat] = now
        self._chat_tokens[chat] = (max(0.0, self._tokens(chat, now) - 1.0), now)
        self._since_prune += 1
        if self._since_prune >= _PRUNE_EVERY:
            self._since_prune = 0
            full = self.chat_burst * self.chat_interval  # a bucket untouched this long is full again
            self._chat_finished = {
                key: at for key, at in self._chat_finished.items() if at + self.chat_interval > now
            }
            self._chat_tokens = {
                key: value for key, value in self._chat_tokens.items() if value[1] + full > now
            }
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
