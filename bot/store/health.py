"""Whether the database can do its job: take a write, not only answer a read."""

from __future__ import annotations

import secrets

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import SQLAlchemyError

from bot.store.models import StoreSecret


def writable(engine: Engine) -> bool:
    """A row written and removed again in one committed transaction. A read-only database, a full disk
    or a read-only PostgreSQL transaction fails here, while `SELECT 1` would still answer."""
    probe = f"health:{secrets.token_hex(8)}"
    try:
        with engine.begin() as connection:
            connection.execute(insert(StoreSecret).values(name=probe, value="probe"))
            connection.execute(delete(StoreSecret).where(StoreSecret.name == probe))
    except SQLAlchemyError:
        return False
    return True
