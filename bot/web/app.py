"""The web chat's Starlette application: the page, its JSON API and a health check.

The runtime is reached only through the `Host` protocol; the composition root passes it in, together
with a `ping` that says whether the database answers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Lifespan

from bot.engine.model import Unavailable
from bot.i18n.languages import SOURCE, direction, resolve
from bot.web.chat_request import CHANNEL, ChatRequest, InvalidRequest, parse_chat_request, parse_session
from bot.web.headers import PrivacyHeaders
from bot.web.host import Host
from bot.web.labels import Translate, labels_in
from bot.web.reply import render_reply
from bot.web.throttle import Throttle, client_address

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 64 * 1024

logger = logging.getLogger(__name__)

Parsed = TypeVar("Parsed")
ChannelState = Callable[[], Awaitable[str]]


def create_app(
    host: Host,
    ping: Callable[[], bool],
    *,
    routes: Sequence[BaseRoute] = (),
    lifespan: Lifespan[Starlette] | None = None,
    translate: Translate | None = None,
    channels: Mapping[str, ChannelState] | None = None,
    throttle: Throttle | None = None,
    trusted_proxies: Collection[str] = (),
    debug: bool = False,
) -> Starlette:
    """Build the web app; `routes` come first (a Telegram webhook), `lifespan` starts and stops the rest.
    `ping` says whether the database can write; `channels` tell each messenger's state for /health.
    `throttle` limits the chat API per client address (behind `trusted_proxies`: the forwarded one)."""

    def throttled(request: Request) -> bool:
        if throttle is None:
            return False
        peer = request.client.host if request.client else ""
        return not throttle.allows(client_address(peer, request.headers, trusted_proxies))

    async def page(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    async def chat(request: Request) -> Response:
        if throttled(request):
            assert throttle is not None
            return await _too_many(host, request, throttle.retry_after())
        chat_request = await _parsed(request, parse_chat_request)
        try:
            messages = await host.handle(CHANNEL, chat_request.session, chat_request.user_input)
        except Exception as failure:
            return await _failed(host, chat_request, failure)
        return JSONResponse(render_reply(messages))

    async def forget_session(request: Request) -> Response:
        """ "New conversation": the old one is erased on the server at once, not at retention time."""
        if throttled(request):
            assert throttle is not None
            return await _too_many(host, request, throttle.retry_after())
        session = await _parsed(request, parse_session)
        await host.forget(CHANNEL, session)
        return Response(status_code=204)

    async def labels(request: Request) -> Response:
        language = resolve(request.query_params.get("language", "")) or SOURCE
        return JSONResponse(
            {"language": language, "dir": direction(language), "labels": labels_in(language, translate)}
        )

    async def health(request: Request) -> Response:
        """503 only when the database cannot write (a restart may help); a messenger that cannot be
        reached makes it `degraded` with 200, because restarting the bot would not bring Telegram back."""
        try:
            healthy = await run_in_threadpool(ping)
        except Exception as failure:
            logger.warning("health check failed: %s", type(failure).__name__)
            healthy = False
        states = {"web": "ok"}
        for name, state in (channels or {}).items():
            try:
                states[name] = await state()
            except Exception as failure:
                logger.warning("%s health check failed: %s", name, type(failure).__name__)
                states[name] = "error"
        status = "unavailable" if not healthy else "ok" if set(states.values()) == {"ok"} else "degraded"
        body = {"status": status, "database": "ok" if healthy else "cannot write", "channels": states}
        return JSONResponse(body, status_code=200 if healthy else 503)

    return Starlette(
        debug=debug,
        routes=[
            *routes,
            Route("/", page, methods=["GET"]),
            Route("/api/chat", chat, methods=["POST"]),
            Route("/api/session", forget_session, methods=["DELETE"]),
            Route("/api/labels", labels, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[Middleware(PrivacyHeaders)],
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )


async def _parsed(request: Request, parse: Callable[[bytes], Parsed]) -> Parsed:
    """The body, read up to `MAX_BODY_BYTES` and parsed; 413 or 400 with a clear message otherwise."""
    declared = request.headers.get("content-length", "")
    too_large = HTTPException(413, f"The body must be at most {MAX_BODY_BYTES // 1024} KB.")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large
    try:
        return parse(bytes(body))
    except InvalidRequest as invalid:
        raise HTTPException(invalid.status, str(invalid)) from None


async def _failed(host: Host, chat_request: ChatRequest, failure: Exception) -> JSONResponse:
    """Her turn failed: the answer still names the emergency numbers, in her language (they need no
    database). 503 when the database is down (try again soon), 500 for anything else."""
    # Only the kind of failure and where it happened: the exception text may quote her message.
    origin = failure.__traceback__
    while origin is not None and origin.tb_next is not None:
        origin = origin.tb_next
    where = f"{origin.tb_frame.f_code.co_filename}:{origin.tb_lineno}" if origin else "?"
    logger.error("web chat turn failed: %s at %s", type(failure).__name__, where)
    unavailable = isinstance(failure, Unavailable)
    body: dict[str, Any] = {"messages": [], "dir": "ltr", "language": ""}
    try:
        hint = chat_request.user_input.language_hint
        body = render_reply(await host.emergency(CHANNEL, chat_request.session, hint))
    except Exception as second:
        logger.error("emergency numbers not rendered: %s", type(second).__name__)
    message = "Something went wrong on our side. Please try again. Emergency: 110 or 112."
    return JSONResponse({"error": message, **body}, status_code=503 if unavailable else 500)


async def _too_many(host: Host, request: Request, retry_after: int) -> JSONResponse:
    """429, with the emergency numbers in the language the page asked for: a woman behind a busy
    shared address (a shelter, a counselling centre) must never be left without them."""
    hint = request.headers.get("accept-language", "").split(",")[0]
    body = render_reply(await host.emergency(CHANNEL, "", hint))
    message = "Too many messages from this address. Please wait a moment. Emergency: 110 or 112."
    return JSONResponse(
        {"error": message, **body}, status_code=429, headers={"Retry-After": str(retry_after)}
    )


def _error(status_code: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status_code)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Every routing error (404, 405) as JSON, so clients see one error shape."""
    assert isinstance(exc, HTTPException)
    messages = {404: "Not found.", 405: "Method not allowed."}
    response = _error(exc.status_code, messages.get(exc.status_code, str(exc.detail)))
    if exc.headers:
        response.headers.update(exc.headers)
    return response
