"""The report store: writes and reads anonymous reports; shares the database, never a key, with contacts.

Every method takes or returns domain objects (`Report`, `SealedReceipt`); the caller decides ids, weeks and
hashes, so nothing here ever sees a chat id or a clock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update

from bot.reports.model import Report, SealedReceipt
from bot.store.report_models import ReportAddition, ReportRow


class ReportStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, report: Report, receipt: SealedReceipt) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                insert(ReportRow).values(
                    id=report.id,
                    reported_week=report.reported_week,
                    incident_month=report.incident_month,
                    incident=report.incident,
                    language=report.language,
                    forms=list(report.forms),
                    stage=report.stage,
                    actor=report.actor,
                    municipality=report.municipality,
                    grounds=list(report.grounds),
                    text=report.text,
                    code_tag=receipt.tag,
                    code_salt=receipt.salt,
                    code_hash=receipt.digest,
                )
            )

    def candidates(self, tag: str) -> list[tuple[str, SealedReceipt]]:
        """Reports whose receipt tag is `tag` (a few at most), for the caller to check the code against."""
        query = select(ReportRow.id, ReportRow.code_salt, ReportRow.code_hash).where(
            ReportRow.code_tag == tag
        )
        with self._engine.connect() as connection:
            return [
                (row_id, SealedReceipt(tag, bytes(salt), bytes(digest)))
                for row_id, salt, digest in connection.execute(query)
            ]

    def append(self, report_id: str, addition: str, week: str) -> bool:
        """Add her later text to a report; False if the report is gone (expired)."""
        with self._engine.begin() as connection:
            exists = connection.execute(select(ReportRow.id).where(ReportRow.id == report_id)).first()
            if exists is None:
                return False
            connection.execute(
                insert(ReportAddition).values(
                    id=str(uuid.uuid4()), report_id=report_id, added_week=week, text=addition
                )
            )
        return True

    def reports(self) -> list[Report]:
        """Every report with its additions, ordered by week (and by random id within a week)."""
        with self._engine.connect() as connection:
            additions: dict[str, list[str]] = defaultdict(list)
            for report_id, addition in connection.execute(
                select(ReportAddition.report_id, ReportAddition.text)
                .where(ReportAddition.text.is_not(None))
                .order_by(ReportAddition.added_week, ReportAddition.id)
            ):
                additions[report_id].append(addition or "")
            rows = connection.execute(select(ReportRow).order_by(ReportRow.reported_week, ReportRow.id))
            return [
                Report(
                    id=row.id,
                    reported_week=row.reported_week,
                    incident_month=row.incident_month,
                    incident=row.incident,
                    language=row.language,
                    forms=tuple(row.forms),
                    stage=row.stage,
                    actor=row.actor,
                    municipality=row.municipality,
                    grounds=tuple(row.grounds),
                    text=row.text,
                    additions=tuple(additions.get(row.id, ())),
                )
                for row in rows
            ]

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(ReportRow)).scalar_one())

    def purge(self, before_week: str) -> int:
        """Delete reports (and their additions) sent before `before_week`; returns how many reports."""
        with self._engine.begin() as connection:
            _secure_delete(connection)
            result = connection.execute(delete(ReportRow).where(ReportRow.reported_week < before_week))
            # SQLite enforces the cascade only with foreign keys on; do not rely on it.
            connection.execute(
                delete(ReportAddition).where(ReportAddition.report_id.not_in(select(ReportRow.id)))
            )
        return result.rowcount

    def purge_texts(self, before_week: str) -> int:
        """Drop free texts written before `before_week`, keep the answers; returns how many texts."""
        with self._engine.begin() as connection:
            _secure_delete(connection)
            texts = connection.execute(
                update(ReportRow)
                .where(ReportRow.reported_week < before_week, ReportRow.text.is_not(None))
                .values(text=None)
            ).rowcount
            texts += connection.execute(
                delete(ReportAddition).where(ReportAddition.added_week < before_week)
            ).rowcount
        return texts


def _secure_delete(connection: Connection) -> None:
    """On SQLite, overwrite deleted content instead of leaving it in free pages (as GlobaLeaks does)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("PRAGMA secure_delete=ON"))
