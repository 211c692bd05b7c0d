"""Where the contact key comes from: the deployment, or a file beside an embedded database, not the database.

A key kept inside the database it protects protects nothing: whoever copies the database can sweep every
Telegram id through the HMAC in about a second. Production passes `WEGWEISER_SECRET_KEY` (and refuses to
start without it, see `bot.config`). The embedded SQLite default keeps a generated key in `<db>.key`,
mode 0600, beside the database file. A key that older versions kept in `store_secrets` moves to that file
(or, when the deployment gives a key, is deleted).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from pathlib import Path

from sqlalchemy import Engine, delete, inspect, make_url, select

from bot.store.models import StoreSecret

log = logging.getLogger(__name__)

_OLD_NAME = "contact_key"
_PROCESS_KEY = secrets.token_bytes(32)


def key_file(url: str) -> Path | None:
    """`wegweiser.db.key` beside a SQLite file; None for a server database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database) + ".key")


def contact_secret(engine: Engine, url: str, given: bytes) -> bytes:
    """The key for contact pseudonyms (see the module docstring for where it comes from)."""
    old = _take_old_key(engine)
    if given:
        return given
    path = key_file(url)
    if path is None:
        if old is not None:
            log.warning("the contact key found in the database was deleted; set WEGWEISER_SECRET_KEY")
        # A server database without a key only outside production (it refuses to start): tests, trials.
        return _PROCESS_KEY
    if not path.exists():
        _write_new(path, old if old is not None else secrets.token_bytes(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _write_new(path: Path, key: bytes) -> None:
    """Written whole to a private temporary file (mode 0600 from the start), then linked into place in
    one step, so nobody ever reads a half-written key; if another process was first, theirs stays."""
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key.hex() + "\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()


def _take_old_key(engine: Engine) -> bytes | None:
    """The key an older version kept in `store_secrets`, deleted from the database as it is read."""
    with engine.begin() as connection:
        if not inspect(connection).has_table(StoreSecret.__tablename__):
            return None
        value = connection.execute(
            select(StoreSecret.value).where(StoreSecret.name == _OLD_NAME)
        ).scalar_one_or_none()
        if value is None:
            return None
        connection.execute(delete(StoreSecret).where(StoreSecret.name == _OLD_NAME))
    return bytes.fromhex(value)
