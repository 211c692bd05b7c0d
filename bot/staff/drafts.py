"""Machine drafts of a staff announcement, through the machine-draft path of `bot/translation/`.

Only staff's own German text goes to the service, and only when one is configured (a self-hosted
LibreTranslate by default). A failing service gives no draft: staff then type or skip the language.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class MachineDrafter:
    def __init__(
        self, provider: str = "libre", *, url: str = "", api_key: str = "", timeout: float = 20.0
    ) -> None:
        self.provider = provider
        self.url = url
        self.api_key = api_key
        self.timeout = timeout

    def draft(self, text: str, target: str) -> str | None:
        from bot.translation.draft import ProviderError
        from bot.translation.machine import machine_translator

        try:
            translate = machine_translator(
                self.provider, target, url=self.url, api_key=self.api_key, timeout=self.timeout
            )
            return translate(text).strip() or None
        except ProviderError as error:
            log.warning("no machine draft for %s: %s", target, type(error).__name__)
            return None


def configured_drafter(url: str, api_key: str = "") -> MachineDrafter | None:
    """A drafter when a LibreTranslate URL is configured, else None (staff type or skip)."""
    return MachineDrafter("libre", url=url, api_key=api_key) if url else None
