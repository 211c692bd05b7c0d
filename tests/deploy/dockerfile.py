"""A small Dockerfile reader: enough of the format to check our own Dockerfile without Docker."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    line: int

    def exec_form(self) -> list[str] | None:
        """The JSON array of CMD/ENTRYPOINT/RUN, or None for the shell form."""
        text = self.arguments.strip()
        return list(json.loads(text)) if text.startswith("[") else None

    def words(self) -> list[str]:
        """Shell-style words without `--flag=value` options (COPY, EXPOSE, USER)."""
        return [word for word in shlex.split(self.arguments) if not word.startswith("--")]

    def options(self) -> dict[str, str]:
        pairs = (word[2:].partition("=") for word in shlex.split(self.arguments) if word.startswith("--"))
        return {name: value for name, _, value in pairs}

    def env(self) -> dict[str, str]:
        """`ENV A=1 B="two words"` and the legacy `ENV A 1`."""
        words = shlex.split(self.arguments)
        if words and "=" not in words[0]:
            return {words[0]: " ".join(words[1:])}
        return dict(word.split("=", 1) for word in words)


def parse(text: str) -> list[Instruction]:
    """Instructions in order, continuation lines joined, comments and blank lines dropped."""
    instructions: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1].strip())
            continue
        pending.append(line)
        keyword, _, arguments = " ".join(pending).partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip(), start))
        pending = []
    if pending:
        raise ValueError(f"line {start}: continuation runs past the end of the file")
    return instructions
