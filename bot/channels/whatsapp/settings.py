"""The WhatsApp Cloud API settings the channel needs, apart from the project's settings class."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WhatsAppSettings:
    token: str
    phone_number_id: str
    app_secret: str
    verify_token: str
    api_url: str = "https://graph.facebook.com/v23.0"
    business_account_id: str = ""
    rate: float = 80.0

    def problems(self) -> list[str]:
        """What is missing for a safe webhook (never the values themselves)."""
        needed = {
            "WEGWEISER_WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
            "WEGWEISER_WHATSAPP_APP_SECRET": self.app_secret,
            "WEGWEISER_WHATSAPP_VERIFY_TOKEN": self.verify_token,
        }
        return [f"{name} is not set" for name, value in needed.items() if not value]
