"""Contacts, their conversation state, subscriptions, message traces, source counts, processed updates.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
timestamp = sa.DateTime(timezone=True)


def _contact_id(table: str) -> sa.Column[int]:
    return sa.Column(
        "contact_id",
        sa.Integer(),
        sa.ForeignKey("contacts.id", ondelete="CASCADE", name=f"fk_{table}_contact_id_contacts"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("platform_id", sa.String(64), nullable=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("last_seen_at", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
        sa.UniqueConstraint("key", name="uq_contacts_key"),
    )
    op.create_table(
        "sessions",
        _contact_id("sessions"),
        sa.Column("state", document, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("contact_id", name="pk_sessions"),
    )
    op.create_table(
        "subscriptions",
        _contact_id("subscriptions"),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("contact_id", "topic", name="pk_subscriptions"),
    )
    op.create_index("ix_subscriptions_topic", "subscriptions", ["topic"])
    op.create_table(
        "message_traces",
        sa.Column("id", big_id, nullable=False),
        _contact_id("message_traces"),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("sent_at", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_message_traces"),
        sa.CheckConstraint("direction IN ('in', 'out')", name="ck_message_traces_direction"),
    )
    op.create_index("ix_message_traces_contact_id", "message_traces", ["contact_id"])
    op.create_index("ix_message_traces_sent_at", "message_traces", ["sent_at"])
    op.create_table(
        "source_counts",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "month", name="pk_source_counts"),
    )
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name="pk_processed_updates"),
    )
    op.create_index("ix_processed_updates_seen_on", "processed_updates", ["seen_on"])
    op.create_table(
        "store_secrets",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_store_secrets"),
    )


def downgrade() -> None:
    # Children before the contacts they point to.
    for table in (
        "store_secrets",
        "processed_updates",
        "source_counts",
        "message_traces",
        "subscriptions",
        "sessions",
    ):
        op.drop_table(table)
    op.drop_table("contacts")
