"""Announcements, their outbox, the staff audit log and the scheduler's job table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
timestamp = sa.DateTime(timezone=True)

ROW_STATUSES = "'pending', 'claimed', 'sending', 'sent', 'failed', 'blocked', 'unknown', 'cancelled'"


def upgrade() -> None:
    op.create_table(
        "announcements",
        sa.Column("id", big_id, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(160), nullable=True),
        sa.Column("audience", document, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("translations", document, nullable=False),
        sa.Column("texts", document, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("send_at", timestamp, nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("queued_at", timestamp, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_announcements"),
        sa.UniqueConstraint("key", name="uq_announcements_key"),
        sa.CheckConstraint("kind IN ('broadcast', 'reminder')", name="ck_announcements_kind"),
        sa.CheckConstraint(
            "status IN ('draft', 'scheduled', 'queued', 'cancelled')", name="ck_announcements_status"
        ),
    )
    op.create_index("ix_announcements_status", "announcements", ["status", "send_at"])
    op.create_table(
        "outbox",
        sa.Column("id", big_id, nullable=False),
        sa.Column(
            "announcement_id",
            big_id,
            sa.ForeignKey(
                "announcements.id", ondelete="CASCADE", name="fk_outbox_announcement_id_announcements"
            ),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey("contacts.id", ondelete="CASCADE", name="fk_outbox_contact_id_contacts"),
            nullable=False,
        ),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", timestamp, nullable=False),
        sa.Column("lease_until", timestamp, nullable=True),
        sa.Column("claimed_by", sa.String(32), nullable=True),
        sa.Column("sent_at", timestamp, nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("announcement_id", "contact_id", name="uq_outbox_announcement_id"),
        sa.CheckConstraint(f"status IN ({ROW_STATUSES})", name="ck_outbox_status"),
    )
    op.create_index("ix_outbox_status", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_contact_id", "outbox", ["contact_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", big_id, nullable=False),
        sa.Column("at", timestamp, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("details", document, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), nullable=False),
        sa.Column("next_run_time", sa.Float(25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_apscheduler_jobs"),
    )
    op.create_index("ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"])


def downgrade() -> None:
    for table in ("apscheduler_jobs", "audit_log", "outbox", "announcements"):
        op.drop_table(table)
