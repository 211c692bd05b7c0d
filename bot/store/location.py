"""Where the database is: one place for every command, wherever it runs.

Without a URL the database is a SQLite file in the data folder (`WEGWEISER_DATA_DIR`, else the user's
data folder from platformdirs), not in the working folder, so `reports stats` run from a home folder
finds the same reports as the bot. Only `run` and `db upgrade` may create a database; every other
command refuses a database that is not there, instead of silently showing an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.migration import MigrationContext
from platformdirs import user_data_path
from sqlalchemy import URL, create_engine, make_url
from sqlalchemy.exc import SQLAlchemyError

FILE_NAME = "wegweiser.db"
OLD_DEFAULT = Path(FILE_NAME)  # before the data folder, the database was opened in the working folder


class MissingDatabase(RuntimeError):
    """The database a command would use does not exist (or has no schema yet)."""


def data_dir(configured: Path | None) -> Path:
    """The data folder: the configured one, else the user's data folder for Wegweiser."""
    return configured.expanduser() if configured is not None else user_data_path("wegweiser", appauthor=False)


@dataclass(frozen=True)
class Location:
    """The database's URL with its password in place, and a description that never shows the password."""

    url: URL
    default: bool = False  # no URL configured: the data folder's SQLite file

    @property
    def url_string(self) -> str:
        return self.url.render_as_string(hide_password=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_file(self) -> Path | None:
        database = self.url.database
        return Path(database) if self.is_sqlite and database not in (None, "", ":memory:") else None

    def describe(self) -> str:
        if (path := self.sqlite_file) is not None:
            return f"SQLite {path.resolve()}"
        return self.url.render_as_string(hide_password=True)


def locate(url: str, password: str, folder: Path | None) -> Location:
    """The database from the settings: `url` (with `password` set apart, so `@ / %` in it need no
    escaping), else `wegweiser.db` in the data folder."""
    if not url:
        return Location(URL.create("sqlite", database=str(data_dir(folder) / FILE_NAME)), default=True)
    parsed = make_url(url)
    if password:
        parsed = parsed.set(password=password)
    return Location(parsed)


def ensure_exists(location: Location) -> None:
    """Raise `MissingDatabase` unless the database is there with a schema (never creates anything)."""
    file = location.sqlite_file
    if file is not None and (not file.exists() or file.stat().st_size == 0):
        hint = ""
        if location.default and OLD_DEFAULT.exists() and OLD_DEFAULT.resolve() != file.resolve():
            hint = f" {OLD_DEFAULT.resolve()} is in this folder (the old default place): {_move(file)}"
        raise MissingDatabase(f"No database at {file}.{hint}")
    if location.is_sqlite and file is None:
        return
    engine = create_engine(location.url)
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        raise MissingDatabase(
            f"The database {location.describe()} does not answer: {type(error).__name__}"
        ) from None
    finally:
        engine.dispose()
    if revision is None:
        raise MissingDatabase(f"The database {location.describe()} has no Wegweiser tables yet.")


def old_default_left_behind(location: Location) -> Path | None:
    """`./wegweiser.db` from before the data folder, when the new place has no database yet."""
    file = location.sqlite_file
    if not location.default or file is None or file.exists() or not OLD_DEFAULT.exists():
        return None
    old = OLD_DEFAULT.resolve()
    return None if old == file.resolve() else old


def _move(file: Path) -> str:
    return f"move it there (`mv {FILE_NAME} {file}`) or set WEGWEISER_DATA_DIR to this folder."
