"""The job functions: module-level, importable by name, carrying ids only.

The job store keeps a job as a reference to its function plus its arguments, as plain JSON
(`job_store.py`), so these take a workshop id and an offset (never a chat id or a text) and find
everything else in the services installed by the running process. A job that fires in a process
without services does nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot.actions.workshop_texts import reminder
from bot.content.workshops import ANNOUNCEMENTS, Workshop, Workshops, topic_of
from bot.i18n.catalog import Catalog
from bot.outbox.announce import PUSH_CHANNELS, all_languages, queue_announcement
from bot.store.outbox import Audience, Outbox

log = logging.getLogger(__name__)

PREFIX = "reminder:"


class Traces(Protocol):
    """The store's housekeeping of message traces and processed updates."""

    def purge_traces(self, before: datetime) -> int: ...

    def purge_updates(self, before: date) -> int: ...


class Erasures(Protocol):
    """The store's clean-up after erasures: PostgreSQL's VACUUM, SQLite's WAL checkpoint."""

    def vacuum_erased(self) -> None: ...


class ReportPool(Protocol):
    """The report store's pool, mixed into the report tables in batches (see `bot.reports.pending`)."""

    def mix(self, *, today: date) -> int: ...


@dataclass(frozen=True)
class Retention:
    """How long unused conversation state and contacts who blocked the bot are kept."""

    sessions: timedelta = timedelta(days=30)
    stopped_contacts: timedelta = timedelta(days=90)
    delivery_rows: timedelta = timedelta(days=90)
    traces: timedelta = timedelta(hours=48)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    outbox: Outbox
    workshops: Workshops
    catalog: Catalog
    traces: Traces | None = None
    reports: ReportPool | None = None
    erasures: Erasures | None = None
    retention: Retention = field(default_factory=Retention)
    channels: tuple[str, ...] = PUSH_CHANNELS
    wake: Callable[[], None] = lambda: None
    now: Callable[[], datetime] = _utcnow


_installed: list[Services] = []


def install(services: Services) -> None:
    _installed[:] = [services]


def uninstall() -> None:
    _installed.clear()


def installed() -> Services | None:
    return _installed[0] if _installed else None


async def fire_reminder(workshop_id: str, offset: str) -> None:
    """A reminder is due: fill the outbox for the workshop's and all-announcement subscribers."""
    services = installed()
    if services is None:
        log.warning("reminder %s/%s fired without services; skipped", workshop_id, offset)
        return
    added = await asyncio.to_thread(queue_reminder, services, workshop_id, offset)
    log.info("reminder %s/%s queued for %d recipient(s)", workshop_id, offset, added)
    if added:
        services.wake()


def reminder_key(workshop: Workshop, offset: str) -> str:
    return f"{PREFIX}{workshop.id}:{offset}:{workshop.starts_at.isoformat()}"


def queue_reminder(services: Services, workshop_id: str, offset: str) -> int:
    """Fill the outbox for one reminder; returns the rows added (0 on a second fire)."""
    workshop = services.workshops.get(workshop_id)
    now = services.now()
    if workshop is None or offset not in services.workshops.offsets(workshop) or workshop.starts_at <= now:
        return 0
    catalog = services.catalog
    texts = {language: reminder(workshop, catalog, language) for language in all_languages()}
    announcement_id = services.outbox.ensure_reminder(
        reminder_key(workshop, offset),
        text=texts["de"],
        audience=Audience((topic_of(workshop.id), ANNOUNCEMENTS)),
        now=now,
    )
    return services.outbox.queue(announcement_id, texts, services.channels, now, statuses=("draft", "queued"))


def queue_due(services: Services) -> int:
    """Queue every scheduled broadcast whose time has come; returns how many rows were added."""
    added = 0
    now = services.now()
    for announcement_id in services.outbox.due(now):
        announcement = services.outbox.get(announcement_id)
        if announcement is None:
            continue
        rows = queue_announcement(
            services.outbox,
            announcement_id,
            announcement.text,
            announcement.translations,
            services.catalog,
            now,
            channels=services.channels,
            statuses=("scheduled",),
        )
        services.outbox.audit("scheduler", "send", f"announcement:{announcement_id}", {"rows": rows}, now)
        added += rows
    return added


async def queue_due_broadcasts() -> None:
    services = installed()
    if services is None:
        return
    if await asyncio.to_thread(queue_due, services):
        services.wake()


def erase_old(services: Services) -> dict[str, int]:
    now = services.now()
    retention = services.retention
    return {
        "sessions": services.outbox.erase_idle_sessions(now - retention.sessions),
        "stopped_contacts": services.outbox.erase_stopped_contacts(now - retention.stopped_contacts),
        "delivery_rows": services.outbox.erase_finished_rows(now - retention.delivery_rows),
    }


async def retention() -> None:
    """Daily: erase conversation state unused for 30 days and contacts stopped for 90 days."""
    services = installed()
    if services is None:
        return
    erased = await asyncio.to_thread(erase_old, services)
    log.info("retention: %s", ", ".join(f"{count} {what}" for what, count in erased.items()))


async def purge_traces() -> None:
    """Hourly: message traces older than 48 hours and processed update ids older than two days."""
    services = installed()
    if services is None or services.traces is None:
        return
    now = services.now()
    await asyncio.to_thread(services.traces.purge_traces, now - services.retention.traces)
    await asyncio.to_thread(services.traces.purge_updates, (now - timedelta(days=2)).date())


async def mix_reports() -> None:
    """Every hour or so (with jitter): move waiting reports into the report table, many at once."""
    services = installed()
    if services is None or services.reports is None:
        return
    await asyncio.to_thread(services.reports.mix, today=services.now().date())


async def vacuum_erased() -> None:
    """Daily after retention: erased rows leave the table files (PostgreSQL) and the -wal file (SQLite)."""
    services = installed()
    if services is None or services.erasures is None:
        return
    await asyncio.to_thread(services.erasures.vacuum_erased)
