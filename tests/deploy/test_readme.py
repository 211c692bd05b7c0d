"""The README a newcomer reads stays true: every setting documented, the two commands as CI runs them."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"WEGWEISER_{name.upper()}" not in readme]
    assert missing == []


def test_the_two_set_up_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    run = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/wegweiser run"
    test = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/python -m pytest"
    assert run in readme and test in readme
    assert "pip install -q --disable-pip-version-check -e '.[dev]'" in ci
    assert ".venv/bin/python -m pytest" in ci
