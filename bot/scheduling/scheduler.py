"""The scheduler of the deployment: APScheduler 3 on the project database, started by one process only.

APScheduler's own FAQ warns that two schedulers sharing a job store run jobs twice or miss them. So
the process that holds the scheduler lock (a PostgreSQL advisory lock, or a lock file beside the
SQLite database) runs it; any other process keeps trying quietly and takes over if the holder dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from apscheduler.events import EVENT_JOB_SUBMITTED
from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot import metrics
from bot.content.workshops import BERLIN
from bot.scheduling.job_store import PlainJobStore
from bot.scheduling.jobs import (
    Services,
    install,
    mix_reports,
    purge_traces,
    queue_due_broadcasts,
    retention,
    uninstall,
    vacuum_erased,
)
from bot.scheduling.reminders import sync_reminders

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}


class Lock(Protocol):
    def acquire(self) -> bool: ...

    def held(self) -> bool: ...

    def release(self) -> None: ...


@dataclass(frozen=True)
class Timing:
    broadcast_poll: float = 15.0  # seconds between looks for scheduled broadcasts that are due
    lock_retry: float = 30.0  # seconds between tries for the scheduler lock held by another process
    lock_check: float = 10.0  # seconds between checks that this process still holds the lock
    store_retry: float = 10.0  # seconds before the scheduler looks again after its job store failed


class SupervisedScheduler(AsyncIOScheduler):  # type: ignore[misc]  # APScheduler ships no types
    """APScheduler 3 stops waking up for good when its job store fails at the wrong moment (writing
    the next run of a job it just started, or reading the next run time): the exception leaves its
    timer unset, and reminders and due broadcasts stall until a restart. Here such a failure is
    logged and the jobs are looked at again after `retry` seconds."""

    def __init__(self, *args: Any, retry: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry = retry

    def _process_jobs(self) -> float | None:
        try:
            wait: float | None = super()._process_jobs()
        except Exception as error:
            log.warning(
                "scheduler: job store failed (%s); looking again in %.0f s", type(error).__name__, self.retry
            )
            return self.retry
        return wait


def build_scheduler(engine: Any, retry: float = Timing.store_retry) -> AsyncIOScheduler:
    """An AsyncIOScheduler whose jobs live in `apscheduler_jobs` of the project database."""
    scheduler = SupervisedScheduler(
        jobstores={"default": PlainJobStore(engine=engine)},
        executors={"default": AsyncIOExecutor()},
        job_defaults=JOB_DEFAULTS,
        timezone=BERLIN,
        jobstore_retry_interval=retry,
        retry=retry,
    )
    scheduler.add_listener(_observe_lag, EVENT_JOB_SUBMITTED)
    return scheduler


def _observe_lag(event: Any) -> None:
    """How late a job starts after its planned time (a busy or paused bot shows here first)."""
    now = datetime.now(UTC)
    for planned in event.scheduled_run_times:
        metrics.SCHEDULER_LAG.observe(max(0.0, (now - planned).total_seconds()))


def add_housekeeping(scheduler: AsyncIOScheduler, timing: Timing) -> None:
    """The fixed jobs: scheduled broadcasts, daily retention, hourly trace purge."""
    scheduler.add_job(
        queue_due_broadcasts,
        IntervalTrigger(seconds=timing.broadcast_poll),
        id="broadcasts:due",
        name="queue scheduled broadcasts that are due",
        replace_existing=True,
        misfire_grace_time=max(1, int(timing.broadcast_poll * 4)),
    )
    scheduler.add_job(
        retention,
        CronTrigger(hour=3, minute=30, timezone=BERLIN),
        id="retention:daily",
        name="erase idle conversations and stopped contacts",
        replace_existing=True,
        misfire_grace_time=12 * 3600,
    )
    scheduler.add_job(
        vacuum_erased,
        CronTrigger(hour=4, minute=15, timezone=BERLIN),
        id="retention:vacuum",
        name="vacuum the tables erasures touch (PostgreSQL) or checkpoint the WAL (SQLite)",
        replace_existing=True,
        misfire_grace_time=12 * 3600,
    )
    scheduler.add_job(
        mix_reports,
        IntervalTrigger(hours=1, jitter=1800),
        id="reports:mix",
        name="mix waiting reports into the report table, many at once",
        replace_existing=True,
        misfire_grace_time=3600,
    )
    scheduler.add_job(
        purge_traces,
        IntervalTrigger(hours=1),
        id="retention:traces",
        name="erase message traces older than 48 hours",
        replace_existing=True,
        misfire_grace_time=3600,
    )


class Scheduling:
    """Start and stop the deployment's scheduler in this process, if this process gets the lock.

    `on_lead` runs once this process holds the lock: what must run once per deployment (the outbox
    sender, which paces Telegram's limit for the whole bot) starts there, and moves with the lock.
    The lock is checked every `lock_check` seconds: when it was lost (its connection dropped), the
    scheduler and `on_lose` stop here, and this process waits to take the lock again."""

    def __init__(
        self,
        engine: Any,
        lock: Lock,
        services: Services,
        timing: Timing = Timing(),
        on_lead: Callable[[], None] = lambda: None,
        on_lose: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.engine = engine
        self.lock = lock
        self.services = services
        self.timing = timing
        self.on_lead = on_lead
        self.on_lose = on_lose
        self.scheduler: AsyncIOScheduler | None = None
        self._waiting: asyncio.Task[None] | None = None
        self._guard: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.scheduler is not None and self.scheduler.running

    async def start(self) -> None:
        """Run the scheduler now if the lock is free, else keep trying in the background."""
        if await asyncio.to_thread(self.lock.acquire):
            self._run()
            return
        log.info("another process runs the scheduler; this one waits to take over")
        self._waiting = asyncio.create_task(self._wait_for_lock())

    async def _wait_for_lock(self) -> None:
        while True:
            await asyncio.sleep(self.timing.lock_retry)
            try:
                got = await asyncio.to_thread(self.lock.acquire)
            except Exception as error:  # the database is away: try again later
                log.warning("scheduler lock not checked: %s", type(error).__name__)
                continue
            if got:
                log.info("scheduler lock taken over")
                self._run()
                return

    def _run(self) -> None:
        install(self.services)
        scheduler = build_scheduler(self.engine, self.timing.store_retry)
        scheduler.start()
        add_housekeeping(scheduler, self.timing)
        report = sync_reminders(scheduler, self.services)
        log.info("scheduler running: %d reminder(s) planned", len(report.scheduled))
        self.scheduler = scheduler
        self._guard = asyncio.create_task(self._keep_lock(), name="scheduler-lock")
        self.on_lead()

    async def _keep_lock(self) -> None:
        while True:
            await asyncio.sleep(self.timing.lock_check)
            if await asyncio.to_thread(self.lock.held):
                continue
            log.warning("scheduler lock lost (its connection dropped): stopping here until it is taken again")
            self._stop_scheduler()
            if self.on_lose is not None:
                await self.on_lose()
            self._waiting = asyncio.create_task(self._wait_for_lock())
            self._guard = None
            return

    def _stop_scheduler(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
            uninstall()

    async def stop(self) -> None:
        for task in (self._waiting, self._guard):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._waiting = self._guard = None
        self._stop_scheduler()
        try:
            await asyncio.to_thread(self.lock.release)
        except Exception as error:  # its connection is gone, and the lock with it
            log.warning("scheduler lock not released: %s", type(error).__name__)
