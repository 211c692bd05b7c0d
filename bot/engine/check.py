"""`wegweiser flows check`: every broken reference, with file and line, before a woman meets it."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from bot.engine.commands import load_commands
from bot.engine.flows import (
    END,
    Flow,
    FlowError,
    Origin,
    Step,
    flow_files,
    flows_of,
    format_problems,
    read_flow_file,
    valid_flows,
)
from bot.problem import Problem

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


def _at(origin: Origin, message: str) -> Problem:
    return Problem(origin.file, origin.line, message)


def check_flows(
    flows_dir: Path,
    *,
    actions: Collection[str],
    menus: Collection[str],
    max_choices: dict[str, int] | None = None,
) -> list[Problem]:
    """All problems in the flows folder; an empty list means every reference resolves."""
    problems: list[Problem] = []
    flows: dict[str, Flow] = {}
    broken: set[str] = set()  # flows of a file that breaks the format: reported there, not as unknown
    for path in flow_files(flows_dir):
        try:
            source = read_flow_file(path)
        except FlowError as error:
            problems.append(_at(error.origin, error.message))
            continue
        model, found = format_problems(source)
        problems.extend(_at(origin, message) for origin, message in found)
        if model is None:
            if isinstance(source.data, dict) and isinstance(source.data.get("flows"), dict):
                broken.update(str(flow_id) for flow_id in source.data["flows"])
            model = valid_flows(source)
        for flow_id, flow in flows_of(source, model).items():
            if flow_id in flows:
                problems.append(
                    _at(flow.origin, f"flow {flow_id!r} is already defined in {flows[flow_id].origin}")
                )
            flows[flow_id] = flow
    known = set(flows) | broken
    problems.extend(
        Problem("flows", 1, f"required flow {name!r} is missing")
        for name in REQUIRED_FLOWS
        if name not in known
    )
    try:
        commands = load_commands(flows_dir / "commands.yml")
    except FlowError as error:
        problems.append(_at(error.origin, error.message))
    else:
        for command in commands.commands:
            if command.flow not in known:
                problems.append(
                    _at(command.origin, f"command {command.id!r} names unknown flow {command.flow!r}")
                )
        for name, target in commands.entry_points.items():
            if target not in known:
                problems.append(
                    Problem("commands.yml", 1, f"entry point {name!r} names unknown flow {target!r}")
                )
    for flow in flows.values():
        ids = [step.id for step in flow.steps]
        for step in flow.steps:
            if ids.count(step.id) > 1:
                problems.append(_at(step.origin, f"step id {step.id!r} appears twice in flow {flow.id!r}"))
            problems.extend(_step_problems(flow.id, step, set(ids), known, actions, menus))
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
    return [_at(step.origin, message) for message in found]
