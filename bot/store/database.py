"""Opening the database: one SQLAlchemy engine per URL, tuned for its dialect (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.dialects import postgresql, sqlite

from bot import metrics

Upsert = Callable[..., postgresql.Insert | sqlite.Insert]


def open_database(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created. A file needs no liveness check before
    each use, a server connection does."""
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: an error message never prints bound values (her contact key, her words).
    engine = create_engine(url, pool_pre_ping=not is_sqlite, json_serializer=_dumps, hide_parameters=True)
    if is_sqlite:
        event.listen(engine, "connect", _tune_sqlite)
    event.listen(engine, "before_cursor_execute", _started)
    event.listen(engine, "after_cursor_execute", _finished)
    return engine


def _started(connection: Any, cursor: Any, statement: str, *_: object) -> None:
    connection.info.setdefault("wegweiser_started", []).append(time.perf_counter())


def _finished(connection: Any, cursor: Any, statement: str, *_: object) -> None:
    """Statement latency for /metrics, labelled by its SQL verb only (never a bound value)."""
    started = connection.info.get("wegweiser_started")
    if started:
        metrics.DATABASE_SECONDS.labels(metrics.verb(statement)).observe(time.perf_counter() - started.pop())


def upsert_for(engine: Engine) -> Upsert:
    """The dialect's INSERT, which has ON CONFLICT."""
    if engine.dialect.name == "postgresql":
        return postgresql.insert
    if engine.dialect.name == "sqlite":
        return sqlite.insert
    raise ValueError(f"unsupported database: {engine.dialect.name}")


def threads_for(engine: Engine) -> int:
    """How many threads should work on this database at once. Turns are batched, so few are needed:
    SQLite writes one transaction at a time, and more threads only queue for its lock and for Python's;
    PostgreSQL gets a few more to wait on the network, fewer than its connection pool holds (5)."""
    return 2 if engine.dialect.name == "sqlite" else 4


def _dumps(value: object) -> str:
    # Arabic, Farsi or Tigrinya text stays readable and a third of the size of \u escapes.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _tune_sqlite(dbapi_connection: Any, _record: object) -> None:
    """WAL lets readers run beside the writer; NORMAL sync is safe with WAL; SQLite needs FKs switched on."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # erased rows are overwritten, not left in free pages
    finally:
        cursor.close()


# Tables whose rows are erased for privacy (her data on request or after retention, the report pool).
ERASED_TABLES = (
    "contacts",
    "sessions",
    "subscriptions",
    "message_traces",
    "report_pool",
    "reports",
    "report_additions",
)


def checkpoint(engine: Engine) -> None:
    """After an erasure on SQLite: copy the write-ahead log into the database (where `secure_delete`
    overwrote the erased rows) and truncate it, so no copy of them is left in the `-wal` file.
    On PostgreSQL erased rows stay in the table files until VACUUM (see `vacuum_erased`)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def vacuum_erased(engine: Engine) -> None:
    """Scheduled: on PostgreSQL, VACUUM the tables erasures touch, so erased rows (dead tuples, with
    their `xmin`) are gone from the pages; on SQLite, the same checkpoint as after each erasure."""
    if engine.dialect.name != "postgresql":
        checkpoint(engine)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ERASED_TABLES:
            connection.exec_driver_sql(f'VACUUM "{table}"')


class Erasures:
    """The scheduler's handle on `vacuum_erased` for one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def vacuum_erased(self) -> None:
        vacuum_erased(self.engine)
