"""What a messenger channel keeps beside conversations: its inbox, reply windows, templates, receipts.

The inbox makes a webhook safe to answer fast: an event is written before the 200 and handled after,
so a process that dies in between loses nothing, and a redelivered event (same key) is handled once.
Reply windows keep only the hour she last wrote (WhatsApp's 24-hour rule needs no more).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, null, select, update

from bot.store.database import upsert_for
from bot.store.models import Contact, InboxEvent, MessageTemplate, ReplyWindow
from bot.store.outbox_models import Announcement, OutboxRow
from bot.store.store import Store

RECEIPTS = ("sent", "delivered", "read")


def event_key(channel: str, event_id: str) -> str:
    return hashlib.sha256(f"{channel}:{event_id}".encode()).hexdigest()


class MessengerStore:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._engine = store.engine
        self._upsert = upsert_for(self._engine)

    # --- inbox -----------------------------------------------------------------------------------

    def accept(self, channel: str, events: Sequence[tuple[str, dict[str, Any]]], seen_on: date) -> int:
        """Keep each (event id, body) not seen before; returns how many were new."""
        if not events:
            return 0
        rows = [
            {"key": event_key(channel, event_id), "channel": channel, "body": body, "seen_on": seen_on}
            for event_id, body in events
        ]
        statement = self._upsert(InboxEvent).on_conflict_do_nothing().returning(InboxEvent.id)
        new = 0
        with self._engine.begin() as connection:
            for row in rows:  # RETURNING with executemany is not portable; events per call are few
                new += connection.execute(statement, row).first() is not None
        return new

    def pending(self, channel: str, limit: int = 200) -> list[tuple[int, dict[str, Any]]]:
        query = (
            select(InboxEvent.id, InboxEvent.body)
            .where(InboxEvent.channel == channel, InboxEvent.body.is_not(null()))
            .order_by(InboxEvent.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [(row[0], dict(row[1])) for row in connection.execute(query)]

    def done(self, event_ids: Iterable[int]) -> None:
        """Handled: her words leave the inbox; only the key stays, against redelivery."""
        ids = list(event_ids)
        if ids:
            with self._engine.begin() as connection:
                connection.execute(update(InboxEvent).where(InboxEvent.id.in_(ids)).values(body=null()))

    def purge_inbox(self, before: date) -> int:
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(InboxEvent).where(InboxEvent.seen_on < before, InboxEvent.body.is_(null()))
            )
        return result.rowcount

    # --- reply windows ---------------------------------------------------------------------------

    def note_windows(self, channel: str, writers: Sequence[tuple[str, datetime]]) -> None:
        """She wrote at this time (kept to the hour); a contact not saved yet is skipped."""
        statement = self._upsert(ReplyWindow).from_select(
            ["contact_id", "opened_at"],
            select(Contact.id, bindparam("b_at", type_=ReplyWindow.opened_at.type)).where(
                Contact.key == bindparam("b_key")
            ),
        )
        statement = statement.on_conflict_do_update(
            index_elements=[ReplyWindow.contact_id], set_={"opened_at": statement.excluded.opened_at}
        )
        rows = [
            {
                "b_key": self._store.key(channel, platform_id),
                "b_at": at.replace(minute=0, second=0, microsecond=0),
            }
            for platform_id, at in writers
        ]
        if rows:
            with self._engine.begin() as connection:
                connection.execute(statement, rows)
                # Messages that waited for her reply (no template in her language) go out now.
                connection.execute(
                    update(OutboxRow)
                    .where(
                        OutboxRow.status == "failed",
                        OutboxRow.error.like("invited %"),
                        OutboxRow.contact_id.in_(
                            select(Contact.id).where(Contact.key.in_([row["b_key"] for row in rows]))
                        ),
                    )
                    .values(status="pending", error=None, next_attempt_at=datetime.now(UTC), lease_until=None)
                )

    def announcement_kind(self, announcement_id: int) -> str:
        with self._engine.connect() as connection:
            kind = connection.execute(
                select(Announcement.kind).where(Announcement.id == announcement_id)
            ).scalar()
        return str(kind or "broadcast")

    def window_opened(self, channel: str, platform_id: str) -> datetime | None:
        query = (
            select(ReplyWindow.opened_at)
            .join(Contact, Contact.id == ReplyWindow.contact_id)
            .where(Contact.key == self._store.key(channel, platform_id))
        )
        with self._engine.connect() as connection:
            return connection.execute(query).scalar()

    def purge_windows(self, before: datetime) -> int:
        with self._engine.begin() as connection:
            return connection.execute(delete(ReplyWindow).where(ReplyWindow.opened_at < before)).rowcount

    # --- templates -------------------------------------------------------------------------------

    def record_templates(self, statuses: Sequence[tuple[str, str, str]], at: datetime) -> None:
        """Meta's status of each (name, language)."""
        statement = self._upsert(MessageTemplate)
        statement = statement.on_conflict_do_update(
            index_elements=[MessageTemplate.name, MessageTemplate.language],
            set_={"status": statement.excluded.status, "checked_at": statement.excluded.checked_at},
        )
        rows = [{"name": n, "language": lang, "status": s, "checked_at": at} for n, lang, s in statuses]
        if rows:
            with self._engine.begin() as connection:
                connection.execute(statement, rows)

    def templates(self) -> dict[tuple[str, str], str]:
        query = select(MessageTemplate.name, MessageTemplate.language, MessageTemplate.status)
        with self._engine.connect() as connection:
            return {(name, language): status for name, language, status in connection.execute(query)}

    # --- receipts --------------------------------------------------------------------------------

    def record_receipts(self, receipts: Sequence[tuple[int, str, str]]) -> None:
        """(outbox row id, status, error) from the messenger's status webhooks; a later word wins only
        if it says more (read after delivered, never delivered after read)."""
        with self._engine.begin() as connection:
            for row_id, status, error in receipts:
                if status == "failed":
                    connection.execute(
                        update(OutboxRow)
                        .where(OutboxRow.id == row_id)
                        .values(status="failed", receipt="failed", error=error[:200])
                    )
                    continue
                if status not in RECEIPTS:
                    continue
                weaker = RECEIPTS[: RECEIPTS.index(status)]
                connection.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row_id)
                    .where((OutboxRow.receipt.is_(None)) | (OutboxRow.receipt.in_(weaker)))
                    .values(receipt=status)
                )

    def receipts(self, announcement_id: int) -> dict[tuple[str, str], int]:
        """(channel, receipt) -> rows of an announcement."""
        query = (
            select(Contact.channel, OutboxRow.receipt)
            .join(Contact, Contact.id == OutboxRow.contact_id)
            .where(OutboxRow.announcement_id == announcement_id)
        )
        counts: dict[tuple[str, str], int] = {}
        with self._engine.connect() as connection:
            for channel, receipt in connection.execute(query):
                counts[(channel, receipt or "-")] = counts.get((channel, receipt or "-"), 0) + 1
        return counts


__all__ = ["MessengerStore", "event_key"]
