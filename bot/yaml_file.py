"""A YAML file read together with its node tree, so every problem can name its line.

PyYAML's constructed objects forget where they came from; its nodes do not. We keep both and walk the
nodes along a pydantic error location (`("offers", 0, "phone")`) to find the line an editor must fix.
The one reader of hand-written YAML: flows, commands, content and workshops.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class YamlError(Exception):
    """A file that is not valid YAML; `line` is 1-based, or None when unknown. `message` is for
    staff (`broken YAML: ...`), `problem` the parser's own words."""

    def __init__(self, path: Path, line: int | None, message: str, problem: str = "") -> None:
        super().__init__(f"{path}:{line or '?'}: {message}")
        self.path = path
        self.line = line
        self.message = message
        self.problem = problem or message


@dataclass(frozen=True)
class YamlFile:
    path: Path
    data: Any
    root: yaml.Node | None

    def line(self, location: Sequence[str | int]) -> int | None:
        """The 1-based line of the deepest node along `location` that exists."""
        node = self.root
        if node is None:
            return None
        found = node
        for part in location:
            child = _child(found, part)
            if child is None:
                break
            found = child
        return found.start_mark.line + 1


def read_yaml_file(path: Path) -> YamlFile:
    """Parse one YAML file; raise YamlError with the line for broken YAML or duplicate keys."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise YamlError(path, None, f"cannot read file: {error}") from error
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _reject_duplicate_keys(path, root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlError(path, line, f"broken YAML: {problem}", problem) from error
    except yaml.YAMLError as error:
        raise YamlError(path, None, f"broken YAML: {error}", str(error)) from error
    finally:
        loader.dispose()
    return YamlFile(path, data, root)


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                found: yaml.Node = value
                return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


def _reject_duplicate_keys(path: Path, root: yaml.Node) -> None:
    """PyYAML keeps the last of two equal keys silently; an editor would never see her first entry lost."""
    for node in _walk(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: set[str] = set()
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.value in seen:
                duplicate = f"duplicate key {key.value!r}"
                raise YamlError(path, key.start_mark.line + 1, f"broken YAML: {duplicate}", duplicate)
            seen.add(key.value)


def _walk(node: yaml.Node) -> Iterator[yaml.Node]:
    yield node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)
