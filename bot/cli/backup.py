"""`wegweiser db backup` and `wegweiser db restore`: a copy of the database while the bot runs, and back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli.database import errors, location, open_store
from bot.config import Settings
from bot.store.location import data_dir
from bot.store.secret import key_file

console = Console()


def db_backup(
    out: Annotated[
        Path | None, typer.Option(help="The backup file; default: backups/ in the data folder, dated.")
    ] = None,
) -> None:
    """Back up the database while the bot runs (SQLite's online backup, pg_dump for PostgreSQL)."""
    from bot.store.backup import BackupError, backup

    settings = Settings()
    store = open_store(settings)  # names the database and refuses a missing one
    store.dispose()
    where = location(settings)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = ".db" if where.is_sqlite else ".dump"
    target = out or data_dir(settings.data_dir) / "backups" / f"wegweiser-{stamp}{suffix}"
    try:
        written = backup(where.url, target)
    except BackupError as error:
        errors.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(2) from None
    size = written.stat().st_size
    console.print(
        f"backup written: {written} ({size / 1_000_000:.1f} MB, readable by you only)", highlight=False
    )
    console.print("It holds subscribers' chat ids: keep it as safe as the database.")
    key = key_file(where.url_string)
    if key is not None and key.exists() and not settings.secret_key:
        console.print(
            f"The contact key is not in the backup (on purpose): keep a copy of {key} apart from it. "
            "Without that key a restored database's women are strangers to the bot.",
            highlight=False,
        )


def db_restore(
    backup_file: Annotated[Path, typer.Argument(help="A file written by `wegweiser db backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace the database without asking (scripts).")
    ] = False,
) -> None:
    """Replace the database with a backup. Stop the bot first; afterwards the schema is brought up to date."""
    from bot.store.backup import BackupError, restore
    from bot.store.database import open_database
    from bot.store.scheduler_lock import SchedulerLock

    settings = Settings()
    where = location(settings)
    errors.print(f"[dim]database: {where.describe()}[/dim]", highlight=False)
    if not backup_file.is_file():
        errors.print(f"[red]No backup file {backup_file}.[/red]", highlight=False)
        raise typer.Exit(2)
    engine = open_database(where.url_string)
    lock = SchedulerLock(engine)
    try:
        if not lock.acquire():
            errors.print("[red]A bot is running on this database: stop it before restoring.[/red]")
            raise typer.Exit(2)
        lock.release()
    finally:
        engine.dispose()
    if not yes and not typer.confirm(
        f"Replace everything in {where.describe()} with {backup_file}?", default=False
    ):
        console.print("Nothing was changed.")
        raise typer.Exit(1)
    try:
        restore(where.url, backup_file)
    except BackupError as error:
        errors.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(2) from None
    key = key_file(where.url_string)
    if key is not None and not key.exists() and not settings.secret_key:
        console.print(
            f"restored from {backup_file}. [yellow]No contact key at {key}: put the copy kept with the "
            "backup there, then run `wegweiser db upgrade` (without it every woman is a stranger to the "
            "bot).[/yellow]",
            highlight=False,
        )
        return
    store = open_store(settings, quiet=True)  # a backup of an earlier version is brought up to date
    store.dispose()
    console.print(f"restored from {backup_file}")
