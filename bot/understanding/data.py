"""The training data: one Rasa NLU YAML file per language (`nlu/<lang>.yml`).

Each file has `nlu:` items of four kinds, as in Rasa: `intent` (examples of a need), `synonym`
(spellings of one word), `lookup` (word lists: `danger` words count anywhere in a message, `help`
words count when the message is short) and `regex`. Examples are `- text` lines in a block
`examples: |`. An item's `metadata: {status: draft}` says an interpreter has not checked it yet.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.understanding.normalize import normalize

FOLDER = Path(__file__).resolve().parents[2] / "nlu"


class NluError(ValueError):
    """A training file cannot be read; the message names the file and the cause."""


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str


@dataclass
class NluData:
    examples: list[Example] = field(default_factory=list)
    lookups: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    digest: str = ""

    def intents(self) -> list[str]:
        return sorted({example.intent for example in self.examples})

    def languages(self) -> list[str]:
        return sorted({example.language for example in self.examples})


def example_lines(block: object) -> list[str]:
    """The `- text` lines of an `examples: |` block."""
    if not isinstance(block, str):
        return []
    lines = (line.strip() for line in block.splitlines())
    return [line[1:].strip() for line in lines if line.startswith("-") and line[1:].strip()]


def read_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise NluError(f"{path.name}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
        raise NluError(f"{path.name}: needs a `nlu:` list")
    return data


def load(folder: Path = FOLDER) -> NluData:
    """All languages' files; the digest changes when any byte of them does (it keys the model cache)."""
    result = NluData()
    digest = hashlib.sha256()
    paths = sorted(folder.glob("*.yml"))
    if not paths:
        raise NluError(f"no training files in {folder}")
    for path in paths:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        language = path.stem
        for item in read_file(path)["nlu"]:
            if not isinstance(item, dict):
                raise NluError(f"{path.name}: every item needs intent/synonym/lookup/regex")
            lines = example_lines(item.get("examples"))
            if "intent" in item:
                result.examples.extend(Example(line, str(item["intent"]), language) for line in lines)
            elif "synonym" in item:
                result.synonyms.update({normalize(line): normalize(str(item["synonym"])) for line in lines})
            elif "lookup" in item:
                result.lookups.setdefault(str(item["lookup"]), []).extend((line, language) for line in lines)
            elif "regex" in item:
                for line in lines:
                    try:
                        re.compile(line)
                    except re.error as error:
                        raise NluError(f"{path.name}: regex {line!r}: {error}") from error
                result.regexes.setdefault(str(item["regex"]), []).extend(lines)
    result.digest = digest.hexdigest()[:16]
    return result
