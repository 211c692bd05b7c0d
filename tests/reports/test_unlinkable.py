"""A report cannot be tied to the woman who sent it by how the databases store rows, nor by the logs.

50 women report through the host as `wegweiser run` builds it (each message id noted as the Telegram
trace book does), then the scheduler's mix job runs. The scan reads every table with its system columns
(PostgreSQL: `xmin`, `ctid`; SQLite: the order rows lie in) and every INFO log line with its time.

What counts as a link:
- xmin: a report whose `xmin` it shares with fewer than `MIX_BATCH` reports and whose sender has a row
  within two transactions of it (before the pool, her session was saved at the report's `xmin` + 1);
- order: the physical order of the reports following the order in which the women sent them (Spearman
  rank correlation above 0.5; for 50 random orders that happens with a chance of about 1 in 5,000);
- logs: an INFO line written while a report was being confirmed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.cli.wiring import build
from bot.config import Settings
from bot.reports import receipt
from bot.reports.model import SealedReceipt
from bot.scheduling import jobs
from bot.store.reports import MIX_BATCH, ReportStore
from tests.reports.conftest import REPORT_STEPS, Bot, Chat, receipt_code

WOMEN = 50


@dataclass
class Sent:
    platform_id: str
    report_id: str
    started: float
    finished: float


def spearman(first: list[int], second: list[int]) -> float:
    n = len(first)
    return 1 - 6 * sum((a - b) ** 2 for a, b in zip(first, second, strict=True)) / (n * (n * n - 1))


@pytest.fixture
def wired(database_url: str, tmp_path: Path) -> Bot:
    wiring = build(Settings(database_url=database_url, locale_dir=tmp_path / "locale", _env_file=None))  # type: ignore[call-arg]
    return Bot(wiring.host, wiring.store, ReportStore.of(wiring.store))


def find_report(reports: ReportStore, code: str) -> str:
    digits = receipt.normalize(code)
    assert digits is not None
    [found] = [
        rid
        for rid, sealed in reports.candidates(receipt.tag(digits, b""))
        if receipt.matches(digits, SealedReceipt(sealed.tag, sealed.salt, sealed.digest), b"")
    ]
    return found


async def send_fifty(wired: Bot) -> list[Sent]:
    sent = []
    for index in range(WOMEN):
        platform_id = str(7_100_000_000 + index)
        chat = Chat(wired, platform_id, channel="telegram")
        await chat.welcome("de")
        await chat.tap("main_menu/choose=report")
        for payload in (*REPORT_STEPS, "report/confirm=write"):
            await chat.tap(payload)
        await chat.text(f"Bericht Nummer {index}")
        started = time.time()
        await chat.tap("report/confirm=send")
        finished = time.time()
        # as the trace book does a moment after her turn: the ids of the messages in her chat
        wired.store.record_traces(
            "telegram", [(platform_id, 100 + n, "out", datetime.now(UTC)) for n in range(3)]
        )
        code = receipt_code(chat.said("action_report_submit/thanks").text)
        sent.append(Sent(platform_id, find_report(wired.reports, code), started, finished))
    return sent


async def test_fifty_reports_cannot_be_linked_to_their_senders(
    wired: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sent = await send_fifty(wired)
    assert wired.reports.count() == 0  # nothing reached the report table during a turn
    jobs.install(jobs.Services(None, None, None, reports=wired.reports))  # type: ignore[arg-type]
    try:
        await jobs.mix_reports()
    finally:
        jobs.uninstall()
    assert wired.reports.count() == WOMEN and wired.reports.pending() == []

    engine = wired.store.engine
    keys = {wired.store.key("telegram", woman.platform_id): woman.platform_id for woman in sent}
    with engine.connect() as connection:
        contact_of = {
            row_id: keys[key] for row_id, key in connection.execute(text("SELECT id, key FROM contacts"))
        }
        tables = inspect(connection).get_table_names()
        if engine.dialect.name == "postgresql":
            # every row of every table with its transaction id, owned by a woman where it is hers
            near: dict[int, set[str]] = {}
            for table in tables:
                columns = {column["name"] for column in inspect(connection).get_columns(table)}
                owner = "id" if table == "contacts" else "contact_id" if "contact_id" in columns else None
                query = f'SELECT xmin::text::bigint, {owner or "NULL"} FROM "{table}"'
                for xmin, row_owner in connection.execute(text(query)):
                    if row_owner in contact_of:
                        near.setdefault(xmin, set()).add(contact_of[row_owner])
            report_rows = connection.execute(
                text("SELECT id, xmin::text::bigint FROM reports ORDER BY ctid")
            ).all()
            batch = {xmin: sum(1 for _, other in report_rows if other == xmin) for _, xmin in report_rows}
            sender = {woman.report_id: woman.platform_id for woman in sent}
            links = [
                report_id
                for report_id, xmin in report_rows
                if batch[xmin] < MIX_BATCH
                and any(sender[report_id] in near.get(xmin + step, set()) for step in range(-2, 3))
            ]
            assert links == []
            assert min(batch.values()) >= MIX_BATCH
            physical = [report_id for report_id, _ in report_rows]
        else:
            physical = list(connection.execute(text("SELECT id FROM reports")).scalars())
            assert "rowid" not in {c["name"] for c in inspect(connection).get_columns("reports")}
    order = {woman.report_id: index for index, woman in enumerate(sent)}
    rho = spearman([order[report_id] for report_id in physical], list(range(WOMEN)))
    assert abs(rho) < 0.5, rho

    # every INFO line's time against every confirmation: none was written while a report was confirmed
    during = [
        (record.getMessage(), woman.report_id)
        for record in caplog.records
        if record.levelno >= logging.INFO
        for woman in sent
        if woman.started <= record.created <= woman.finished
    ]
    assert during == []
