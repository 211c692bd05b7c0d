"""Announcements, filling their outbox, delivery counts, the audit log and retention, in SQL.

Filling the outbox is one INSERT ... SELECT ... ON CONFLICT DO NOTHING over the unique
(announcement, contact) pair, so a reminder that fires twice, or a broadcast queued twice, reaches
nobody twice. The sender's side (claims and outcomes) is in `deliveries.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    update,
)

from bot.store.database import checkpoint, upsert_for
from bot.store.models import Contact, ConversationState, Subscription
from bot.store.outbox_models import Announcement, AuditEntry, OutboxRow

TERMINAL = ("sent", "failed", "blocked", "unknown", "cancelled")


@dataclass(frozen=True, slots=True)
class Audience:
    """Who an announcement goes to: subscribers of any of `topics`, optionally only some languages."""

    topics: tuple[str, ...]
    languages: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"topics": list(self.topics), "languages": list(self.languages)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Audience:
        return Audience(tuple(data.get("topics", ())), tuple(data.get("languages", ())))


@dataclass(frozen=True, slots=True)
class AnnouncementView:
    id: int
    kind: str
    key: str | None
    audience: Audience
    text: str
    translations: dict[str, str]
    texts: dict[str, str]
    status: str
    send_at: datetime | None
    created_by: str
    created_at: datetime
    queued_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditView:
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


def _view(row: Any) -> AnnouncementView:
    """A row of `_ANNOUNCEMENT_COLUMNS` as a plain value."""
    return AnnouncementView(
        id=row.id,
        kind=row.kind,
        key=row.key,
        audience=Audience.from_json(row.audience),
        text=row.text,
        translations=dict(row.translations),
        texts=dict(row.texts),
        status=row.status,
        send_at=row.send_at,
        created_by=row.created_by,
        created_at=row.created_at,
        queued_at=row.queued_at,
    )


_ANNOUNCEMENT_COLUMNS = (
    Announcement.id,
    Announcement.kind,
    Announcement.key,
    Announcement.audience,
    Announcement.text,
    Announcement.translations,
    Announcement.texts,
    Announcement.status,
    Announcement.send_at,
    Announcement.created_by,
    Announcement.created_at,
    Announcement.queued_at,
)


def _language_of_contact() -> Any:
    """Her language, German when she never chose one."""
    return func.coalesce(func.nullif(Contact.language, ""), "de")


class Outbox:
    """Announcements and their outbox rows on the project database (the store's engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._dialect = engine.dialect.name
        self._upsert = upsert_for(engine)

    # --- announcements ---------------------------------------------------------------------------

    def create(
        self,
        *,
        kind: str,
        text: str,
        audience: Audience,
        created_by: str,
        now: datetime,
        translations: dict[str, str] | None = None,
        send_at: datetime | None = None,
        status: str = "draft",
    ) -> int:
        with self.engine.begin() as connection:
            return int(
                connection.execute(
                    insert(Announcement)
                    .values(
                        kind=kind,
                        key=None,
                        audience=audience.to_json(),
                        text=text,
                        translations=translations or {},
                        texts={},
                        status=status,
                        send_at=send_at,
                        created_by=created_by,
                        created_at=now,
                    )
                    .returning(Announcement.id)
                ).scalar_one()
            )

    def ensure_reminder(self, key: str, *, text: str, audience: Audience, now: datetime) -> int:
        """The reminder announcement with this key, created once however often it is asked for."""
        statement = (
            self._upsert(Announcement)
            .values(
                kind="reminder",
                key=key,
                audience=audience.to_json(),
                text=text,
                translations={},
                texts={},
                status="draft",
                send_at=now,
                created_by="scheduler",
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=[Announcement.key])
        )
        with self.engine.begin() as connection:
            connection.execute(statement)
            return int(
                connection.execute(select(Announcement.id).where(Announcement.key == key)).scalar_one()
            )

    def has_key(self, key: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(select(Announcement.id).where(Announcement.key == key)).first() is not None
            )

    def get(self, announcement_id: int) -> AnnouncementView | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(*_ANNOUNCEMENT_COLUMNS).where(Announcement.id == announcement_id)
            ).first()
        return _view(row) if row else None

    def recent(self, limit: int = 20, kind: str | None = None) -> list[AnnouncementView]:
        query = select(*_ANNOUNCEMENT_COLUMNS).order_by(Announcement.id.desc()).limit(limit)
        if kind:
            query = query.where(Announcement.kind == kind)
        with self.engine.connect() as connection:
            return [_view(row) for row in connection.execute(query)]

    def edit(self, announcement_id: int, **values: Any) -> bool:
        """Change a draft or scheduled announcement (text, translations, audience, send_at, status)."""
        if "audience" in values and isinstance(values["audience"], Audience):
            values["audience"] = values["audience"].to_json()
        with self.engine.begin() as connection:
            result = connection.execute(
                update(Announcement)
                .where(Announcement.id == announcement_id, Announcement.status.in_(("draft", "scheduled")))
                .values(**values)
            )
        return result.rowcount > 0

    def due(self, now: datetime) -> list[int]:
        """Scheduled broadcasts whose time has come."""
        query = (
            select(Announcement.id)
            .where(Announcement.status == "scheduled", Announcement.send_at <= now)
            .order_by(Announcement.send_at)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def audience_languages(self, audience: Audience, channels: Sequence[str]) -> dict[str, int]:
        """How many recipients the audience has now, per language."""
        recipients = self._recipients(audience, channels).subquery()
        query = select(recipients.c.language, func.count()).group_by(recipients.c.language)
        with self.engine.connect() as connection:
            return {str(code): int(count) for code, count in connection.execute(query)}

    def _recipients(self, audience: Audience, channels: Sequence[str]) -> Any:
        language = _language_of_contact().label("language")
        query = (
            select(Contact.id.label("contact_id"), language)
            .join(Subscription, Subscription.contact_id == Contact.id)
            .where(
                Subscription.topic.in_(audience.topics),
                Contact.stopped.is_(False),
                Contact.platform_id.is_not(None),
                Contact.channel.in_(list(channels)),
            )
            .group_by(Contact.id, Contact.language)
        )
        if audience.languages:
            query = query.where(_language_of_contact().in_(list(audience.languages)))
        return query

    def queue(
        self,
        announcement_id: int,
        texts: dict[str, str],
        channels: Sequence[str],
        now: datetime,
        *,
        statuses: Sequence[str] = ("draft", "scheduled"),
    ) -> int:
        """Fix the texts and put one outbox row per recipient; returns how many rows are new.

        Only an announcement in one of `statuses` is queued (a broadcast is sent once); a reminder
        may be queued again (`statuses` includes "queued"), which adds nobody twice.
        """
        with self.engine.begin() as connection:
            found = connection.execute(
                update(Announcement)
                .where(Announcement.id == announcement_id, Announcement.status.in_(list(statuses)))
                .values(texts=texts, status="queued", queued_at=now)
                .returning(Announcement.audience)
            ).first()
            if found is None:
                return 0
            return self._fill(connection, announcement_id, Audience.from_json(found[0]), channels, now)

    def _fill(
        self,
        connection: Connection,
        announcement_id: int,
        audience: Audience,
        channels: Sequence[str],
        now: datetime,
    ) -> int:
        recipients = self._recipients(audience, channels).subquery()
        rows = select(
            literal(announcement_id).label("announcement_id"),
            recipients.c.contact_id,
            recipients.c.language,
            literal("pending").label("status"),
            literal(0).label("attempts"),
            literal(now, OutboxRow.next_attempt_at.type).label("next_attempt_at"),
        ).where(true())  # SQLite reads INSERT ... SELECT ... ON CONFLICT only with a WHERE
        statement = (
            self._upsert(OutboxRow)
            .from_select(
                ["announcement_id", "contact_id", "language", "status", "attempts", "next_attempt_at"], rows
            )
            .on_conflict_do_nothing(index_elements=[OutboxRow.announcement_id, OutboxRow.contact_id])
            .returning(OutboxRow.id)
        )
        return len(connection.execute(statement).all())

    def cancel(self, announcement_id: int) -> int:
        """Stop an announcement: nothing more of it goes out. Returns how many rows were withdrawn."""
        with self.engine.begin() as connection:
            connection.execute(
                update(Announcement)
                .where(Announcement.id == announcement_id, Announcement.status != "cancelled")
                .values(status="cancelled")
            )
            result = connection.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.announcement_id == announcement_id, OutboxRow.status.in_(("pending", "claimed"))
                )
                .values(status="cancelled", lease_until=None)
            )
        return result.rowcount

    def counts(self, announcement_id: int) -> dict[str, int]:
        query = (
            select(OutboxRow.status, func.count())
            .where(OutboxRow.announcement_id == announcement_id)
            .group_by(OutboxRow.status)
        )
        with self.engine.connect() as connection:
            return {str(status): int(count) for status, count in connection.execute(query)}

    def waiting_by_channel(self) -> dict[str, int]:
        """Rows not yet sent (pending, claimed, sending) per channel: the queue depth for /metrics."""
        query = (
            select(Contact.channel, func.count())
            .select_from(OutboxRow)
            .join(Contact, Contact.id == OutboxRow.contact_id)
            .where(OutboxRow.status.in_(("pending", "claimed", "sending")))
            .group_by(Contact.channel)
        )
        with self.engine.connect() as connection:
            return {str(channel): int(count) for channel, count in connection.execute(query)}

    def counts_by_language(self, announcement_id: int) -> dict[str, dict[str, int]]:
        query = (
            select(OutboxRow.language, OutboxRow.status, func.count())
            .where(OutboxRow.announcement_id == announcement_id)
            .group_by(OutboxRow.language, OutboxRow.status)
        )
        result: dict[str, dict[str, int]] = {}
        with self.engine.connect() as connection:
            for language, status, count in connection.execute(query):
                result.setdefault(str(language), {})[str(status)] = int(count)
        return result

    def counts_by_channel(self, announcement_id: int) -> dict[str, dict[str, int]]:
        """Per channel: rows by status, and the messenger's receipts (delivered, read) of the sent ones."""
        query = (
            select(Contact.channel, OutboxRow.status, OutboxRow.receipt, func.count())
            .join(Contact, Contact.id == OutboxRow.contact_id)
            .where(OutboxRow.announcement_id == announcement_id)
            .group_by(Contact.channel, OutboxRow.status, OutboxRow.receipt)
        )
        result: dict[str, dict[str, int]] = {}
        with self.engine.connect() as connection:
            for channel, status, receipt, count in connection.execute(query):
                counts = result.setdefault(str(channel), {})
                counts[str(status)] = counts.get(str(status), 0) + int(count)
                if receipt in ("delivered", "read"):
                    counts[str(receipt)] = counts.get(str(receipt), 0) + int(count)
        return result

    def reasons(self, announcement_id: int) -> dict[str, int]:
        """Why rows did not go out (failed, blocked, unknown), with how often."""
        query = (
            select(OutboxRow.error, func.count())
            .where(
                OutboxRow.announcement_id == announcement_id,
                OutboxRow.status.in_(("failed", "blocked", "unknown")),
            )
            .group_by(OutboxRow.error)
        )
        with self.engine.connect() as connection:
            return {str(error): int(count) for error, count in connection.execute(query)}

    # --- audit -------------------------------------------------------------------------------------

    def audit(self, actor: str, action: str, subject: str, details: dict[str, Any], now: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(AuditEntry).values(
                    at=now, actor=actor[:64], action=action, subject=subject, details=details
                )
            )

    def audit_log(self, limit: int = 50) -> list[AuditView]:
        query = (
            select(AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.subject, AuditEntry.details)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [AuditView(*row) for row in connection.execute(query)]

    # --- retention ---------------------------------------------------------------------------------

    def erase_idle_sessions(self, before: datetime) -> int:
        """Conversation state untouched since `before` (her language and subscriptions stay)."""
        with self.engine.begin() as connection:
            erased = connection.execute(
                delete(ConversationState).where(ConversationState.updated_at < before)
            ).rowcount
        checkpoint(self.engine)
        return erased

    def erase_stopped_contacts(self, before: datetime) -> int:
        """Contacts who blocked the bot and have not written since `before`, with everything of theirs."""
        with self.engine.begin() as connection:
            erased = connection.execute(
                delete(Contact).where(Contact.stopped.is_(True), Contact.last_seen_at < before)
            ).rowcount
        checkpoint(self.engine)
        return erased

    def erase_finished_rows(self, before: datetime) -> int:
        """Delivery rows of announcements queued before `before`; the announcements stay."""
        old = select(Announcement.id).where(Announcement.queued_at < before)
        with self.engine.begin() as connection:
            return connection.execute(
                delete(OutboxRow).where(OutboxRow.announcement_id.in_(old), OutboxRow.status.in_(TERMINAL))
            ).rowcount


def summary(counts: dict[str, int]) -> dict[str, int]:
    """Delivery counts as staff read them: sent, waiting, failed (incl. blocked and unknown)."""
    waiting = sum(counts.get(status, 0) for status in ("pending", "claimed", "sending"))
    problems = sum(counts.get(status, 0) for status in ("failed", "blocked", "unknown"))
    return {
        "total": sum(counts.values()),
        "sent": counts.get("sent", 0),
        "waiting": waiting,
        "failed": problems,
        "cancelled": counts.get("cancelled", 0),
    }
