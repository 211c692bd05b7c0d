"""A report confirmed to her is never lost: the process is killed (SIGKILL) right after the confirmation,
a new process finds it in the pool, the mix puts it in the report table, and her code still opens it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.reports import receipt
from bot.store import Store
from bot.store.reports import ReportStore

ROOT = Path(__file__).resolve().parents[2]


def test_a_confirmed_report_survives_kill_9(database_url: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEGWEISER_SECRET_KEY": "kill-nine-test-key-0123456789abcdef",
    }
    env.pop("WEGWEISER_REPORT_PEPPER", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.reports.confirm_then_die", database_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    [line] = [line for line in done.stdout.splitlines() if line.startswith("CONFIRMED ")]
    code = receipt.normalize(line.removeprefix("CONFIRMED "))
    assert code is not None

    store = Store(database_url, secret=env["WEGWEISER_SECRET_KEY"].encode())
    store.upgrade()
    reports = ReportStore.of(store)
    assert len(reports.pending()) == 1
    assert reports.mix(today=date.today(), force=True) == 1
    [report] = reports.reports()
    assert report.language == "ar" and report.text == "Der Makler wollte keine Familie mit Kopftuch."
    assert [
        rid
        for rid, sealed in reports.candidates(receipt.tag(code, b""))
        if receipt.matches(code, sealed, b"")
    ] == [report.id]
    store.dispose()
