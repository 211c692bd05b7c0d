"""Global ways in: commands, payloads and keywords that work from any step, and deep links.

Read from `flows/commands.yml`. An `interrupt` command (emergency help) shows its flow and then
returns her to the question she was at; the others leave the current flow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.flows import FlowError, Origin, read_flow_file
from bot.engine.matching import normalize
from bot.i18n.languages import BY_CODE

_SOURCE = re.compile(r"^[A-Za-z0-9_]{1,32}$")


@dataclass(frozen=True)
class Command:
    id: str
    flow: str
    origin: Origin
    commands: tuple[str, ...] = ()
    payload: str = ""
    interrupt: bool = False
    button: str = ""
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class DeepLink:
    """What a `/start` payload such as `ar-counselling-ik12` asks for."""

    language: str = ""
    flow: str = ""
    source: str = ""


@dataclass(frozen=True)
class CommandSet:
    commands: tuple[Command, ...]
    entry_points: Mapping[str, str]
    texts: Mapping[str, str] = field(default_factory=dict)

    def by_id(self, command_id: str) -> Command:
        return next(command for command in self.commands if command.id == command_id)

    def by_command(self, text: str) -> Command | None:
        name = text.strip().split()[0].lstrip("/").split("@")[0].casefold() if text.strip() else ""
        return next((command for command in self.commands if name in command.commands), None)

    def by_payload(self, payload: str) -> Command | None:
        return next((command for command in self.commands if payload and payload == command.payload), None)

    def __post_init__(self) -> None:
        index = {
            normalize(word): command
            for command in reversed(self.commands)
            for words in command.keywords.values()
            for word in words
        }
        object.__setattr__(self, "_keyword_index", index)

    def by_keyword(self, text: str) -> Command | None:
        """A command whose keyword is the whole message, in any language: she may switch when afraid."""
        if len(text) > 80:
            return None
        index: dict[str, Command] = getattr(self, "_keyword_index")  # noqa: B009
        return index.get(normalize(text))

    def parse_deep_link(self, payload: str) -> DeepLink:
        """Read `<lang>-<entry>-<source>`; each part optional, unknown parts ignored."""
        language = flow = source = ""
        for part in payload.strip().split("-"):
            lowered = part.lower()
            if not language and lowered in BY_CODE:
                language = lowered
            elif not flow and lowered in self.entry_points:
                flow = self.entry_points[lowered]
            elif not source and _SOURCE.match(part):
                source = part
        return DeepLink(language, flow, source)


def load_commands(path: Path) -> CommandSet:
    source = read_flow_file(path)
    data: Any = source.data
    if not isinstance(data, dict) or not isinstance(data.get("commands"), list):
        raise FlowError(Origin(path.name, 1), "commands.yml needs a `commands:` list")
    commands = []
    for index, item in enumerate(data["commands"]):
        origin = Origin(path.name, source.line(("commands", index)) or 1)
        if not isinstance(item, dict) or "id" not in item or "flow" not in item:
            raise FlowError(origin, "a command needs `id` and `flow`")
        keywords = {
            str(code): tuple(str(word) for word in words)
            for code, words in (item.get("keywords") or {}).items()
        }
        commands.append(
            Command(
                id=str(item["id"]),
                flow=str(item["flow"]),
                origin=origin,
                commands=tuple(str(name).casefold() for name in item.get("commands", [])),
                payload=str(item.get("payload", "")),
                interrupt=bool(item.get("interrupt", False)),
                button=str(item.get("button", "")),
                keywords=keywords,
            )
        )
    entries = {str(key): str(value) for key, value in (data.get("entry_points") or {}).items()}
    texts = {str(key): str(value) for key, value in (data.get("texts") or {}).items()}
    return CommandSet(tuple(commands), entries, texts)
