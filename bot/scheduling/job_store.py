"""APScheduler's database job store, with jobs kept as plain JSON instead of pickles.

APScheduler's `SQLAlchemyJobStore` pickles each job and unpickles what it reads: whoever can write to
the `apscheduler_jobs` table could run code in the bot. Here a job is a reference to its function
(`module:name`), plain arguments and its trigger's fields; nothing read is ever unpickled. A row that is
not such JSON (one pickled by an earlier version) is dropped unread: every job is planned again at
start (the fixed housekeeping, reminders from `workshops.yml`, broadcasts from their table).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from apscheduler.job import Job
from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import datetime_to_utc_timestamp

log = logging.getLogger(__name__)


class PlainJobStore(SQLAlchemyJobStore):  # type: ignore[misc]  # APScheduler ships no types
    def add_job(self, job: Job) -> None:
        row = {"id": job.id, "next_run_time": _timestamp(job), "job_state": encode(job)}
        try:
            with self.engine.begin() as connection:
                connection.execute(self.jobs_t.insert().values(**row))
        except Exception as error:
            if self._exists(job.id):
                raise ConflictingIdError(job.id) from error
            raise

    def update_job(self, job: Job) -> None:
        values = {"next_run_time": _timestamp(job), "job_state": encode(job)}
        with self.engine.begin() as connection:
            result = connection.execute(
                self.jobs_t.update().values(**values).where(self.jobs_t.c.id == job.id)
            )
        if result.rowcount == 0:
            raise JobLookupError(job.id)

    def lookup_job(self, job_id: str) -> Job | None:
        try:
            found: Job | None = super().lookup_job(job_id)
        except ValueError:  # not plain JSON: dropped unread, planned again at start
            log.warning("job %s was not stored as plain data; removed", job_id)
            self.remove_job(job_id)
            return None
        return found

    def _exists(self, job_id: str) -> bool:
        with self.engine.connect() as connection:
            query = self.jobs_t.select().where(self.jobs_t.c.id == job_id)
            return connection.execute(query).first() is not None

    def _reconstitute_job(self, job_state: bytes) -> Job:
        job: Job = Job.__new__(Job)
        job.__setstate__(decode(job_state))
        job._scheduler = self._scheduler
        job._jobstore_alias = self._alias
        return job


def _timestamp(job: Job) -> float | None:
    stamp: float | None = datetime_to_utc_timestamp(job.next_run_time)
    return stamp


def encode(job: Job) -> bytes:
    """The job as JSON; fails (TypeError) for arguments that are not plain data."""
    state = job.__getstate__()
    plain = {
        **{key: state[key] for key in ("version", "id", "func", "executor", "name", "kwargs")},
        **{key: state[key] for key in ("misfire_grace_time", "coalesce", "max_instances")},
        "args": list(state["args"]),
        "trigger": _trigger_fields(state["trigger"]),
        "next_run_time": _iso(state["next_run_time"]),
    }
    return json.dumps(plain, separators=(",", ":")).encode()


def decode(job_state: bytes) -> dict[str, Any]:
    """The state APScheduler's `Job.__setstate__` takes; ValueError for anything but our JSON."""
    try:
        plain = json.loads(job_state)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("not a plain job") from None
    if not isinstance(plain, dict) or not isinstance(plain.get("func"), str):
        raise ValueError("not a plain job")
    next_run = plain["next_run_time"]
    return {
        **plain,
        "args": tuple(plain["args"]),
        "trigger": _trigger(plain["trigger"]),
        "next_run_time": datetime.fromisoformat(next_run) if next_run else None,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _trigger_fields(trigger: BaseTrigger) -> dict[str, Any]:
    if isinstance(trigger, DateTrigger):
        return {"type": "date", "run_date": _iso(trigger.run_date)}
    common = {
        "start_date": _iso(trigger.start_date),
        "end_date": _iso(trigger.end_date),
        "timezone": str(trigger.timezone),
        "jitter": trigger.jitter,
    }
    if isinstance(trigger, IntervalTrigger):
        return {"type": "interval", "seconds": trigger.interval.total_seconds(), **common}
    if isinstance(trigger, CronTrigger):
        fields = {field.name: str(field) for field in trigger.fields if not field.is_default}
        return {"type": "cron", "fields": fields, **common}
    raise TypeError(f"a {type(trigger).__name__} cannot be stored as plain data")


def _trigger(fields: dict[str, Any]) -> BaseTrigger:
    kind = fields.get("type")
    if kind == "date":
        return DateTrigger(run_date=_when(fields["run_date"]))
    common = {
        "start_date": _when(fields["start_date"]),
        "end_date": _when(fields["end_date"]),
        "timezone": fields["timezone"],
        "jitter": fields["jitter"],
    }
    if kind == "interval":
        return IntervalTrigger(seconds=fields["seconds"], **common)
    if kind == "cron":
        return CronTrigger(**fields["fields"], **common)
    raise ValueError("unknown trigger")
