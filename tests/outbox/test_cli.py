"""`wegweiser broadcast ...` and `wegweiser jobs` as staff type them."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.broadcast import broadcast_app
from bot.cli.jobs import jobs
from bot.store import Store
from bot.store.outbox import Outbox
from bot.store.scheduler_lock import SchedulerLock
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

    declined = runner.invoke(broadcast_app, ["send", str(announcement.id), "--no-wait"], input="n\n")
    assert declined.exit_code == 1 and "Nothing was sent" in declined.output
    assert "يوم متخصص" in declined.output and "Send broadcast #1 to 4 women now?" in declined.output
    assert outbox.counts(announcement.id) == {}
    sent = runner.invoke(broadcast_app, ["send", str(announcement.id), "--no-wait"], input="y\n")
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
    created = runner.invoke(
        broadcast_app, ["create", "--text", "Später", "--at", "2099-12-24 18:00", "--yes"]
    )
    assert created.exit_code == 0, created.output
    app = typer.Typer()
    app.command()(jobs)
    listed = runner.invoke(app, [], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    assert "2099-12-24 18:00" in listed.output
    assert "No bot is running" in listed.output and "the running bot's scheduler" not in listed.output


def test_jobs_names_the_running_bots_scheduler_when_one_holds_the_lock(database: str) -> None:
    store = Store(database)
    lock = SchedulerLock(store.engine)  # what the running bot holds while it runs the scheduler
    assert lock.acquire()
    try:
        app = typer.Typer()
        app.command()(jobs)
        listed = runner.invoke(app, [], env={"COLUMNS": "200"})
    finally:
        lock.release()
        store.dispose()
    assert listed.exit_code == 0, listed.output
    assert "the running bot's scheduler" in listed.output and "No bot is running" not in listed.output


def test_scheduling_asks_first_and_a_no_schedules_nothing(database: str) -> None:
    declined = runner.invoke(
        broadcast_app, ["create", "--text", "Später", "--at", "2099-12-24 18:00"], input="n\n"
    )
    assert declined.exit_code == 1 and "Schedule it for 2099-12-24 18:00" in declined.output
    store = Store(database)
    assert Outbox(store.engine).recent(5) == []
    store.dispose()


README_EXAMPLE = [
    "create",
    "--text",
    "Der Fachtag ist am 12. März im Kreishaus.",
    "--audience",
    "all",
    "--translation",
    "ar=...",
    "--translation",
    "uk=...",
]


@pytest.mark.parametrize("placeholder", ["...", "…", "TODO", "todo: Arabisch", "", "  ", '"..."', "TBD"])
def test_placeholder_translations_are_refused(database: str, placeholder: str) -> None:
    result = runner.invoke(
        broadcast_app, ["create", "--text", "Fachtag am 3. Juni", "--translation", f"ar={placeholder}"]
    )
    assert result.exit_code == 2, result.output
    assert "placeholder" in result.output and "ar" in result.output
    store = Store(database)
    assert Outbox(store.engine).recent(5) == []
    store.dispose()


@pytest.mark.parametrize("placeholder", ["...", "…", "TODO"])
def test_a_placeholder_german_text_is_refused(database: str, placeholder: str) -> None:
    result = runner.invoke(broadcast_app, ["create", "--text", placeholder])
    assert result.exit_code == 2 and "placeholder" in result.output


def test_the_readme_example_copied_as_it_is_sends_nothing(database: str) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert '--translation ar="..."' in readme  # the example staff copy
    result = runner.invoke(broadcast_app, README_EXAMPLE)
    assert result.exit_code == 2 and "placeholder" in result.output


def test_real_short_translations_are_kept(database: str) -> None:
    result = runner.invoke(
        broadcast_app,
        ["create", "--text", "Fachtag!", "--translation", "ar=يوم!", "--translation", "tr=Toplantı."],
    )
    assert result.exit_code == 0, result.output


def test_bad_input_is_explained(database: str) -> None:
    result = runner.invoke(broadcast_app, ["create", "--text", "x", "--audience", "workshop:nope"])
    assert result.exit_code != 0 and "no workshop" in result.output
    result = runner.invoke(broadcast_app, ["create", "--text", "x", "--translation", "xx=y"])
    assert result.exit_code != 0 and "unknown language" in result.output
