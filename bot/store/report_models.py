"""The report tables: answers without identity, on the same metadata as the contact tables but never linked.

No column can hold a chat id, name or exact time: ids are random UUIDs, time is a month or an ISO week.
On SQLite the tables have no rowid, so rows lie in the order of their random ids, not of their writing.
Migration `0002_reports` is the source of truth; these models mirror it for typed queries.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, Document


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (Index(None, "reported_week"), Index(None, "code_tag"), {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reported_week: Mapped[str] = mapped_column(String(8))
    incident_month: Mapped[str | None] = mapped_column(String(7))
    incident: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    forms: Mapped[list[str]] = mapped_column(Document)
    stage: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(24))
    municipality: Mapped[str] = mapped_column(String(40))
    grounds: Mapped[list[str]] = mapped_column(Document)
    text: Mapped[str | None] = mapped_column(Text)
    code_tag: Mapped[str] = mapped_column(String(8))
    code_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(64))


class ReportAddition(Base):
    """Something she added later with her receipt code; it has its own random id and only a week."""

    __tablename__ = "report_additions"
    __table_args__ = (Index(None, "report_id"), {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    added_week: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)


class PooledReport(Base):
    """A confirmed report or addition waiting to be mixed in: a random id and a sealed, padded blob."""

    __tablename__ = "report_pool"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
