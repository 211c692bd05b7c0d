"""The flow format has one definition: the typed model. `flows/schema.json` is generated from it and
says the same as the model about every file, shipped or broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from bot.engine.flow_format import FlowFile, flow_schema
from bot.engine.flows import flow_files

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def test_schema_json_is_generated_from_the_model() -> None:
    written = json.loads((FLOWS / "schema.json").read_text(encoding="utf-8"))
    assert written == flow_schema(), "flows/schema.json is out of date: run `wegweiser flows schema`"


def model_accepts(data: Any) -> bool:
    try:
        FlowFile.model_validate(data)
    except ValidationError:
        return False
    return True


def schema_accepts(data: Any) -> bool:
    return jsonschema.Draft202012Validator(flow_schema()).is_valid(data)


@pytest.mark.parametrize("path", list(flow_files(FLOWS)), ids=lambda path: path.name)
def test_both_accept_the_shipped_flows(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert model_accepts(data) and schema_accepts(data)


def flow(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"flows": {"a_flow": {"description": "A flow.", "steps": list(steps)}}}


ASK = {"id": "ask", "collect": "answer", "ask": "Frage?"}


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        (flow({"say": "Hallo."}), True),
        (flow({**ASK, "choices": [{"value": "yes", "title": "Ja"}]}, {"say": "Gut.", "next": "END"}), True),
        (flow({**ASK, "choices": {"from": "topics", "add": [{"value": "x", "title": "X"}]}}), True),
        (
            flow(
                {**ASK, "free_text": True, "next": [{"if": "slots.answer", "then": "ask"}, {"else": "END"}]}
            ),
            True,
        ),
        (flow({"set_slots": [{"a": 1}, {"b": None}]}, {"link": "b_flow"}, {"action": "action_x"}), True),
        (flow({**ASK, "menu_buttons": "emergency", "choices": []}), True),
        ({"flows": {}}, False),  # no flow
        ({"flows": {"Bad-Id": {"steps": [{"say": "x"}]}}}, False),
        (flow(), False),  # no step
        (flow({"say": "x", "action": "action_x"}), False),  # two kinds
        (flow({"collect": "answer"}), False),  # a question without its text
        (flow({"say": "x", "colour": "red"}), False),  # unknown key
        (flow({"say": ""}), False),
        (flow({"say": "x", "next": "Not a step"}), False),
        (flow({"say": "x", "next": []}), False),
        (flow({"say": "x", "next": [{"if": "slots.a"}]}), False),  # a rule without `then`
        (flow({**ASK, "choices": [{"value": "has space", "title": "X"}]}), False),
        (flow({**ASK, "choices": [{"value": "x", "title": "X", "keywords": {"german": ["x"]}}]}), False),
        (flow({**ASK, "choices": {"add": []}}), False),  # content choices without `from`
        (flow({**ASK, "location": "yes"}), False),  # no quiet conversions
        (flow({**ASK, "max_length": 0, "free_text": True}), False),
        (flow({"action": "find_offers"}), False),
        (flow({**ASK, "menu_buttons": "sometimes", "choices": []}), False),
        (flow({"say": "x", "effect": "explode"}), False),
    ],
)
def test_model_and_schema_agree(data: dict[str, Any], accepted: bool) -> None:
    assert model_accepts(data) is accepted
    assert schema_accepts(data) is accepted
