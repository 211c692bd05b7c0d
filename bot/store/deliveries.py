"""The sender's side of the outbox: claim rows, mark them under way, record every outcome.

Claiming is one UPDATE over a materialized `SELECT ... FOR UPDATE SKIP LOCKED` CTE: on PostgreSQL
several senders share the table without waiting on each other; on SQLite the clause is dropped and
the `status = 'pending'` condition of the UPDATE is the compare-and-set (SQLite has one writer).
Every state change names the row's expected state, so a sender that lost its lease changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, select, update

from bot.store.models import Contact
from bot.store.outbox_models import Announcement, OutboxRow


@dataclass(frozen=True, slots=True)
class Parcel:
    """A claimed outbox row with what the sender needs to deliver it."""

    id: int
    announcement_id: int
    channel: str
    platform_id: str
    language: str
    attempts: int


class Deliveries:
    """Outbox rows as the sender handles them, on the project database (the store's engine)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def texts_of(self, announcement_id: int) -> dict[str, str]:
        with self._engine.connect() as connection:
            found = connection.execute(
                select(Announcement.texts).where(Announcement.id == announcement_id)
            ).scalar()
        return dict(found or {})

    def claim(self, worker: str, limit: int, now: datetime, lease: timedelta) -> list[Parcel]:
        """Take up to `limit` due pending rows for this worker until `now + lease`."""
        # A materialized CTE: PostgreSQL may run an `IN (SELECT ... LIMIT ... SKIP LOCKED)` subquery
        # more than once per statement and claim more than `limit` rows.
        picked = (
            select(OutboxRow.id)
            .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now)
            .order_by(OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("picked")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        claim = (
            update(OutboxRow)
            .where(OutboxRow.id == picked.c.id, OutboxRow.status == "pending")
            .values(status="claimed", claimed_by=worker, lease_until=now + lease)
            .returning(OutboxRow.id)
        )
        with self._engine.begin() as connection:
            ids = list(connection.execute(claim).scalars())
            if not ids:
                return []
            rows = connection.execute(
                select(
                    OutboxRow.id,
                    OutboxRow.announcement_id,
                    Contact.channel,
                    Contact.platform_id,
                    OutboxRow.language,
                    OutboxRow.attempts,
                )
                .join(Contact, Contact.id == OutboxRow.contact_id)
                .where(OutboxRow.id.in_(ids))
                .order_by(OutboxRow.id)
            ).all()
            # Her address is gone (she unsubscribed from everything since): nothing to send to.
            gone = [row[0] for row in rows if row[3] is None]
            if gone:
                connection.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(gone))
                    .values(status="cancelled", lease_until=None, error="no longer subscribed")
                )
        return [
            Parcel(row_id, announcement_id, channel, platform_id, language, attempts)
            for row_id, announcement_id, channel, platform_id, language, attempts in rows
            if platform_id is not None
        ]

    def mark_sending_many(
        self, row_ids: Iterable[int], worker: str, now: datetime, lease: timedelta
    ) -> set[int]:
        """`mark_sending` for a group of rows about to be sent together; returns those still ours."""
        ids = list(row_ids)
        if not ids:
            return set()
        with self._engine.begin() as connection:
            return set(
                connection.execute(
                    update(OutboxRow)
                    .where(
                        OutboxRow.id.in_(ids), OutboxRow.status == "claimed", OutboxRow.claimed_by == worker
                    )
                    .values(status="sending", attempts=OutboxRow.attempts + 1, lease_until=now + lease)
                    .returning(OutboxRow.id)
                ).scalars()
            )

    def mark_sent(self, row_ids: Iterable[int], now: datetime) -> None:
        ids = list(row_ids)
        if not ids:
            return
        with self._engine.begin() as connection:
            connection.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids), OutboxRow.status == "sending")
                .values(status="sent", sent_at=now, lease_until=None, error=None)
            )

    def mark_retry(self, row_id: int, at: datetime, error: str, *, count_attempt: bool = True) -> None:
        """Back to pending, due at `at`; a 429 is not the row's fault, so it may not count."""
        values: dict[str, Any] = {
            "status": "pending",
            "next_attempt_at": at,
            "lease_until": None,
            "error": error[:200],
        }
        if not count_attempt:
            values["attempts"] = OutboxRow.attempts - 1
        with self._engine.begin() as connection:
            connection.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id, OutboxRow.status == "sending")
                .values(**values)
            )

    def mark_failed(self, row_id: int, error: str, status: str = "failed") -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id, OutboxRow.status == "sending")
                .values(status=status, lease_until=None, error=error[:200])
            )

    def mark_blocked(self, row_id: int) -> None:
        """She blocked the bot: this row and every other waiting row to her stop, and so does she."""
        with self._engine.begin() as connection:
            contact_id = connection.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id)
                .values(status="blocked", lease_until=None, error="blocked by the user")
                .returning(OutboxRow.contact_id)
            ).scalar()
            if contact_id is None:
                return
            connection.execute(update(Contact).where(Contact.id == contact_id).values(stopped=True))
            connection.execute(
                update(OutboxRow)
                .where(OutboxRow.contact_id == contact_id, OutboxRow.status == "pending")
                .values(status="blocked", error="blocked by the user")
            )

    def release(self, row_ids: Iterable[int], worker: str) -> None:
        """Give back claimed rows that were never tried (a sender stopping)."""
        ids = list(row_ids)
        if not ids:
            return
        with self._engine.begin() as connection:
            connection.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids), OutboxRow.status == "claimed", OutboxRow.claimed_by == worker)
                .values(status="pending", lease_until=None, claimed_by=None)
            )

    def recover(self, now: datetime, *, resend_uncertain: bool = False) -> tuple[int, int]:
        """Rows of a sender that died: claimed ones go back to pending (never tried); rows it was
        sending become `unknown` (at most once: not resent) or pending when `resend_uncertain`.
        Returns (returned to pending, marked unknown)."""
        expired = and_(OutboxRow.lease_until.is_not(None), OutboxRow.lease_until < now)
        with self._engine.begin() as connection:
            returned = connection.execute(
                update(OutboxRow)
                .where(OutboxRow.status == "claimed", expired)
                .values(status="pending", lease_until=None, claimed_by=None)
            ).rowcount
            uncertain = update(OutboxRow).where(OutboxRow.status == "sending", expired)
            if resend_uncertain:
                returned += connection.execute(
                    uncertain.values(status="pending", lease_until=None, claimed_by=None, error="sender died")
                ).rowcount
                unknown = 0
            else:
                unknown = connection.execute(
                    uncertain.values(status="unknown", lease_until=None, error="sender died during the call")
                ).rowcount
        return returned, unknown

    def next_due(self) -> datetime | None:
        """When the next pending row is due (None: nothing waits)."""
        with self._engine.connect() as connection:
            return connection.execute(
                select(func.min(OutboxRow.next_attempt_at)).where(OutboxRow.status == "pending")
            ).scalar()

    def open_rows(self) -> int:
        """Rows not yet finished (pending, claimed or sending)."""
        with self._engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count()).where(OutboxRow.status.in_(("pending", "claimed", "sending")))
                ).scalar_one()
            )
