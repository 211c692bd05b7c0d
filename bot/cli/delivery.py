"""What runs beside the conversations: the scheduler (reminders, due broadcasts, retention), the
outbox sender, and the staff desk. Started and stopped by `wegweiser run`. With several processes on
one PostgreSQL database, the one holding the scheduler lock also sends, so Telegram's limit is paced once."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from bot.channels.telegram.outbox_sender import SharedRateLimiter, TelegramCourier
from bot.cli.wiring import Wiring
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.reports.stats import telegram_stats
from bot.scheduling.jobs import Retention, Services
from bot.scheduling.scheduler import Scheduling, Timing
from bot.staff.desk import Desk
from bot.staff.drafts import configured_drafter
from bot.store.database import Erasures
from bot.store.deliveries import Deliveries
from bot.store.outbox import Outbox
from bot.store.reports import ReportStore
from bot.store.scheduler_lock import SchedulerLock


@dataclass
class Delivery:
    limiter: Limiter
    desk: Desk
    scheduling: Scheduling
    sender: Sender
    couriers: dict[str, TelegramCourier] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None

    @property
    def rate_limiter(self) -> SharedRateLimiter:
        """PTB's port over the same limiter, so interactive replies overtake bulk sends."""
        return SharedRateLimiter(self.limiter)

    def start_sending(self) -> None:
        """The outbox sender runs where the scheduler runs: one pace for the whole deployment."""
        if self.couriers and self.task is None:  # without a channel to push to, queued rows wait for one
            self.sender.resume()
            self.task = asyncio.create_task(self.sender.run(), name="outbox-sender")

    async def stop_sending(self) -> None:
        """The scheduler lock went elsewhere: so does sending."""
        self.sender.stop()
        task, self.task = self.task, None
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def stop(self) -> None:
        await self.scheduling.stop()
        await self.stop_sending()
        for courier in self.couriers.values():
            await courier.close()


def report_statistics(wiring: Wiring) -> tuple[bytes, str]:
    """`/stats` for staff: the chart and German summary of the last twelve months of reports."""
    places = {place.id: place.name for place in wiring.content.municipalities}
    reports = ReportStore.of(wiring.store).reports()
    return telegram_stats(reports, date.today(), places=places)


async def start_delivery(wiring: Wiring) -> Delivery:
    settings = wiring.settings
    engine = wiring.store.engine
    limiter = Limiter(rate=settings.outbox_rate, chat_interval=settings.outbox_chat_interval)
    couriers: dict[str, TelegramCourier] = {}
    if settings.telegram_token:
        couriers["telegram"] = await TelegramCourier.open(
            settings.telegram_token, settings.telegram_api_url, connections=settings.outbox_concurrency
        )
    sender = Sender(
        Deliveries(engine),
        couriers,
        limiter,
        SenderSettings(
            concurrency=settings.outbox_concurrency,
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            resend_uncertain=settings.outbox_resend_uncertain,
        ),
    )
    outbox = Outbox(engine)
    services = Services(
        outbox,
        wiring.workshops,
        wiring.catalog,
        traces=wiring.store,
        reports=ReportStore.of(wiring.store),
        erasures=Erasures(engine),
        retention=Retention(
            sessions=timedelta(days=settings.retention_session_days),
            stopped_contacts=timedelta(days=settings.retention_stopped_days),
        ),
        wake=sender.wake,
    )
    scheduling = Scheduling(
        engine, SchedulerLock(engine), services, Timing(broadcast_poll=settings.broadcast_poll_seconds)
    )
    desk = Desk(
        settings.staff_ids,
        outbox,
        wiring.workshops,
        wiring.catalog,
        drafter=configured_drafter(settings.libretranslate_url, settings.libretranslate_key),
        wake=sender.wake,
        statistics=partial(report_statistics, wiring),
    )
    delivery = Delivery(limiter, desk, scheduling, sender, couriers)
    scheduling.on_lead = delivery.start_sending
    scheduling.on_lose = delivery.stop_sending
    await scheduling.start()
    return delivery
