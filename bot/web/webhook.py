"""A route that hands a webhook's raw body and headers to a channel and answers with its status.

The channel says whether the headers may pass (its secret) and checks the body itself; the web layer
only carries bytes, so no platform library is imported here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

WebRoute = Route
WebhookHandler = Callable[[bytes, Mapping[str, str]], Awaitable[int]]

MAX_WEBHOOK_BYTES = 1024 * 1024


def webhook_route(path: str, handler: WebhookHandler, accept: Callable[[Mapping[str, str]], bool]) -> Route:
    """`accept` sees the headers before any of the body is read (the secret); the body is read up to
    `MAX_WEBHOOK_BYTES` and no further."""

    async def receive(request: Request) -> Response:
        if not accept(request.headers):
            return Response(status_code=403)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_WEBHOOK_BYTES:
            return Response(status_code=413)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_WEBHOOK_BYTES:
                return Response(status_code=413)
        status = await handler(bytes(body), request.headers)
        return Response(status_code=status)

    return Route(path, receive, methods=["POST"])


Handshake = Callable[[Mapping[str, str]], Awaitable[tuple[str, int]]]


def capped_webhook_route(path: str, handler: WebhookHandler, handshake: Handshake, max_bytes: int) -> Route:
    """A webhook with a verification handshake (GET) whose POST body is never read past `max_bytes`:
    a declared or streamed body over the cap is answered 413 before the rest arrives."""

    async def receive(request: Request) -> Response:
        if request.method == "GET":
            text, status = await handshake(request.query_params)
            return PlainTextResponse(text, status_code=status)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            return Response(status_code=413)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes:
                return Response(status_code=413)
        return Response(status_code=await handler(bytes(body), request.headers))

    return Route(path, receive, methods=["GET", "POST"])
