"""The scheduler outlives a database outage and gives way when its lock is lost (private PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from bot.cli.wiring import Wiring
from bot.scheduling.jobs import Services
from bot.scheduling.scheduler import Scheduling, Timing
from bot.store.outbox import Audience, Outbox
from bot.store.scheduler_lock import SchedulerLock
from tests.faults.cluster import Cluster
from tests.faults.conftest import eventually
from tests.faults.figures import note
from tests.outbox.conftest import many_subscribers

QUICK = Timing(broadcast_poll=0.5, lock_retry=0.5, lock_check=0.3, store_retry=0.5)


@pytest.fixture
def services(outage_wiring: Wiring) -> Iterator[Services]:
    yield Services(Outbox(outage_wiring.store.engine), outage_wiring.workshops, outage_wiring.catalog)


def cut_lock_connections(url: str) -> int:
    """What a restarted server or a cut network does to the lock: its connection ends."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_locks"
                        " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
                        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    )
                ).all()
            )
    finally:
        admin.dispose()


async def test_a_lost_lock_stops_this_scheduler_and_another_takes_over(
    outage_wiring: Wiring, services: Services
) -> None:
    engine = outage_wiring.store.engine
    lost: list[bool] = []

    async def on_lose() -> None:
        lost.append(True)

    first = Scheduling(engine, SchedulerLock(engine), services, QUICK, on_lose=on_lose)
    await first.start()
    other = SchedulerLock(engine)
    try:
        assert first.running and not other.acquire()
        assert cut_lock_connections(str(engine.url.render_as_string(hide_password=False))) == 1
        await eventually(other.acquire, 10, "the lock is free once its connection is gone")
        await eventually(lambda: not first.running, 10, "the first scheduler stops")
        assert lost == [True], "its sender is stopped with it"
        await asyncio.sleep(1.5)
        assert not first.running, "it does not run beside the new holder"
        other.release()
        await eventually(lambda: first.running, 10, "it takes the lock back once free")
        note(
            "scheduler lock connection cut: the holder stopped scheduler and sender, "
            "never ran beside the new holder"
        )
    finally:
        await first.stop()
        other.release()


async def test_due_broadcasts_are_queued_after_the_database_comes_back(
    cluster: Cluster, outage_wiring: Wiring, services: Services
) -> None:
    """Reminders and scheduled broadcasts once stalled after an outage until a restart."""
    store = outage_wiring.store
    many_subscribers(store, 5)
    outbox = services.outbox
    now = datetime.now(UTC)
    announcement = outbox.create(
        kind="broadcast",
        text="Der Fachtag ist verschoben.",
        audience=Audience(("announcements",)),
        created_by="test",
        now=now,
        send_at=now + timedelta(seconds=6),
        status="scheduled",
    )
    scheduling = Scheduling(store.engine, SchedulerLock(store.engine), services, QUICK)
    await scheduling.start()
    try:
        await asyncio.sleep(1.0)
        cluster.stop()
        await asyncio.sleep(8)  # the broadcast falls due while the database is down
        cluster.start()
        await eventually(lambda: sum(outbox.counts(announcement).values()) == 5, 30, "the broadcast queued")
        assert scheduling.running
        note("scheduled broadcast due during an 8 s outage: queued after the restart, no process restart")
    finally:
        await scheduling.stop()
