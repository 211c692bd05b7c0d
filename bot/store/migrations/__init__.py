"""Alembic, configured from code so migrations run from an installed package without an alembic.ini.

New revision during development (autogenerate compares the models with a database at head):

    from alembic import command
    from bot.store.migrations import config
    command.revision(config(url="sqlite:///wegweiser.db"), message="...", autogenerate=True, rev_id="0002")

then review the file and run `ruff check --fix` and `ruff format` on it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

LOCATION = Path(__file__).resolve().parent


def config(*, connection: Connection | None = None, url: str = "") -> Config:
    """An Alembic config for these migrations; `connection` wins over `url` (and shares its transaction)."""
    result = Config()
    result.set_main_option("script_location", str(LOCATION))
    if url:
        result.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    result.attributes["connection"] = connection
    return result


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(config(connection=connection), revision)
