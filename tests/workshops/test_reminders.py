"""Reminders with the real APScheduler on the project database, with real short delays.

A workshop that starts in ten minutes with a reminder `598s` before is due in about two seconds.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.content.workshops import ANNOUNCEMENTS, Workshops, topic_of
from bot.i18n.catalog import Catalog, Localized
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.scheduling.jobs import Services, queue_reminder
from bot.scheduling.reminders import job_id, plan, sync_reminders
from bot.scheduling.scheduler import Scheduling, Timing, build_scheduler
from bot.store import Store
from bot.store.deliveries import Deliveries
from bot.store.outbox import Outbox
from bot.store.scheduler_lock import SchedulerLock
from tests.outbox.conftest import Recorder
from tests.workshops.conftest import workshops_at

WORKSHOP = "frauen_workshop_2027"
TIMING = Timing(broadcast_poll=0.2, lock_retry=0.2)
SOON = timedelta(minutes=10)
CATALOG = Catalog(
    {
        "ar": {
            ("action_workshops/reminder", "🔔 Erinnerung an den Workshop:"): Localized(
                "🔔 تذكير بالورشة:", "reviewed"
            )
        },
        "uk": {
            ("action_workshops/reminder", "🔔 Erinnerung an den Workshop:"): Localized(
                "🔔 Нагадування про семінар:", "reviewed"
            )
        },
    }
)
HEADINGS = {
    "de": "🔔 Erinnerung an den Workshop:",
    "ar": "🔔 تذكير بالورشة:",
    "uk": "🔔 Нагадування про семінар:",
}


def services(store: Store, workshops: Workshops) -> Services:
    return Services(Outbox(store.engine), workshops, CATALOG)


def subscribe(store: Store) -> None:
    for platform_id, language, topic in (
        ("1", "de", topic_of(WORKSHOP)),
        ("2", "ar", topic_of(WORKSHOP)),
        ("3", "uk", ANNOUNCEMENTS),
        ("4", "fa", "something_else"),
    ):
        store.save("telegram", platform_id, language=language, consent=True, state={})
        store.subscribe("telegram", platform_id, topic)


async def wait_for_rows(outbox: Outbox, count: int, seconds: float = 8.0) -> None:
    for _ in range(int(seconds / 0.05)):
        reminders = outbox.recent(5, "reminder")
        if reminders and sum(outbox.counts(reminders[0].id).values()) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the reminder did not fire")


async def deliver(outbox: Outbox) -> Recorder:
    courier = Recorder()
    rows = Deliveries(outbox.engine)
    await Sender(rows, {"telegram": courier}, Limiter(rate=1000), SenderSettings(idle=0.01)).drain()
    return courier


async def test_a_reminder_goes_out_at_its_time_in_each_language_with_the_venue(store: Store) -> None:
    subscribe(store)
    workshops = workshops_at(SOON, ["598s"])
    scheduling = Scheduling(store.engine, SchedulerLock(store.engine), services(store, workshops), TIMING)
    await scheduling.start()
    try:
        outbox = Outbox(store.engine)
        assert outbox.recent(5, "reminder") == []  # not before its time
        await wait_for_rows(outbox, 3)
    finally:
        await scheduling.stop()
    courier = await deliver(outbox)
    assert sorted(item[0] for item in courier.delivered) == ["1", "2", "3"]
    for _platform_id, text, language in courier.delivered:
        assert text.startswith(HEADINGS[language])
        assert "Kreishaus Düren, Bismarckstraße 16, 52348 Düren" in text
        assert "https://www.openstreetmap.org/?mlat=50.80000&mlon=6.48300" in text


async def test_a_restart_loses_no_reminder_and_sends_none_twice(store: Store) -> None:
    subscribe(store)
    workshops = workshops_at(SOON, ["598s"])
    first = Scheduling(store.engine, SchedulerLock(store.engine), services(store, workshops), TIMING)
    await first.start()
    await first.stop()  # down before the reminder is due
    await asyncio.sleep(2.5)  # it is due while nobody runs a scheduler
    again = Scheduling(store.engine, SchedulerLock(store.engine), services(store, workshops), TIMING)
    await again.start()  # within the grace time: it goes out once, late
    try:
        outbox = Outbox(store.engine)
        await wait_for_rows(outbox, 3)
        assert queue_reminder(services(store, workshops), WORKSHOP, "598s") == 0  # a second fire adds nobody
    finally:
        await again.stop()
    third = Scheduling(store.engine, SchedulerLock(store.engine), services(store, workshops), TIMING)
    await third.start()  # and after another restart it is not planned again
    try:
        assert third.scheduler is not None
        assert [job.id for job in third.scheduler.get_jobs() if job.id.startswith("reminder:")] == []
    finally:
        await third.stop()
    courier = await deliver(outbox)
    assert sorted(item[0] for item in courier.delivered) == ["1", "2", "3"]
    assert len(outbox.recent(5, "reminder")) == 1


async def test_editing_the_workshop_moves_and_removes_its_reminders(store: Store) -> None:
    scheduler = build_scheduler(store.engine)
    scheduler.start(paused=True)
    try:
        original = workshops_at(timedelta(days=30))
        sync_reminders(scheduler, services(store, original))
        before = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        assert set(before) == {job_id(WORKSHOP, offset) for offset in ("7d", "1d", "2h")}

        moved = workshops_at(timedelta(days=37))
        report = sync_reminders(scheduler, services(store, moved))
        after = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        assert set(after) == set(before) and report.removed == ()
        assert all(after[key] - before[key] >= timedelta(days=6, hours=23) for key in before)

        fewer = workshops_at(timedelta(days=37), ["1d"])
        report = sync_reminders(scheduler, services(store, fewer))
        assert [job.id for job in scheduler.get_jobs()] == [job_id(WORKSHOP, "1d")]
        assert set(report.removed) == {job_id(WORKSHOP, "7d"), job_id(WORKSHOP, "2h")}

        sync_reminders(scheduler, services(store, Workshops()))
        assert scheduler.get_jobs() == []
    finally:
        scheduler.shutdown(wait=False)


def test_jobs_carry_ids_only_and_plan_respects_the_grace_time() -> None:
    workshops = workshops_at(timedelta(days=3))  # the 7-day reminder is long past
    planned = plan(workshops, workshops.workshops[0].starts_at - timedelta(days=3))
    assert [item.offset for item in planned] == ["1d", "2h"]
    assert [item.grace for item in planned] == [timedelta(hours=6), timedelta(minutes=30)]


async def test_unsubscribing_stops_her_reminders(store: Store) -> None:
    subscribe(store)
    store.unsubscribe("telegram", "2", topic_of(WORKSHOP))
    workshops = workshops_at(SOON, ["598s"])
    assert queue_reminder(services(store, workshops), WORKSHOP, "598s") == 2
    courier = await deliver(Outbox(store.engine))
    assert sorted(item[0] for item in courier.delivered) == ["1", "3"]


async def test_one_scheduler_and_one_sender_per_deployment(store: Store) -> None:
    workshops = workshops_at(timedelta(days=30))
    leading: list[str] = []
    first = Scheduling(
        store.engine,
        SchedulerLock(store.engine),
        services(store, workshops),
        TIMING,
        lambda: leading.append("first"),
    )
    second = Scheduling(
        store.engine,
        SchedulerLock(store.engine),
        services(store, workshops),
        TIMING,
        lambda: leading.append("second"),
    )
    await first.start()
    await second.start()
    try:
        assert first.running and not second.running
        assert leading == ["first"], "only the lock holder sends"
        await first.stop()
        for _ in range(40):  # the second takes over when the first lets go
            if second.running:
                break
            await asyncio.sleep(0.05)
        assert second.running
        assert leading == ["first", "second"], "sending moved with the lock"
    finally:
        await second.stop()
        await first.stop()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_scheduled_broadcast_goes_out_at_its_time(store: Store) -> None:
    from datetime import UTC, datetime

    from bot.store.outbox import Audience

    subscribe(store)
    outbox = Outbox(store.engine)
    announcement_id = outbox.create(
        kind="broadcast",
        text="Fachtag am Freitag",
        audience=Audience((ANNOUNCEMENTS, topic_of(WORKSHOP))),
        created_by="cli:test",
        now=datetime.now(UTC),
        send_at=datetime.now(UTC) + timedelta(seconds=1),
        status="scheduled",
    )
    scheduling = Scheduling(store.engine, SchedulerLock(store.engine), services(store, Workshops()), TIMING)
    await scheduling.start()
    try:
        assert outbox.counts(announcement_id) == {}
        for _ in range(100):
            if outbox.counts(announcement_id):
                break
            await asyncio.sleep(0.05)
    finally:
        await scheduling.stop()
    assert outbox.counts(announcement_id) == {"pending": 3}
    courier = await deliver(outbox)
    assert {item[0]: item[1].endswith("Fachtag am Freitag") for item in courier.delivered} == {
        "1": True,
        "2": True,
        "3": True,
    }
