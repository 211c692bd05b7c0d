"""Flows as data: the YAML files in `flows/`, read into typed steps.

The format follows Rasa's CALM flows (`flows: <id>: {description, steps}` with `collect`, `action`,
`set_slots`, `link`, `say` and `next`), extended with what a button-first multilingual bot needs:
a question text (`ask`), `choices` (listed, or taken from content with `from:`), shared locations,
free text, and per-language keywords. Every German text is the msgid for the translation catalogs.
The format itself is the typed model in `bot/engine/flow_format.py`; this module turns a valid file
into the engine's frozen steps, each with the line it was written on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.engine.conditions import Condition, parse_condition
from bot.engine.flow_format import ChoiceData, ChoicesFrom, FlowData, FlowFile, IfThen, StepData, StepKind
from bot.yaml_file import YamlError, YamlFile, read_yaml_file

END = "END"


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


def read_flow_file(path: Path) -> YamlFile:
    """Parse YAML keeping line numbers; broken YAML becomes a FlowError with its line."""
    try:
        return read_yaml_file(path)
    except YamlError as error:
        raise FlowError(Origin(path.name, error.line or 1), f"YAML error: {error.problem}") from error


# Tags of the choices between shapes (`next: step` or a list of rules, ...): part of pydantic's error
# location, never of the file's.
_SHAPES = {
    "if-then-rule",
    "else-rule",
    "step-target",
    "rule-list",
    "choice-list",
    "choices-from-content",
    "one-mapping",
    "mapping-list",
}


def _in_file(data: Any, location: Sequence[str | int]) -> tuple[str | int, ...]:
    """The part of a pydantic error location that exists in the file (a missing key is not)."""
    found: list[str | int] = []
    node = data
    for part in location:
        if part in _SHAPES:
            continue
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_list or (isinstance(node, dict) and part in node)):
            break
        node = node[part]
        found.append(part)
    return tuple(found)


def _message(detail: ErrorDetails) -> str:
    kind = detail["type"]
    context = detail.get("ctx", {})
    name = next((part for part in reversed(detail["loc"]) if isinstance(part, str)), "")
    if kind == "string_pattern_mismatch":
        return f"{detail['input']!r} does not match {context.get('pattern')!r}"
    if kind == "missing":
        return f"{name!r} is a required property"
    if kind == "extra_forbidden":
        return f"unknown key {name!r}"
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    return detail["msg"]


def format_problems(source: YamlFile) -> tuple[FlowFile | None, list[tuple[Origin, str]]]:
    """The file read by the flow format's model, or every place where it breaks the format."""
    try:
        return FlowFile.model_validate(source.data), []
    except ValidationError as error:
        found = []
        for detail in error.errors():
            where = _in_file(source.data, detail["loc"])
            path = "/".join(str(part) for part in where) or "(top)"
            origin = Origin(source.path.name, source.line(where) or 1)
            found.append((origin, f"{path}: {_message(detail)}"))
        return None, found


def valid_flows(source: YamlFile) -> FlowFile:
    """The flows of a file that breaks the format which are valid on their own, so that a check
    still finds the broken references in them."""
    data = source.data
    bodies = data.get("flows") if isinstance(data, dict) else None
    valid: dict[str, FlowData] = {}
    for flow_id, body in bodies.items() if isinstance(bodies, dict) else ():
        try:
            valid[str(flow_id)] = FlowData.model_validate(body)
        except ValidationError:
            continue
    return FlowFile.model_construct(flows=valid)


def _choice(data: ChoiceData, context: str) -> Choice:
    return Choice(
        value=data.value,
        title=data.title,
        keywords={language: tuple(words) for language, words in (data.keywords or {}).items()},
        condition=parse_condition(data.if_) if data.if_ is not None else None,
        link=data.link or "",
        context=context,
    )


def _branches(data: StepData) -> tuple[Branch, ...]:
    if data.next is None:
        return ()
    if isinstance(data.next, str):
        return (Branch(data.next),)
    return tuple(
        Branch(rule.then, parse_condition(rule.if_)) if isinstance(rule, IfThen) else Branch(rule.else_)
        for rule in data.next
    )


def _step(source: YamlFile, flow_id: str, position: int, data: StepData) -> Step:
    kind = data.kind
    step_id = data.id or f"{kind}_{position}"
    listed: list[ChoiceData] = []
    choices_from = ""
    if isinstance(data.choices, ChoicesFrom):
        choices_from, listed = data.choices.from_, data.choices.add
    elif data.choices is not None:
        listed = data.choices
    set_slots: dict[str, Any] = {}
    for item in data.set_slots if isinstance(data.set_slots, list) else [data.set_slots or {}]:
        set_slots.update(item)
    context = f"{flow_id}/{step_id}"
    return Step(
        id=step_id,
        kind=kind,
        origin=Origin(source.path.name, source.line(("flows", flow_id, "steps", position)) or 1),
        text=data.ask or data.say or "",
        slot=data.collect or "",
        choices=tuple(_choice(choice, context) for choice in listed),
        choices_from=choices_from,
        location=bool(data.location),
        free_text=bool(data.free_text),
        max_length=data.max_length or 0,
        action=data.action or "",
        set_slots=set_slots,
        link=data.link or "",
        next=_branches(data),
        menu_buttons=data.menu_buttons in (None, True),
        emergency_button=data.menu_buttons == "emergency",
        skip_if_filled=bool(data.skip_if_filled),
        keep_slot=data.reset_after_flow_ends is False,
        effect=data.effect or "",
    )


def flows_of(source: YamlFile, model: FlowFile) -> dict[str, Flow]:
    """The engine's flows from a validated file, each step with its line."""
    return {
        flow_id: Flow(
            id=flow_id,
            description=body.description,
            steps=tuple(_step(source, flow_id, position, step) for position, step in enumerate(body.steps)),
            origin=Origin(source.path.name, source.line(("flows", flow_id)) or 1),
            sensitive=body.sensitive,
        )
        for flow_id, body in model.flows.items()
    }


def parse_flows(source: YamlFile) -> dict[str, Flow]:
    """The flows of one file; a file that breaks the format raises FlowError at its first problem."""
    model, problems = format_problems(source)
    if model is None:
        origin, message = problems[0]
        raise FlowError(origin, message)
    return flows_of(source, model)


def flow_files(flows_dir: Path) -> Iterator[Path]:
    yield from sorted(path for path in flows_dir.glob("*.yml") if path.name != "commands.yml")


def load_flows(flows_dir: Path) -> dict[str, Flow]:
    flows: dict[str, Flow] = {}
    for path in flow_files(flows_dir):
        for flow_id, flow in parse_flows(read_flow_file(path)).items():
            if flow_id in flows:
                raise FlowError(
                    flow.origin, f"flow {flow_id!r} is already defined in {flows[flow_id].origin}"
                )
            flows[flow_id] = flow
    return flows
