"""One scheduler per deployment: a PostgreSQL advisory lock, or a lock file beside the SQLite database."""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

_SCHEDULER_LOCK_KEY = int.from_bytes(hashlib.sha256(b"wegweiser-scheduler").digest()[:7], "big")


class SchedulerLock:
    """One scheduler per deployment: a PostgreSQL session advisory lock, or a lock file next to SQLite.

    The lock is held as long as this object's connection (or file) stays open.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        if self._connection is not None or self._file is not None:
            return True
        if self._engine.dialect.name == "postgresql":
            connection = self._engine.connect()
            got = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": _SCHEDULER_LOCK_KEY}
                ).scalar()
            )
            connection.commit()
            if not got:
                connection.close()
                return False
            self._connection = connection
            return True
        database = make_url(str(self._engine.url)).database
        if not database or database == ":memory:":
            return True
        handle = Path(f"{database}.scheduler.lock").open("wb")  # noqa: SIM115 - held open on purpose
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def held(self) -> bool:
        """Whether this process still holds the lock. A PostgreSQL advisory lock dies with its
        connection (a restarted server, a cut network): then another process may already run the
        scheduler, and this one must stop its own."""
        if self._connection is None:
            return self._file is not None or self._engine.dialect.name != "postgresql"
        try:
            mine = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND classid::bigint = :high AND objid::bigint = :low"
                ),
                {"high": _SCHEDULER_LOCK_KEY >> 32, "low": _SCHEDULER_LOCK_KEY & 0xFFFFFFFF},
            ).scalar()
            self._connection.commit()
        except SQLAlchemyError:
            mine = 0
        if mine:
            return True
        self._drop()
        return False

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()
                connection.close()
            except SQLAlchemyError:
                pass

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEDULER_LOCK_KEY}
                )
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
