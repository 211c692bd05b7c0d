"""`wegweiser whatsapp templates push|status`: WhatsApp message templates submitted to Meta for review,
and Meta's verdict recorded, so the outbox knows which it may use outside a woman's 24 hours."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table

from bot.config import Settings

whatsapp_app = typer.Typer(help="The WhatsApp channel.", no_args_is_help=True)
templates_app = typer.Typer(help="Message templates (Meta's review).", no_args_is_help=True)
whatsapp_app.add_typer(templates_app, name="templates")
console = Console()


@templates_app.command("push")
def push() -> None:
    """Submit every template in every translated language Meta supports that Meta does not have yet."""
    from bot.cli.whatsapp import push_templates

    settings = Settings()
    _require(settings)
    results = asyncio.run(push_templates(settings))
    for name, language, status in results:
        console.print(f"{name} [{language}]: {status}", highlight=False)
    console.print(f"{len(results)} template language(s) submitted" if results else "nothing new to submit")


@templates_app.command("status")
def status() -> None:
    """Ask Meta for each template's review status and record it (APPROVED ones are used by the outbox)."""
    from bot.cli.whatsapp import fetch_statuses

    settings = Settings()
    _require(settings)
    statuses = asyncio.run(fetch_statuses(settings))
    table = Table(title=f"WhatsApp templates ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    for column in ("template", "language", "status"):
        table.add_column(column)
    for (name, language), verdict in sorted(statuses.items()):
        table.add_row(name, language, verdict)
    console.print(table)


def _require(settings: Settings) -> None:
    missing = [
        name
        for name, value in (
            ("WEGWEISER_WHATSAPP_TOKEN", settings.whatsapp_token),
            ("WEGWEISER_WHATSAPP_BUSINESS_ACCOUNT_ID", settings.whatsapp_business_account_id),
        )
        if not value
    ]
    if missing:
        console.print(f"[red]{', '.join(missing)} not set[/red]")
        raise typer.Exit(1)
