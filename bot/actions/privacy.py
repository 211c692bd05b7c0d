"""`action_delete_data`: erase everything Wegweiser holds about her, then start afresh.

The store does the erasing (contact, conversation, subscriptions, message traces); the
`Restarted` event tells the runtime not to save anything of this turn.
"""

from __future__ import annotations

from typing import Any, Protocol

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.tracker import contact_of


class Forgetting(Protocol):
    def forget(self, channel: str, platform_id: str) -> bool: ...


class ActionDeleteData(Action):  # type: ignore[misc]  # rasa_sdk ships no type information
    def __init__(self, store: Forgetting) -> None:
        self.store = store

    def name(self) -> str:
        return "action_delete_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        channel, platform_id = contact_of(tracker)
        if platform_id:
            self.store.forget(channel, platform_id)
        return [Restarted()]
