"""WhatsApp's state for /health: is the access token still valid? Asked at most once a minute by reading
the business phone number from the Graph API; never shows the token or the number."""

from __future__ import annotations

import asyncio
import time

import httpx


class WhatsAppHealth:
    def __init__(
        self, session: httpx.AsyncClient, phone_number_id: str, token: str, *, every: float = 60.0
    ) -> None:
        self._session = session
        self._path = f"/{phone_number_id}"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._every = every
        self._state = "unknown"
        self._checked = -float("inf")
        self._lock = asyncio.Lock()

    async def state(self) -> str:
        """`ok`, `unauthorized` (token expired or revoked: code 190, 401, 403), `unreachable`, `error`."""
        async with self._lock:
            if time.monotonic() - self._checked >= self._every:
                self._state = await self._ask()
                self._checked = time.monotonic()
            return self._state

    async def _ask(self) -> str:
        try:
            answer = await self._session.get(
                self._path, params={"fields": "id"}, headers=self._headers, timeout=5
            )
        except httpx.TransportError:
            return "unreachable"
        if answer.status_code == 200:
            return "ok"
        try:
            code = answer.json().get("error", {}).get("code")
        except ValueError:
            code = None
        return "unauthorized" if answer.status_code in (401, 403) or code == 190 else "error"
