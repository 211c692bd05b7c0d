"""Messenger inbox (webhook events kept until processed), reply windows, WhatsApp templates, and the
messenger's receipt (delivered, read) on outbox rows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", big_id, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("body", document, nullable=True),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inbox"),
        sa.UniqueConstraint("key", name="uq_inbox_key"),
    )
    op.create_index("ix_inbox_seen_on", "inbox", ["seen_on"])
    op.create_table(
        "reply_windows",
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey("contacts.id", ondelete="CASCADE", name="fk_reply_windows_contact_id_contacts"),
            nullable=False,
        ),
        sa.Column("opened_at", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("contact_id", name="pk_reply_windows"),
    )
    op.create_table(
        "message_templates",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("checked_at", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("name", "language", name="pk_message_templates"),
    )

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("receipt", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("receipt")
    for table in ("message_templates", "reply_windows", "inbox"):
        op.drop_table(table)
