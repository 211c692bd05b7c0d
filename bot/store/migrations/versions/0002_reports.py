"""Anonymous housing-discrimination reports and what was added to them later.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("reported_week", sa.String(8), nullable=False),
        sa.Column("incident_month", sa.String(7), nullable=True),
        sa.Column("incident", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("forms", document, nullable=False),
        sa.Column("stage", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(24), nullable=False),
        sa.Column("municipality", sa.String(40), nullable=False),
        sa.Column("grounds", document, nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("code_tag", sa.String(8), nullable=False),
        sa.Column("code_salt", sa.LargeBinary(32), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_reported_week", "reports", ["reported_week"])
    op.create_index("ix_reports_code_tag", "reports", ["code_tag"])
    op.create_table(
        "report_additions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column(
            "report_id",
            sa.String(36),
            sa.ForeignKey("reports.id", ondelete="CASCADE", name="fk_report_additions_report_id_reports"),
            nullable=False,
        ),
        sa.Column("added_week", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_report_additions"),
    )
    op.create_index("ix_report_additions_report_id", "report_additions", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_additions")
    op.drop_table("reports")
