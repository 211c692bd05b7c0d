"""`content/workshops.yml`: validated with file and line, times in Düren's zone, a calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.content.workshops import (
    BERLIN,
    WorkshopsError,
    calendar_file,
    inspect_workshops,
    load_workshops,
    offset_delta,
    source_texts,
)
from tests.workshops.conftest import CONTENT


def test_the_shipped_file_is_valid_and_marked_as_an_example() -> None:
    workshops, problems = inspect_workshops(CONTENT)
    assert workshops is not None and workshops.workshops
    workshop = workshops.workshops[0]
    assert workshop.example and not workshop.verified and not workshop.place.verified
    assert workshop.starts_at.tzinfo == BERLIN and workshop.starts_at.utcoffset() == timedelta(hours=2)
    assert workshops.offsets(workshop) == ["7d", "1d", "2h"]
    assert {problem.severity for problem in problems} == {"warning"}
    assert any("example" in problem.message for problem in problems)


def test_errors_name_the_line(tmp_path: Path) -> None:
    text = (CONTENT / "workshops.yml").read_text(encoding="utf-8")
    broken = text.replace('ends_at: "2027-05-26 13:00"', 'ends_at: "2027-05-26 08:00"').replace(
        "reminders: [7d, 1d, 2h]", "reminders: [7d, soon]"
    )
    (tmp_path / "workshops.yml").write_text(broken, encoding="utf-8")
    with pytest.raises(WorkshopsError) as raised:
        load_workshops(tmp_path)
    messages = [str(problem) for problem in raised.value.problems]
    assert any("workshops.yml:13" in message and "reminders.1" in message for message in messages)
    assert any("ends_at" in message for message in messages)


def test_no_file_means_no_workshops(tmp_path: Path) -> None:
    assert load_workshops(tmp_path).workshops == []


def test_offsets() -> None:
    assert offset_delta("7d") == timedelta(days=7)
    assert offset_delta("2h") == timedelta(hours=2)
    assert offset_delta("90s") == timedelta(seconds=90)
    with pytest.raises(ValueError):
        offset_delta("0d")


def test_calendar_file_is_utc_and_folded() -> None:
    workshop = load_workshops(CONTENT).workshops[0]
    ics = calendar_file(
        workshop,
        "Ein sehr langer Titel " * 5,
        "Zeile eins\nZeile zwei; mit Komma, ja",
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    lines = ics.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20270526T073000Z" in lines and "DTEND:20270526T110000Z" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "Zeile eins\\nZeile zwei\\; mit Komma\\, ja" in ics.replace("\r\n ", "")


def test_texts_for_translation() -> None:
    contexts = [context for context, _ in source_texts(load_workshops(CONTENT))]
    assert "workshop/frauen_workshop_2027/title" in contexts
    assert "workshop/frauen_workshop_2027/registration" in contexts
