"""Workshop reminders: planned from the content, synced into the scheduler, queued when due (`jobs.py`).

The job id is `reminder:<workshop>:<offset>`: the same workshop and offset always name the same job,
so a changed date moves it (`replace_existing=True`) and a removed workshop or offset removes it.
The announcement key adds the start time (`reminder:<workshop>:<offset>:<start>`), so a reminder that
already went out is not planned again after a restart, and a moved workshop gets fresh reminders.

Misfire grace: a quarter of the offset, at least one second and at most 12 hours (7 days before:
12 h; 1 day before: 6 h; 2 hours before: 30 min). A reminder missed while the bot was down goes out
once when it comes back within that time; later it is dropped, because "tomorrow" said on the day
itself would be wrong. `coalesce=True` folds several missed runs into one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.content.workshops import Workshops, offset_delta
from bot.scheduling.jobs import PREFIX, Services, fire_reminder, reminder_key

log = logging.getLogger(__name__)

MAX_GRACE = timedelta(hours=12)


@dataclass(frozen=True)
class PlannedReminder:
    job_id: str
    workshop_id: str
    offset: str
    run_at: datetime
    grace: timedelta
    key: str


def job_id(workshop_id: str, offset: str) -> str:
    return f"{PREFIX}{workshop_id}:{offset}"


def grace_of(offset: str) -> timedelta:
    return max(timedelta(seconds=1), min(offset_delta(offset) / 4, MAX_GRACE))


def plan(workshops: Workshops, now: datetime) -> list[PlannedReminder]:
    """Every reminder still to come (or missed by less than its grace), soonest first."""
    planned = []
    for workshop in workshops.workshops:
        for offset in workshops.offsets(workshop):
            run_at = workshop.starts_at - offset_delta(offset)
            grace = grace_of(offset)
            if run_at + grace < now or workshop.starts_at <= now:
                continue
            planned.append(
                PlannedReminder(
                    job_id(workshop.id, offset),
                    workshop.id,
                    offset,
                    run_at,
                    grace,
                    reminder_key(workshop, offset),
                )
            )
    return sorted(planned, key=lambda reminder: reminder.run_at)


@dataclass(frozen=True)
class SyncReport:
    scheduled: tuple[str, ...]
    removed: tuple[str, ...]


def sync_reminders(scheduler: Any, services: Services) -> SyncReport:
    """Make the scheduler's reminder jobs match the content (call at start-up, after `start()`)."""
    wanted = [
        item for item in plan(services.workshops, services.now()) if not services.outbox.has_key(item.key)
    ]
    for item in wanted:
        scheduler.add_job(
            fire_reminder,
            trigger="date",
            run_date=item.run_at,
            args=(item.workshop_id, item.offset),
            id=item.job_id,
            name=f"reminder {item.workshop_id} {item.offset} before",
            replace_existing=True,
            misfire_grace_time=int(item.grace.total_seconds()),
            coalesce=True,
        )
    wanted_ids = {item.job_id for item in wanted}
    removed = []
    for job in scheduler.get_jobs():
        if job.id.startswith(PREFIX) and job.id not in wanted_ids:
            scheduler.remove_job(job.id)
            removed.append(job.id)
    if removed:
        log.info("removed %d reminder job(s) no longer in the content", len(removed))
    return SyncReport(tuple(sorted(wanted_ids)), tuple(sorted(removed)))
