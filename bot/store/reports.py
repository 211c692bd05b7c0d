"""The report store: writes and reads anonymous reports; shares the database, never a key, with contacts.

Every method takes or returns domain objects (`Report`, `SealedReceipt`); the caller decides ids, weeks and
hashes, so nothing here ever sees a chat id or a clock.

Nothing she confirms is written to the report tables during her turn. `add` and `append` put a sealed
entry into the pool (durable before she is told "thank you"); `mix`, run by the scheduler at times of its
own, moves the whole pool into the report tables in one transaction and in random order (see
`bot.reports.pending` for why).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, text, update

from bot.reports.model import Report, SealedReceipt
from bot.reports.pending import Pending, PendingAddition, PendingReport, Sealer
from bot.store.database import checkpoint
from bot.store.report_models import PooledReport, ReportAddition, ReportRow

if TYPE_CHECKING:
    from bot.store.store import Store

POOL_KEY = "report-pool"
MIX_BATCH = 5  # reports mixed together at least, unless one has waited MIX_WAIT_DAYS
MIX_WAIT_DAYS = 7
_random = secrets.SystemRandom()
log = logging.getLogger(__name__)


class ReportStore:
    def __init__(self, engine: Engine, sealer: Sealer) -> None:
        self._engine = engine
        self._sealer = sealer

    @classmethod
    def of(cls, store: Store) -> ReportStore:
        """The report store beside `store`, its pool sealed with a key derived from the store's secret."""
        return cls(store.engine, Sealer(store.derived_key(POOL_KEY)))

    def add(self, report: Report, receipt: SealedReceipt, *, day: date) -> None:
        """Keep a confirmed report durably in the pool; it reaches the report table with the next mix."""
        self._pool(PendingReport(report, receipt, day))

    def candidates(self, tag: str) -> list[tuple[str, SealedReceipt]]:
        """Reports whose receipt tag is `tag` (a few at most), for the caller to check the code against;
        reports still in the pool too."""
        query = select(ReportRow.id, ReportRow.code_salt, ReportRow.code_hash).where(
            ReportRow.code_tag == tag
        )
        with self._engine.connect() as connection:
            found = [
                (row_id, SealedReceipt(tag, bytes(salt), bytes(digest)))
                for row_id, salt, digest in connection.execute(query)
            ]
        return found + [
            (entry.report.id, entry.receipt)
            for entry in self.pending()
            if isinstance(entry, PendingReport) and entry.receipt.tag == tag
        ]

    def append(self, report_id: str, addition: str, week: str, *, day: date) -> bool:
        """Add her later text to a report (through the pool); False if the report is gone (expired)."""
        with self._engine.connect() as connection:
            exists = connection.execute(select(ReportRow.id).where(ReportRow.id == report_id)).first()
        if exists is None and not any(
            isinstance(entry, PendingReport) and entry.report.id == report_id for entry in self.pending()
        ):
            return False
        self._pool(PendingAddition(report_id, addition, week, day))
        return True

    def _pool(self, entry: Pending) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                insert(PooledReport).values(id=str(uuid.uuid4()), sealed=self._sealer.seal(entry))
            )

    def pending(self) -> list[Pending]:
        """What waits in the pool (opened in memory only)."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(PooledReport.id, PooledReport.sealed)).all()
        return [entry for _, entry in self._opened(rows)]

    def _opened(self, rows: Sequence[Row[str, bytes]]) -> list[tuple[str, Pending]]:
        """The entries this key opens. One sealed under another key (a changed WEGWEISER_SECRET_KEY)
        stays in the pool untouched, for the old key to open, and stops nobody else's report."""
        opened = []
        for row_id, sealed in rows:
            try:
                opened.append((row_id, self._sealer.open(bytes(sealed))))
            except InvalidTag:
                log.warning("a pool entry is sealed under another key; it stays in the pool")
        return opened

    def mix(
        self, *, today: date, batch: int = MIX_BATCH, wait_days: int = MIX_WAIT_DAYS, force: bool = False
    ) -> int:
        """Move the pool into the report tables when it holds `batch` entries or one has waited
        `wait_days`: one transaction, random order. Returns how many entries moved (0: it waits)."""
        with self._engine.begin() as connection:
            rows = connection.execute(select(PooledReport.id, PooledReport.sealed).with_for_update()).all()
            opened = self._opened(rows)
            entries = [entry for _, entry in opened]
            oldest = min((entry.day for entry in entries), default=today)
            due = len(entries) >= batch or oldest <= today - timedelta(days=wait_days)
            if not entries or not (due or force):
                return 0
            _random.shuffle(entries)
            reports = [entry for entry in entries if isinstance(entry, PendingReport)]
            if reports:
                connection.execute(insert(ReportRow), [_row(entry) for entry in reports])
            known = {entry.report.id for entry in reports} | set(
                connection.execute(
                    select(ReportRow.id).where(
                        ReportRow.id.in_([e.report_id for e in entries if isinstance(e, PendingAddition)])
                    )
                ).scalars()
            )
            additions = [
                {"id": str(uuid.uuid4()), "report_id": e.report_id, "added_week": e.week, "text": e.text}
                for e in entries
                if isinstance(e, PendingAddition) and e.report_id in known
            ]
            if additions:
                connection.execute(insert(ReportAddition), additions)
            _secure_delete(connection)
            moved = [row_id for row_id, _ in opened]  # an entry this key cannot open stays
            connection.execute(delete(PooledReport).where(PooledReport.id.in_(moved)))
        checkpoint(self._engine)
        return len(entries)

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
        checkpoint(self._engine)
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
        checkpoint(self._engine)
        return texts


def _row(entry: PendingReport) -> dict[str, object]:
    report, receipt = entry.report, entry.receipt
    return {
        "id": report.id,
        "reported_week": report.reported_week,
        "incident_month": report.incident_month,
        "incident": report.incident,
        "language": report.language,
        "forms": list(report.forms),
        "stage": report.stage,
        "actor": report.actor,
        "municipality": report.municipality,
        "grounds": list(report.grounds),
        "text": report.text,
        "code_tag": receipt.tag,
        "code_salt": receipt.salt,
        "code_hash": receipt.digest,
    }


def _secure_delete(connection: Connection) -> None:
    """On SQLite, overwrite deleted content instead of leaving it in free pages (as GlobaLeaks does)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("PRAGMA secure_delete=ON"))
