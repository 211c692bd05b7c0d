"""A real engine on the real flows, with small content menus and a small catalog."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.engine.commands import load_commands
from bot.engine.engine import Engine
from bot.engine.flows import Choice, load_flows
from bot.engine.model import Input, Message, Session
from bot.i18n.catalog import Catalog, Localized

FLOWS = Path(__file__).resolve().parents[2] / "flows"

MENUS = {
    "topics": [
        Choice(
            "violence", "Gewalt und Schutz", emoji="🛡️", context="topic/violence", keywords={"ar": ("عنف",)}
        ),
        Choice("health", "Gesundheit", emoji="🩺", context="topic/health", keywords={"en": ("doctor",)}),
    ],
    "municipalities": [Choice("dueren", "Düren"), Choice("juelich", "Jülich")],
}


def marked(language: str, german: str) -> str:
    return f"{language.upper()}[{german[:12]}]"


def marked_catalog(languages: tuple[str, ...] = ("en", "ar", "fa", "ps", "uk")) -> Catalog:
    """Every German text 'translated' (marked `EN[...]`) so tests can tell the language served."""
    flows = load_flows(FLOWS)
    commands = load_commands(FLOWS / "commands.yml")
    table: dict[tuple[str, str], Localized] = {}
    for flow in flows.values():
        for step in flow.steps:
            if step.text:
                table[(f"{flow.id}/{step.id}", step.text)] = Localized(step.text, "reviewed")
            for choice in step.choices:
                table[(choice.context, choice.title)] = Localized(choice.title, "reviewed")
    for key, text in commands.texts.items():
        table[(f"engine/{key}", text)] = Localized(text, "reviewed")
    for command in commands.commands:
        if command.button:
            table[(f"commands/{command.id}", command.button)] = Localized(command.button, "reviewed")
    return Catalog(
        {
            code: {key: Localized(marked(code, value.text), "reviewed") for key, value in table.items()}
            for code in languages
        }
    )


@pytest.fixture
def engine() -> Engine:
    return Engine(load_flows(FLOWS), load_commands(FLOWS / "commands.yml"), marked_catalog(), MENUS)


class Conversation:
    """Drives the engine turn by turn, answering action requests with given events."""

    def __init__(
        self, engine: Engine, action_events: dict[str, list[dict[str, object]]] | None = None
    ) -> None:
        self.engine = engine
        self.session = Session()
        self.action_events = action_events or {}
        self.actions: list[str] = []

    def send(self, user_input: Input) -> list[Message]:
        turn = self.engine.handle(self.session, user_input)
        messages = list(turn.messages)
        self.last = turn
        while turn.action:
            self.actions.append(turn.action)
            turn = self.engine.resume(turn.session, self.action_events.get(turn.action, []))
            messages.extend(turn.messages)
            self.last = turn
        self.session = turn.session
        return messages

    def text(self, text: str) -> list[Message]:
        return self.send(Input.of_text(text))

    def tap(self, payload: str) -> list[Message]:
        return self.send(Input.of_payload(payload))


def payloads(messages: Sequence[Message]) -> list[str]:
    return [button.payload for message in messages for button in message.buttons]
