"""The workshops in the Kreishaus: `content/workshops.yml` as typed data, checked with file and line.

Times are written as staff read them, in Düren's local time (Europe/Berlin), and kept as aware
datetimes, so a reminder "1 day before" is right across the change to summer time. Reminder offsets
are short strings (`7d`, `1d`, `2h`) that double as stable parts of the reminder job ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.i18n.languages import BY_CODE
from bot.problem import Problem
from bot.yaml_file import YamlError, read_yaml_file

BERLIN = ZoneInfo("Europe/Berlin")
FILE = "workshops.yml"
ANNOUNCEMENTS = "announcements"  # the subscription topic "all future announcements"
WORKSHOP_TOPIC_PREFIX = "workshop:"
DEFAULT_REMINDERS = ("7d", "1d", "2h")

WorkshopId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=30)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Offset = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]*[smhd]$")]

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def offset_delta(offset: str) -> timedelta:
    """`7d` -> 7 days, `2h` -> 2 hours, `30m`, `45s`."""
    match = re.fullmatch(r"([1-9][0-9]*)([smhd])", offset)
    if match is None:
        raise ValueError(f"not a reminder offset: {offset!r} (write e.g. 7d, 1d, 2h)")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def topic_of(workshop_id: str) -> str:
    """The subscription topic of one workshop's reminders."""
    return WORKSHOP_TOPIC_PREFIX + workshop_id


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Place(_Strict):
    """Where a workshop is; every fact with its source, unverified until staff confirm it."""

    name: Text
    street: Text
    postcode: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")] | None = None
    city: Text
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    coordinates_note: Text | None = None
    source: Annotated[list[Url], Field(min_length=1)]
    verified: bool = False

    def line(self) -> str:
        town = f"{self.postcode} {self.city}" if self.postcode else self.city
        return f"{self.street}, {town}"

    def map_link(self) -> str:
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude:.5f}&mlon={self.longitude:.5f}"
            f"#map=17/{self.latitude:.5f}/{self.longitude:.5f}"
        )


class Workshop(_Strict):
    """One workshop: what, when, where, which languages at the tables, how to take part."""

    id: WorkshopId
    title: Text
    description: Text | None = None
    starts_at: datetime
    ends_at: datetime
    place: Place
    languages: Annotated[list[LanguageCode], Field(min_length=1)]
    topics: list[Text] = Field(default_factory=list)
    registration: Text
    reminders: list[Offset] | None = None
    example: bool = False
    source: Annotated[list[Url], Field(min_length=1)]
    verified: bool = False

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _in_berlin(cls, value: datetime) -> datetime:
        """A time without a zone is Düren's local time."""
        return value.replace(tzinfo=BERLIN) if value.tzinfo is None else value.astimezone(BERLIN)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Workshop:
        if self.ends_at <= self.starts_at:
            raise ValueError("`ends_at` must be after `starts_at`")
        return self

    @property
    def topic(self) -> str:
        return topic_of(self.id)


class Workshops(_Strict):
    """The file: default reminder offsets and the workshops, in any order."""

    reminders: list[Offset] = Field(default_factory=lambda: list(DEFAULT_REMINDERS))
    workshops: list[Workshop] = Field(default_factory=list)

    def offsets(self, workshop: Workshop) -> list[str]:
        return list(workshop.reminders if workshop.reminders is not None else self.reminders)

    def get(self, workshop_id: str) -> Workshop | None:
        return next((workshop for workshop in self.workshops if workshop.id == workshop_id), None)

    def without_examples(self) -> Workshops:
        """What women may see: an example entry (`example: true`) is never shown or reminded of."""
        return self.model_copy(update={"workshops": [w for w in self.workshops if not w.example]})

    def upcoming(self, now: datetime) -> list[Workshop]:
        """Workshops that have not ended, soonest first."""
        return sorted((w for w in self.workshops if w.ends_at > now), key=lambda w: w.starts_at)


EMPTY = Workshops()


def inspect_workshops(content_dir: Path) -> tuple[Workshops | None, list[Problem]]:
    """Read and check `workshops.yml`; a missing file means no workshops, not an error."""
    path = content_dir / FILE
    if not path.exists():
        return EMPTY, []
    display = f"{content_dir.name}/{FILE}"
    try:
        document = read_yaml_file(path)
    except YamlError as error:
        return None, [Problem(display, error.line, error.message)]
    try:
        workshops = Workshops.model_validate(document.data or {})
    except ValidationError as error:
        return None, [
            Problem(
                display,
                document.line(tuple(detail["loc"])),
                f"`{'.'.join(str(part) for part in detail['loc'])}`: "
                + ("missing" if detail["type"] == "missing" else detail["msg"]),
            )
            for detail in error.errors()
        ]
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, workshop in enumerate(workshops.workshops):
        if workshop.id in seen:
            problems.append(
                Problem(display, document.line(("workshops", index, "id")), f"duplicate id {workshop.id!r}")
            )
        seen.add(workshop.id)
        if unknown := [code for code in workshop.languages if code not in BY_CODE]:
            problems.append(
                Problem(
                    display,
                    document.line(("workshops", index, "languages")),
                    f"{workshop.id!r}: languages the bot does not speak are shown by code: "
                    + ", ".join(unknown),
                    "warning",
                )
            )
        if workshop.example:
            problems.append(
                Problem(
                    display,
                    document.line(("workshops", index, "example")),
                    f"EXAMPLE {workshop.id!r} (example: true) is NOT shown to women and gets no reminders "
                    "unless WEGWEISER_DEMO=true: replace it with the real date, place and registration",
                    "warning",
                )
            )
        if not workshop.place.verified:
            problems.append(
                Problem(
                    display,
                    document.line(("workshops", index, "place")),
                    f"{workshop.id!r}: the place is not yet verified by staff (verified: false)",
                    "warning",
                )
            )
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    return workshops, problems


class WorkshopsError(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            "workshops.yml has errors:\n" + "\n".join(f"  {problem.labelled()}" for problem in problems)
        )


def load_workshops(content_dir: Path) -> Workshops:
    """The workshops for the running bot; raise WorkshopsError naming file and line on any error."""
    workshops, problems = inspect_workshops(content_dir)
    if workshops is None:
        raise WorkshopsError([problem for problem in problems if problem.severity == "error"])
    return workshops


# --- texts for translation ----------------------------------------------------------------------


def title_context(workshop_id: str) -> str:
    return f"workshop/{workshop_id}/title"


def field_context(workshop_id: str, field: str) -> str:
    return f"workshop/{workshop_id}/{field}"


def source_texts(workshops: Workshops) -> list[tuple[str, str]]:
    """(context, German text) for every translatable workshop text; places and names stay German."""
    texts: list[tuple[str, str]] = []
    for workshop in workshops.workshops:
        texts.append((title_context(workshop.id), workshop.title))
        if workshop.description:
            texts.append((field_context(workshop.id, "description"), workshop.description))
        texts.extend((field_context(workshop.id, "topic"), topic) for topic in workshop.topics)
        texts.append((field_context(workshop.id, "registration"), workshop.registration))
    return texts


# --- the calendar file --------------------------------------------------------------------------


def _ics_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not parts else 74
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_file(workshop: Workshop, title: str, description: str, now: datetime) -> str:
    """An iCalendar (.ics) file with one event, in UTC, that every phone calendar can import."""
    place = workshop.place
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kreis Dueren//Wegweiser//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{workshop.id}-{_utc(workshop.starts_at)}@wegweiser.kreis-dueren",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(workshop.starts_at)}",
        f"DTEND:{_utc(workshop.ends_at)}",
        f"SUMMARY:{_ics_escape(title)}",
        f"LOCATION:{_ics_escape(f'{place.name}, {place.line()}')}",
        f"GEO:{place.latitude:.5f};{place.longitude:.5f}",
        f"DESCRIPTION:{_ics_escape(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
