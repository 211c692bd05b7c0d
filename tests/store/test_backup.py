"""`wegweiser db backup` while women write and report, then `db restore`: every report and subscription that
was in the database when the backup began is in the restored one, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import secrets
import stat
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from typer.testing import CliRunner

from bot.cli.commands import app
from bot.reports.model import Report, SealedReceipt
from bot.store import Store
from bot.store.reports import ReportStore
from tests.conftest import SERVER_URL, require_or_skip

runner = CliRunner()
KEY = b"backup-test-contact-key-0123456789abcdef"  # the key lives outside the database: both sides need it


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # messages on one line, as staff read them


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A factory of empty databases of one kind (PostgreSQL: whole databases, as a deployment has)."""
    made: list[str] = []

    def make(name: str) -> str:
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / f'{name}.db'}"
        server = make_url(SERVER_URL)
        database = f"wegweiser_backup_{secrets.token_hex(4)}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{database}"'))
        except Exception as error:
            require_or_skip(f"PostgreSQL is not reachable: {error}")
        finally:
            admin.dispose()
        made.append(database)
        return server.set(database=database).render_as_string(hide_password=False)

    yield make
    if made:
        admin = create_engine(make_url(SERVER_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for database in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _report(number: int) -> Report:
    return Report(
        id=str(uuid.UUID(int=number + 1)),
        reported_week="2026-W49",
        incident_month="2026-11",
        incident="viewing",
        language="ar",
        forms=("refused",),
        stage="search",
        actor="landlord",
        municipality="dueren",
        grounds=("origin",),
        text=f"Bericht {number}",
    )


class Load:
    """Women subscribing and reporting, one after another, as fast as the database takes it."""

    def __init__(self, url: str) -> None:
        self.store = Store(url, secret=KEY)
        self.reports = ReportStore.of(self.store)
        self.committed = 0
        self.stop = threading.Event()
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._write, daemon=True)

    def _write(self) -> None:
        number = 0
        try:
            while not self.stop.is_set():
                chat = str(500_000 + number)
                self.store.save("telegram", chat, language="ar", consent=True, state={"step": number})
                self.store.subscribe("telegram", chat, "announcements")
                receipt = SealedReceipt(f"tag{number}", b"salt", b"digest")
                self.reports.add(_report(number), receipt, day=date.today())
                number += 1
                self.committed = number
        except BaseException as error:
            self.failure = error

    def wait_for(self, count: int) -> None:
        while self.committed < count:
            assert self.failure is None and self.thread.is_alive(), self.failure
            self.stop.wait(0.01)


def test_a_backup_taken_during_writes_restores_everything_written_before_it(
    fresh: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make = fresh  # type: ignore[assignment]
    source_url: str = make("live")  # type: ignore[operator]
    live = Store(source_url)
    live.upgrade()
    live.dispose()
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", source_url)
    load = Load(source_url)
    load.thread.start()
    try:
        load.wait_for(40)
        before = load.committed  # everything up to here was committed before the backup began
        out = tmp_path / "backups" / "during-load.bak"
        taken = runner.invoke(app, ["db", "backup", "--out", str(out)])
        after = load.committed
        load.wait_for(after + 20)  # writes go on after the backup
    finally:
        load.stop.set()
        load.thread.join(30)
        load.store.dispose()
    assert load.failure is None, load.failure
    assert taken.exit_code == 0, taken.output
    assert "backup written" in taken.output and stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert after > before, "the writer did not write while the backup was taken"

    target_url: str = make("restored")  # type: ignore[operator]
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", target_url)
    restored = runner.invoke(app, ["db", "restore", str(out), "--yes"])
    assert restored.exit_code == 0, restored.output

    store = Store(target_url, secret=KEY)
    subscribers = {recipient.platform_id for recipient in store.subscribers("announcements")}
    pool = ReportStore.of(store)  # confirmed reports wait sealed in the pool; the backup holds them too
    pool.mix(today=date.today(), force=True)
    reports = {report.id: report for report in pool.reports()}
    store.dispose()
    written = {str(500_000 + n) for n in range(load.committed)}
    must = {str(500_000 + n) for n in range(before)}
    assert must <= subscribers <= written
    assert {str(uuid.UUID(int=n + 1)) for n in range(before)} <= set(reports)
    assert all(report.text and report.text.startswith("Bericht ") for report in reports.values())
    # A subscription and its report were written one after the other: the snapshot is one moment.
    assert len(reports) in (len(subscribers), len(subscribers) - 1)


def test_restore_asks_first_and_refuses_while_a_bot_runs(
    fresh: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.store.scheduler_lock import SchedulerLock

    make = fresh  # type: ignore[assignment]
    url: str = make("db")  # type: ignore[operator]
    store = Store(url)
    store.upgrade()
    store.save("telegram", "42", language="uk", consent=True, state={})
    store.subscribe("telegram", "42", "announcements")
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", url)
    out = tmp_path / "b.bak"
    assert runner.invoke(app, ["db", "backup", "--out", str(out)]).exit_code == 0
    again = runner.invoke(app, ["db", "backup", "--out", str(out)])
    assert again.exit_code == 2 and "exists already" in again.output

    declined = runner.invoke(app, ["db", "restore", str(out)], input="n\n")
    assert declined.exit_code == 1 and "Nothing was changed" in declined.output
    lock = SchedulerLock(store.engine)  # what a running bot holds
    assert lock.acquire()
    try:
        busy = runner.invoke(app, ["db", "restore", str(out), "--yes"])
    finally:
        lock.release()
    assert busy.exit_code == 2 and "stop it before restoring" in busy.output
    missing = runner.invoke(app, ["db", "restore", str(tmp_path / "nope.bak"), "--yes"])
    assert missing.exit_code == 2 and "No backup file" in missing.output
    store.unsubscribe("telegram", "42", "announcements")
    assert runner.invoke(app, ["db", "restore", str(out), "--yes"]).exit_code == 0
    assert [r.platform_id for r in store.subscribers("announcements")] == ["42"]
    store.dispose()


def test_the_contact_key_beside_sqlite_is_named_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded database's key stays out of the backup; backup and restore say where it must go."""
    import shutil

    source = tmp_path / "live" / "wegweiser.db"
    store = Store(f"sqlite:///{source}")
    store.upgrade()
    store.save("telegram", "77", language="fa", consent=True, state={})
    store.subscribe("telegram", "77", "announcements")
    store.dispose()
    key = Path(f"{source}.key")
    assert key.exists()
    monkeypatch.delenv("WEGWEISER_SECRET_KEY", raising=False)
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", f"sqlite:///{source}")
    out = tmp_path / "b.bak"
    taken = runner.invoke(app, ["db", "backup", "--out", str(out)])
    assert taken.exit_code == 0 and f"keep a copy of {key}" in taken.output
    assert key.read_bytes() not in out.read_bytes()

    target = tmp_path / "new-machine" / "wegweiser.db"
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", f"sqlite:///{target}")
    restored = runner.invoke(app, ["db", "restore", str(out), "--yes"])
    assert restored.exit_code == 0 and f"No contact key at {target}.key" in restored.output
    assert not Path(f"{target}.key").exists(), "a new key would make every woman a stranger"
    shutil.copy(key, f"{target}.key")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    again = Store(f"sqlite:///{target}")
    conversation = again.load("telegram", "77")
    assert conversation is not None and conversation.language == "fa"
    again.dispose()
