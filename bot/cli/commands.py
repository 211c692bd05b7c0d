"""The Typer application: `wegweiser run`, `db upgrade`, `flows check`, `content check`, `actions`."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli.backup import db_backup, db_restore
from bot.cli.broadcast import broadcast_app
from bot.cli.graph import graph
from bot.cli.i18n import i18n_app
from bot.cli.jobs import jobs
from bot.cli.logs import configure_logging
from bot.cli.nlu import nlu_app
from bot.cli.reports import reports_app
from bot.cli.whatsapp_templates import whatsapp_app
from bot.config import Settings

app = typer.Typer(help="Wegweiser: multilingual guide for women in Kreis Düren.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
flows_app = typer.Typer(help="The conversation flows.", no_args_is_help=True)
content_app = typer.Typer(help="Counselling offers, topics, places and hotlines.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(flows_app, name="flows")
app.add_typer(content_app, name="content")
app.add_typer(reports_app, name="reports")
app.add_typer(i18n_app, name="i18n")
app.add_typer(nlu_app, name="nlu")
flows_app.command("graph")(graph)
app.add_typer(broadcast_app, name="broadcast")
app.add_typer(whatsapp_app, name="whatsapp")
app.command("jobs")(jobs)
db_app.command("backup")(db_backup)
db_app.command("restore")(db_restore)

console = Console()
err_console = Console(stderr=True)


@app.command()
def run() -> None:
    """Run the web chat (and the Telegram bot when a token is set)."""
    from bot.cli.serve import PortTaken, listen, serve

    settings = Settings()
    if refusal := settings.refusal():
        err_console.print(refusal)
        raise typer.Exit(2)
    configure_logging(settings.log_level)
    try:
        listener = listen(settings.host, settings.port)
    except PortTaken as taken:
        console.print(
            f"[red]{taken}[/red] Is Wegweiser already running? Stop it, or set WEGWEISER_PORT to a free one.",
            highlight=False,
        )
        raise typer.Exit(2) from None
    try:
        asyncio.run(serve(settings, listener))
    except PortTaken as taken:
        console.print(f"[red]{taken}[/red] Set WEGWEISER_METRICS_PORT to a free port.", highlight=False)
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (Alembic migrations)."""
    from bot.cli.database import open_store

    store = open_store(Settings(), create=True)
    store.dispose()
    console.print("[green]database is up to date[/green]")


@flows_app.command("check")
def flows_check(
    flows_dir: Annotated[Path | None, typer.Option(help="Folder of flow files.")] = None,
) -> None:
    """Report every broken reference in the flows, with file and line."""
    from bot.cli.known import ACTION_NAMES, MENU_NAMES
    from bot.engine.check import check_flows

    folder = flows_dir or Settings().flows_dir
    problems = check_flows(folder, actions=ACTION_NAMES, menus=MENU_NAMES)
    for problem in problems:
        console.print(f"[red]{problem}[/red]", highlight=False)
    if problems:
        console.print(f"{len(problems)} problem(s) in {folder}")
        raise typer.Exit(1)
    console.print(f"[green]flows OK[/green] ({folder})")


@flows_app.command("schema")
def flows_schema(
    out: Annotated[
        Path | None, typer.Option(help="Where to write it (default: schema.json of the flows).")
    ] = None,
) -> None:
    """Write the JSON Schema of a flow file, generated from the flow format's model (for editors)."""
    from bot.engine.flow_format import schema_text

    target = out or Settings().flows_dir / "schema.json"
    target.write_text(schema_text(), encoding="utf-8")
    console.print(f"[green]wrote {target}[/green]")


@content_app.command("check")
def content_check(
    content_dir: Annotated[Path | None, typer.Option(help="Folder of content files.")] = None,
) -> None:
    """Validate the content; list offers not checked for over a year."""
    from bot.content.check import content_check_report

    folder = content_dir or Settings().content_dir
    code, lines = content_check_report(folder, date.today())
    for line in lines:
        console.print(line, highlight=False)
    raise typer.Exit(code)


@app.command()
def actions(port: Annotated[int, typer.Option(help="Port of the action server.")] = 5055) -> None:
    """Serve the actions over Rasa's action-server protocol (POST /webhook)."""
    import uvicorn

    from bot.cli.wiring import build
    from bot.web.action_server import create_action_server

    settings = Settings()
    configure_logging(settings.log_level)
    wiring = build(settings, create=False)
    uvicorn.run(create_action_server(wiring.executor), host=settings.host, port=port, access_log=False)


@app.command()
def qr(
    lang: Annotated[str, typer.Option(help="Her language, e.g. ar.")] = "",
    flow: Annotated[
        str, typer.Option(help="Where she starts: counselling, emergency, report, workshops.")
    ] = "",
    source: Annotated[str, typer.Option(help="Anonymous tag of the flyer, counted per month.")] = "",
    out: Annotated[
        Path | None, typer.Option(help="Write a QR code (.png or .svg); else print the link.")
    ] = None,
) -> None:
    """A t.me link (and QR code) for flyers that opens the bot in her language at the right place."""
    from bot.channels.telegram import deep_link, fetch_username, write_qr
    from bot.engine.commands import load_commands

    settings = Settings()
    entries = load_commands(settings.flows_dir / "commands.yml").entry_points
    if flow and flow.lower() not in entries:
        console.print(
            f"[red]No flow {flow!r} to start from a flyer. Known: {', '.join(sorted(entries))}.[/red]"
        )
        raise typer.Exit(2)
    if out is not None and out.suffix.lower() not in (".png", ".svg"):
        console.print(
            f"[red]Write the QR code as .png or .svg, not {out.suffix or 'a file without suffix'}.[/red]"
        )
        raise typer.Exit(2)
    username = settings.telegram_username
    if not username:
        if not settings.telegram_token:
            console.print(
                "[red]Set WEGWEISER_TELEGRAM_USERNAME (or WEGWEISER_TELEGRAM_TOKEN to ask Telegram).[/red]"
            )
            raise typer.Exit(2)
        username = asyncio.run(fetch_username(settings.telegram_token, settings.telegram_api_url))
    try:
        link = deep_link(username, lang, flow.lower(), source)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    if source and source not in settings.link_sources:
        console.print(
            f"[yellow]{source!r} is not in WEGWEISER_LINK_SOURCES: add it there, or the bot does not count "
            "this flyer.[/yellow]"
        )
    if out is not None:
        try:
            write_qr(link, out)
        except OSError as error:
            console.print(f"[red]Cannot write {out}: {error.strerror}.[/red]")
            raise typer.Exit(2) from None
        console.print(f"{link} -> {out}")
    else:
        console.print(link)
