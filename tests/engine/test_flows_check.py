"""`flows check` finds every broken reference, with file and line; the shipped flows have none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli.known import ACTION_NAMES, MENU_NAMES
from bot.engine.check import check_flows

FLOWS = Path(__file__).resolve().parents[2] / "flows"


@pytest.fixture
def flows_copy(tmp_path: Path) -> Path:
    target = tmp_path / "flows"
    shutil.copytree(FLOWS, target)
    return target


def problems_in(folder: Path) -> list[str]:
    return [str(problem) for problem in check_flows(folder, actions=ACTION_NAMES, menus=MENU_NAMES)]


def test_shipped_flows_are_clean() -> None:
    assert problems_in(FLOWS) == []


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_unknown_step_is_reported_with_file_and_line(flows_copy: Path) -> None:
    path = flows_copy / "counselling.yml"
    replace(path, "then: show_offers", "then: show_offerz")
    found = problems_in(flows_copy)
    assert len(found) == 1
    assert "unknown step 'show_offerz'" in found[0]
    assert found[0].startswith("counselling.yml:")
    line = int(found[0].split(":")[1])
    assert line <= line_of(path, "show_offerz") and line >= line_of(path, "id: after_offers")


def test_unknown_action_flow_and_source(flows_copy: Path) -> None:
    replace(flows_copy / "counselling.yml", "action: action_find_offers", "action: action_find_ofers")
    replace(flows_copy / "menu.yml", "link: find_counselling", "link: find_councelling")
    replace(flows_copy / "counselling.yml", "from: topics", "from: topicz")
    found = "\n".join(problems_in(flows_copy))
    assert "unknown action 'action_find_ofers'" in found
    assert "unknown flow 'find_councelling'" in found
    assert "unknown source 'topicz'" in found


def test_yaml_syntax_error_has_its_line(flows_copy: Path) -> None:
    path = flows_copy / "emergency.yml"
    path.write_text(path.read_text() + "\n  broken: [unclosed\n", encoding="utf-8")
    found = problems_in(flows_copy)
    assert any(problem.startswith("emergency.yml:") and "YAML error" in problem for problem in found)


def test_schema_violation_and_long_payload(flows_copy: Path) -> None:
    replace(
        flows_copy / "counselling.yml",
        "value: other_place",
        "value: other_place_but_much_longer_than_allowed",
    )
    found = "\n".join(problems_in(flows_copy))
    assert "does not match" in found or "payload" in found


def test_missing_required_flow_and_command_target(flows_copy: Path) -> None:
    (flows_copy / "emergency.yml").unlink()
    found = "\n".join(problems_in(flows_copy))
    assert "required flow 'emergency' is missing" in found
    assert "command 'emergency' names unknown flow 'emergency'" in found
