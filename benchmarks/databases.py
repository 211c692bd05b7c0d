"""Fresh PostgreSQL databases for benchmark runs, so a run never meets an old schema or old rows."""

from __future__ import annotations

import secrets

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1/postgres"


def fresh_database(server: str) -> str:
    """A new empty database on the server, so the benchmark never meets an old schema."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"wegweiser_bench_{secrets.token_hex(4)}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_database(server: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)"))
    engine.dispose()
