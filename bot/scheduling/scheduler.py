"""The scheduler of the deployment: APScheduler 3 on the project database, started by one process only.

APScheduler's own FAQ warns that two schedulers sharing a job store run jobs twice or miss them. So
the process that holds the scheduler lock (a PostgreSQL advisory lock, or a lock file beside the
SQLite database) runs it; any other process keeps trying quietly and takes over if the holder dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.content.workshops import BERLIN
from bot.scheduling.jobs import Services, install, purge_traces, queue_due_broadcasts, retention, uninstall
from bot.scheduling.reminders import sync_reminders

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}


class Lock(Protocol):
    def acquire(self) -> bool: ...

    def release(self) -> None: ...


@dataclass(frozen=True)
class Timing:
    broadcast_poll: float = 15.0  # seconds between looks for scheduled broadcasts that are due
    lock_retry: float = 30.0  # seconds between tries for the scheduler lock held by another process


def build_scheduler(engine: Any) -> AsyncIOScheduler:
    """An AsyncIOScheduler whose jobs live in `apscheduler_jobs` of the project database."""
    return AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        executors={"default": AsyncIOExecutor()},
        job_defaults=JOB_DEFAULTS,
        timezone=BERLIN,
    )


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
    sender, which paces Telegram's limit for the whole bot) starts there, and moves with the lock."""

    def __init__(
        self,
        engine: Any,
        lock: Lock,
        services: Services,
        timing: Timing = Timing(),
        on_lead: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.lock = lock
        self.services = services
        self.timing = timing
        self.on_lead = on_lead
        self.scheduler: AsyncIOScheduler | None = None
        self._waiting: asyncio.Task[None] | None = None

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
            if await asyncio.to_thread(self.lock.acquire):
                log.info("scheduler lock taken over")
                self._run()
                return

    def _run(self) -> None:
        install(self.services)
        scheduler = build_scheduler(self.engine)
        scheduler.start()
        add_housekeeping(scheduler, self.timing)
        report = sync_reminders(scheduler, self.services)
        log.info("scheduler running: %d reminder(s) planned", len(report.scheduled))
        self.scheduler = scheduler
        self.on_lead()

    async def stop(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._waiting
            self._waiting = None
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
            uninstall()
        await asyncio.to_thread(self.lock.release)
