"""Settings from the environment (prefix `WEGWEISER_`) and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_CHARS = 32
MAKE_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEGWEISER_", env_file=".env", extra="ignore")

    database_url: str = ""  # empty: SQLite in the data folder (bot.store.location)
    database_password: str = ""  # set apart from the URL, so any character works
    data_dir: Path | None = None  # empty: the user's data folder (platformdirs)
    metrics_port: int = 0  # Prometheus /metrics on its own port; 0: off
    metrics_host: str = "127.0.0.1"
    telegram_token: str = ""
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_username: str = ""
    webhook_url: str = ""
    webhook_secret: str = ""
    staff_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    link_sources: Annotated[list[str], NoDecode] = Field(default_factory=list)
    content_dir: Path = PROJECT_ROOT / "content"
    flows_dir: Path = PROJECT_ROOT / "flows"
    locale_dir: Path = PROJECT_ROOT / "locale"
    nlu_dir: Path = PROJECT_ROOT / "nlu"
    host: str = "127.0.0.1"
    port: int = 8080
    web_requests_per_minute: float = 120.0  # per client address on the chat API; 0: no limit
    web_burst: int = 60  # requests one address may send at once before the per-minute pace applies
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)  # read X-Forwarded-For
    serve_drafts: bool = True
    demo: bool = False  # show example content (a workshop with `example: true`) to try the bot out
    log_level: str = "INFO"
    secret_key: str = ""
    report_pepper: str = ""
    report_retention_days: int = 1095
    report_text_retention_days: int = 90
    libretranslate_url: str = ""
    libretranslate_key: str = ""
    outbox_rate: float = 30.0
    whatsapp_token: str = ""
    whatsapp_phone_number_id: str = ""
    whatsapp_business_account_id: str = ""
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_api_url: str = "https://graph.facebook.com/v23.0"
    whatsapp_rate: float = 80.0
    outbox_chat_interval: float = 1.0
    outbox_concurrency: int = 16
    outbox_lease_seconds: int = 60
    outbox_resend_uncertain: bool = False
    broadcast_poll_seconds: float = 15.0
    retention_session_days: int = 30
    retention_stopped_days: int = 90

    @field_validator("link_sources", "trusted_proxies", mode="before")
    @classmethod
    def _split_sources(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("staff_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept `123,456` as well as a JSON list."""
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @property
    def production(self) -> bool:
        """Any server database: PostgreSQL is how production runs (docker-compose)."""
        return bool(self.database_url) and not self.database_url.startswith("sqlite")

    def missing_secrets(self) -> list[str]:
        """What production lacks: the contact key and the receipt pepper, each long enough to guess no one."""
        if not self.production:
            return []
        given = {"WEGWEISER_SECRET_KEY": self.secret_key, "WEGWEISER_REPORT_PEPPER": self.report_pepper}
        return [name for name, value in given.items() if len(value.strip()) < MIN_SECRET_CHARS]

    def refusal(self) -> str:
        """Why production will not start, and how to fix it; empty when it may."""
        missing = self.missing_secrets()
        if not missing:
            return ""
        lines = [
            f"Production (a server database) needs {' and '.join(missing)}",
            f"(at least {MIN_SECRET_CHARS} characters each, kept outside the database). Make each with",
            f"    {MAKE_SECRET}",
            "and set it in the environment or the .env file. Keep them: a new WEGWEISER_SECRET_KEY makes",
            "every woman a stranger to the bot, a new WEGWEISER_REPORT_PEPPER makes each receipt code void.",
        ]
        return "\n".join(lines)
