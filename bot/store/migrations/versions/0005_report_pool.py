"""The report pool, and the report tables rebuilt so that nothing of their order is left.

Reports written before this revision went in one by one during her turn, so their `xmin` (PostgreSQL)
or rowid (SQLite) sat next to her session's. The tables are rebuilt: rows copied out, the old tables
dropped (their files go with them), new ones created without rowid on SQLite (stored in the order of
their random ids) and filled in random order in this one transaction.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_shuffle = secrets.SystemRandom().shuffle


def _reports_table() -> sa.Table:
    return op.create_table(
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
        sqlite_with_rowid=False,
    )


def _additions_table() -> sa.Table:
    return op.create_table(
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
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    op.create_table(
        "report_pool",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_pool"),
        sqlite_with_rowid=False,
    )
    connection = op.get_bind()
    reports = [dict(row) for row in connection.execute(sa.text("SELECT * FROM reports")).mappings()]
    additions = [
        dict(row) for row in connection.execute(sa.text("SELECT * FROM report_additions")).mappings()
    ]
    op.drop_table("report_additions")
    op.drop_table("reports")
    new_reports = _reports_table()
    new_additions = _additions_table()
    op.create_index("ix_reports_reported_week", "reports", ["reported_week"])
    op.create_index("ix_reports_code_tag", "reports", ["code_tag"])
    op.create_index("ix_report_additions_report_id", "report_additions", ["report_id"])
    _shuffle(reports)
    _shuffle(additions)
    for row in reports:
        for column in ("forms", "grounds"):
            if isinstance(row[column], str):  # SQLite hands JSON back as text
                row[column] = json.loads(row[column])
    if reports:
        op.bulk_insert(new_reports, reports)
    if additions:
        op.bulk_insert(new_additions, additions)


def downgrade() -> None:
    op.drop_table("report_pool")
