"""`wegweiser flows check`: every broken reference, with file and line, before a woman meets it."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from bot.engine.commands import load_commands
from bot.engine.flows import (
    END,
    Flow,
    FlowError,
    Origin,
    Step,
    flow_files,
    parse_flows,
    read_yaml,
    strip_lines,
)

MAX_PAYLOAD_BYTES = 64  # Telegram's callback_data limit
REQUIRED_FLOWS = (
    "welcome",
    "main_menu",
    "emergency",
    "delete_data",
    "delete_traces",
    "choose_language",
    "help",
)


@dataclass(frozen=True)
class Problem:
    origin: Origin
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def _schema_line(data: object, path: Collection[object]) -> int:
    """The line of the innermost mapping on a JSON Schema error path."""
    line = 1
    node = data
    for key in path:
        if isinstance(node, dict) and "__line__" in node:
            line = int(node["__line__"])
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and "__line__" in node:
        line = int(node["__line__"])
    return line


def check_flows(
    flows_dir: Path,
    *,
    actions: Collection[str],
    menus: Collection[str],
    max_choices: dict[str, int] | None = None,
) -> list[Problem]:
    """All problems in the flows folder; an empty list means every reference resolves."""
    schema = json.loads((flows_dir / "schema.json").read_text(encoding="utf-8"))
    problems: list[Problem] = []
    flows: dict[str, Flow] = {}
    for path in flow_files(flows_dir):
        try:
            data = read_yaml(path)
        except FlowError as error:
            problems.append(Problem(error.origin, error.message))
            continue
        for found in jsonschema.Draft202012Validator(schema).iter_errors(strip_lines(data)):
            best = jsonschema.exceptions.best_match(found.context) if found.context else found
            where = "/".join(str(part) for part in best.absolute_path) or "(top)"
            line = _schema_line(data, best.absolute_path)
            problems.append(Problem(Origin(path.name, line), f"{where}: {best.message}"))
        try:
            parsed = parse_flows(path.name, data)
        except FlowError as error:
            problems.append(Problem(error.origin, error.message))
            continue
        for flow_id, flow in parsed.items():
            if flow_id in flows:
                problems.append(
                    Problem(flow.origin, f"flow {flow_id!r} is already defined in {flows[flow_id].origin}")
                )
            flows[flow_id] = flow
    problems.extend(
        Problem(Origin("flows", 1), f"required flow {name!r} is missing")
        for name in REQUIRED_FLOWS
        if name not in flows
    )
    try:
        commands = load_commands(flows_dir / "commands.yml")
    except FlowError as error:
        problems.append(Problem(error.origin, error.message))
    else:
        for command in commands.commands:
            if command.flow not in flows:
                problems.append(
                    Problem(command.origin, f"command {command.id!r} names unknown flow {command.flow!r}")
                )
        for name, target in commands.entry_points.items():
            if target not in flows:
                problems.append(
                    Problem(Origin("commands.yml", 1), f"entry point {name!r} names unknown flow {target!r}")
                )
    for flow in flows.values():
        ids = [step.id for step in flow.steps]
        for step in flow.steps:
            if ids.count(step.id) > 1:
                problems.append(
                    Problem(step.origin, f"step id {step.id!r} appears twice in flow {flow.id!r}")
                )
            problems.extend(_step_problems(flow.id, step, set(ids), set(flows), actions, menus))
    return problems


def _step_problems(
    flow_id: str,
    step: Step,
    steps: set[str],
    flows: set[str],
    actions: Collection[str],
    menus: Collection[str],
) -> list[Problem]:
    found: list[str] = []
    for branch in step.next:
        if branch.target != END and branch.target not in steps:
            found.append(f"`next` goes to unknown step {branch.target!r} in flow {flow_id!r}")
    if step.kind == "link" and step.link not in flows:
        found.append(f"`link` to unknown flow {step.link!r}")
    if step.kind == "action" and step.action not in actions:
        found.append(f"unknown action {step.action!r} (known: {', '.join(sorted(actions))})")
    if step.kind == "collect":
        if step.choices_from and step.choices_from not in menus:
            found.append(
                f"choices from unknown source {step.choices_from!r} (known: {', '.join(sorted(menus))})"
            )
        if not step.choices and not step.choices_from and not step.free_text:
            found.append("a `collect` step needs `choices` or `free_text: true`")
        values = [choice.value for choice in step.choices]
        for choice in step.choices:
            if values.count(choice.value) > 1:
                found.append(f"choice value {choice.value!r} appears twice")
            if choice.link and choice.link not in flows:
                found.append(f"choice {choice.value!r} links to unknown flow {choice.link!r}")
            payload = choice.payload(flow_id, step.id)
            if len(payload.encode()) > MAX_PAYLOAD_BYTES:
                found.append(f"button payload {payload!r} is over {MAX_PAYLOAD_BYTES} bytes")
        longest_value = 24
        if len(f"{flow_id}/{step.id}=".encode()) + longest_value > MAX_PAYLOAD_BYTES and step.choices_from:
            found.append(f"flow and step ids too long for content choices in {flow_id}/{step.id}")
    return [Problem(step.origin, message) for message in found]
