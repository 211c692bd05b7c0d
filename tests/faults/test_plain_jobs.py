"""Scheduler jobs are stored as plain data: what the job table holds is JSON, and a pickle planted in it
is never unpickled (write access to the table must not mean running code in the bot)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from sqlalchemy import text

from bot.cli.wiring import Wiring
from bot.scheduling.jobs import Services
from bot.scheduling.listing import scheduled_jobs
from bot.scheduling.scheduler import Scheduling, Timing
from bot.store.outbox import Outbox
from bot.store.scheduler_lock import SchedulerLock
from tests.faults.figures import note


class Planted:
    """What an attacker with write access would store: unpickling it runs a command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


async def test_jobs_are_json_and_a_planted_pickle_is_never_run(wiring: Wiring, tmp_path: Path) -> None:
    engine = wiring.store.engine
    marker = tmp_path / "pwned"
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO apscheduler_jobs (id, next_run_time, job_state) VALUES (:id, :at, :state)"),
            {"id": "retention:daily", "at": 1.0, "state": pickle.dumps(Planted(marker))},
        )
    services = Services(Outbox(engine), wiring.workshops, wiring.catalog)
    scheduling = Scheduling(engine, SchedulerLock(engine), services, Timing(broadcast_poll=60))
    await scheduling.start()
    try:
        assert scheduling.running
    finally:
        await scheduling.stop()
    assert not marker.exists(), "the planted pickle was never loaded"
    with engine.connect() as connection:
        states = [bytes(row[0]) for row in connection.execute(text("SELECT job_state FROM apscheduler_jobs"))]
    assert states and all(isinstance(json.loads(state), dict) for state in states)
    listed = {job.id for job in scheduled_jobs(engine)}
    assert {"broadcasts:due", "retention:daily", "retention:traces"} <= listed
    assert not marker.exists()
    note(f"scheduler jobs: {len(states)} stored as JSON; a planted pickle was dropped unread")
