"""WhatsApp's state for /health: is the access token still valid? Read the business phone number from
the Graph API (`unauthorized` on code 190, 401 or 403); never shows the token or the number."""

from __future__ import annotations

import httpx

from bot.channels.health import ChannelHealth


class WhatsAppHealth(ChannelHealth):
    def __init__(
        self, session: httpx.AsyncClient, phone_number_id: str, token: str, *, every: float = 60.0
    ) -> None:
        super().__init__(every=every)
        self._session = session
        self._path = f"/{phone_number_id}"
        self._headers = {"Authorization": f"Bearer {token}"}

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
