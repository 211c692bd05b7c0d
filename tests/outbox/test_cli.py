"""`wegweiser broadcast ...` and `wegweiser jobs` as staff type them."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.broadcast import broadcast_app, jobs
from bot.store import Store
from bot.store.outbox import Outbox
from tests.outbox.conftest import add_subscribers

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", url)
    monkeypatch.setenv("WEGWEISER_LOCALE_DIR", str(tmp_path / "no-locale"))
    monkeypatch.setenv("USER", "kistaff")
    monkeypatch.delenv("WEGWEISER_LIBRETRANSLATE_URL", raising=False)
    created = Store(url)  # as `wegweiser run` leaves it: staff commands never create a database
    created.upgrade()
    created.dispose()
    return url


def test_create_show_send_list_cancel(database: str) -> None:
    store = Store(database)
    store.upgrade()
    add_subscribers(store, 24)
    created = runner.invoke(
        broadcast_app,
        [
            "create",
            "--text",
            "Fachtag am 3. Juni",
            "--translation",
            "ar=يوم متخصص في 3 يونيو",
            "--language",
            "de",
            "--language",
            "ar",
        ],
    )
    assert created.exit_code == 0, created.output
    assert "German + notice" not in created.output and "translated" in created.output
    outbox = Outbox(store.engine)
    announcement = outbox.recent(1)[0]
    assert announcement.status == "draft" and announcement.audience.languages == ("de", "ar")

    shown = runner.invoke(broadcast_app, ["show", str(announcement.id)])
    assert shown.exit_code == 0 and "يوم متخصص" in shown.output

    sent = runner.invoke(broadcast_app, ["send", str(announcement.id), "--no-wait"])
    assert sent.exit_code == 0 and "4 message(s) queued" in sent.output
    again = runner.invoke(broadcast_app, ["send", str(announcement.id), "--no-wait"])
    assert "0 message(s) queued" in again.output  # nobody twice
    listed = runner.invoke(broadcast_app, ["list"])
    assert listed.exit_code == 0 and "queued" in listed.output

    cancelled = runner.invoke(broadcast_app, ["cancel", str(announcement.id)])
    assert cancelled.exit_code == 0 and "4 message(s) withdrawn" in cancelled.output
    actions = [(entry.actor, entry.action) for entry in reversed(outbox.audit_log())]
    assert actions == [
        ("cli:kistaff", "create"),
        ("cli:kistaff", "send"),
        ("cli:kistaff", "send"),
        ("cli:kistaff", "cancel"),
    ]
    store.dispose()


def test_scheduled_broadcast_and_jobs(database: str) -> None:
    created = runner.invoke(broadcast_app, ["create", "--text", "Später", "--at", "2099-12-24 18:00"])
    assert created.exit_code == 0, created.output
    app = typer.Typer()
    app.command()(jobs)
    listed = runner.invoke(app, [])
    assert listed.exit_code == 0, listed.output
    assert "2099-12-24 18:00" in listed.output


def test_bad_input_is_explained(database: str) -> None:
    result = runner.invoke(broadcast_app, ["create", "--text", "x", "--audience", "workshop:nope"])
    assert result.exit_code != 0 and "no workshop" in result.output
    result = runner.invoke(broadcast_app, ["create", "--text", "x", "--translation", "xx=y"])
    assert result.exit_code != 0 and "unknown language" in result.output
