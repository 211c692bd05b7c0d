"""The sender: drains the outbox within the channel's limits and keeps every outcome in its row.

Rows are claimed in batches (with a lease). Just before their calls start, the rows that have a
permit from the limiter are marked `sending` together in one statement; successes are written back
in small batches, failures at once. A sender killed mid-broadcast leaves rows `claimed` (never
tried: they go back to `pending` when the lease runs out and are sent) and rows `sending` (under way,
or sent but not yet recorded): those become `unknown` and are not sent again (at most once: a
duplicate announcement is worse than a missing one, and staff see the count), unless
`resend_uncertain` is set. The in-flight set is bounded by `concurrency` plus one flush of results.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot import metrics
from bot.outbox.courier import Blocked, Courier, Deferred, DeliveryError, RetryLater, Transient, Uncertain
from bot.outbox.limiter import Limiter, Permit
from bot.store.deliveries import Parcel

log = logging.getLogger(__name__)

_GROUP = 32  # rows marked `sending` together at most
_GROUP_WAIT = 0.005  # seconds a group may wait for more free slots before it starts


class Rows(Protocol):
    """The store's outbox, as far as the sender uses it (synchronous; run in worker threads)."""

    def claim(self, worker: str, limit: int, now: datetime, lease: timedelta) -> list[Parcel]: ...

    def mark_sending_many(
        self, row_ids: Iterable[int], worker: str, now: datetime, lease: timedelta
    ) -> set[int]: ...

    def mark_sent(self, row_ids: Iterable[int], now: datetime) -> None: ...

    def mark_retry(self, row_id: int, at: datetime, error: str, *, count_attempt: bool = True) -> None: ...

    def mark_failed(self, row_id: int, error: str, status: str = "failed") -> None: ...

    def mark_blocked(self, row_id: int) -> None: ...

    def release(self, row_ids: Iterable[int], worker: str) -> None: ...

    def recover(self, now: datetime, *, resend_uncertain: bool = False) -> tuple[int, int]: ...

    def texts_of(self, announcement_id: int) -> dict[str, str]: ...


@dataclass(frozen=True)
class SenderSettings:
    batch: int = 100  # rows claimed at once
    concurrency: int = 32  # calls under way at once (also the largest group marked `sending` together)
    lease: timedelta = timedelta(seconds=60)  # a claimed or sending row belongs to its sender this long
    max_attempts: int = 4  # transient errors: tries before the row fails
    backoff: timedelta = timedelta(seconds=30)  # before the first retry, doubled after each
    idle: float = 1.0  # seconds between looks at an empty outbox
    longest_pause: float = 30.0  # seconds between tries at most while the database fails
    flush: float = 0.05  # seconds successes wait to be written together
    resend_uncertain: bool = False  # at most once (False) or at least once (True) for interrupted calls


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Sender:
    def __init__(
        self,
        rows: Rows,
        couriers: Mapping[str, Courier],
        limiter: Limiter,
        settings: SenderSettings = SenderSettings(),
        *,
        now: Callable[[], datetime] = _utcnow,
        worker: str = "",
    ) -> None:
        self.rows = rows
        self.couriers = couriers
        self.limiter = limiter
        self.settings = settings
        self.now = now
        self.worker = worker or f"sender-{secrets.token_hex(4)}"
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._texts: dict[int, dict[str, str]] = {}
        self._sent: list[int] = []
        self._flushing: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._flying = 0  # calls started and not yet finished
        self._stopping = False
        self.handled = 0

    def wake(self) -> None:
        """New rows were queued in this process: look now instead of after `idle`."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def resume(self) -> None:
        """Allow `run` again after a stop (this process took the scheduler lock back)."""
        self._stopping = False

    async def run(self) -> None:
        """Send until stopped (or cancelled); finishes the calls under way before returning.

        Supervised: a failure (the database went away) is logged and waited out with growing pauses,
        then sending resumes by itself; rows it had claimed come back when their lease runs out."""
        last_recovery = -1e9
        failures = 0
        loop = asyncio.get_running_loop()
        try:
            while not self._stopping:
                try:
                    # Sends not yet recorded go first: recovery would take them for a dead sender's.
                    if self._sent and not await self._flush_now():
                        raise ConnectionError("sent rows not recorded")
                    if loop.time() - last_recovery >= self.settings.lease.total_seconds() / 2:
                        await self.recover()
                        last_recovery = loop.time()
                    busy = await self._pass()
                    failures = 0
                except Exception as error:
                    failures += 1
                    pause = min(self.settings.idle * 2**failures, self.settings.longest_pause)
                    log.warning(
                        "outbox sender: %s (%d in a row); trying again in %.1f s",
                        type(error).__name__,
                        failures,
                        pause,
                    )
                    await self._nap(pause)
                    continue
                if not busy:
                    await self._nap(self.settings.idle)
        finally:
            await self._settle()

    async def _nap(self, seconds: float) -> None:
        """Wait `seconds`, or less when rows are queued or the sender is stopped."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def drain(self) -> int:
        """Send everything due now and wait for it; returns how many rows were handled."""
        before = self.handled
        await self.recover()
        while await self._pass():
            pass
        await self._settle()
        return self.handled - before

    async def recover(self) -> None:
        returned, unknown = await asyncio.to_thread(
            self.rows.recover, self.now(), resend_uncertain=self.settings.resend_uncertain
        )
        if returned or unknown:
            log.warning("outbox recovery: %d row(s) back to pending, %d marked unknown", returned, unknown)

    async def _pass(self) -> bool:
        """Claim one batch and start its sends; False when nothing was due.

        Sends are started in groups: as many rows as have a free slot and a permit right now are
        marked `sending` in one statement (in the background), then the loop waits for the next.
        """
        parcels = await asyncio.to_thread(
            self.rows.claim, self.worker, self.settings.batch, self.now(), self.settings.lease
        )
        if not parcels:
            return False
        loop = asyncio.get_running_loop()
        group: list[tuple[Parcel, Permit]] = []
        opened = 0.0
        for position, parcel in enumerate(parcels):
            if self._stopping:
                self._launch(group)
                await asyncio.to_thread(self.rows.release, [p.id for p in parcels[position:]], self.worker)
                return True
            if self._slots.locked() and (
                not self._flying or len(group) >= _GROUP or loop.time() - opened >= _GROUP_WAIT
            ):  # no slot will come free unless this group starts (or it has waited long enough)
                group = self._launch(group)
            await self._slots.acquire()
            if not group:
                opened = loop.time()
            chat = f"{parcel.channel}:{parcel.platform_id}"
            permit = self.limiter.try_acquire(chat)
            if permit is None:
                group = self._launch(group)
                permit = await self.limiter.acquire(chat)
            group.append((parcel, permit))
        self._launch(group)
        return True

    def _launch(self, group: list[tuple[Parcel, Permit]]) -> list[tuple[Parcel, Permit]]:
        """Start a task that marks the group `sending` in one statement, then makes its calls."""
        if group:
            task = asyncio.create_task(self._start(group))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return []

    async def _start(self, group: list[tuple[Parcel, Permit]]) -> None:
        ids = [parcel.id for parcel, _ in group]
        try:
            marked = await asyncio.to_thread(
                self.rows.mark_sending_many, ids, self.worker, self.now(), self.settings.lease
            )
        except Exception:
            marked = set()
            log.exception("could not mark rows as sending; they go back after their lease")
        for parcel, permit in group:
            if parcel.id not in marked:  # the lease ran out and another sender took the row over
                permit.release()
                self._slots.release()
                continue
            self._flying += 1
            task = asyncio.create_task(self._send(parcel, permit))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _settle(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._flushing is not None:
            await self._flushing
        await self._flush_now()

    async def _send(self, parcel: Parcel, permit: Permit) -> None:
        try:
            courier = self.couriers.get(parcel.channel)
            if courier is None:
                permit.release()
                await asyncio.to_thread(self.rows.mark_failed, parcel.id, f"no courier for {parcel.channel}")
                return
            text = await self._text(parcel)
            try:
                await courier.deliver(
                    parcel.platform_id,
                    text,
                    parcel.language,
                    row=parcel.id,
                    announcement=parcel.announcement_id,
                )
            except DeliveryError as error:
                permit.release()
                await self._after_error(parcel, error)
                return
            except Exception as error:  # a bug in a courier must not take the sender down
                permit.release()
                log.exception("courier failed")
                await asyncio.to_thread(
                    self.rows.mark_failed, parcel.id, f"courier error: {type(error).__name__}"
                )
                return
            permit.release()
            metrics.OUTBOX_RESULTS.labels(parcel.channel, "sent").inc()
            self._sent.append(parcel.id)
            if self._flushing is None:
                self._flushing = asyncio.create_task(self._flush_later())
        finally:
            permit.release()
            self.handled += 1
            self._flying -= 1
            self._slots.release()

    async def _flush_later(self) -> None:
        """Write the sends of the last moment together; set until written, so `_settle` waits for it."""
        try:
            await asyncio.sleep(self.settings.flush)
            while self._sent and await self._flush_now():
                pass  # sends that finished during the write go in the next one
        finally:
            self._flushing = None

    async def _flush_now(self) -> bool:
        """Record the sends that succeeded; False (they are kept for the next try) if that failed."""
        sent, self._sent = self._sent, []
        if not sent:
            return True
        try:
            await asyncio.to_thread(self.rows.mark_sent, sent, self.now())
        except Exception as error:  # kept, and written with the next flush: they must not be sent again
            log.warning("outbox: %d sent row(s) not yet recorded: %s", len(sent), type(error).__name__)
            self._sent = sent + self._sent
            return False
        return True

    async def _after_error(self, parcel: Parcel, error: DeliveryError) -> None:
        metrics.OUTBOX_RESULTS.labels(parcel.channel, metrics.error_kind(error)).inc()
        rows = self.rows
        attempts = parcel.attempts + 1
        if isinstance(error, Blocked):
            await asyncio.to_thread(rows.mark_blocked, parcel.id)
        elif isinstance(error, Deferred):
            at = self.now() + timedelta(seconds=error.seconds)
            await asyncio.to_thread(rows.mark_retry, parcel.id, at, error.reason, count_attempt=False)
        elif isinstance(error, RetryLater):
            self.limiter.pause(error.seconds, f"{parcel.channel}:{parcel.platform_id}")
            at = self.now() + timedelta(seconds=error.seconds)
            await asyncio.to_thread(rows.mark_retry, parcel.id, at, error.reason, count_attempt=False)
        elif isinstance(error, Transient) and attempts < self.settings.max_attempts:
            at = self.now() + self.settings.backoff * 2 ** (attempts - 1)
            await asyncio.to_thread(rows.mark_retry, parcel.id, at, error.reason)
        elif (
            isinstance(error, Uncertain)
            and self.settings.resend_uncertain
            and attempts < self.settings.max_attempts
        ):
            await asyncio.to_thread(rows.mark_retry, parcel.id, self.now(), error.reason)
        elif isinstance(error, Uncertain):
            await asyncio.to_thread(rows.mark_failed, parcel.id, error.reason, "unknown")
        else:  # Rejected, or Transient too often
            await asyncio.to_thread(rows.mark_failed, parcel.id, error.reason)

    async def _text(self, parcel: Parcel) -> str:
        texts = self._texts.get(parcel.announcement_id)
        if texts is None:
            texts = await asyncio.to_thread(self.rows.texts_of, parcel.announcement_id)
            self._texts[parcel.announcement_id] = texts
        return texts.get(parcel.language) or texts.get("de") or ""
