"""A route that hands a webhook's raw body and headers to a channel and answers with its status.

The channel checks the secret and the body itself; the web layer only carries bytes, so no platform
library is imported here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

WebhookHandler = Callable[[bytes, Mapping[str, str]], Awaitable[int]]

MAX_WEBHOOK_BYTES = 1024 * 1024


def webhook_route(path: str, handler: WebhookHandler) -> Route:
    async def receive(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BYTES:
            return Response(status_code=413)
        status = await handler(body, request.headers)
        return Response(status_code=status)

    return Route(path, receive, methods=["POST"])
