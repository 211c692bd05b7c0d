"""Workshops made for a test: the shipped example moved to a time relative to now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.content.workshops import Workshops, load_workshops

CONTENT = Path(__file__).resolve().parents[2] / "content"


def workshops_at(starts_in: timedelta, reminders: list[str] | None = None, **changes: Any) -> Workshops:
    """The shipped workshop, starting `starts_in` from now, lasting three hours."""
    shipped = load_workshops(CONTENT).workshops[0]
    start = datetime.now(UTC) + starts_in
    workshop = shipped.model_copy(
        update={"starts_at": start, "ends_at": start + timedelta(hours=3), "reminders": reminders, **changes}
    )
    return Workshops(workshops=[workshop])
