"""Flows as data: the YAML files in `flows/`, read into typed steps.

The format follows Rasa's CALM flows (`flows: <id>: {description, steps}` with `collect`, `action`,
`set_slots`, `link`, `say` and `next`), extended with what a button-first multilingual bot needs:
a question text (`ask`), `choices` (listed, or taken from content with `from:`), shared locations,
free text, and per-language keywords. Every German text is the msgid for the translation catalogs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.engine.conditions import Condition, ConditionError, parse_condition

END = "END"
StepKind = Literal["say", "collect", "action", "set_slots", "link"]


@dataclass(frozen=True)
class Origin:
    """Where something was written, for error messages that point at a line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Choice:
    """One button: the slot value it sets, its German title, and words that mean it."""

    value: str
    title: str
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    condition: Condition | None = None
    link: str = ""
    context: str = ""
    emoji: str = ""
    translate: bool = True

    def payload(self, flow_id: str, step_id: str) -> str:
        return f"{flow_id}/{step_id}={self.value}"


@dataclass(frozen=True)
class Branch:
    """One `next` rule: go to `target` when `condition` holds (or always when it is None)."""

    target: str
    condition: Condition | None = None


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    origin: Origin
    text: str = ""
    slot: str = ""
    choices: tuple[Choice, ...] = ()
    choices_from: str = ""
    location: bool = False
    free_text: bool = False
    max_length: int = 0
    action: str = ""
    set_slots: Mapping[str, Any] = field(default_factory=dict)
    link: str = ""
    next: tuple[Branch, ...] = ()
    menu_buttons: bool = True
    emergency_button: bool = False  # `menu_buttons: emergency`: only 🆘, as on the first steps
    skip_if_filled: bool = False
    keep_slot: bool = False
    effect: str = ""


@dataclass(frozen=True)
class Flow:
    id: str
    description: str
    steps: tuple[Step, ...]
    origin: Origin
    sensitive: bool = False

    def index(self, step_id: str) -> int:
        for position, step in enumerate(self.steps):
            if step.id == step_id:
                return position
        raise KeyError(step_id)

    def step(self, step_id: str) -> Step:
        return self.steps[self.index(step_id)]


class FlowError(ValueError):
    """A flow file that cannot be read; `origin` says where."""

    def __init__(self, origin: Origin, message: str) -> None:
        super().__init__(f"{origin}: {message}")
        self.origin = origin
        self.message = message


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping as the key `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = dict(loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse YAML keeping line numbers; a syntax error becomes a FlowError with its line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise FlowError(Origin(path.name, line), f"YAML error: {error.problem}") from error


def strip_lines(data: Any) -> Any:
    """The same data without the `__line__` keys (for JSON Schema validation)."""
    if isinstance(data, dict):
        return {key: strip_lines(value) for key, value in data.items() if key != "__line__"}
    if isinstance(data, list):
        return [strip_lines(item) for item in data]
    return data


def _origin(file: str, data: Any, fallback: int = 1) -> Origin:
    line = data.get("__line__", fallback) if isinstance(data, dict) else fallback
    return Origin(file, int(line))


def _condition(origin: Origin, text: Any) -> Condition:
    if not isinstance(text, str):
        raise FlowError(origin, f"condition must be text, got {text!r}")
    try:
        return parse_condition(text)
    except ConditionError as error:
        raise FlowError(origin, str(error)) from error


def _keywords(origin: Origin, data: Any) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FlowError(origin, "keywords must map a language code to a list of words")
    return {
        str(language): tuple(str(word) for word in words)
        for language, words in data.items()
        if language != "__line__"
    }


def _choices(file: str, flow_id: str, step_id: str, data: Any) -> tuple[Choice, ...]:
    choices = []
    for item in data or []:
        origin = _origin(file, item)
        if not isinstance(item, dict) or "value" not in item or "title" not in item:
            raise FlowError(origin, "a choice needs `value` and `title`")
        condition = _condition(origin, item["if"]) if "if" in item else None
        choices.append(
            Choice(
                value=str(item["value"]),
                title=str(item["title"]),
                keywords=_keywords(origin, item.get("keywords")),
                condition=condition,
                link=str(item.get("link", "")),
                context=f"{flow_id}/{step_id}",
            )
        )
    return tuple(choices)


def _next(origin: Origin, data: Any) -> tuple[Branch, ...]:
    if data is None:
        return ()
    if isinstance(data, str):
        return (Branch(data),)
    if not isinstance(data, list):
        raise FlowError(origin, "`next` must be a step id, END, or a list of if/then and else")
    branches = []
    for rule in data:
        rule_origin = _origin(origin.file, rule, origin.line)
        if isinstance(rule, dict) and "if" in rule:
            branches.append(Branch(str(rule.get("then", "")), _condition(rule_origin, rule["if"])))
        elif isinstance(rule, dict) and "else" in rule:
            branches.append(Branch(str(rule["else"])))
        else:
            raise FlowError(rule_origin, "each `next` rule is `if:`/`then:` or `else:`")
    return tuple(branches)


_KINDS: tuple[StepKind, ...] = ("collect", "action", "set_slots", "link", "say")


def _step(file: str, flow_id: str, position: int, data: Any) -> Step:
    origin = _origin(file, data)
    if not isinstance(data, dict):
        raise FlowError(origin, "a step must be a mapping")
    kinds = [kind for kind in _KINDS if kind in data]
    if len(kinds) != 1:
        raise FlowError(origin, f"a step needs exactly one of {', '.join(_KINDS)}")
    kind = kinds[0]
    step_id = str(data.get("id") or f"{kind}_{position}")
    choices_data = data.get("choices")
    choices_from = ""
    listed: Any = choices_data
    if isinstance(choices_data, dict):
        choices_from = str(choices_data.get("from", ""))
        listed = choices_data.get("add", [])
    set_slots: dict[str, Any] = {}
    if kind == "set_slots":
        items = data["set_slots"]
        for item in items if isinstance(items, list) else [items]:
            set_slots.update({key: value for key, value in item.items() if key != "__line__"})
    return Step(
        id=step_id,
        kind=kind,
        origin=origin,
        text=str(data.get("ask") or data.get("say") or ""),
        slot=str(data.get("collect", "")),
        choices=_choices(file, flow_id, step_id, listed),
        choices_from=choices_from,
        location=bool(data.get("location", False)),
        free_text=bool(data.get("free_text", False)),
        max_length=int(data.get("max_length", 0)),
        action=str(data.get("action", "")),
        set_slots=set_slots,
        link=str(data.get("link", "")),
        next=_next(origin, data.get("next")),
        menu_buttons=data.get("menu_buttons", True) is True,
        emergency_button=data.get("menu_buttons") == "emergency",
        skip_if_filled=bool(data.get("skip_if_filled", False)),
        keep_slot=not bool(data.get("reset_after_flow_ends", True)),
        effect=str(data.get("effect", "")),
    )


def parse_flows(file: str, data: Any) -> dict[str, Flow]:
    if not isinstance(data, dict) or not isinstance(data.get("flows"), dict):
        raise FlowError(_origin(file, data), "a flow file needs a top-level `flows:` mapping")
    flows = {}
    for flow_id, body in data["flows"].items():
        if flow_id == "__line__":
            continue
        origin = _origin(file, body)
        if not isinstance(body, dict) or not isinstance(body.get("steps"), list) or not body["steps"]:
            raise FlowError(origin, f"flow {flow_id!r} needs a non-empty list of `steps`")
        steps = tuple(_step(file, flow_id, position, step) for position, step in enumerate(body["steps"]))
        flows[flow_id] = Flow(
            id=flow_id,
            description=str(body.get("description", "")),
            steps=steps,
            origin=origin,
            sensitive=bool(body.get("sensitive", False)),
        )
    return flows


def flow_files(flows_dir: Path) -> Iterator[Path]:
    yield from sorted(path for path in flows_dir.glob("*.yml") if path.name != "commands.yml")


def load_flows(flows_dir: Path) -> dict[str, Flow]:
    flows: dict[str, Flow] = {}
    for path in flow_files(flows_dir):
        for flow_id, flow in parse_flows(path.name, read_yaml(path)).items():
            if flow_id in flows:
                raise FlowError(
                    flow.origin, f"flow {flow_id!r} is already defined in {flows[flow_id].origin}"
                )
            flows[flow_id] = flow
    return flows
