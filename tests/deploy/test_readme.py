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
    run = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/wegweiser run"
    test = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/python -m pytest"
    assert run in readme and test in readme
    assert "pip install -q --disable-pip-version-check -e '.[dev]'" in ci
    assert ".venv/bin/python -m pytest" in ci


def test_exactly_two_set_up_commands_and_only_the_test_command_installs_the_test_tools() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    set_up = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in set_up.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    run, test = commands
    assert "[dev]" not in run and run.endswith("wegweiser run")
    assert "'.[dev]'" in test and test.endswith("python -m pytest")


def test_git_ignores_the_data_folder_files(tmp_path: Path) -> None:
    import subprocess

    names = ["wegweiser.db", "wegweiser.db-wal", "wegweiser.db.scheduler.lock", "wegweiser.db.key", ".env"]
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "--no-index", *names], capture_output=True, text=True
    )
    assert sorted(result.stdout.split()) == sorted(names)


def test_the_web_api_section_names_every_way_in() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    api = readme.split("### Web chat API", 1)[1].split("\n## ", 1)[0]
    for part in ('"start": true', "/api/labels", '"payload"', '"location"', "DELETE /api/session", "/health"):
        assert part in api, part


def test_graphviz_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "apt-get install graphviz" in readme
