"""`wegweiser run`: the web chat always, the Telegram bot too when a token is configured."""

from __future__ import annotations

import logging
import threading

import uvicorn

from bot.cli.wiring import build
from bot.config import Settings
from bot.i18n.detect import preload
from bot.web.app import create_app

log = logging.getLogger(__name__)


async def serve(settings: Settings) -> None:
    wiring = build(settings)
    threading.Thread(target=preload, name="language-detector", daemon=True).start()
    catalog = wiring.catalog
    app = create_app(
        wiring.host,
        wiring.store.ping,
        translate=lambda language, german, context: catalog.text(language, german, context).text,
    )
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, access_log=False, log_level="warning"
    )
    server = uvicorn.Server(config)
    log.info("web chat on http://%s:%d/", settings.host, settings.port)
    try:
        await server.serve()
    finally:
        wiring.store.dispose()
