"""Shared fixtures: a database on SQLite and on PostgreSQL, and the rule for missing infrastructure.

PostgreSQL: one fresh database per test session (`wegweiser_test_<random>`, dropped at the end) on the
server named by `WEGWEISER_TEST_DATABASE_URL` (default: postgres on 127.0.0.1:5432), and one fresh
schema per test inside it, so tests and parallel runs never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from bot.store import Store

SERVER_URL = os.environ.get(
    "WEGWEISER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def require_or_skip(reason: str) -> NoReturn:
    """Skip a test whose infrastructure is missing, or fail it when `WEGWEISER_REQUIRE_ALL=1` (CI)."""
    if os.environ.get("WEGWEISER_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (WEGWEISER_REQUIRE_ALL=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[URL]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    server = make_url(SERVER_URL)
    admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"wegweiser_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        require_or_skip(f"PostgreSQL is not reachable at {server.render_as_string()}: {error.orig}")
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL, once on SQLite (a file) and once on PostgreSQL (a fresh schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wegweiser.db'}"
        return
    database: URL = request.getfixturevalue("postgresql_database")
    schema = f"test_{secrets.token_hex(6)}"
    engine = create_engine(database, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield database.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store at the newest schema on each database."""
    result = Store(database_url)
    result.upgrade()
    yield result
    result.dispose()
