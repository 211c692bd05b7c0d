"""`wegweiser run`: the web chat always, the Telegram bot too when a token is configured."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIServer

import uvicorn

from bot.channels.telegram import (
    SECRET_HEADER,
    TelegramApplication,
    TelegramHealth,
    build_application,
    keep_starting,
    process_webhook,
    secret_matches,
    shut_down,
)
from bot.channels.whatsapp.health import WhatsAppHealth
from bot.cli.database import location
from bot.cli.delivery import Delivery, start_delivery
from bot.cli.whatsapp import WhatsAppRunning, start_whatsapp
from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.i18n.detect import preload
from bot.metrics import serve_metrics
from bot.store import Store
from bot.store.health import writable
from bot.store.outbox import Outbox
from bot.web.app import ChannelState, create_app
from bot.web.throttle import Throttle
from bot.web.webhook import webhook_route

log = logging.getLogger(__name__)


class PortTaken(OSError):
    """The web chat's address cannot be bound (another program, or Wegweiser already running)."""


def listen(host: str, port: int) -> socket.socket:
    """Bind the web chat's socket before anything starts, so a taken port is one clear error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        listener = socket.create_server((host, port), family=family)
        # asyncio sets TCP_NODELAY only on sockets made with proto=IPPROTO_TCP, which create_server's are
        # not; without it every answer waited 40 ms for the client's delayed ACK. Accepted sockets inherit it.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return listener
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise PortTaken(f"Cannot listen on {host}:{port}: {reason}.") from None


async def serve(settings: Settings, listener: socket.socket | None = None) -> None:
    """Run everything; `listener` is the web chat's bound socket (bound here when not given)."""
    listener = listener or listen(settings.host, settings.port)
    wiring = build(settings)
    log.info("database: %s", location(settings).describe())
    waiting = Outbox(wiring.store.engine).waiting_by_channel
    exporter = _metrics(settings, waiting) if settings.metrics_port else None
    use_database_threads(wiring.store)
    threading.Thread(target=preload, name="language-detector", daemon=True).start()
    delivery = await start_delivery(wiring)
    telegram = _telegram(wiring, delivery) if settings.telegram_token else None
    routes = []
    whatsapp: WhatsAppRunning | None = None
    if settings.whatsapp_token:
        whatsapp = start_whatsapp(wiring, pace=delivery.limiter)
        routes.append(whatsapp.route)
    if telegram is not None and settings.webhook_url:
        application = telegram

        async def receive(body: bytes, headers: Mapping[str, str]) -> int:
            secret = headers.get(SECRET_HEADER)
            return await process_webhook(application, wiring.store, body, secret, settings.webhook_secret)

        def accept(headers: Mapping[str, str]) -> bool:
            return secret_matches(headers.get(SECRET_HEADER), settings.webhook_secret)

        path = urlsplit(settings.webhook_url).path or "/telegram"
        routes.append(webhook_route(path, receive, accept))
    catalog = wiring.catalog
    engine = wiring.store.engine
    channels: dict[str, ChannelState] = {}
    if telegram is not None:
        channels["telegram"] = TelegramHealth(telegram.bot).state
    if whatsapp is not None:
        token_check = WhatsAppHealth(
            whatsapp.session, settings.whatsapp_phone_number_id, settings.whatsapp_token
        )
        channels["whatsapp"] = token_check.state
    app = create_app(
        wiring.host,
        lambda: writable(engine),
        routes=routes,
        translate=lambda language, german, context: catalog.text(language, german, context).text,
        channels=channels,
        throttle=Throttle(settings.web_requests_per_minute, settings.web_burst),
        trusted_proxies=frozenset(settings.trusted_proxies),
    )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_level="warning",
        proxy_headers=False,  # the web app reads X-Forwarded-For itself, from trusted proxies only
    )
    server = uvicorn.Server(config)
    starting: asyncio.Task[None] | None = None
    if telegram is not None:
        # In the background: a refused token or an unreachable Bot API must not stop the web chat.
        starting = asyncio.create_task(
            keep_starting(telegram, settings.webhook_url, settings.webhook_secret), name="telegram-start"
        )
    if whatsapp is not None:
        await whatsapp.channel.start()
        log.info("WhatsApp webhook at /whatsapp")
    log.info("web chat on http://%s:%d/", settings.host, settings.port)
    try:
        await server.serve(sockets=[listener])
    finally:
        if exporter is not None:
            exporter.shutdown()
        if starting is not None:
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
        if telegram is not None:
            await shut_down(telegram)
        if whatsapp is not None:
            await whatsapp.stop()
        await delivery.stop()
        wiring.store.dispose()


def _metrics(settings: Settings, waiting: Callable[[], dict[str, int]]) -> WSGIServer:
    try:
        server, _ = serve_metrics(settings.metrics_host, settings.metrics_port, waiting)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise PortTaken(
            f"Cannot serve metrics on {settings.metrics_host}:{settings.metrics_port}: {reason}."
        ) from None
    log.info("metrics on http://%s:%d/metrics", settings.metrics_host, settings.metrics_port)
    return server


def use_database_threads(store: Store) -> None:
    """`asyncio.to_thread` is how every part reaches the database: size its pool for the database."""
    threads = ThreadPoolExecutor(store.threads, thread_name_prefix="wegweiser-db")
    asyncio.get_running_loop().set_default_executor(threads)


def _telegram(wiring: Wiring, delivery: Delivery) -> TelegramApplication:
    settings = wiring.settings
    return build_application(
        settings.telegram_token,
        settings.telegram_api_url,
        wiring.host,
        wiring.store,
        wiring.catalog,
        webhook=bool(settings.webhook_url),
        rate_limiter=delivery.rate_limiter,
        desk=delivery.desk,
    )
