"""Wiring the WhatsApp channel into `wegweiser run`: client, channel, inbox and the `/whatsapp` route."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import httpx

from bot.channels.whatsapp import (
    MAX_BODY_BYTES,
    SIGNATURE_HEADER,
    WhatsAppChannel,
    WhatsAppSettings,
    open_client,
    receive,
    verify,
)
from bot.channels.whatsapp.channel import Pace
from bot.cli.wiring import Wiring
from bot.config import Settings
from bot.store.messenger import MessengerStore
from bot.web.webhook import WebRoute, capped_webhook_route

PATH = "/whatsapp"


def whatsapp_settings(settings: Settings) -> WhatsAppSettings:
    return WhatsAppSettings(
        token=settings.whatsapp_token,
        phone_number_id=settings.whatsapp_phone_number_id,
        app_secret=settings.whatsapp_app_secret,
        verify_token=settings.whatsapp_verify_token,
        api_url=settings.whatsapp_api_url,
        business_account_id=settings.whatsapp_business_account_id,
        rate=settings.whatsapp_rate,
    )


def location_steps(wiring: Wiring) -> frozenset[str]:
    """The questions that also take a shared location (`location: true`), as message ids."""
    return frozenset(
        f"{flow.id}/{step.id}"
        for flow in wiring.engine.flows.values()
        for step in flow.steps
        if step.location
    )


@dataclass
class WhatsAppRunning:
    channel: WhatsAppChannel
    session: httpx.AsyncClient
    route: WebRoute

    async def stop(self) -> None:
        await self.channel.stop()
        await self.session.aclose()


def start_whatsapp(wiring: Wiring, pace: Pace | None = None) -> WhatsAppRunning:
    """The channel, ready to start; raises `ValueError` naming what is missing (never a value)."""
    config = whatsapp_settings(wiring.settings)
    problems = config.problems()
    if problems:
        raise ValueError("WhatsApp cannot run: " + "; ".join(problems))
    client, session = open_client(config)
    inbox = MessengerStore(wiring.store)
    channel = WhatsAppChannel(
        client, wiring.host, inbox, wiring.catalog, location_steps=location_steps(wiring), pace=pace
    )

    def outage(senders: list[str]) -> None:
        for sender in senders:
            channel.spawn(channel.help_now(sender))

    async def post(body: bytes, headers: Mapping[str, str]) -> int:
        status = await receive(client, inbox, body, headers.get(SIGNATURE_HEADER), outage)
        if status == 200:
            channel.wake()
        return status

    route = capped_webhook_route(PATH, post, partial(verify, client), MAX_BODY_BYTES)
    return WhatsAppRunning(channel, session, route)


async def push_templates(settings: Settings) -> list[tuple[str, str, str]]:
    """`whatsapp templates push`: submit new template languages, record what Meta answered."""
    from bot.channels.whatsapp.admin import submit
    from bot.channels.whatsapp.templates import load_templates
    from bot.i18n.catalog import Catalog
    from bot.store.store import Store

    store = Store(settings.database_url, secret=settings.secret_key.encode())
    store.upgrade()
    client, session = open_client(whatsapp_settings(settings))
    try:
        catalog = Catalog.load(settings.locale_dir, serve_drafts=settings.serve_drafts)
        book = load_templates(settings.content_dir)
        return await submit(
            client, settings.whatsapp_business_account_id, book, catalog, MessengerStore(store)
        )
    finally:
        await session.aclose()
        store.dispose()


async def fetch_statuses(settings: Settings) -> dict[tuple[str, str], str]:
    """`whatsapp templates status`: Meta's verdicts, recorded for the outbox."""
    from bot.channels.whatsapp.admin import statuses
    from bot.store.store import Store

    store = Store(settings.database_url, secret=settings.secret_key.encode())
    store.upgrade()
    client, session = open_client(whatsapp_settings(settings))
    try:
        return await statuses(client, settings.whatsapp_business_account_id, MessengerStore(store))
    finally:
        await session.aclose()
        store.dispose()
