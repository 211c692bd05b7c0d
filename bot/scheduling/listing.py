"""What the scheduler has stored, read without starting it (for `wegweiser jobs`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.schedulers.base import BaseScheduler

from bot.scheduling.job_store import PlainJobStore


@dataclass(frozen=True)
class JobView:
    id: str
    name: str
    next_run: datetime | None


class _Reader(BaseScheduler):  # type: ignore[misc]  # a scheduler that never runs, only to read a job store
    def shutdown(self, wait: bool = True) -> None:
        return None

    def wakeup(self) -> None:
        return None


def scheduled_jobs(engine: Any) -> list[JobView]:
    """Every job in the project database's job store, soonest first."""
    store = PlainJobStore(engine=engine)
    store.start(_Reader(), "default")
    try:
        return [JobView(job.id, job.name, job.next_run_time) for job in store.get_all_jobs()]
    finally:
        store.shutdown()
