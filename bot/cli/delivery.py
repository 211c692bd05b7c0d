"""What runs beside the conversations: the scheduler (reminders, due broadcasts, retention), the
outbox sender, and the staff desk. Started and stopped by `wegweiser run`. With several processes on
one PostgreSQL database, the one holding the scheduler lock also sends, so Telegram's limit is paced once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from bot.channels.telegram.outbox_sender import SharedRateLimiter, TelegramCourier
from bot.channels.whatsapp.client import open_client
from bot.channels.whatsapp.courier import WhatsAppCourier
from bot.channels.whatsapp.templates import load_templates
from bot.cli.whatsapp import whatsapp_settings
from bot.cli.wiring import Wiring
from bot.outbox.lanes import Lanes
from bot.outbox.limiter import Limiter
from bot.outbox.sender import Sender, SenderSettings
from bot.reports.stats import telegram_stats
from bot.scheduling.jobs import Retention, Services
from bot.scheduling.scheduler import Scheduling, Timing
from bot.staff.desk import Desk
from bot.staff.drafts import configured_drafter
from bot.store.database import Erasures
from bot.store.deliveries import Deliveries
from bot.store.messenger import MessengerStore
from bot.store.outbox import Outbox
from bot.store.reports import ReportStore
from bot.store.scheduler_lock import SchedulerLock


@dataclass
class Delivery:
    limiter: Limiter
    desk: Desk
    scheduling: Scheduling
    sender: Sender
    couriers: dict[str, TelegramCourier | WhatsAppCourier] = field(default_factory=dict)
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
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
        for close in self.closers:
            await close()


def report_statistics(wiring: Wiring) -> tuple[bytes, str]:
    """`/stats` for staff: the chart and German summary of the last twelve months of reports."""
    places = {place.id: place.name for place in wiring.content.municipalities}
    reports = ReportStore.of(wiring.store).reports()
    return telegram_stats(reports, date.today(), places=places)


async def start_delivery(wiring: Wiring) -> Delivery:
    settings = wiring.settings
    engine = wiring.store.engine
    telegram_pace = Limiter(rate=settings.outbox_rate, chat_interval=settings.outbox_chat_interval)
    whatsapp_pace = Limiter(rate=settings.whatsapp_rate, chat_interval=settings.outbox_chat_interval)
    limiter = Lanes({"telegram": telegram_pace, "whatsapp": whatsapp_pace}, default=telegram_pace)
    couriers: dict[str, TelegramCourier | WhatsAppCourier] = {}
    closers: list[Callable[[], Awaitable[None]]] = []
    if settings.telegram_token:
        couriers["telegram"] = await TelegramCourier.open(
            settings.telegram_token, settings.telegram_api_url, connections=settings.outbox_concurrency
        )
    if settings.whatsapp_token:  # its own connections, so bulk sends never take one a reply needs
        client, session = open_client(whatsapp_settings(settings), connections=settings.outbox_concurrency)
        closers.append(session.aclose)
        couriers["whatsapp"] = WhatsAppCourier(
            client, MessengerStore(wiring.store), load_templates(settings.content_dir), wiring.catalog
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
    delivery = Delivery(limiter, desk, scheduling, sender, couriers, closers)
    scheduling.on_lead = delivery.start_sending
    scheduling.on_lose = delivery.stop_sending
    await scheduling.start()
    return delivery
