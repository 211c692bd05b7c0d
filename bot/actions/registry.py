"""The action server's registry: every action instance, under its name, in one executor."""

from __future__ import annotations

from collections.abc import Iterable

from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor


def build_executor(actions: Iterable[Action]) -> ActionExecutor:
    """Register ready-made instances (our actions need their content and catalog, so no auto-discovery)."""
    executor = ActionExecutor()
    for action in actions:
        executor.register_action(action)
    return executor
