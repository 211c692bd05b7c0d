"""Staff mistakes get a clear message and exit code 2, never a traceback or a link that counts nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.commands import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def username(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWEISER_TELEGRAM_USERNAME", "wegweiser_dn_bot")
    monkeypatch.setenv("WEGWEISER_LINK_SOURCES", "ik12")
    monkeypatch.setenv("COLUMNS", "200")


def test_an_unknown_flow_is_refused_with_the_known_ones() -> None:
    result = runner.invoke(app, ["qr", "--lang", "ar", "--flow", "nope"])
    assert result.exit_code == 2
    assert "No flow 'nope'" in result.output and "counselling" in result.output
    assert "t.me" not in result.output and result.exception is not None  # typer.Exit, not a crash
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("name", ["flyer.jpg", "flyer", "flyer.pdf"])
def test_a_wrong_file_type_is_refused_before_anything_is_written(tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["qr", "--flow", "counselling", "--out", str(tmp_path / name)])
    assert result.exit_code == 2 and "Write the QR code as .png or .svg" in result.output
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "flyer.png"
    result = runner.invoke(app, ["qr", "--flow", "counselling", "--out", str(target)])
    assert result.exit_code == 2 and "Cannot write" in result.output and "No such file" in result.output


def test_a_good_flyer_and_an_uncounted_source(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["qr", "--lang", "ar", "--flow", "Counselling", "--source", "ik12", "--out", str(tmp_path / "f.svg")],
    )
    assert result.exit_code == 0, result.output
    assert "https://t.me/wegweiser_dn_bot?start=ar-counselling-ik12" in result.output
    assert (tmp_path / "f.svg").read_text().startswith("<?xml")
    uncounted = runner.invoke(app, ["qr", "--flow", "counselling", "--source", "flyer99"])
    assert uncounted.exit_code == 0 and "not in WEGWEISER_LINK_SOURCES" in uncounted.output
