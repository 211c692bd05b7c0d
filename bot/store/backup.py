"""Backups while the bot runs: SQLite's online backup API, `pg_dump` for PostgreSQL; and restoring them.

A SQLite backup copies the whole file in one step under a read transaction, so writers carry on (WAL) and
the copy is one consistent moment. `pg_dump` takes one snapshot as well. The password reaches `pg_dump`
through the environment, never the command line. A backup holds the subscribers' chat ids: it is written
readable by its owner only.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import URL


class BackupError(RuntimeError):
    """A backup or restore that could not be done, with the reason in words."""


def backup(url: URL, out: Path) -> Path:
    """Write a backup of the database at `url` to `out` (SQLite file or pg_dump custom format)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        raise BackupError(f"{out} exists already: choose another name")
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_file(url), out)
    elif url.get_backend_name() == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", _conninfo(url)], url)
    else:
        raise BackupError(f"no backup for {url.get_backend_name()} databases")
    out.chmod(0o600)
    return out


def restore(url: URL, source: Path) -> None:
    """Replace the database at `url` with the backup in `source` (the database's current rows are lost)."""
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    if url.get_backend_name() == "sqlite":
        target = _sqlite_file(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not an intact SQLite database")
        _sqlite_backup(source, target)
    elif url.get_backend_name() == "postgresql":
        command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, f"--dbname={_conninfo(url)}", str(source)], url)
    else:
        raise BackupError(f"no restore for {url.get_backend_name()} databases")


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory database has nothing to back up")
    return Path(str(url.database))


def _sqlite_backup(source: Path, target: Path) -> None:
    """SQLite's online backup: all pages in one step, so the copy is a single consistent moment."""
    if not source.exists():
        raise BackupError(f"no database at {source}")
    with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)
    # The connection context managers commit but do not close.
    reader.close()
    writer.close()


def _conninfo(url: URL) -> str:
    """A libpq URI for the command-line tools: no driver name, no password (PGPASSWORD carries it)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], url: URL) -> None:
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _tool(name: str) -> str:
    """`pg_dump`/`pg_restore`: the newest of Debian's /usr/lib/postgresql/<version>/bin, else from PATH
    (a newer pg_dump reads older servers, an older one refuses newer servers)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parts[-3])],
    )
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
