"""Telegram update ids already handled, so a redelivered webhook call is processed once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, delete, select

from bot.store.database import upsert_for
from bot.store.models import ProcessedUpdate


class ProcessedUpdates:
    """Part of the store: the webhook marks an update after handling it and skips one marked before."""

    _engine: Engine

    def mark_update(self, update_id: int, seen_on: date) -> bool:
        """True the first time an update id is marked, False after that (atomic on both databases)."""
        statement = (
            upsert_for(self._engine)(ProcessedUpdate)
            .values(update_id=update_id, seen_on=seen_on)
            .on_conflict_do_nothing()
            .returning(ProcessedUpdate.update_id)
        )
        with self._engine.begin() as connection:
            row = connection.execute(statement).first()
        return row is not None

    def update_seen(self, update_id: int) -> bool:
        """Whether this update id was processed already."""
        query = select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == update_id)
        with self._engine.connect() as connection:
            return connection.execute(query).first() is not None

    def purge_updates(self, before: date) -> int:
        """Forget update ids seen before `before`; Telegram stops redelivering after a day."""
        with self._engine.begin() as connection:
            result = connection.execute(delete(ProcessedUpdate).where(ProcessedUpdate.seen_on < before))
        return result.rowcount
