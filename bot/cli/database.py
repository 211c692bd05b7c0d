"""Which database a command uses: named on stderr for staff, created only by `run` and `db upgrade`."""

from __future__ import annotations

import typer
from rich.console import Console

from bot.config import Settings
from bot.store.location import Location, MissingDatabase, ensure_exists, locate, old_default_left_behind
from bot.store.store import Store

errors = Console(stderr=True)


def location(settings: Settings) -> Location:
    return locate(settings.database_url, settings.database_password, settings.data_dir)


def open_store(settings: Settings, *, create: bool = False, quiet: bool = False) -> Store:
    """The settings' database at the newest schema. Without `create`, a missing database is an error
    (exit 2) instead of a new empty one; `quiet` leaves out the line that names it."""
    where = location(settings)
    if not quiet:
        errors.print(f"[dim]database: {where.describe()}[/dim]", highlight=False)
    try:
        if create:
            if (old := old_default_left_behind(where)) is not None:
                raise MissingDatabase(
                    f"{old} is the database of an earlier version (it was kept in the working folder); "
                    f"move it to {where.sqlite_file} or set WEGWEISER_DATA_DIR to {old.parent}."
                )
        else:
            ensure_exists(where)
    except MissingDatabase as missing:
        errors.print(f"[red]{missing}[/red]", highlight=False)
        if not create:
            errors.print(
                "Only `wegweiser run` and `wegweiser db upgrade` create a database. Set "
                "WEGWEISER_DATA_DIR or WEGWEISER_DATABASE_URL to the bot's database.",
                highlight=False,
            )
        raise typer.Exit(2) from None
    store = Store(where.url_string, secret=settings.secret_key.encode())
    store.upgrade()
    return store
