"""A small project (flows, catalogs) in a temporary folder, and the `wegweiser i18n` commands to run on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli.i18n import i18n_app

COMMANDS_YML = """\
commands:
  - id: menu
    flow: main_menu
    commands: [menu]
    payload: menu
    button: "🏠 Menü"
entry_points:
  menu: main_menu
texts:
  not_understood: "Das habe ich leider nicht verstanden."
  notice_draft: "ℹ️ Diese Übersetzung wurde automatisch erstellt."
"""

WELCOME_YML = """\
flows:
  welcome:
    description: First contact.
    steps:
      - id: choose_language
        collect: language
        menu_buttons: false
        ask: "Bitte wählen Sie Ihre Sprache."
        choices:
          from: languages
      - id: privacy
        collect: consent
        menu_buttons: false
        ask: "Ich speichere nur Ihre Sprache und wo Sie im Gespräch sind."
        choices:
          - value: "yes"
            title: "✅ Verstanden"
          - value: more
            title: "ℹ️ Mehr dazu"
        next:
          - if: slots.consent == "more"
            then: details
          - else: END
      - id: details
        say: "Hallo {name}, das ist <b>wichtig</b>: Wir speichern keine Namen. Notruf 110."
        next: privacy
  main_menu:
    description: The menu.
    steps:
      - id: choose
        collect: menu_choice
        ask: "Wie kann ich Ihnen helfen?"
        choices:
          - value: help
            title: "ℹ️ Hilfe"
            link: help
  help:
    description: Help.
    steps:
      - id: explain
        say: "So funktioniert Wegweiser: Tippen Sie auf die Knöpfe."
"""

ONLY_FLOWS = [
    "--skip",
    "content",
    "--skip",
    "actions",
    "--skip",
    "channels",
    "--skip",
    "modules",
    "--skip",
    "workshops",
]


@dataclass
class Project:
    root: Path

    @property
    def flows(self) -> Path:
        return self.root / "flows"

    @property
    def locale(self) -> Path:
        return self.root / "locale"

    def po(self, language: str) -> Path:
        return self.locale / language / "LC_MESSAGES" / "wegweiser.po"

    def i18n(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """Run `wegweiser i18n <args>` on this project."""
        options = ["--locale-dir", str(self.locale)]
        if args[0] in ("extract", "check"):
            options += ["--flows-dir", str(self.flows), "--content-dir", str(self.root / "content")]
        if args[0] == "extract":
            options += ONLY_FLOWS
        if args[0] == "check":
            options += ["--no-sources"]
        return CliRunner().invoke(i18n_app, [*args, *options], env=env, catch_exceptions=False)

    def edit_flow(self, old: str, new: str) -> None:
        path = self.flows / "welcome.yml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Flows written, template extracted and merged into all eleven languages."""
    made = Project(tmp_path)
    made.flows.mkdir()
    (made.flows / "commands.yml").write_text(COMMANDS_YML, encoding="utf-8")
    (made.flows / "welcome.yml").write_text(WELCOME_YML, encoding="utf-8")
    for command in ("extract", "update"):
        result = made.i18n(command)
        assert result.exit_code == 0, result.output
    return made
