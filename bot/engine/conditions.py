"""Conditions on slots, as written in a flow's `next` and in a choice's `if`.

A deliberately tiny language (Rasa's flows use pypred; ours needs only this):
`slots.x`, `not slots.x`, `slots.x == "v"`, `slots.x != "v"`, `slots.x in ["a", "b"]`,
joined by `and` / `or` (and binds tighter).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_ATOM = re.compile(
    r"^\s*(?P<neg>not\s+)?slots\.(?P<slot>[a-z_][a-z0-9_]*)\s*"
    r"(?:(?P<op>==|!=|in)\s*(?P<value>.+?))?\s*$"
)


class ConditionError(ValueError):
    """A condition that cannot be parsed; the message says why."""


@dataclass(frozen=True)
class Atom:
    slot: str
    op: str
    value: Any
    negate: bool

    def holds(self, slots: Mapping[str, Any]) -> bool:
        actual = slots.get(self.slot)
        if self.op == "==":
            result = actual == self.value
        elif self.op == "!=":
            result = actual != self.value
        elif self.op == "in":
            result = actual in self.value
        else:
            result = actual not in (None, "", False, [], 0)
        return not result if self.negate else result


@dataclass(frozen=True)
class Condition:
    """Disjunction of conjunctions of atoms."""

    source: str
    any_of: tuple[tuple[Atom, ...], ...]

    def holds(self, slots: Mapping[str, Any]) -> bool:
        return any(all(atom.holds(slots) for atom in group) for group in self.any_of)

    @property
    def slots(self) -> set[str]:
        return {atom.slot for group in self.any_of for atom in group}


def _parse_atom(text: str) -> Atom:
    match = _ATOM.match(text)
    if not match:
        raise ConditionError(
            f'cannot read condition part {text.strip()!r} (expected e.g. slots.topic == "health")'
        )
    op = match["op"] or "truthy"
    value: Any = None
    if match["value"] is not None:
        try:
            value = json.loads(match["value"])
        except json.JSONDecodeError as error:
            raise ConditionError(f"value {match['value']!r} is not a JSON literal") from error
        if op == "in" and not isinstance(value, list):
            raise ConditionError('`in` needs a list, e.g. slots.x in ["a", "b"]')
    return Atom(match["slot"], op, value, bool(match["neg"]))


def parse_condition(text: str) -> Condition:
    groups = tuple(
        tuple(_parse_atom(part) for part in re.split(r"\s+and\s+", alternative))
        for alternative in re.split(r"\s+or\s+", text)
    )
    return Condition(text, groups)
