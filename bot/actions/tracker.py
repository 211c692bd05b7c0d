"""What every action reads from the tracker the same way: her language and who the conversation is with."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.i18n.languages import SOURCE, resolve


def language_of(tracker: Tracker) -> str:
    """Her language (the `language` slot), German when unset or unknown."""
    return resolve(str(tracker.get_slot("language") or "")) or SOURCE


def contact_of(tracker: Tracker) -> tuple[str, str]:
    """(channel, platform id) from the runtime's sender id `channel:platform_id`; ("", "") from elsewhere."""
    channel, _, platform_id = str(tracker.sender_id).partition(":")
    return (channel, platform_id) if platform_id else ("", "")
