"""The tables of announcements, their outbox and the staff audit log, and the scheduler's job table.

An announcement is one staff broadcast or one workshop reminder. Its outbox holds one row per
recipient (unique per announcement and contact), so filling it twice adds nobody twice. A row
carries no text and no platform id: those are read from the announcement and the contact when it
is sent, and the row goes with the contact when she erases her data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Unicode,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, BigId, Document, UTCDateTime

ANNOUNCEMENT_KINDS = ("broadcast", "reminder")
ANNOUNCEMENT_STATUSES = ("draft", "scheduled", "queued", "cancelled")
ROW_STATUSES = ("pending", "claimed", "sending", "sent", "failed", "blocked", "unknown", "cancelled")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Announcement(Base):
    """What is said to whom: German text, a text per language, the audience and when.

    `texts` holds the final text per language as sent (a translation, or German with a notice).
    `key` makes a reminder unique (`reminder:<workshop>:<offset>:<start>`), so a double fire is one.
    """

    __tablename__ = "announcements"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ANNOUNCEMENT_KINDS), name="kind"),
        CheckConstraint(_one_of("status", ANNOUNCEMENT_STATUSES), name="status"),
        UniqueConstraint("key"),
        Index(None, "status", "send_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str | None] = mapped_column(String(160))
    audience: Mapped[dict[str, Any]] = mapped_column(Document)
    text: Mapped[str] = mapped_column(Text)
    translations: Mapped[dict[str, Any]] = mapped_column(Document)
    texts: Mapped[dict[str, Any]] = mapped_column(Document)
    status: Mapped[str] = mapped_column(String(16))
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxRow(Base):
    """One message to one contact for one announcement, and how its delivery went.

    pending -> claimed (a sender holds it until `lease_until`) -> sending (the call is under way)
    -> sent | failed | blocked; `unknown` when a sender died during the call (never resent unless
    configured); `cancelled` when staff cancelled the announcement before it went out.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("announcement_id", "contact_id"),
        CheckConstraint(_one_of("status", ROW_STATUSES), name="status"),
        Index(None, "status", "next_attempt_at"),
        Index(None, "contact_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(200))
    receipt: Mapped[str | None] = mapped_column(String(10))  # the messenger's last word: delivered, read


class AuditEntry(Base):
    """Every staff action (create, send, cancel, ...): who, when, what, on which announcement."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(Document)


class ScheduledJob(Base):
    """APScheduler's `SQLAlchemyJobStore` table, created by the migrations so the schema has one owner.

    The columns are exactly APScheduler 3's; the store finds the table and leaves it be. Jobs carry
    ids only (a workshop id and an offset), never a chat id.
    """

    __tablename__ = "apscheduler_jobs"

    id: Mapped[str] = mapped_column(Unicode(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)
