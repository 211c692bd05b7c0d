"""Checking `content/`: every broken file, bad reference and stale fact, with file and line.

Staff and volunteers edit these YAML files by hand. A check that names the exact line
(`offers/goldrute.yml:14`) lets them fix a mistake without a developer; `wegweiser content check` prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.model import ALL, Content, Hotline, Municipality, Offer, Topic
from bot.i18n.languages import BY_CODE, LANGUAGES
from bot.problem import Problem, Severity
from bot.yaml_file import YamlError, YamlFile, read_yaml_file

Model = TypeVar("Model", bound=BaseModel)

TOPICS_FILE = "topics.yml"
MUNICIPALITIES_FILE = "municipalities.yml"
HOTLINES_FILE = "hotlines.yml"
OFFERS_DIR = "offers"
KINDS = {"topics": "topic", "municipalities": "municipality", "offers": "offer", "hotlines": "hotline"}


@dataclass(frozen=True)
class _Item:
    """A valid entry and where it was written, for the cross-reference checks."""

    value: Any
    document: YamlFile
    location: tuple[str | int, ...]

    def line(self, *more: str | int) -> int | None:
        return self.document.line((*self.location, *more))


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, line: int | None, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(_display(path), line, message, severity))


def check_content(content_dir: Path, today: date) -> list[Problem]:
    """Every problem in `content_dir`: errors stop the bot from loading, warnings ask staff to look."""
    return inspect_content(content_dir, today)[1]


def content_check_report(content_dir: Path, today: date) -> tuple[int, list[str]]:
    """Exit code (1 when there is an error) and printable lines for `wegweiser content check`."""
    content, problems = inspect_content(content_dir, today)
    lines = [problem.labelled() for problem in problems]
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if errors or content is None:
        lines.append(f"{errors} error(s), {warnings} warning(s) in {_display(content_dir)}")
        return 1, lines
    lines.append(
        f"Content OK: {len(content.topics)} topics, {len(content.municipalities)} municipalities, "
        f"{len(content.offers)} offers, {len(content.hotlines)} hotlines, {warnings} warning(s)"
    )
    return 0, lines


def inspect_content(content_dir: Path, today: date | None) -> tuple[Content | None, list[Problem]]:
    """Parse and check everything; the content is None when there is any error."""
    report = _Report()
    topics = _read_list(content_dir / TOPICS_FILE, "topics", Topic, report)
    municipalities = _read_list(content_dir / MUNICIPALITIES_FILE, "municipalities", Municipality, report)
    offers: list[_Item] = []
    offer_files = sorted((content_dir / OFFERS_DIR).glob("*.yml"))
    if not offer_files:
        report.add(content_dir / OFFERS_DIR, None, "no offer files (offers/*.yml)")
    for path in offer_files:
        offers += _read_list(path, "offers", Offer, report)
    hotlines = _read_list(content_dir / HOTLINES_FILE, "hotlines", Hotline, report)

    for kind, items in (
        ("topic", topics),
        ("municipality", municipalities),
        ("offer", offers),
        ("hotline", hotlines),
    ):
        _check_unique(kind, items, report)
    topic_ids = {item.value.id for item in topics}
    place_ids = {item.value.id for item in municipalities}
    for item in offers:
        _check_offer_references(item, topic_ids, place_ids, report)
    for item in hotlines:
        _check_references(item, "topics", item.value.topics, topic_ids, "topic", report)
    _check_keywords(topics, report)
    _check_coverage(topics, offers, hotlines, report)
    if today is not None:
        for item in (*offers, *hotlines):
            _check_fresh(item, today, report)
    _note_unverified(content_dir, offers, hotlines, report)

    if any(problem.severity == "error" for problem in report.problems):
        return None, report.problems
    content = Content(
        topics=tuple(item.value for item in topics),
        municipalities=tuple(item.value for item in municipalities),
        offers=tuple(item.value for item in offers),
        hotlines=tuple(item.value for item in hotlines),
    )
    return content, report.problems


def _read_list(path: Path, key: str, model: type[Model], report: _Report) -> list[_Item]:
    """Validate `key: [...]` item by item, so one broken entry does not hide the others."""
    try:
        document = read_yaml_file(path)
    except YamlError as error:
        report.add(path, error.line, error.message)
        return []
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        report.add(path, document.line(()), f"expected a mapping with a list `{key}:`")
        return []
    if unknown := sorted(str(name) for name in data if name != key):
        report.add(path, document.line((unknown[0],)), f"unknown top-level key(s): {', '.join(unknown)}")
    items: list[_Item] = []
    for index, raw in enumerate(data[key]):
        location: tuple[str | int, ...] = (key, index)
        try:
            value = model.model_validate(raw)
        except ValidationError as error:
            label = _label(key, index, raw)
            for detail in error.errors():
                field = ".".join(str(part) for part in detail["loc"])
                where = f"`{field}`: " if field else ""
                message = "missing" if detail["type"] == "missing" else detail["msg"]
                report.add(path, document.line((*location, *detail["loc"])), f"{label}: {where}{message}")
            continue
        items.append(_Item(value, document, location))
    return items


def _label(key: str, index: int, raw: object) -> str:
    kind = KINDS[key]
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{kind} {raw['id']!r}"
    return f"{kind} #{index + 1}"


def _check_unique(kind: str, items: Sequence[_Item], report: _Report) -> None:
    seen: dict[str, _Item] = {}
    for item in items:
        first = seen.setdefault(item.value.id, item)
        if first is not item:
            other = f"{_display(first.document.path)}:{first.line('id')}"
            report.add(
                item.document.path, item.line("id"), f"duplicate {kind} id {item.value.id!r} (also {other})"
            )


def _check_offer_references(item: _Item, topics: set[str], places: set[str], report: _Report) -> None:
    offer: Offer = item.value
    _check_references(item, "topics", offer.topics, topics, "topic", report)
    if offer.municipalities != ALL:
        _check_references(item, "municipalities", offer.municipalities, places, "municipality", report)
    if offer.place is not None and offer.place not in places:
        report.add(
            item.document.path,
            item.line("place"),
            f"offer {offer.id!r}: unknown municipality {offer.place!r}",
        )
    if not (offer.phone or offer.email or offer.address or offer.web):
        report.add(
            item.document.path,
            item.line("id"),
            f"offer {offer.id!r}: no way to reach it (phone, email, address or web); a card she cannot use "
            "helps nobody",
        )
    if offer.address is not None and offer.address.municipality not in places:
        report.add(
            item.document.path,
            item.line("address", "municipality"),
            f"offer {offer.id!r}: unknown municipality {offer.address.municipality!r}",
        )


def _check_references(
    item: _Item, field: str, values: Sequence[str], known: set[str], kind: str, report: _Report
) -> None:
    for index, value in enumerate(values):
        if value not in known:
            report.add(
                item.document.path, item.line(field, index), f"{item.value.id!r}: unknown {kind} {value!r}"
            )


def _check_keywords(topics: Sequence[_Item], report: _Report) -> None:
    for item in topics:
        topic: Topic = item.value
        if missing := [language.code for language in LANGUAGES if not topic.keywords.get(language.code)]:
            report.add(
                item.document.path,
                item.line("keywords"),
                f"topic {topic.id!r} has no keywords for: {', '.join(missing)}",
                "warning",
            )
        if foreign := sorted(code for code in topic.keywords if code not in BY_CODE):
            report.add(
                item.document.path,
                item.line("keywords", foreign[0]),
                f"topic {topic.id!r}: keywords for a language the bot does not speak: {', '.join(foreign)}",
                "warning",
            )


def _check_coverage(
    topics: Sequence[_Item], offers: Sequence[_Item], hotlines: Sequence[_Item], report: _Report
) -> None:
    """A topic without an offer still works (fallback), but staff should know the gap exists."""
    covered = {topic for item in offers for topic in item.value.topics}
    for item in topics:
        if item.value.id not in covered:
            has_hotline = any(item.value.id in hotline.value.topics for hotline in hotlines)
            fallback = "general counselling and hotlines" if has_hotline else "general counselling only"
            report.add(
                item.document.path,
                item.line(),
                f"topic {item.value.id!r} has no offer; the bot falls back to {fallback}",
                "warning",
            )
    if offers and not any(item.value.general and item.value.municipalities == ALL for item in offers):
        report.add(
            offers[0].document.path.parent,
            None,
            "no general offer serves all municipalities: the fallback for unmatched topics may be empty",
            "warning",
        )


def _check_fresh(item: _Item, today: date, report: _Report) -> None:
    checked: date = item.value.last_checked
    if checked < _one_year_before(today):
        report.add(
            item.document.path,
            item.line("last_checked"),
            f"{item.value.id!r} was last checked on {checked.isoformat()}, over a year ago: please verify it",
            "warning",
        )


def _note_unverified(
    content_dir: Path, offers: Sequence[_Item], hotlines: Sequence[_Item], report: _Report
) -> None:
    offers_open = sum(not item.value.verified for item in offers)
    hotlines_open = sum(not item.value.verified for item in hotlines)
    if offers_open or hotlines_open:
        report.add(
            content_dir,
            None,
            f"{offers_open} offer(s), {hotlines_open} hotline(s) not yet verified by staff (verified: false)",
            "warning",
        )


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
