"""The tables: what Wegweiser remembers about a contact, and nothing more.

A contact is a channel plus its platform id, her language, consent and subscriptions. Reports live
elsewhere and never point here. The migrations in `migrations/versions/` are the source of truth for
the schema; these models mirror them for typed queries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements an INTEGER primary key; PostgreSQL gets a 64-bit one.
BigId = BigInteger().with_variant(Integer(), "sqlite")
Document = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out, on every database (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Contact(Base):
    """Her, as little as possible: a pseudonym, the channel, language, consent and the day last seen.

    `key` is a keyed hash of channel and platform id; `platform_id` is kept only while she has a
    subscription (sending to her needs it) and is NULL otherwise.
    """

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16))
    platform_id: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    consent: Mapped[bool]
    stopped: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConversationState(Base):
    """The engine's session for one contact, as JSON; erased on its own when a report is submitted."""

    __tablename__ = "sessions"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(Document)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Subscription(Base):
    __tablename__ = "subscriptions"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index(None, "topic"),)


class MessageTrace(Base):
    """A message id in her chat, kept at most 48 hours so she can wipe the conversation from her phone."""

    __tablename__ = "message_traces"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out')", name="direction"),
        Index(None, "contact_id"),
        Index(None, "sent_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(BigInteger)
    direction: Mapped[str] = mapped_column(String(3))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SourceCount(Base):
    """How many first contacts came through a deep-link source in a month; no link to anyone."""

    __tablename__ = "source_counts"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class ProcessedUpdate(Base):
    """Telegram update ids already handled, so a redelivered webhook call is answered only once."""

    __tablename__ = "processed_updates"
    __table_args__ = (Index(None, "seen_on"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_on: Mapped[date] = mapped_column(Date)


class StoreSecret(Base):
    """Random keys the store makes for itself when the deployment gives none (contact pseudonyms)."""

    __tablename__ = "store_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class InboxEvent(Base):
    """A messenger event (her message, a delivery status) accepted by a webhook and not yet handled.

    Written before the webhook answers 200, emptied (`body` NULL) once handled; the key stays a few
    days so a redelivered event is recognised and handled once.
    """

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("key"), Index(None, "seen_on"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    body: Mapped[dict[str, Any] | None] = mapped_column(Document)
    seen_on: Mapped[date] = mapped_column(Date)


class ReplyWindow(Base):
    """When she last wrote (to the hour): WhatsApp allows free messages for 24 hours after that."""

    __tablename__ = "reply_windows"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MessageTemplate(Base):
    """Meta's review status of one WhatsApp message template in one language."""

    __tablename__ = "message_templates"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(24))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
