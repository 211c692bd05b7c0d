"""The state of one translation, kept in the PO entry itself so every tool carries it along.

A PO entry is enough to know where a translation stands, whether it was edited in Poedit, Weblate,
a spreadsheet or by `wegweiser i18n draft`:

- missing:  the translation (msgstr) is empty.
- machine:  fuzzy, with the translator comment `machine: <provider> <YYYY-MM-DD>`.
- outdated: fuzzy, with the previous German (`#| msgid`): the source changed after it was translated.
- draft:    any other fuzzy entry, or a translation nobody has marked reviewed (not fuzzy, no review mark).
- reviewed: not fuzzy, with the translator comment `reviewed-by: <name> <YYYY-MM-DD>`.

Only an interpreter makes an entry reviewed (through `wegweiser i18n import`, or by adding the comment
and clearing the fuzzy flag in Poedit). An optional `note: <text>` comment keeps the reviewer's remark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from babel.messages.catalog import Message

TextStatus = Literal["source", "reviewed", "draft", "missing"]

REVIEWED_BY = "reviewed-by:"
MACHINE = "machine:"
NOTE = "note:"
_MARK = re.compile(r"^\s*(?P<kind>reviewed-by|machine):\s*(?P<who>.*?)\s+(?P<day>\d{4}-\d{2}-\d{2})\s*$")


class State(StrEnum):
    MISSING = "missing"
    MACHINE = "machine"
    OUTDATED = "outdated"
    DRAFT = "draft"
    REVIEWED = "reviewed"

    @property
    def label(self) -> str:
        """How the review sheet names it."""
        return {
            State.MISSING: "missing",
            State.MACHINE: "draft (machine)",
            State.OUTDATED: "outdated (German changed)",
            State.DRAFT: "draft",
            State.REVIEWED: "reviewed",
        }[self]


@dataclass(frozen=True)
class Mark:
    """Who (a reviewer or a machine provider) touched the entry last, and when."""

    who: str
    day: date

    def __str__(self) -> str:
        return f"{self.who} {self.day.isoformat()}"


def _marks(message: Message, kind: str) -> list[Mark]:
    found = []
    for comment in message.user_comments:
        match = _MARK.match(comment)
        if match and match["kind"] == kind.rstrip(":"):
            try:
                found.append(Mark(match["who"], date.fromisoformat(match["day"])))
            except ValueError:
                continue
    return found


def review_of(message: Message) -> Mark | None:
    marks = _marks(message, REVIEWED_BY)
    return marks[-1] if marks else None


def machine_of(message: Message) -> Mark | None:
    marks = _marks(message, MACHINE)
    return marks[-1] if marks else None


def note_of(message: Message) -> str:
    notes = [
        comment.strip()[len(NOTE) :].strip()
        for comment in message.user_comments
        if comment.strip().startswith(NOTE)
    ]
    return " ".join(notes)


def state_of(message: Message) -> State:
    if not isinstance(message.string, str) or not message.string:
        return State.MISSING
    if message.fuzzy:
        if message.previous_id or any(comment.startswith("|") for comment in message.user_comments):
            return State.OUTDATED
        return State.MACHINE if machine_of(message) else State.DRAFT
    return State.REVIEWED if review_of(message) else State.DRAFT


def serving_status(state: State) -> TextStatus:
    """What the engine is told: reviewed, a draft (served with a notice), or missing (German is served)."""
    if state is State.REVIEWED:
        return "reviewed"
    if state is State.MISSING:
        return "missing"
    return "draft"


def _without(message: Message, *prefixes: str) -> list[str]:
    return [comment for comment in message.user_comments if not comment.strip().startswith(prefixes)]


def mark_reviewed(message: Message, reviewer: str, day: date) -> None:
    """She read it and it is right: no longer fuzzy, no machine mark, her name and the day."""
    name = " ".join(reviewer.split())
    if not name:
        raise ValueError("a review needs the reviewer's name")
    message.flags.discard("fuzzy")
    message.previous_id = []
    message.user_comments = [
        *_without(message, REVIEWED_BY, MACHINE),
        f"{REVIEWED_BY} {name} {day.isoformat()}",
    ]


def mark_machine(message: Message, provider: str, day: date) -> None:
    """A machine wrote it: fuzzy, with the provider and the day, and no review mark."""
    message.flags.add("fuzzy")
    message.previous_id = []
    message.user_comments = [
        *_without(message, REVIEWED_BY, MACHINE),
        f"{MACHINE} {provider} {day.isoformat()}",
    ]


def set_note(message: Message, note: str) -> None:
    """Replace the reviewer's remark (an empty note removes it)."""
    text = " ".join(note.split())
    message.user_comments = [*_without(message, NOTE), *([f"{NOTE} {text}"] if text else [])]
